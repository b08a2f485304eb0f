import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { actors } from './actors.js'
import { country, createdAt, updatedAt } from './columns.js'

export const transfers = sqliteTable('transfers', {
  id: text('id').primaryKey(),
  date: text('date'),
  dateApproximate: integer('date_approximate', { mode: 'boolean' }).notNull().default(false),
  announcedOn: text('announced_on'),
  fromCountry: country('from_country').notNull(),
  toCountry: country('to_country').notNull(),
  mechanism: text('mechanism', { enum: ['extradition', 'expulsion', 'deportation', 'other', 'unspecified'] }).notNull(),
  peopleCount: integer('people_count'),
  peopleCountApproximate: integer('people_count_approximate', { mode: 'boolean' }).notNull().default(false),
  summary: text('summary').notNull(),
  purpose: text('purpose'),
  charges: text('charges'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})

/** Who took part in a transfer, and how. */
export const transferParticipants = sqliteTable('transfer_participants', {
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' }),
  actorId: text('actor_id').notNull().references(() => actors.id),
  role: text('role', { enum: ['transferred', 'organization_of_transferred', 'requested', 'announced', 'sent', 'received', 'endorsed', 'commented'] }).notNull()
}, (t) => [
  primaryKey({ name: 'transfer_participants_pk', columns: [t.transferId, t.actorId, t.role] }),
  index('transfer_participants_actor_idx').on(t.actorId, t.transferId)
])

/** The means an operation used: officers, vehicles, aircraft… with honest approximation. */
export const transferResources = sqliteTable('transfer_resources', {
  id: text('id').primaryKey(),
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  quantity: integer('quantity').notNull(),
  approximate: integer('approximate', { mode: 'boolean' }).notNull().default(false),
  description: text('description').notNull()
}, (t) => [
  index('transfer_resources_transfer_idx').on(t.transferId)
])
