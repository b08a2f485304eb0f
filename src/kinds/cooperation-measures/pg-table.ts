import { boolean, index, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'
import { createdAt, edtfDate, updatedAt } from '../../db/pg-schema/columns.js'
import { actors } from '../actors/pg-table.js'
import { transfers } from '../transfers/pg-table.js'
import { cooperationMeasureKinds, cooperationMeasureStatuses } from './table.js'

/**
 * A measure the two governments take together or for each other (PostgreSQL; see table.ts). Its
 * sort-key expression index is custom SQL, in migrations/pg/0001_sort_key_expression_indexes.sql.
 */
export const cooperationMeasures = pgTable('cooperation_measures', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: cooperationMeasureKinds }).notNull(),
  title: text('title').notNull(),
  description: text('description').notNull(),
  requestingPartyId: text('requesting_party_id').references(() => actors.id),
  providingPartyId: text('providing_party_id').references(() => actors.id),
  receivingPartyId: text('receiving_party_id').references(() => actors.id),
  place: text('place'),
  ...edtfDate('startDate', 'start_date'),
  startDateApproximate: boolean('start_date_approximate').notNull().default(false),
  ...edtfDate('endDate', 'end_date'),
  endDateApproximate: boolean('end_date_approximate').notNull().default(false),
  military: boolean('military'),
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
export const cooperationMeasureTransfers = pgTable('cooperation_measure_transfers', {
  measureId: text('measure_id').notNull().references(() => cooperationMeasures.id, { onDelete: 'cascade' }),
  transferId: text('transfer_id').notNull().references(() => transfers.id, { onDelete: 'cascade' })
}, (t) => [
  primaryKey({ name: 'cooperation_measure_transfers_pk', columns: [t.measureId, t.transferId] }),
  index('cooperation_measure_transfers_transfer_idx').on(t.transferId)
])
