/**
 * Reads written once for both backends. A read is a generator: it yields the statements it needs
 * (`yield* rows(statement, params)`) and gets their rows back, so the same code runs synchronously
 * over better-sqlite3 — inside one read transaction, never leaving the event loop between its
 * queries, as the reads always have — and asynchronously over node-postgres, in one REPEATABLE
 * READ transaction. Statements are Drizzle `sql` over the SQLite tables: PostgreSQL's tables have
 * the same names and columns (test/pg-schema.test.ts), so the SQL renders for either dialect, and
 * what differs between them is said once, in `Dialect`.
 */
import type BetterSqlite3 from 'better-sqlite3'
import { fillPlaceholders, getTableColumns, getTableName, sql, type Column, type SQL, type SQLWrapper, type Table } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import type pg from 'pg'

export type DialectName = 'sqlite' | 'postgres'

/** One statement of a read: its SQL, with named placeholders, and for a table's rows the table. */
export class Statement<Row> {
  /** The SQL text and parameters (placeholders unfilled) in each dialect, rendered once. */
  readonly rendered = new Map<DialectName, { text: string, params: unknown[] }>()
  declare readonly row?: Row
  constructor (readonly query: SQL, readonly table?: SQLiteTable) {}
}

/** What a read yields: a statement with the values of its placeholders. */
export interface Step { statement: Statement<unknown>, params: Record<string, unknown> }

/** A read returning T: run it with `runSqlite` or a `PgReader`. */
export type Read<T> = Generator<Step, T, unknown>

/** The rows of a statement, inside a read. */
export function * rows<Row> (statement: Statement<Row>, params: Record<string, unknown> = {}): Read<Row[]> {
  return (yield { statement: statement as Statement<unknown>, params }) as Row[]
}

/** What a read returns that asks for no statement (its values computed already): for callers without a reader. */
export function resultOf<T> (read: Read<T>): T {
  const step = read.next()
  if (step.done !== true) throw new Error('resultOf: this read asks for a statement; run it with a reader')
  return step.value
}

/** A value as a read: to give a read's helper a result at hand. */
export function * readOf<T> (value: T): Read<T> {
  return value
}

/** The first row of a statement, if any, inside a read. */
export function * first<Row> (statement: Statement<Row>, params: Record<string, unknown> = {}): Read<Row | undefined> {
  return (yield * rows(statement, params))[0]
}

/**
 * Every column of `table`, then `rest` (`WHERE …`, `ORDER BY …`, `LIMIT …`): rows as Drizzle reads
 * the table, its fields by their TypeScript names with their values mapped, in either dialect.
 */
export function selectFrom<T extends SQLiteTable> (table: T, rest: SQL = sql``): Statement<T['$inferSelect']> {
  const columns = sql.join(Object.values(getTableColumns(table)).map((c) => sql.identifier(c.name)), sql`, `)
  return new Statement(sql`SELECT ${columns} FROM ${table} ${rest}`, table)
}

/** A statement of raw rows: as selected, named as aliased, values as the driver returns them. */
export const statement = <Row>(query: SQL) => new Statement<Row>(query)

/** A value that is a number in SQL but may come back from a driver as text (PostgreSQL's bigint, numeric). */
export const numberOf = (value: unknown): number => (typeof value === 'number' ? value : Number(value))

/** A value of a boolean expression: SQLite's 0 or 1, PostgreSQL's false or true. */
export const booleanOf = (value: unknown): boolean => value === true || value === 1

/** Where the two dialects' SQL differs, said once. */
export interface Dialect {
  name: DialectName
  /** `column` is one of the values bound to the placeholder `name` (fill it with `list`). */
  inPlaceholder (column: SQLWrapper, name?: string): SQL
  /** What the placeholder of `inPlaceholder` takes for these values. */
  list (values: readonly unknown[]): unknown
  /** `column` is one of these values, bound as one parameter. */
  inList (column: SQLWrapper, values: readonly unknown[]): SQL
  /** The order a child table's rows were written in: SQLite's rowid, PostgreSQL's `row_order`. */
  writtenOrder (table: SQLiteTable): SQL
  /** `haystack` contains `needle` as plain text (no LIKE wildcards). */
  contains (haystack: SQL, needle: string): SQL
  /** The ISO 8601 week (`2025-W07`) of an ISO day (text). */
  isoWeek (day: SQL): SQL
  /** The text of member `name` of a JSON object held as text (`name` is ours, never a user's). */
  jsonMember (json: SQLWrapper, name: string): SQL
  /** The larger of two values (SQLite's two-argument max). */
  greatest (a: SQL, b: SQL): SQL
}

/** A string as an SQL literal, for the few names of our own that must not be parameters (GROUP BY compares expressions). */
const literal = (text: string) => sql.raw(`'${text.replaceAll("'", "''")}'`)

export const sqliteDialect: Dialect = {
  name: 'sqlite',
  inPlaceholder: (column, name = 'ids') => sql`${column} IN (SELECT value FROM json_each(${sql.placeholder(name)}))`,
  list: (values) => JSON.stringify(values),
  inList: (column, values) => sql`${column} IN (SELECT value FROM json_each(${JSON.stringify(values)}))`,
  writtenOrder: (table) => sql`${table}.rowid`,
  contains: (haystack, needle) => sql`instr(${haystack}, ${needle}) > 0`,
  isoWeek: (day) => sql`strftime('%G-W%V', ${day})`,
  jsonMember: (json, name) => sql`json_extract(${json}, ${literal(`$."${name}"`)})`,
  greatest: (a, b) => sql`max(${a}, ${b})`
}

