/**
 * `kb copy`: a knowledge base moved from its SQLite file into an empty PostgreSQL database (issue
 * #17's second backend, which the server does not run on yet), table by table, as one transaction.
 *
 * Generic over the schema: the PostgreSQL tables (migrations/pg, in the public schema) say what is
 * copied, their foreign keys the order, their column types the conversion of SQLite's values
 * (0/1 → boolean, JSON text → json/jsonb as written); identity columns keep their values (the change
 * feed's positions among them) and their sequences continue after the largest. SQLite's tables with
 * no PostgreSQL twin (the FTS5 index, which PostgreSQL's own search will replace) are left behind.
 * Afterwards, in the same transaction, every table's row count is compared and every citation
 * re-verified against its source's text where it now lives: a copy that fails either is rolled back.
 */
import type pg from 'pg'
import type { Db } from '../db/client.js'

export interface CopiedTable { table: string, rows: number }

export interface CopyResult {
  tables: CopiedTable[]
  rows: number
  /** Citations whose excerpt was checked against its source's text in PostgreSQL. */
  citationsVerified: number
}

/** Rows sent in one INSERT: well under PostgreSQL's 65,535 parameters for the widest table. */
const batchRows = 500

interface Column { name: string, type: string, identity: boolean }

const quote = (name: string) => `"${name.replaceAll('"', '""')}"`

/** The public tables of the target, each with its columns (in order) and the tables it references. */
async function targetTables (client: pg.PoolClient) {
  const columns = await client.query<{ table: string, name: string, type: string, identity: string }>(
    'SELECT table_name AS table, column_name AS name, data_type AS type, is_identity AS identity FROM information_schema.columns ' +
    'WHERE table_schema = \'public\' ORDER BY table_name, ordinal_position')
  const references = await client.query<{ table: string, referenced: string }>(
    'SELECT DISTINCT c.conrelid::regclass::text AS table, c.confrelid::regclass::text AS referenced FROM pg_constraint c ' +
    'JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = \'f\' AND n.nspname = \'public\'')
  const tables = new Map<string, { columns: Column[], references: Set<string> }>()
  for (const row of columns.rows) {
    const table = tables.get(row.table) ?? { columns: [], references: new Set<string>() }
    table.columns.push({ name: row.name, type: row.type, identity: row.identity === 'YES' })
    tables.set(row.table, table)
  }
  for (const { table, referenced } of references.rows) {
    const name = table.replace(/^"|"$/g, '')
    const target = referenced.replace(/^"|"$/g, '')
    if (name !== target) tables.get(name)?.references.add(target)
  }
  return tables
}

/** Tables in an order where each comes after every table it references. */
function dependencyOrder (tables: Map<string, { references: Set<string> }>): string[] {
  const ordered: string[] = []
  const placed = new Set<string>()
  const visit = (name: string, path: string[]) => {
    if (placed.has(name)) return
    if (path.includes(name)) throw new Error(`the foreign keys of ${[...path, name].join(' → ')} form a cycle; the copy cannot order them`)
    for (const referenced of [...(tables.get(name)?.references ?? [])].sort()) visit(referenced, [...path, name])
    placed.add(name)
    ordered.push(name)
  }
  for (const name of [...tables.keys()].sort()) visit(name, [])
  return ordered
}

/** A SQLite value as the PostgreSQL column takes it. */
function convert (value: unknown, type: string): unknown {
  if (value === null || value === undefined) return null
  if (type === 'boolean') return value === 1 || value === true
  return value // text, numbers; JSON as its text, which PostgreSQL parses into json/jsonb
}

