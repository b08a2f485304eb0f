import { sql } from 'drizzle-orm'
import { bigint, text } from 'drizzle-orm/pg-core'

/**
 * Now, as an ISO 8601 UTC timestamp with milliseconds: the text SQLite's
 * strftime('%Y-%m-%dT%H:%M:%fZ', 'now') gives, so timestamps stay text and answers stay the same.
 */
export const utcNow = sql`to_char(now() at time zone 'utc', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`

/** Creation time of a row, as an ISO 8601 UTC timestamp with milliseconds. */
export const createdAt = () => text('created_at').notNull().default(utcNow)

/** Last change of a row, as an ISO 8601 UTC timestamp with milliseconds. */
export const updatedAt = () => text('updated_at').notNull().default(utcNow)

/** ISO 3166-1 alpha-2 country code. */
export const country = (name: string) => text(name)

/**
 * A date in EDTF (`column`) with its derived bounds (`<column>_earliest`, `<column>_latest`, ISO
 * days or NULL where open), all text as in SQLite (src/db/schema/columns.ts). `key` is the
 * property name in the table: `date`, `from`.
 */
export function edtfDate<const K extends string> (key: K, column: string) {
  const textColumn = (name: string) => text(name)
  return {
    [key]: textColumn(column),
    [`${key}Earliest`]: textColumn(`${column}_earliest`),
    [`${key}Latest`]: textColumn(`${column}_latest`)
  } as { [P in K | `${K}Earliest` | `${K}Latest`]: ReturnType<typeof textColumn> }
}

/**
 * The order a child table's rows were written in (participants, aliases, roles…: a document's
 * arrays, in its order), which SQLite keeps as the rowid and PostgreSQL has no column for. Numbered
 * by the database as rows are inserted, never by the writer; `kb copy` inserts in rowid order.
 */
export const rowOrder = () => bigint('row_order', { mode: 'number' }).generatedAlwaysAsIdentity()
