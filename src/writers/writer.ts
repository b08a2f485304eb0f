import type BetterSqlite3 from 'better-sqlite3'
import type { RevisionRecordType } from '../db/schema/index.js'

/** A reference from a document to another record, checked before anything is written. */
export interface Link {
  /** JSON pointer of the field inside the document, e.g. `/participants/2/actor_id`. */
  pointer: string
  type: 'actor' | 'transfer' | 'source'
  id: string
}

/**
 * How one kind of record is stored: its row, its child rows (aliases, participants…), and what
 * points at it. Statements are prepared once per database; booleans go in as 0/1.
 */
export interface RecordWriter<Doc> {
  type: RevisionRecordType
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
  /** Records whose fields point at this one: a delete would change them, so it is refused. */
  dependents (id: string): string[]
  /** Ids of child rows (roles, relations, resources), unique across all records, with their owner column. */
  childIds?: (doc: Doc) => Array<{ pointer: string, table: string, owner: string, id: string }>
}

export const bool = (v: boolean | null | undefined) => (v === null || v === undefined ? null : v ? 1 : 0)

export const now = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"

/** A slug for ids: lower case, ASCII letters and digits, single hyphens. */
export function slug (text: string, maxLength = 80): string {
  const s = text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
    .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, maxLength).replace(/-+$/, '')
  return s === '' ? 'record' : s
}

/** Queries naming the records that point at `@id`, each labelled with their kind. */
export function dependentsQuery (sqlite: BetterSqlite3.Database, queries: Array<[label: string, sql: string]>) {
  const statements = queries.map(([label, sql]) => [label, sqlite.prepare(sql).pluck()] as const)
  return (id: string) => statements.flatMap(([label, st]) => (st.all({ id }) as string[]).map((other) => `${label} ${other}`))
}
