import type { Db } from '../db/client.js'
import { kinds, type KindType } from '../kinds/index.js'
import { latestRecords } from '../search/indexer.js'
import type { RevisionListener } from '../services/record-writes.js'
import { keptMeasures } from './stats.js'

/**
 * Statistics kept on every write (the tables of src/db/schema/stat-cells.ts): each record adds
 * its measures to the cell of its dimensions' values, in the transaction of the write, and what
 * it added is kept so that a change or a delete takes it back. A statistic whose dimensions and
 * filters a cell holds sums the cells (src/repositories/stats.ts), whatever the number of records.
 */

const slots = Array.from({ length: keptMeasures }, (_, i) => `m${i}`)

function statements (db: Db) {
  const { sqlite } = db
  return {
    contribution: sqlite.prepare<[string, string], { cell: string, measures: string }>('SELECT cell, measures FROM stat_contributions WHERE kind = ? AND record_id = ?'),
    add: sqlite.prepare(`INSERT INTO stat_cells (kind, cell, records, ${slots.join(', ')}) VALUES (?, ?, ?, ${slots.map(() => '?').join(', ')})
      ON CONFLICT (kind, cell) DO UPDATE SET records = records + excluded.records, ${slots.map((m) => `${m} = ${m} + excluded.${m}`).join(', ')}`),
    dropEmpty: sqlite.prepare('DELETE FROM stat_cells WHERE kind = ? AND cell = ? AND records = 0'),
    keep: sqlite.prepare(`INSERT INTO stat_contributions (kind, record_id, cell, measures) VALUES (?, ?, ?, ?)
      ON CONFLICT (kind, record_id) DO UPDATE SET cell = excluded.cell, measures = excluded.measures`),
    forget: sqlite.prepare('DELETE FROM stat_contributions WHERE kind = ? AND record_id = ?')
  }
}

const padded = (values: number[], sign: 1 | -1) => slots.map((_, i) => sign * (values[i] ?? 0))

/** The revision listener that keeps the statistics' cells in step with every write, in its transaction. */
export function createStatCellsKeeper (db: Db): RevisionListener {
  const s = statements(db)
  const cellOf = new Map(kinds.flatMap((k) => (k.stats?.cellOf === undefined ? [] : [[k.type as string, k.stats.cellOf] as const])))
  return (type, id, action, record) => {
    const of = cellOf.get(type)
    if (of === undefined) return
    const before = s.contribution.get(type, id)
    const after = action === 'delete' ? undefined : of(record as Record<string, unknown>)
    const measures = after === undefined ? undefined : JSON.stringify(after.values)
    if (before !== undefined && after !== undefined && before.cell === after.cell && before.measures === measures) return
    if (before !== undefined) {
      s.add.run(type, before.cell, -1, ...padded(JSON.parse(before.measures) as number[], -1))
      s.dropEmpty.run(type, before.cell)
    }
    if (after === undefined) {
      s.forget.run(type, id)
      return
    }
    s.add.run(type, after.cell, 1, ...padded(after.values, 1))
    s.keep.run(type, id, after.cell, measures)
  }
}

/**
 * Fills the kept cells from every record's latest revision, when they are empty but the knowledge
 * base is not (a database from before them), or always with `force` (after what a cell holds
 * changes). Returns the number of records counted. One transaction. Run after migrating.
 */
export function rebuildStatCells (db: Db, { force = false } = {}): number {
  const { sqlite } = db
  if (!force && sqlite.prepare('SELECT 1 FROM stat_contributions LIMIT 1').get() !== undefined) return 0
  const keep = createStatCellsKeeper(db)
  return sqlite.transaction(() => {
    sqlite.prepare('DELETE FROM stat_cells').run()
    sqlite.prepare('DELETE FROM stat_contributions').run()
    let n = 0
    for (const { type, id, record } of latestRecords(db)) {
      keep(type as KindType, id, 'create', record)
      n++
    }
    return n
  }).immediate()
}
