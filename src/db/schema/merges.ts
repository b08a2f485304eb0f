import { index, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'
import type { KindType } from '../../kinds/index.js'

/**
 * Records folded into another (`POST /v1/actors/{id}/merge`): the merged id answers 308 to the
 * record it was merged into, for good. Both records' histories stay in `revisions`.
 */
export const mergedRecords = sqliteTable('merged_records', {
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  intoId: text('into_id').notNull(),
  at: text('at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`)
}, (t) => [
  primaryKey({ name: 'merged_records_pk', columns: [t.recordType, t.recordId] }),
  index('merged_records_into_idx').on(t.recordType, t.intoId)
])
