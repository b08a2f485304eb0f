import { index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'
import { createdAt, edtfDate, updatedAt } from '../../db/schema/columns.js'
import { actors } from '../actors/table.js'
import { transfers } from '../transfers/table.js'

export const cooperationMeasureKinds = ['surveillance_flight', 'legal_assurance', 'enforcement_policy', 'intelligence_sharing', 'joint_operation', 'other'] as const
/** A measure's status as the sources report it, in lifecycle order: `given` for assurances made. */
export const cooperationMeasureStatuses = ['proposed', 'active', 'given', 'ended', 'cancelled'] as const

/**
 * A measure the two governments take together or for each other. Its sort-key expression index
 * (coalesce(start_date, '')) is custom SQL, in migrations/0002_sort_key_expression_indexes.sql.
 */
export const cooperationMeasures = sqliteTable('cooperation_measures', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: cooperationMeasureKinds }).notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  requestingPartyId: text('requesting_party_id').references(() => actors.id),
  providingPartyId: text('providing_party_id').references(() => actors.id),
  receivingPartyId: text('receiving_party_id').references(() => actors.id),
  place: text('place'),
  ...edtfDate('startDate', 'start_date'),
  startDateApproximate: integer('start_date_approximate', { mode: 'boolean' }).notNull().default(false),
  ...edtfDate('endDate', 'end_date'),
  endDateApproximate: integer('end_date_approximate', { mode: 'boolean' }).notNull().default(false),
  military: integer('military', { mode: 'boolean' }),
  status: text('status', { enum: cooperationMeasureStatuses }).notNull(),
  ...edtfDate('asOf', 'as_of'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('cooperation_measures_kind_idx').on(t.kind, t.id),
  index('cooperation_measures_status_idx').on(t.status, t.id),
  index('cooperation_measures_requesting_idx').on(t.requestingPartyId),
  index('cooperation_measures_providing_idx').on(t.providingPartyId),
  index('cooperation_measures_receiving_idx').on(t.receivingPartyId)
])

/** The transfers a measure applies to (e.g. an assurance covering the people transferred). */
export const cooperationMeasureTransfers = sqliteTable('cooperation_measure_transfers', {
  measureId: text('measure_id').notNull().references(() => cooperationMeasures.id, { onDelete: 'cascade' }),
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' })
}, (t) => [
  primaryKey({ name: 'cooperation_measure_transfers_pk', columns: [t.measureId, t.transferId] }),
  index('cooperation_measure_transfers_transfer_idx').on(t.transferId)
])
