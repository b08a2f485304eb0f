import { pgTable, text } from 'drizzle-orm/pg-core'
import { createdAt } from './columns.js'

/** Values a knowledge base keeps about itself, such as the secret its cursors are signed with. */
export const settings = pgTable('settings', {
  name: text('name').primaryKey(),
  value: text('value').notNull(),
  createdAt: createdAt()
})
