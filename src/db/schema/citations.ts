import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import type { KindType } from '../../kinds/index.js'
import { sources } from '../../kinds/sources/table.js'

/**
 * Evidence for a record: an exact excerpt of a source's stored text with its offsets.
 * `fields` lists the parts of the record it supports (`people_count`, `roles.<id>`); an empty
 * list means the record as a whole.
 */
export const citations = sqliteTable('citations', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  fields: text('fields', { mode: 'json' }).$type<string[]>().notNull().default([]),
  sourceId: text('source_id').notNull().references(() => sources.id),
  excerpt: text('excerpt').notNull(),
  startOffset: integer('start_offset').notNull(),
  endOffset: integer('end_offset').notNull(),
  note: text('note')
}, (t) => [
  index('citations_record_idx').on(t.recordType, t.recordId, t.id),
  index('citations_source_idx').on(t.sourceId)
])
