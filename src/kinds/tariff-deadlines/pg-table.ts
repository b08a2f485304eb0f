import { boolean, doublePrecision, index, integer, pgTable, text } from 'drizzle-orm/pg-core'
import { country, createdAt, edtfDate, updatedAt } from '../../db/pg-schema/columns.js'
import { actors } from '../actors/pg-table.js'
import { tariffDeadlineStatuses } from './table.js'

/**
 * A trade measure with the deadline by which it would take effect (PostgreSQL; see table.ts).
 * `rate_percent` is double precision, the 8-byte float SQLite's REAL is. Its sort-key expression
 * indexes are custom SQL, in migrations/pg/0001_sort_key_expression_indexes.sql.
 */
export const tariffDeadlines = pgTable('tariff_deadlines', {
  id: text('id').primaryKey(),
  measure: text('measure').notNull(),
  ratePercent: doublePrecision('rate_percent'),
  imposingCountry: country('imposing_country').notNull(),
  targetedCountry: country('targeted_country').notNull(),
  imposingPartyId: text('imposing_party_id').references(() => actors.id),
  targetedPartyId: text('targeted_party_id').references(() => actors.id),
  ...edtfDate('announcedOn', 'announced_on'),
  announcedOnApproximate: boolean('announced_on_approximate').notNull().default(false),
  ...edtfDate('windowStart', 'window_start'),
  windowStartApproximate: boolean('window_start_approximate').notNull().default(false),
  windowDays: integer('window_days'),
  ...edtfDate('deadline', 'deadline'),
  deadlineApproximate: boolean('deadline_approximate').notNull().default(false),
  timeZone: text('time_zone'),
  status: text('status', { enum: tariffDeadlineStatuses }).notNull(),
  description: text('description'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('tariff_deadlines_imposing_party_idx').on(t.imposingPartyId),
  index('tariff_deadlines_targeted_party_idx').on(t.targetedPartyId)
])
