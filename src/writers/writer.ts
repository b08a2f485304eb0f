import type { ProblemItem } from '../errors.js'
import { boundsOf } from '../query/dates.js'

/** A reference from a document to another record, checked before anything is written. */
export interface Link {
  /** JSON pointer of the field inside the document, e.g. `/participants/2/actor_id`. */
  pointer: string
  /** The kind of record pointed at. */
  type: string
  id: string
}

/**
 * How one kind of record is stored: its row, its child rows (aliases, participants…), and what
 * points at it. Statements are prepared once per database; booleans go in as 0/1.
 */
export interface RecordWriter<Doc> {
  table: string
  /** The start of the id a record gets when its document has none (a slug of its name or date). */
  baseId (doc: Doc): string
  links (doc: Doc): Link[]
  insertRow (doc: Doc & { id: string }): void
  /** Child rows; written after every row of an import, so they may point at records of the same import. */
  insertChildren (doc: Doc & { id: string }): void
  updateRow (doc: Doc & { id: string }): void
  deleteChildren (id: string): void
  deleteRow (id: string): void
  /**
   * The child rows of a document a citation may name besides its top-level fields, as
   * `<field>.<key>`: `roles.<id>`, `participants.<actor>.<role>`.
   */
  citableParts?: (doc: Doc) => string[]
  /** Ids of child rows (roles, relations, resources), unique across all records, with their owner column. */
  childIds?: (doc: Doc) => Array<{ pointer: string, table: string, owner: string, id: string }>
  /** What the schema cannot check about a document by itself (formats of identifiers, uniqueness). */
  checkDocument?: (doc: Doc) => ProblemItem[]
  /**
   * What the evidence must show beyond each citation matching its source, given the texts of
   * the sources the document cites (a quote's words must occur in one of them).
   */
  checkEvidence?: (doc: Doc, citedTexts: string[]) => ProblemItem[]
  /** Fields of the document that are not in the record as the API shows it (a source's capture). */
  documentExtras?: (id: string) => Record<string, unknown>
}

export const bool = (v: boolean | null | undefined) => (v === null || v === undefined ? null : v ? 1 : 0)

export const now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/** A slug for ids: lower case, ASCII letters and digits, single hyphens. */
export function slug (text: string, maxLength = 80): string {
  const s = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '')
  return s === '' ? 'record' : s
}

/** What makes two rows of a record the same row: an actor in a role, or else all of it. */
const rowKey = (item: unknown) => {
  const row = item as { actor_id?: unknown, role?: unknown }
  return typeof row === 'object' && row !== null && typeof row.actor_id === 'string' && typeof row.role === 'string'
    ? `${row.actor_id}\u0000${row.role}`
    : JSON.stringify(item)
}

const isEmpty = (v: unknown) => v === null || v === undefined || (Array.isArray(v) && v.length === 0)

/**
 * Array items that became the same row once, in their first place: two participants that are
 * now one actor in one role keep the first's details and take the other's where the first has
 * none (case numbers from both).
 */
export function withoutRepeats<T> (items: T[]): T[] {
  const rows = new Map<string, T>()
  for (const item of items) {
    const key = rowKey(item)
    const first = rows.get(key)
    if (first === undefined) {
      rows.set(key, item)
    } else if (typeof first === 'object' && first !== null) {
      const combined = { ...first } as Record<string, unknown>
      for (const [name, value] of Object.entries(item as Record<string, unknown>)) {
        const mine = combined[name]
        if (Array.isArray(mine) && Array.isArray(value)) combined[name] = [...new Set([...mine, ...value])]
        else if (isEmpty(mine)) combined[name] = value
      }
      rows.set(key, combined as T)
    }
  }
  return [...rows.values()]
}

/** The columns of a date: the EDTF string as given and its derived bounds (`date`, `date_earliest`, `date_latest`). */
export function dateColumns (name: string, value: string | null | undefined): Record<string, string | null> {
  const { earliest, latest } = boundsOf(value)
  return { [name]: value ?? null, [`${name}_earliest`]: earliest, [`${name}_latest`]: latest }
}

/** The column names `dateColumns` fills, for a statement's column list. */
export const dateColumnNames = (name: string) => [name, `${name}_earliest`, `${name}_latest`]
