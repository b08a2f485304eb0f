/** The part of the `edtf` package (no types of its own) this project uses: its parser's tree. */
declare module 'edtf' {
  export interface EdtfDateNode {
    type: 'Date'
    level: number
    /** Year, month from 0, day, then time parts. */
    values: number[]
    approximate?: unknown
    uncertain?: unknown
    unspecified?: unknown
  }
  export interface EdtfSetNode {
    type: 'Set' | 'List'
    level: number
    values: Array<EdtfNode | [EdtfNode, EdtfNode]>
    earlier?: boolean
    later?: boolean
  }
  export type EdtfNode = EdtfDateNode | EdtfSetNode | { type: string, level: number, values?: unknown }
  /** Parses an EDTF string (levels 0 to 2); throws on anything else. */
  export function parse (input: string, options?: { level?: number }): EdtfNode
}
