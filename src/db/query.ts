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
import { getTableColumns, getTableName, is, Param, Placeholder, sql, type SQL, type SQLWrapper, type Table } from 'drizzle-orm'
import { PgDialect } from 'drizzle-orm/pg-core'
import { SQLiteSyncDialect, type SQLiteTable } from 'drizzle-orm/sqlite-core'
import type pg from 'pg'

export type DialectName = 'sqlite' | 'postgres'

/** One statement of a read: its SQL, with named placeholders, and for a table's rows the table. */
export class Statement<Row> {
  /** The SQL text and the making of its parameters in each dialect, rendered once. */
  readonly rendered = new Map<DialectName, Rendered>()
  declare readonly row?: Row
  constructor (readonly query: SQL, readonly table?: SQLiteTable) {}
}

/** What a read yields: a statement with the values of its placeholders. */
export interface Step { statement: Statement<unknown>, params: Record<string, unknown> }

/** A read returning T: run it with a reader (sqliteReader, pgReader). */
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

/** A statement in a dialect: its text, and how its parameters are made from a step's values. */
interface Rendered {
  text: string
  params: (values: Record<string, unknown>) => unknown[]
}

/** One parameter: a value fixed when the SQL was built, or a placeholder's value (encoded as its column takes it). */
type Slot = (values: Record<string, unknown>) => unknown

function slotOf (param: unknown): Slot {
  const placeholder = is(param, Placeholder) ? param : is(param, Param) && is(param.value, Placeholder) ? param.value : undefined
  if (placeholder === undefined) return () => param
  const encode = is(param, Param) ? (value: unknown) => param.encoder.mapToDriverValue(value) : (value: unknown) => value
  return (values) => {
    if (!(placeholder.name in values)) throw new Error(`No value for placeholder "${placeholder.name}" was provided`)
    return encode(values[placeholder.name])
  }
}

function render (statement: Statement<unknown>, dialect: DialectName): Rendered {
  let rendered = statement.rendered.get(dialect)
  if (rendered === undefined) {
    const { sql: text, params } = renderers[dialect].sqlToQuery(statement.query)
    const slots = params.map(slotOf)
    statement.rendered.set(dialect, rendered = { text, params: (values) => slots.map((slot) => slot(values)) })
  }
  return rendered
}

/**
 * Maps a table's rows, as arrays in the order of its select list (selectFrom), to its fields,
 * each value decoded by the column of the same name in `twin` (PostgreSQL's table; SQLite's own).
 */
type RowMapper = (values: unknown[]) => Record<string, unknown>

function rowMapper (table: SQLiteTable, twin: Table = table): RowMapper {
  const decoders = new Map(Object.values(getTableColumns(twin)).map((c) => [c.name, c]))
  const fields = Object.entries(getTableColumns(table)).map(([key, column]) => {
    const decoder = decoders.get(column.name)
    if (decoder === undefined) throw new Error(`${getTableName(twin)} has no column ${column.name}`)
    return [key, decoder] as const
  })
  return (values) => {
    const row: Record<string, unknown> = {}
    for (let i = 0; i < fields.length; i++) {
      const [key, decoder] = fields[i]!
      const value = values[i]
      row[key] = value === null || value === undefined ? null : decoder.mapFromDriverValue(value)
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
  /** A table's rows come as arrays (mapped to fields as Drizzle would), others as objects by alias. */
  const prepare = (text: string, arrays: boolean) => {
    let s = prepared.get(text)
    if (s !== undefined) return s
    s = db.prepare(text).raw(arrays)
    if (prepared.size >= preparedLimit) prepared.delete(prepared.keys().next().value!)
    prepared.set(text, s)
    return s
  }
  const mapperOf = (table: SQLiteTable) => {
    let mapper = mappers.get(table)
    if (mapper === undefined) mappers.set(table, mapper = rowMapper(table))
    return mapper
  }
  const drive = <T>(read: Read<T>): T => {
    let step = read.next()
    while (step.done !== true) {
      const { statement, params } = step.value
      const { text, params: fill } = render(statement, 'sqlite')
      const { table } = statement
      const found = prepare(text, table !== undefined).all(...fill(params)) as unknown[]
      step = read.next(table === undefined ? found : (found as unknown[][]).map(mapperOf(table)))
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
  const twins = new Map([...tables].map((t) => [getTableName(t), t]))
  const mappers = new Map<SQLiteTable, RowMapper>()
  const mapperOf = (table: SQLiteTable) => {
    let mapper = mappers.get(table)
    if (mapper !== undefined) return mapper
    const twin = twins.get(getTableName(table))
    if (twin === undefined) throw new Error(`no PostgreSQL table is called ${getTableName(table)}`)
    mappers.set(table, mapper = rowMapper(table, twin))
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
          const { text, params: fill } = render(statement, 'postgres')
          const { table } = statement
          const { rows: found } = await client.query({ text, values: fill(params), ...(table === undefined ? {} : { rowMode: 'array' as const }) })
          step = read.next(table === undefined ? found : (found as unknown[][]).map(mapperOf(table)))
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
