import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import type { KindType } from '../../kinds/index.js'
import { sources } from '../../kinds/sources/table.js'

/**
 * How an excerpt supports the fields it is cited for: `stated` (the excerpt says it), `resolved`
 * (a relative expression such as "Wednesday" resolved against the source's metadata, the rule in
 * `note`), `computed` (derived from other facts, named in `note`), `inferred` (read from the
 * excerpt without being said), `external` (the value comes from outside the stored sources; `note`
 * says where, and the excerpt only places it).
 */
export const citationSupports = ['stated', 'resolved', 'computed', 'inferred', 'external'] as const
export type CitationSupport = typeof citationSupports[number]

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
  note: text('note'),
  support: text('support', { enum: citationSupports }).notNull().default('stated'),
  /** The position of the alternative value (alternatives) this is evidence for; null for the record's own. */
  alternative: integer('alternative')
}, (t) => [
  index('citations_record_idx').on(t.recordType, t.recordId, t.id),
  index('citations_source_idx').on(t.sourceId)
])

/** How an alternative value ranks against the record's own (which is the preferred one). */
export const alternativeRanks = ['preferred', 'normal', 'deprecated'] as const
export type AlternativeRank = typeof alternativeRanks[number]

/**
 * Another value of a record's field, as another source reports it: a second count of people, a
 * different date. The record's own value is the preferred one; `normal` alternatives make the
 * field disputed, `deprecated` ones are kept to say they were weighed and set aside. Its evidence
 * is in `citations`, the rows whose `alternative` is its `position`.
 */
export const alternatives = sqliteTable('alternatives', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  position: integer('position').notNull(),
  field: text('field').notNull(),
  value: text('value', { mode: 'json' }).$type<unknown>().notNull(),
  rank: text('rank', { enum: alternativeRanks }).notNull(),
  note: text('note')
}, (t) => [
  uniqueIndex('alternatives_record_position_uq').on(t.recordType, t.recordId, t.position),
  index('alternatives_disputed_idx').on(t.recordType, t.rank, t.recordId)
])
