import { boolean, index, integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { country, createdAt, edtfDate, rowOrder, updatedAt } from '../../db/pg-schema/columns.js'
import { actors } from '../actors/pg-table.js'
import { participantRoles, transferMechanisms } from './table.js'

/**
 * People handed over from one country to another on one occasion (PostgreSQL; see table.ts). Its
 * sort-key expression indexes are custom SQL, in migrations/pg/0001_sort_key_expression_indexes.sql.
 */
export const transfers = pgTable('transfers', {
  id: text('id').primaryKey(),
  ...edtfDate('date', 'date'),
  dateApproximate: boolean('date_approximate').notNull().default(false),
  ...edtfDate('announcedOn', 'announced_on'),
  fromCountry: country('from_country').notNull(),
  toCountry: country('to_country').notNull(),
  mechanism: text('mechanism', { enum: transferMechanisms }).notNull(),
  peopleCount: integer('people_count'),
  peopleCountApproximate: boolean('people_count_approximate').notNull().default(false),
  summary: text('summary').notNull(),
  purpose: text('purpose'),
  charges: text('charges'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
})

/** Who took part in a transfer, and how, with what the sources say of a person transferred. */
export const transferParticipants = pgTable('transfer_participants', {
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' }),
  actorId: text('actor_id').notNull().references(() => actors.id),
  role: text('role', { enum: participantRoles }).notNull(),
  organizationId: text('organization_id').references(() => actors.id),
  charges: text('charges'),
  wantedBy: text('wanted_by'),
  caseNumbers: jsonb('case_numbers').$type<string[]>().notNull().default([]),
  heldAt: text('held_at'),
  rowOrder: rowOrder()
}, (t) => [
  primaryKey({ name: 'transfer_participants_pk', columns: [t.transferId, t.actorId, t.role] }),
  index('transfer_participants_actor_idx').on(t.actorId, t.transferId),
  index('transfer_participants_organization_idx').on(t.organizationId)
])

/** The means an operation used: officers, vehicles, aircraft… with honest approximation. */
export const transferResources = pgTable('transfer_resources', {
  id: text('id').primaryKey(),
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' }),
  kind: text('kind').notNull(),
  quantity: integer('quantity').notNull(),
  approximate: boolean('approximate').notNull().default(false),
  description: text('description').notNull(),
  rowOrder: rowOrder()
}, (t) => [
  index('transfer_resources_transfer_idx').on(t.transferId)
])
