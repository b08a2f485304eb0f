import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { country, createdAt, edtfDate, updatedAt } from '../../db/schema/columns.js'
import { actors } from '../actors/table.js'

/** Legal mechanisms as the sources name them; `unspecified` when they do not say. */
export const transferMechanisms = ['extradition', 'expulsion', 'deportation', 'other', 'unspecified'] as const
/** How an actor took part in a transfer. */
export const participantRoles = ['transferred', 'organization_of_transferred', 'requested', 'announced', 'sent', 'received', 'endorsed', 'commented'] as const

/**
 * People handed over from one country to another on one occasion. Its sort-key expression
 * indexes (coalesce(date, '')…) are custom SQL, in migrations/0002_sort_key_expression_indexes.sql.
 */
export const transfers = sqliteTable('transfers', {
  id: text('id').primaryKey(),
  ...edtfDate('date', 'date'),
  dateApproximate: integer('date_approximate', { mode: 'boolean' }).notNull().default(false),
  ...edtfDate('announcedOn', 'announced_on'),
  fromCountry: country('from_country').notNull(),
  toCountry: country('to_country').notNull(),
  mechanism: text('mechanism', { enum: transferMechanisms }).notNull(),
  peopleCount: integer('people_count'),
  peopleCountApproximate: integer('people_count_approximate', { mode: 'boolean' }).notNull().default(false),
  summary: text('summary').notNull(),
  purpose: text('purpose'),
  charges: text('charges'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})

/**
 * Who took part in a transfer, and how; a person transferred may carry what the sources say of
 * them: the organisation they belong to (which the statistics attribute people by), the charges,
 * who wants them, case numbers, where they were held.
 */
export const transferParticipants = sqliteTable('transfer_participants', {
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' }),
  actorId: text('actor_id').notNull().references(() => actors.id),
  role: text('role', { enum: participantRoles }).notNull(),
  organizationId: text('organization_id').references(() => actors.id),
  charges: text('charges'),
  wantedBy: text('wanted_by'),
  caseNumbers: text('case_numbers', { mode: 'json' }).$type<string[]>().notNull().default([]),
  heldAt: text('held_at')
}, (t) => [
  primaryKey({ name: 'transfer_participants_pk', columns: [t.transferId, t.actorId, t.role] }),
  index('transfer_participants_actor_idx').on(t.actorId, t.transferId),
  index('transfer_participants_organization_idx').on(t.organizationId)
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
