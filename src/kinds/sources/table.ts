import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt, edtfDate, updatedAt } from '../../db/schema/columns.js'

/**
 * Captured documents citations point into. Its sort-key expression index (coalesce(published_on,
 * '')) is custom SQL, in migrations/0002_sort_key_expression_indexes.sql.
 */
export const sources = sqliteTable('sources', {
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
