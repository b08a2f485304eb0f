import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { actors } from './actors.js'
import { createdAt, updatedAt } from './columns.js'

export const quotes = sqliteTable('quotes', {
  id: text('id').primaryKey(),
  speakerId: text('speaker_id').notNull().references(() => actors.id),
  text: text('text').notNull(),
  kind: text('kind', { enum: ['direct', 'partial', 'paraphrase'] }).notNull(),
  language: text('language').notNull(),
  date: text('date'),
  dateApproximate: integer('date_approximate', { mode: 'boolean' }).notNull().default(false),
  context: text('context'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})
