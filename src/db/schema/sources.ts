import { index, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt, updatedAt } from './columns.js'

export const sources = sqliteTable('sources', {
  id: text('id').primaryKey(),
  title: text('title').notNull(),
  publisher: text('publisher'),
  url: text('url'),
  language: text('language').notNull(),
  publishedOn: text('published_on'),
  capturedText: text('captured_text').notNull(),
  text: text('text').notNull(),
  textSha256: text('text_sha256').notNull(),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('sources_title_idx').on(t.title, t.id)
])
