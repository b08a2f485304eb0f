import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { country, createdAt, edtfDate, updatedAt } from '../../db/schema/columns.js'
import { actors } from '../actors/table.js'

/** A deadline's status as recorded from the sources, in lifecycle order. */
export const tariffDeadlineStatuses = ['upcoming', 'lapsed', 'extended', 'averted', 'imposed'] as const

/**
 * A trade measure with the deadline by which it would take effect. Its sort-key expression indexes
 * (coalesce(deadline, '')…) are custom SQL, in migrations/0002_sort_key_expression_indexes.sql.
 */
export const tariffDeadlines = sqliteTable('tariff_deadlines', {
  id: text('id').primaryKey(),
  measure: text('measure').notNull(),
  ratePercent: real('rate_percent'),
  imposingCountry: country('imposing_country').notNull(),
  targetedCountry: country('targeted_country').notNull(),
  imposingPartyId: text('imposing_party_id').references(() => actors.id),
  targetedPartyId: text('targeted_party_id').references(() => actors.id),
  ...edtfDate('announcedOn', 'announced_on'),
  announcedOnApproximate: integer('announced_on_approximate', { mode: 'boolean' }).notNull().default(false),
  ...edtfDate('windowStart', 'window_start'),
  windowStartApproximate: integer('window_start_approximate', { mode: 'boolean' }).notNull().default(false),
  windowDays: integer('window_days'),
  ...edtfDate('deadline', 'deadline'),
  deadlineApproximate: integer('deadline_approximate', { mode: 'boolean' }).notNull().default(false),
  timeZone: text('time_zone'),
  status: text('status', { enum: tariffDeadlineStatuses }).notNull(),
  description: text('description'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('tariff_deadlines_imposing_party_idx').on(t.imposingPartyId),
  index('tariff_deadlines_targeted_party_idx').on(t.targetedPartyId)
])
