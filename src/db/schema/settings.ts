import { sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt } from './columns.js'

/** Values a knowledge base keeps about itself, such as the secret its cursors are signed with. */
export const settings = sqliteTable('settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt()
})
