import { index, pgTable, text } from 'drizzle-orm/pg-core'
import { createdAt, edtfDate, updatedAt } from '../../db/pg-schema/columns.js'

/**
 * Captured documents citations point into (PostgreSQL; see table.ts). Its sort-key expression
 * index is custom SQL, in migrations/pg/0001_sort_key_expression_indexes.sql.
 */
export const sources = pgTable('sources', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  publisher: text('publisher'),
  url: text('url'),
  language: text('language').notNull(),
  ...edtfDate('publishedOn', 'published_on'),
  capturedText: text('captured_text').notNull(),
  text: text('text').notNull(),
  textSha256: text('text_sha256').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('sources_title_idx').on(t.title, t.id)
])
