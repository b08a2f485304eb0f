import { index, integer, json, jsonb, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import type { KindType } from '../../kinds/index.js'
import { sources } from '../../kinds/sources/pg-table.js'
import { alternativeRanks, citationSupports } from '../schema/citations.js'

/**
 * Evidence for a record: an exact excerpt of a source's stored text with its offsets, as in
 * src/db/schema/citations.ts. `fields` lists the parts of the record it supports.
 */
export const citations = pgTable('citations', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  fields: jsonb('fields').$type<string[]>().notNull().default([]),
  sourceId: text('source_id').notNull().references(() => sources.id),
  excerpt: text('excerpt').notNull(),
  startOffset: integer('start_offset').notNull(),
  endOffset: integer('end_offset').notNull(),
  note: text('note'),
  support: text('support', { enum: citationSupports }).notNull().default('stated'),
  /** The position of the alternative value (alternatives) this is evidence for; null for the record's own. */
  alternative: integer('alternative')
}, (t) => [
  index('citations_record_idx').on(t.recordType, t.recordId, t.id),
  index('citations_source_idx').on(t.sourceId)
])

/**
 * Another value of a record's field, as another source reports it (src/db/schema/citations.ts).
 * Its evidence is in `citations`, the rows whose `alternative` is its `position`.
 */
export const alternatives = pgTable('alternatives', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  position: integer('position').notNull(),
  field: text('field').notNull(),
  // json, not jsonb: an object value keeps its keys in the order written (jsonb reorders them).
  value: json('value').$type<unknown>().notNull(),
  rank: text('rank', { enum: alternativeRanks }).notNull(),
  note: text('note')
}, (t) => [
  uniqueIndex('alternatives_record_position_uq').on(t.recordType, t.recordId, t.position),
  index('alternatives_disputed_idx').on(t.recordType, t.rank, t.recordId)
])
