import { sql } from 'drizzle-orm'
import { text } from 'drizzle-orm/sqlite-core'

/** Creation time of a row, as an ISO 8601 UTC timestamp with milliseconds. */
export const createdAt = () =>
  text('created_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)

/** Last change of a row, as an ISO 8601 UTC timestamp with milliseconds. */
export const updatedAt = () =>
  text('updated_at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)

/** ISO 3166-1 alpha-2 country code. */
export const country = (name: string) => text(name)

/**
 * A date in EDTF (`column`) with its derived bounds (`<column>_earliest`, `<column>_latest`, ISO
 * days or NULL where open), which writers fill from the date (src/query/dates.ts) and every date
 * filter, sort and statistic reads. `key` is the property name in the table: `date`, `from`.
 */
export function edtfDate<const K extends string> (key: K, column: string) {
  const textColumn = (name: string) => text(name)
  return {
    [key]: textColumn(column),
    [`${key}Earliest`]: textColumn(`${column}_earliest`),
    [`${key}Latest`]: textColumn(`${column}_latest`)
  } as { [P in K | `${K}Earliest` | `${K}Latest`]: ReturnType<typeof textColumn> }
}
