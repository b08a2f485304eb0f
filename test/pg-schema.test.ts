/**
 * The PostgreSQL schema (src/db/pg-schema/, src/kinds/<kind>/pg-table.ts) and its migrations
 * (migrations/pg/): current, a column-for-column mirror of the SQLite schema, and applicable to a
 * real PostgreSQL 15. Nothing in the app uses PostgreSQL yet.
 */
import { execFile } from 'node:child_process'
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import { eq, is, SQL, type DrizzleEntityClass, type InferSelectModel, type Table } from 'drizzle-orm'
import { drizzle } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import { getTableConfig as pgTableConfig, PgTable } from 'drizzle-orm/pg-core'
import { getTableConfig as sqliteTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core'
import pg from 'pg'
import t from 'tap'
import sqliteConfig from '../drizzle.config.js'
import pgConfig from '../drizzle.pg.config.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { utcNow } from '../src/db/pg-schema/columns.js'
import { pgTables as readerTables } from '../src/db/pg-tables.js'
import type * as sApiKeys from '../src/db/schema/api-keys.js'
import type * as pApiKeys from '../src/db/pg-schema/api-keys.js'
import type * as sCitations from '../src/db/schema/citations.js'
import type * as pCitations from '../src/db/pg-schema/citations.js'
import type * as sMerges from '../src/db/schema/merges.js'
import type * as pMerges from '../src/db/pg-schema/merges.js'
import type * as sRevisions from '../src/db/schema/revisions.js'
import type * as pRevisions from '../src/db/pg-schema/revisions.js'
import type * as sSettings from '../src/db/schema/settings.js'
import type * as pSettings from '../src/db/pg-schema/settings.js'
import type * as sStatCells from '../src/db/schema/stat-cells.js'
import type * as pStatCells from '../src/db/pg-schema/stat-cells.js'
import type * as sActors from '../src/kinds/actors/table.js'
import type * as pActors from '../src/kinds/actors/pg-table.js'
import type * as sMeasures from '../src/kinds/cooperation-measures/table.js'
import type * as pMeasures from '../src/kinds/cooperation-measures/pg-table.js'
import type * as sEvents from '../src/kinds/events/table.js'
import type * as pEvents from '../src/kinds/events/pg-table.js'
import type * as sQuotes from '../src/kinds/quotes/table.js'
import type * as pQuotes from '../src/kinds/quotes/pg-table.js'
import type * as sSources from '../src/kinds/sources/table.js'
import type * as pSources from '../src/kinds/sources/pg-table.js'
import type * as sDeadlines from '../src/kinds/tariff-deadlines/table.js'
import type * as pDeadlines from '../src/kinds/tariff-deadlines/pg-table.js'
import type * as sTransfers from '../src/kinds/transfers/table.js'
import type * as pTransfers from '../src/kinds/transfers/pg-table.js'
import { projectRoot } from '../src/paths.js'
import { fold } from '../src/text/fold.js'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'

const run = promisify(execFile)
const pgMigrations = join(projectRoot, 'migrations', 'pg')

/**
 * Deliberate differences from the SQLite schema, by `table.column`: the PostgreSQL type where it is
 * not the plain mirror (text → text, integer → integer, integer boolean → boolean, JSON text →
 * jsonb, real → double precision).
 */
const typeExceptions: Record<string, string> = {
  // The change feed's sequence: drawn once a write, for good, so it may outgrow 2^31 some day.
  'revisions.id': 'bigint',
  // An alternative's value may be an object: json keeps its keys in the order written, so answers
  // stay byte-identical to SQLite's (jsonb would reorder them).
  'alternatives.value': 'json'
}

/**
 * PostgreSQL columns with no SQLite twin: the order a child table's rows were written in, which
 * SQLite keeps as the rowid (src/db/pg-schema/columns.ts, `rowOrder`).
 */
const pgOnlyColumns = ['row_order']

/**
 * SQLite tables with no PostgreSQL twin (in a migrated database, custom SQL included): the FTS5
 * index of the search and its shadow tables, which PostgreSQL's full-text search will replace.
 * `search_documents`, the ordinary table it indexes, has its twin (migrations/pg/0002_*.sql).
 */
const notPorted = ['search_index', 'search_index_config', 'search_index_data', 'search_index_docsize', 'search_index_idx']

/** The files a drizzle-kit schema glob (`./src/db/schema/*.ts`, `./src/kinds/*\/table.ts`) names. */
function expandGlob (pattern: string): string[] {
  let paths = [projectRoot]
  for (const part of pattern.replace(/^\.\//, '').split('/')) {
    if (!part.includes('*')) {
      paths = paths.map((p) => join(p, part))
      continue
    }
    const re = new RegExp(`^${part.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`)
    paths = paths.flatMap((p) => {
      try {
        return readdirSync(p).filter((name) => re.test(name)).sort().map((name) => join(p, name))
      } catch {
        return []
      }
    })
  }
  return paths.filter((p) => existsSync(p))
}

/** The tables a drizzle-kit config's schema globs export, by table name. */
async function tablesOf<T extends Table> (schema: string | string[] | undefined, kind: DrizzleEntityClass<T>, name: (table: T) => string) {
  const tables = new Map<string, T>()
  for (const file of [schema ?? []].flat().flatMap(expandGlob)) {
    const mod = await import(pathToFileURL(file).href) as Record<string, unknown>
    for (const value of Object.values(mod)) if (is(value, kind)) tables.set(name(value), value)
  }
  return tables
}

const sqliteTables = await tablesOf(sqliteConfig.schema, SQLiteTable, (table) => sqliteTableConfig(table).name)
const pgTables = await tablesOf(pgConfig.schema, PgTable, (table) => pgTableConfig(table).name)

/**
 * Type-level parity, checked by `tsc --noEmit` (tap runs tests untyped): each module's tables
 * read as the same rows in both dialects, `$type`s and enums included.
 */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends (<T>() => T extends B ? 1 : 2) ? true : false
type Rows<M> = { [K in keyof M as M[K] extends Table ? K : never]: M[K] extends Table ? Omit<InferSelectModel<M[K]>, 'rowOrder'> : never }
type SameRows<S, P> = Equal<Rows<S>, Rows<P>>
const rowTypesAgree = {
  'api-keys': true satisfies SameRows<typeof sApiKeys, typeof pApiKeys>,
  citations: true satisfies SameRows<typeof sCitations, typeof pCitations>,
  merges: true satisfies SameRows<typeof sMerges, typeof pMerges>,
  revisions: true satisfies SameRows<typeof sRevisions, typeof pRevisions>,
  settings: true satisfies SameRows<typeof sSettings, typeof pSettings>,
  'stat-cells': true satisfies SameRows<typeof sStatCells, typeof pStatCells>,
  actors: true satisfies SameRows<typeof sActors, typeof pActors>,
  'cooperation-measures': true satisfies SameRows<typeof sMeasures, typeof pMeasures>,
  events: true satisfies SameRows<typeof sEvents, typeof pEvents>,
  quotes: true satisfies SameRows<typeof sQuotes, typeof pQuotes>,
  sources: true satisfies SameRows<typeof sSources, typeof pSources>,
  'tariff-deadlines': true satisfies SameRows<typeof sDeadlines, typeof pDeadlines>,
  transfers: true satisfies SameRows<typeof sTransfers, typeof pTransfers>
}

t.test('the committed migrations/pg are current: drizzle-kit generate has nothing to add', async (t) => {
  // Generated into a copy, so that a stale schema fails here instead of writing into migrations/pg.
  const out = join('tmp', `pg-migrations-check-${process.pid}`)
  mkdirSync(join(projectRoot, 'tmp'), { recursive: true })
  cpSync(pgMigrations, join(projectRoot, out), { recursive: true })
  t.teardown(() => rmSync(join(projectRoot, out), { recursive: true, force: true }))
  const before = readdirSync(join(projectRoot, out))
  const { stdout } = await run(join(projectRoot, 'node_modules', '.bin', 'drizzle-kit'), ['generate', '--config', 'drizzle.pg.config.ts'], {
    cwd: projectRoot,
    env: { ...process.env, DRIZZLE_OUT: `./${out}` }
  })
  const added = readdirSync(join(projectRoot, out)).filter((f) => !before.includes(f))
  t.same(added, [], `a pg table in src/ differs from migrations/pg/: run \`npx drizzle-kit generate --config drizzle.pg.config.ts\` and commit the migration\n${stdout}`)
})

t.test('every SQLite table has a PostgreSQL twin with the same columns, keys and indexes, and no other', async (t) => {
  t.equal(Object.keys(rowTypesAgree).length, 13, 'the row types of every module agree (tsc checks the types)')
  t.ok(sqliteTables.size > 20, `${sqliteTables.size} SQLite tables`)
  t.same([...pgTables.keys()].sort(), [...sqliteTables.keys()].sort(), 'the same table names')
  t.same(readerTables.map((table) => pgTableConfig(table).name).sort(), [...pgTables.keys()].sort(),
    'the PostgreSQL reader knows every table (the shared ones and each kind\'s pgSchema)')

  for (const [name, sqliteTable] of sqliteTables) {
    const pgTable = pgTables.get(name)
    if (pgTable === undefined) continue
    const s = sqliteTableConfig(sqliteTable)
    const p = pgTableConfig(pgTable)
    t.same(p.columns.map((c) => c.name).filter((c) => !pgOnlyColumns.includes(c)), s.columns.map((c) => c.name), `${name}: the same columns, in the same order`)
    for (const column of p.columns.filter((c) => pgOnlyColumns.includes(c.name))) {
      t.equal(column.generatedIdentity?.type, 'always', `${name}.${column.name}: numbered by PostgreSQL as rows are written`)
    }

    for (const sc of s.columns) {
      const pc = p.columns.find((c) => c.name === sc.name)
      if (pc === undefined) continue
      const at = `${name}.${sc.name}`
      t.equal(pc.notNull, sc.notNull, `${at}: notNull ${sc.notNull}`)
      t.equal(pc.primary, sc.primary, `${at}: primary key ${sc.primary}`)
      const mirror = ({ SQLiteText: 'text', SQLiteTextJson: 'jsonb', SQLiteBoolean: 'boolean', SQLiteInteger: 'integer', SQLiteReal: 'double precision' } as Record<string, string>)[sc.columnType]
      t.equal(pc.getSQLType(), typeExceptions[at] ?? mirror, `${at}: ${sc.columnType} is ${typeExceptions[at] ?? mirror}`)
      t.same(pc.enumValues, sc.enumValues, `${at}: the same enum values`)
      const autoIncrement = (sc as { autoIncrement?: boolean }).autoIncrement === true
      t.equal(pc.generatedIdentity?.type, autoIncrement ? 'always' : undefined, `${at}: ${autoIncrement ? 'an identity, as it autoincrements' : 'no identity'}`)
      t.equal(pc.hasDefault, sc.hasDefault, `${at}: ${sc.hasDefault ? 'a' : 'no'} default`)
      if (is(sc.default, SQL)) t.equal(pc.default, utcNow, `${at}: defaults to now, as ISO text`)
      else t.same(pc.default, sc.default, `${at}: the same default`)
    }

    const keys = (pks: ReadonlyArray<{ getName (): string, columns: ReadonlyArray<{ name: string }> }>) =>
      pks.map((pk) => ({ name: pk.getName(), columns: pk.columns.map((c) => c.name) }))
    t.same(keys(p.primaryKeys), keys(s.primaryKeys), `${name}: the same composite primary keys`)

    type ForeignKeyLike = { getName (): string, onDelete?: string | undefined, onUpdate?: string | undefined, reference (): { columns: ReadonlyArray<{ name: string }>, foreignColumns: ReadonlyArray<{ name: string }>, foreignTable: Table } }
    const fks = (list: readonly ForeignKeyLike[], tableName: (table: Table) => string) => list.map((fk) => {
      const ref = fk.reference()
      return {
        name: fk.getName(),
        columns: ref.columns.map((c) => c.name),
        table: tableName(ref.foreignTable),
        foreignColumns: ref.foreignColumns.map((c) => c.name),
        onDelete: fk.onDelete ?? 'no action',
        onUpdate: fk.onUpdate ?? 'no action'
      }
    }).sort((a, b) => a.name.localeCompare(b.name))
    t.same(fks(p.foreignKeys, (table) => pgTableConfig(table as PgTable).name), fks(s.foreignKeys, (table) => sqliteTableConfig(table as SQLiteTable).name),
      `${name}: the same foreign keys (columns, referenced table and columns, onDelete)`)

    const indexes = (list: ReadonlyArray<{ config: { name?: string | undefined, unique: boolean, columns: readonly unknown[] } }>) =>
      list.map(({ config }) => ({ name: config.name, unique: config.unique, columns: config.columns.map((c) => (c as { name?: string }).name ?? '(expression)') }))
        .sort((a, b) => String(a.name).localeCompare(String(b.name)))
    t.same(indexes(p.indexes), indexes(s.indexes), `${name}: the same indexes (names, uniqueness, columns)`)
    t.same(p.uniqueConstraints.map((u) => u.getName()), s.uniqueConstraints.map((u) => u.getName()), `${name}: the same unique constraints`)
    t.same(p.checks.map((c) => c.name), s.checks.map((c) => c.name), `${name}: the same checks`)
  }
})

t.test('migrations/pg apply to PostgreSQL 15, and applying them again does nothing', { skip: pgClusterUnavailable() ?? false }, async (t) => {
  const cluster = await startPgCluster(t)
  const pool = new pg.Pool({ connectionString: cluster.url, max: 2 })
  pool.on('error', () => {}) // an idle connection the server's shutdown ends, should it come first
  t.teardown(async () => {
    await pool.end()
    await cluster.stop()
  })
  const db = drizzle(pool)
  const query = async <R extends object>(text: string, values: unknown[] = []) => (await pool.query<R & pg.QueryResultRow>(text, values)).rows

  t.equal((await query<{ server_encoding: string }>('SHOW server_encoding'))[0]?.server_encoding, 'UTF8', 'a UTF-8 database')
  await migrate(db, { migrationsFolder: pgMigrations })
  const journal = JSON.parse(readFileSync(join(pgMigrations, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
  const applied = async () => Number((await query<{ n: string }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations'))[0]?.n)
  t.equal(await applied(), journal.entries.length, `the ${journal.entries.length} migrations of the journal are applied`)

  // Every table of the pg schema, with its columns in order, their types and nullability.
  for (const [name, table] of pgTables) {
    const config = pgTableConfig(table)
    const columns = await query<{ column_name: string, data_type: string, is_nullable: string }>(
      "SELECT column_name, data_type, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1 ORDER BY ordinal_position", [name])
    t.same(columns, config.columns.map((c) => ({ column_name: c.name, data_type: c.getSQLType(), is_nullable: c.notNull ? 'NO' : 'YES' })),
      `${name}: exists, with the schema's columns`)
  }

  // Against a migrated SQLite database, custom SQL included: the same tables (but notPorted), the
  // same columns (SQLite puts the columns a migration added last), and the same named indexes,
  // the expression indexes of the keyset sorts among them.
  const sqliteDb = createDb(':memory:')
  t.teardown(() => { sqliteDb.close() })
  migrateDb(sqliteDb)
  const sqliteNames = sqliteDb.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' AND name <> '__drizzle_migrations' ORDER BY name").pluck().all() as string[]
  const pgNames = (await query<{ table_name: string }>("SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY table_name")).map((r) => r.table_name)
  t.same(sqliteNames.filter((n) => !pgNames.includes(n)), notPorted, 'the SQLite tables without a twin are those not ported, and only those')
  t.same(pgNames.filter((n) => !sqliteNames.includes(n)), [], 'no PostgreSQL table without an SQLite twin')
  for (const name of sqliteNames.filter((n) => pgNames.includes(n))) {
    const sqliteColumns = (sqliteDb.sqlite.prepare('SELECT name, "notnull" FROM pragma_table_info(?)').all(name) as Array<{ name: string, notnull: number }>)
      .map((c) => ({ name: c.name, notNull: c.notnull === 1 })).sort((a, b) => a.name.localeCompare(b.name))
    const pgColumns = (await query<{ column_name: string, is_nullable: string }>(
      "SELECT column_name, is_nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1", [name]))
      .filter((c) => !pgOnlyColumns.includes(c.column_name))
      .map((c) => ({ name: c.column_name, notNull: c.is_nullable === 'NO' })).sort((a, b) => a.name.localeCompare(b.name))
    t.same(pgColumns, sqliteColumns, `${name}: the same columns and nullability as in SQLite (${pgOnlyColumns.join(', ')} aside)`)
  }
  const sqliteIndexes = sqliteDb.sqlite.prepare("SELECT tbl_name AS tbl, name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL ORDER BY name").all() as Array<{ tbl: string, name: string }>
  const pgIndexes = (await query<{ tbl: string, name: string }>(`SELECT i.tablename AS tbl, i.indexname AS name FROM pg_indexes i
    WHERE i.schemaname = 'public' AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname AND c.contype = 'p') ORDER BY i.indexname`))
  t.ok(sqliteIndexes.some((i) => i.name === 'transfers_date_sort_idx'), 'the expression indexes are among them')
  t.same(pgIndexes, sqliteIndexes, `the same ${sqliteIndexes.length} indexes on the same tables (primary keys aside)`)

  // The defaults write what SQLite's do: ISO timestamps as text, identities from 1, false, [].
  const { actors } = await import('../src/kinds/actors/pg-table.js')
  const { transfers, transferParticipants } = await import('../src/kinds/transfers/pg-table.js')
  const { revisions } = await import('../src/db/pg-schema/revisions.js')
  const [actor] = await db.insert(actors).values({ id: 'actor-1', kind: 'person', name: 'Someone' }).returning()
  t.match(actor?.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/, 'created_at is an ISO 8601 UTC timestamp with milliseconds')
  await db.insert(transfers).values({ id: 'transfer-1', fromCountry: 'MX', toCountry: 'US', mechanism: 'extradition', summary: 'A transfer.' })
  const [participant] = await db.insert(transferParticipants).values({ transferId: 'transfer-1', actorId: 'actor-1', role: 'transferred' }).returning()
  t.same(participant?.caseNumbers, [], 'case_numbers defaults to []')
  const [transfer] = await db.select().from(transfers).where(eq(transfers.id, 'transfer-1'))
  t.equal(transfer?.dateApproximate, false, 'a boolean defaults to false')
  const [revision] = await db.insert(revisions).values({ recordType: 'actor', recordId: 'actor-1', revision: 1, action: 'create', author: 'test', data: '{}' }).returning()
  t.equal(revision?.id, 1, 'the change feed\'s sequence starts at 1, a number')
  t.equal(participant?.rowOrder, 1, 'a child row is numbered in the order it was written')

  // kb_fold (migrations/pg/0004_*.sql) folds as the server's fold does, which SQLite's kb_fold is.
  const samples = ['García Harfuch', 'ÑOÑO', 'İstanbul', 'Œuvre', 'Straße', 'ΕΛΛΆΔΑ', 'Zürich', 'Ångström', 'Łódź', 'Cần Thơ']
  const folded = await query<{ f: string }>('SELECT kb_fold(v) AS f FROM unnest($1::text[]) WITH ORDINALITY AS s(v, n) ORDER BY n', [samples])
  t.same(folded.map((r) => r.f), samples.map(fold), `kb_fold: ${samples.map(fold).join(', ')}`)

  const before = await query('SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = \'public\' ORDER BY indexname')
  await migrate(db, { migrationsFolder: pgMigrations })
  t.equal(await applied(), journal.entries.length, 'applying again applies nothing')
  t.same(await query('SELECT tablename, indexname, indexdef FROM pg_indexes WHERE schemaname = \'public\' ORDER BY indexname'), before, 'and changes no index')
  t.equal((await query<{ n: string }>('SELECT count(*) AS n FROM actors'))[0]?.n, '1', 'nor any data')
})
