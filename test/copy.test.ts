/**
 * `kb copy` (src/services/copy.ts, src/cli/copy.ts): the seeded knowledge base moved from SQLite into
 * an empty PostgreSQL 15 database, every row equal, identities continuing, every citation verified
 * where it now lives; all or nothing; and the command line's usage.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { openPgDb } from '../src/db/pg-client.js'
import { copySqliteToPg } from '../src/services/copy.js'
import { freshDb, runSource } from './helpers.js'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'

const unavailable = pgClusterUnavailable()

async function kb (...args: string[]) {
  return await runSource('cli.ts', args, { DATABASE_PATH: undefined }).exited
}

/** A table's rows as comparable values: booleans as 0/1, JSON parsed, big integers as numbers, sorted. */
function normalized (rows: Array<Record<string, unknown>>, types: Map<string, string>): string[] {
  return rows.map((row) => JSON.stringify(Object.fromEntries(Object.entries(row).map(([column, value]) => {
    const type = types.get(column)
    if (value === null) return [column, null]
    if (type === 'boolean') return [column, value === true || value === 1 ? 1 : 0]
    if ((type === 'json' || type === 'jsonb') && typeof value === 'string') return [column, sortKeys(JSON.parse(value))]
    if (type === 'json' || type === 'jsonb') return [column, sortKeys(value)]
    if (type === 'bigint') return [column, Number(value)]
    return [column, value]
  })))).sort()
}

function sortKeys (value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys)
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => [k, sortKeys(v)]))
  return value
}

t.test('on PostgreSQL 15', { skip: unavailable ?? false }, async (t) => {
  const cluster = await startPgCluster(t)
  const database = cluster.createDatabase
  const opened = async (t: Test, url: string) => {
    const db = await openPgDb(url, { max: 2 })
    t.teardown(async () => await db.close())
    return db
  }

  t.test('the seeded knowledge base, row for row; identities continue after the copied ones', async (t) => {
    const source = freshDb()
    t.teardown(() => source.close())
    const target = await opened(t, await database('kb_copy'))
    const result = await copySqliteToPg(source, target.pool)
    t.ok(result.tables.length > 20, `${result.tables.length} tables copied`)
    t.ok(result.citationsVerified > 50, `${result.citationsVerified} citations verified against their sources in PostgreSQL`)
    for (const { table, rows } of result.tables) {
      const columns = await target.pool.query<{ name: string, type: string }>('SELECT column_name AS name, data_type AS type FROM information_schema.columns WHERE table_schema = \'public\' AND table_name = $1', [table])
      const types = new Map(columns.rows.map((c) => [c.name, c.type]))
      const names = columns.rows.filter((c) => c.name !== 'row_order').map((c) => `"${c.name}"`).join(', ')
      if (types.has('row_order')) {
        const inWrittenOrder = (await target.pool.query<Record<string, unknown>>(`SELECT ${names} FROM "${table}" ORDER BY row_order`)).rows
        const inRowidOrder = source.sqlite.prepare(`SELECT ${names} FROM "${table}" ORDER BY rowid`).all() as Array<Record<string, unknown>>
        t.same(inWrittenOrder.map((row) => normalized([row], types)[0]), inRowidOrder.map((row) => normalized([row], types)[0]), `${table}: row_order numbers the rows in SQLite's rowid order`)
      }
      const copied = (await target.pool.query<Record<string, unknown>>(`SELECT ${names} FROM "${table}"`)).rows
      const original = source.sqlite.prepare(`SELECT ${names} FROM "${table}"`).all() as Array<Record<string, unknown>>
      t.equal(rows, original.length, `${table}: ${rows} rows`)
      t.same(normalized(copied, types), normalized(original, types), `${table}: every row equal`)
    }
    const maxRevision = source.sqlite.prepare('SELECT max(id) FROM revisions').pluck().get() as number
    const next = await target.pool.query<{ id: string }>('SELECT nextval(pg_get_serial_sequence(\'revisions\', \'id\')) AS id')
    t.equal(Number(next.rows[0]?.id), maxRevision + 1, 'the change feed\'s sequence continues after the last copied revision')

    await t.rejects(copySqliteToPg(source, target.pool), { message: /the PostgreSQL database is not empty \(.*sources: 1/ }, 'a second copy into it is refused')
  })

  t.test('a citation that does not quote its source fails the copy, and nothing is left written', async (t) => {
    const source = freshDb()
    t.teardown(() => source.close())
    source.sqlite.prepare('UPDATE citations SET excerpt = \'words the source never had\' WHERE id = (SELECT min(id) FROM citations)').run()
    const target = await opened(t, await database('kb_bad_copy'))
    await t.rejects(copySqliteToPg(source, target.pool), { message: /citations that do not quote their source after the copy: \d+ \(/ })
    const { rows } = await target.pool.query<{ n: number }>('SELECT (SELECT count(*) FROM sources) + (SELECT count(*) FROM revisions) + (SELECT count(*) FROM citations) AS n')
    t.equal(rows[0]?.n, 0, 'rolled back: the target is as empty as before')
  })

  t.test('kb copy on the command line', async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'kb-copy-'))
    t.teardown(() => rmSync(dir, { recursive: true, force: true }))
    const file = join(dir, 'kb.sqlite')
    t.equal((await kb('seed', '--database', file)).code, 0, 'a seeded SQLite file')
    const url = await database('kb_cli')
    const copied = await kb('copy', '--from', `sqlite:${file}`, '--to', url, '--json')
    t.equal(copied.code, 0, copied.stderr)
    const json = JSON.parse(copied.stdout) as { from: string, to: string, rows: number, citations_verified: number, tables: Array<{ table: string, rows: number }> }
    t.equal(json.from, file)
    t.ok(json.rows > 100 && json.citations_verified > 50, `${json.rows} rows, ${json.citations_verified} citations verified`)
    t.ok(json.tables.some(({ table, rows }) => table === 'transfers' && rows === 2), 'the two seeded transfers')

    const missingTo = await kb('copy', '--database', file)
    t.equal(missingTo.code, 2, 'no --to: a usage error')
    t.match(missingTo.stderr, /copy needs --to postgres:\/\//)
    const wrongTo = await kb('copy', '--to', 'mysql://localhost/kb', '--database', file)
    t.match([wrongTo.code, wrongTo.stderr], [2, /give a PostgreSQL URL/])
    const fromPg = await kb('copy', '--from', url, '--to', url)
    t.match([fromPg.code, fromPg.stderr], [2, /copying out of PostgreSQL is not built yet/])
    const unreachable = await kb('copy', '--database', file, '--to', 'postgres://kb:secret@127.0.0.1:1/kb')
    t.match([unreachable.code, unreachable.stderr], [1, /Could not connect to postgres:\/\/kb:\*\*\*@127\.0\.0\.1:\d+\/kb: connect ECONNREFUSED/], 'a server that does not answer: said, the password hidden')
    t.notMatch(unreachable.stderr, /secret/)
    const notEmpty = await kb('copy', '--database', file, '--to', url)
    t.match([notEmpty.code, notEmpty.stderr], [1, /not empty/], 'into a database that holds a knowledge base: refused')
  })
})