export const postgresDialect: Dialect = {
  name: 'postgres',
  inPlaceholder: (column, name = 'ids') => sql`${column} = ANY(${sql.placeholder(name)})`,
  list: (values) => values,
  // One array parameter (`sql.param`: an array in the template would be a list of parameters).
  inList: (column, values) => sql`${column} = ANY(${sql.param(values)})`,
  writtenOrder: (table) => sql`${table}."row_order"`,
  contains: (haystack, needle) => sql`strpos(${haystack}, ${needle}) > 0`,
  isoWeek: (day) => sql`to_char(CAST(${day} AS date), 'IYYY-"W"IW')`,
  jsonMember: (json, name) => sql`(CAST(${json} AS json) ->> ${literal(name)})`,
  greatest: (a, b) => sql`greatest(${a}, ${b})`
}

const renderers = { sqlite: new SQLiteSyncDialect(), postgres: new PgDialect() }

function render (statement: Statement<unknown>, dialect: DialectName): { text: string, params: unknown[] } {
  let rendered = statement.rendered.get(dialect)
  if (rendered === undefined) {
    const { sql: text, params } = renderers[dialect].sqlToQuery(statement.query)
    statement.rendered.set(dialect, rendered = { text, params })
  }
  return rendered
}

/** Maps a table's rows from the driver's column names and values to its fields. */
type RowMapper = (raw: Record<string, unknown>) => Record<string, unknown>

function rowMapper (table: Table): RowMapper {
  const columns = Object.entries(getTableColumns(table)).map(([key, column]) => [key, column.name, column] as [string, string, Column])
  return (raw) => {
    const row: Record<string, unknown> = {}
    for (const [key, name, column] of columns) {
      const value = raw[name]
      row[key] = value === null || value === undefined ? null : column.mapFromDriverValue(value)
    }
    return row
  }
}

/** Statements prepared a connection keeps, most recently used last. */
const preparedLimit = 500

/**
 * Runs reads over a better-sqlite3 connection, synchronously: each read in one read transaction
 * (a savepoint-free part of the caller's, inside a write), its statements prepared once.
 */
export function sqliteReader (db: BetterSqlite3.Database) {
  const prepared = new Map<string, BetterSqlite3.Statement>()
  const mappers = new Map<SQLiteTable, RowMapper>()
  const prepare = (text: string) => {
    let s = prepared.get(text)
    if (s !== undefined) return s
    s = db.prepare(text)
    if (prepared.size >= preparedLimit) prepared.delete(prepared.keys().next().value!)
    prepared.set(text, s)
    return s
  }
  const drive = <T>(read: Read<T>): T => {
    let step = read.next()
    while (step.done !== true) {
      const { statement, params } = step.value
      const { text, params: unfilled } = render(statement, 'sqlite')
      const raw = prepare(text).all(...fillPlaceholders(unfilled, params)) as Array<Record<string, unknown>>
      const table = statement.table
      let mapper = table === undefined ? undefined : mappers.get(table)
      if (table !== undefined && mapper === undefined) mappers.set(table, mapper = rowMapper(table))
      step = read.next(mapper === undefined ? raw : raw.map(mapper))
    }
    return step.value
  }
  const inTransaction = db.transaction(drive)
  return {
    dialect: sqliteDialect,
    run: <T>(read: Read<T>): T => (db.inTransaction ? drive(read) : inTransaction(read) as T)
  }
}

export type SqliteReader = ReturnType<typeof sqliteReader>

/**
 * Runs reads over a node-postgres pool: each read on one connection, in one REPEATABLE READ, READ
 * ONLY transaction (one snapshot, as on SQLite). `tables` are the PostgreSQL twins of the SQLite
 * tables statements name, whose columns map the values PostgreSQL returns.
 */
export function pgReader (pool: pg.Pool, tables: Iterable<Table>) {
  const twins = new Map<string, RowMapper>([...tables].map((t) => [getTableName(t), rowMapper(t)]))
  const mapperOf = (table: SQLiteTable) => {
    const mapper = twins.get(getTableName(table))
    if (mapper === undefined) throw new Error(`no PostgreSQL table is called ${getTableName(table)}`)
    return mapper
  }
  return {
    dialect: postgresDialect,
    async run<T> (read: Read<T>): Promise<T> {
      const client = await pool.connect()
      try {
        await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
        let step = read.next()
        while (step.done !== true) {
          const { statement, params } = step.value
          const { text, params: unfilled } = render(statement, 'postgres')
          const { rows: raw } = await client.query<Record<string, unknown>>(text, fillPlaceholders(unfilled, params))
          step = read.next(statement.table === undefined ? raw : raw.map(mapperOf(statement.table)))
        }
        await client.query('COMMIT')
        return step.value
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {})
        throw err
      } finally {
        client.release()
      }
    }
  }
}

export type PgReader = ReturnType<typeof pgReader>