/** Rows already in the target's tables (a copy goes into an empty database only). */
async function existingRows (client: pg.PoolClient, tables: string[]): Promise<Array<{ table: string, rows: number }>> {
  const found: Array<{ table: string, rows: number }> = []
  for (const table of tables) {
    const { rows } = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`)
    const n = Number(rows[0]?.n ?? 0)
    if (n > 0) found.push({ table, rows: n })
  }
  return found
}

/**
 * Copies every table of `source` into the target pool's database (checked and migrated: see
 * openPgDb), in one transaction, reading SQLite in one snapshot. `onTable` reports each table copied.
 */
export async function copySqliteToPg (source: Db, target: pg.Pool, { onTable }: { onTable?: (copied: CopiedTable, done: number, total: number) => void } = {}): Promise<CopyResult> {
  const client = await target.connect()
  const sqlite = source.sqlite
  try {
    const tables = await targetTables(client)
    const order = dependencyOrder(tables)
    const sourceTables = new Set(sqlite.prepare('SELECT name FROM sqlite_master WHERE type = \'table\'').pluck().all() as string[])
    const missing = order.filter((table) => !sourceTables.has(table))
    if (missing.length > 0) throw new Error(`the SQLite database has no table ${missing.join(', ')}: migrate it first (kb migrate)`)
    const occupied = await existingRows(client, order)
    if (occupied.length > 0) {
      throw new Error(`the PostgreSQL database is not empty (${occupied.map(({ table, rows }) => `${table}: ${rows}`).join(', ')}); copy into a new database`)
    }

    sqlite.exec('BEGIN') // one snapshot of the source, however long the copy takes
    await client.query('BEGIN')
    try {
      const copied: CopiedTable[] = []
      for (const table of order) {
        const sourceColumns = new Set((sqlite.prepare('SELECT name FROM pragma_table_info(?)').all(table) as Array<{ name: string }>).map((c) => c.name))
        // An identity SQLite has no column for (`row_order`, its rowid) is numbered by PostgreSQL as
        // the rows arrive, in rowid order.
        const columns = tables.get(table)!.columns.filter((column) => sourceColumns.has(column.name) || !column.identity)
        const absent = columns.filter((column) => !sourceColumns.has(column.name))
        if (absent.length > 0) throw new Error(`the SQLite table ${table} has no column ${absent.map((c) => c.name).join(', ')}: migrate it first (kb migrate)`)
        const names = columns.map((column) => quote(column.name)).join(', ')
        const overriding = columns.some((column) => column.identity) ? ' OVERRIDING SYSTEM VALUE' : ''
        const select = sqlite.prepare(`SELECT ${names} FROM ${quote(table)} ORDER BY rowid`).raw(true)
        let batch: unknown[][] = []
        let rows = 0
        const flush = async () => {
          if (batch.length === 0) return
          const values = batch.map((row, i) => `(${row.map((_, j) => `$${i * columns.length + j + 1}`).join(', ')})`).join(', ')
          await client.query(`INSERT INTO ${quote(table)} (${names})${overriding} VALUES ${values}`, batch.flat())
          rows += batch.length
          batch = []
        }
        for (const row of select.iterate() as Iterable<unknown[]>) {
          batch.push(row.map((value, j) => convert(value, columns[j]!.type)))
          if (batch.length === batchRows) await flush()
        }
        await flush()
        for (const column of columns.filter((c) => c.identity)) {
          await client.query(`SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(${quote(column.name)}), 0) + 1, false) FROM ${quote(table)}`, [quote(table), column.name])
        }
        const counted = Number((await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${quote(table)}`)).rows[0]?.n)
        const expected = sqlite.prepare(`SELECT count(*) FROM ${quote(table)}`).pluck().get() as number
        if (counted !== expected || rows !== expected) throw new Error(`${table}: ${expected} rows in SQLite, ${counted} in PostgreSQL after the copy`)
        copied.push({ table, rows })
        onTable?.({ table, rows }, copied.length, order.length)
      }

      // Every citation, where it now lives: its excerpt is its source's text between its offsets
      // (code points; PostgreSQL's substr counts characters, which in UTF-8 are code points).
      const { rows: wrong } = await client.query<{ id: number, source_id: string }>(
        'SELECT c.id, c.source_id FROM citations c LEFT JOIN sources s ON s.id = c.source_id ' +
        'WHERE s.id IS NULL OR substr(s.text, c.start_offset + 1, c.end_offset - c.start_offset) IS DISTINCT FROM c.excerpt ORDER BY c.id LIMIT 10')
      if (wrong.length > 0) throw new Error(`citations that do not quote their source after the copy: ${wrong.map((c) => `${c.id} (${c.source_id})`).join(', ')}`)
      const citationsVerified = Number((await client.query<{ n: string }>('SELECT count(*) AS n FROM citations')).rows[0]?.n)

      await client.query('COMMIT')
      return { tables: copied, rows: copied.reduce((sum, { rows }) => sum + rows, 0), citationsVerified }
    } catch (err) {
      await client.query('ROLLBACK').catch(() => {})
      throw err
    } finally {
      sqlite.exec('COMMIT')
    }
  } finally {
    client.release()
  }
}
