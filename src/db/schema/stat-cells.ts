import { integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core'

/**
 * Statistics kept on every write (src/repositories/stat-cells.ts): for each kind, its records
 * counted by cell — one combination of the values of every dimension a cell holds (categorical
 * fields; the year, quarter and month of each date), as JSON — with the sum of each of the kind's
 * measures (`m0`…`m5`, in the order of its statistic's series). A statistic over those dimensions
 * and filters sums a few hundred cells instead of reading every record.
 */
export const statCells = sqliteTable('stat_cells', {
  kind: text('kind').notNull(),
  cell: text('cell').notNull(),
  records: integer('records').notNull(),
  m0: integer('m0').notNull().default(0),
  m1: integer('m1').notNull().default(0),
  m2: integer('m2').notNull().default(0),
  m3: integer('m3').notNull().default(0),
  m4: integer('m4').notNull().default(0),
  m5: integer('m5').notNull().default(0)
}, (t) => [primaryKey({ columns: [t.kind, t.cell] })])

/** What each record adds to `stat_cells`: its cell and measures, to take back when it changes or goes. */
export const statContributions = sqliteTable('stat_contributions', {
  kind: text('kind').notNull(),
  recordId: text('record_id').notNull(),
  cell: text('cell').notNull(),
  measures: text('measures', { mode: 'json' }).$type<number[]>().notNull()
}, (t) => [primaryKey({ columns: [t.kind, t.recordId] })])
