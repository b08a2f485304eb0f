import { index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import type { KindType } from '../../kinds/index.js'
import { utcNow } from './columns.js'

/** Records folded into another: the merged id answers 308 to the record it was merged into. */
export const mergedRecords = pgTable('merged_records', {
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  intoId: text('into_id').notNull(),
  at: text('at').notNull().default(utcNow)
}, (t) => [
  primaryKey({ name: 'merged_records_pk', columns: [t.recordType, t.recordId] }),
  index('merged_records_into_idx').on(t.recordType, t.intoId)
])
