import { integer, jsonb, pgTable, primaryKey, text } from 'drizzle-orm/pg-core'

/**
 * Statistics kept on every write, as in src/db/schema/stat-cells.ts: each kind's records counted
 * by cell (the values of its dimensions, as JSON text: it is a key), with the sum of each measure.
 */
export const statCells = pgTable('stat_cells', {
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
export const statContributions = pgTable('stat_contributions', {
  kind: text('kind').notNull(),
  recordId: text('record_id').notNull(),
  cell: text('cell').notNull(),
  measures: jsonb('measures').$type<number[]>().notNull()
}, (t) => [primaryKey({ columns: [t.kind, t.recordId] })])
