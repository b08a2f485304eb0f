import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { country, createdAt, edtfDate, updatedAt } from '../../db/schema/columns.js'
import { actors } from '../actors/table.js'

/** What happened: an agreement between governments, a plea deal in court, a news conference… */
export const eventKinds = ['agreement', 'plea_deal', 'news_conference', 'designation', 'announcement', 'meeting', 'court_hearing', 'other'] as const
/** How an actor takes part in an event. */
export const eventPartyRoles = ['party', 'organizer', 'speaker', 'defendant', 'prosecutor', 'court', 'subject', 'attendee'] as const

/**
 * Something that happened on a date that is not a transfer, a statement or a measure: agreements,
 * plea deals, news conferences, designations. Its sort-key expression index (coalesce(date, ''))
 * is custom SQL, in migrations/0009_event_sort_index.sql.
 */
export const events = sqliteTable('events', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: eventKinds }).notNull(),
  title: text('title').notNull(),
  description: text('description'),
  ...edtfDate('date', 'date'),
  dateApproximate: integer('date_approximate', { mode: 'boolean' }).notNull().default(false),
  place: text('place'),
  country: country('country'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('events_kind_idx').on(t.kind, t.id)
])

/** Who took part in an event, and how. */
export const eventParties = sqliteTable('event_parties', {
  eventId: text('event_id').notNull().references(() => events.id, { onDelete: 'cascade' }),
  actorId: text('actor_id').notNull().references(() => actors.id),
  role: text('role', { enum: eventPartyRoles }).notNull()
}, (t) => [
  primaryKey({ name: 'event_parties_pk', columns: [t.eventId, t.actorId, t.role] }),
  index('event_parties_actor_idx').on(t.actorId, t.eventId)
])
