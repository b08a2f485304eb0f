import { boolean, pgTable, text } from 'drizzle-orm/pg-core'
import { createdAt, edtfDate, updatedAt } from '../../db/pg-schema/columns.js'
import { actors } from '../actors/pg-table.js'
import { quoteKinds } from './table.js'

/**
 * Words attributed to an actor (PostgreSQL; see table.ts). Its sort-key expression indexes are
 * custom SQL, in migrations/pg/0001_sort_key_expression_indexes.sql.
 */
export const quotes = pgTable('quotes', {
  id: text('id').primaryKey(),
  speakerId: text('speaker_id').notNull().references(() => actors.id),
  text: text('text').notNull(),
  kind: text('kind', { enum: quoteKinds }).notNull(),
  language: text('language').notNull(),
  ...edtfDate('date', 'date'),
  dateApproximate: boolean('date_approximate').notNull().default(false),
  context: text('context'),
  renderedFrom: text('rendered_from'),
  originalText: text('original_text'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})
