import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt, edtfDate, updatedAt } from '../../db/schema/columns.js'
import { actors } from '../actors/table.js'

/** `direct` when the source quotes the words verbatim, `partial` for some words, `paraphrase` otherwise. */
export const quoteKinds = ['direct', 'partial', 'paraphrase'] as const

/**
 * Words attributed to an actor. Its sort-key expression indexes (coalesce(date, '')…) are
 * custom SQL, in migrations/0002_sort_key_expression_indexes.sql.
 */
export const quotes = sqliteTable('quotes', {
  id: text('id').primaryKey(),
  speakerId: text('speaker_id').notNull().references(() => actors.id),
  text: text('text').notNull(),
  kind: text('kind', { enum: quoteKinds }).notNull(),
  language: text('language').notNull(),
  ...edtfDate('date', 'date'),
  dateApproximate: integer('date_approximate', { mode: 'boolean' }).notNull().default(false),
  context: text('context'),
  renderedFrom: text('rendered_from'),
  originalText: text('original_text'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})
