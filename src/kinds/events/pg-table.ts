import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { country, createdAt, edtfDate, rowOrder, updatedAt } from '../../db/pg-schema/columns.js'
import { actors } from '../actors/pg-table.js'
import { eventKinds, eventPartyRoles } from './table.js'

/**
 * Agreements, plea deals, news conferences, designations (PostgreSQL; see table.ts). Its sort-key
 * expression index is custom SQL, in migrations/pg/0001_sort_key_expression_indexes.sql.
 */
export const events = pgTable('events', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: eventKinds }).notNull(),
  title: text('title').notNull(),
  description: text('description'),
  ...edtfDate('date', 'date'),
  dateApproximate: boolean('date_approximate').notNull().default(false),
  place: text('place'),
  country: country('country'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('events_kind_idx').on(t.kind, t.id)
])

/** Who took part in an event, and how. */
export const eventParties = pgTable('event_parties', {
  eventId: text('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  actorId: text('actor_id').notNull().references(() => actors.id),
  role: text('role', { enum: eventPartyRoles }).notNull(),
  rowOrder: rowOrder()
}, (t) => [
  primaryKey({ name: 'event_parties_pk', columns: [t.eventId, t.actorId, t.role] }),
  index('event_parties_actor_idx').on(t.actorId, t.eventId)
])
