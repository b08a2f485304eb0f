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
