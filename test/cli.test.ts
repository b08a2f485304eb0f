import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { assertProblem, freePort, runSource, supportedQuote as quote, testConfig, waitUntilReady } from './helpers.js'

interface Run { code: number | null, stdout: string, stderr: string }

// Every command is a process that loads TypeScript (a few seconds each): allow for it.
t.setTimeout(300_000)

/** `npm run kb -- …`, run as its own process with stdout and stderr piped (not a terminal), DATABASE_PATH unset. */
async function kb (...args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await runSource('cli.ts', args, { DATABASE_PATH: undefined }).exited
  return { code, stdout, stderr }
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!
const keyPattern = /^kb_[A-Za-z0-9_-]{43}$/

/** A seeded database file in `dir` (seeded in-process: what `kb seed` does is tested on its own). */
function seeded (dir: string) {
  const database = join(dir, 'kb.sqlite')
  const db = createDb(database)
  migrateDb(db)
  seedDatabase(db)
  db.close()
  return database
}

/** The app over a database file, in this process, closed when the test ends. */
async function appOver (t: Test, database: string) {
  const db = createDb(database)
  migrateDb(db)
  const app = await buildApp({ db, config: testConfig })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  return app
}

t.test('kb migrate creates and migrates the database file', async (t) => {
  const database = join(t.testdir(), 'data', 'kb.sqlite')
  const res = await kb('migrate', '--database', database)
  t.equal(res.code, 0)
  t.equal(res.stdout, `${database}: migrations applied\n`)
  const sqlite = new BetterSqlite3(database, { readonly: true })
  t.teardown(() => sqlite.close())
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  for (const table of ['sources', 'actors', 'quotes', 'revisions', 'api_keys']) t.ok(tables.includes(table), `it has the ${table} table`)
  t.equal(sqlite.prepare('SELECT count(*) FROM sources').pluck().get(), 0, 'and loads nothing')
  t.equal((await kb('migrate', '--database', database)).code, 0, 'running it again is harmless')
})

t.test('kb seed loads an empty database once, and refuses a second time', async (t) => {
  const database = join(t.testdir(), 'kb.sqlite')
  const first = await kb('seed', '--database', database)
  t.equal(first.code, 0)
  t.match(first.stdout, `${database}: seeded 28 records with 48 verified citations`)

  const again = await kb('seed', '--database', database)
  t.equal(again.code, 1, 'exit 1')
  t.equal(again.stdout, '')
  t.equal(again.stderr, `kb: ${database} already holds records; seeding is only for an empty database (use import to add records)\n`, 'saying why, and what to do instead')
  const app = await appOver(t, database)
  t.equal((await app.inject({ url: '/v1/export' })).body.split('\n').length - 1, 28, 'still 28 records')
})

t.test('kb reindex rebuilds the search index from the records\' latest revisions', async (t) => {
  const database = seeded(t.testdir())
  const lost = createDb(database)
  // A document lost (an index built by older code, say); the app only rebuilds an empty index by itself.
  lost.sqlite.prepare("DELETE FROM search_documents WHERE record_id = 'omar-garcia-harfuch'").run()
  lost.close()
  const before = await appOver(t, database)
  const missing = JSON.parse((await before.inject({ url: '/v1/search?q=garcia%20harfuch' })).body).data as Array<{ id: string }>
  t.notOk(missing.some((hit) => hit.id === 'omar-garcia-harfuch'), 'not found before')

  const res = await kb('reindex', '--database', database)
  t.equal(res.code, 0)
  t.equal(res.stdout, `${database}: search index rebuilt from 28 records\n`)
  const after = await appOver(t, database)
  const hits = JSON.parse((await after.inject({ url: '/v1/search?q=garcia%20harfuch' })).body).data as Array<{ id: string }>
  t.ok(hits.some((hit) => hit.id === 'omar-garcia-harfuch'), 'found again')
})

t.test('kb keys create prints the key alone on the last line; kb keys list never shows it', async (t) => {
  const database = join(t.testdir(), 'kb.sqlite')
  const created = await kb('keys', 'create', '--name', 'desk', '--scope', 'write', '--database', database)
  t.equal(created.code, 0)
  const key = lastLine(created.stdout)
  t.match(key, keyPattern, 'the last line is the key, nothing else')
  t.match(created.stdout, /^Created key 1 "desk" with scope write\. It is shown once; store it now:\n/)

  const admin = await kb('keys', 'create', '--name', 'ops', '--scope', 'admin', '--database', database)
  t.equal(admin.code, 0)

  const list = await kb('keys', 'list', '--database', database)
  t.equal(list.code, 0)
  const rows = list.stdout.trimEnd().split('\n').map((l) => l.split('\t'))
  t.match(rows, [['1', 'desk', 'write', `${key.slice(0, 10)}…`, /^created /, 'active'], ['2', 'ops', 'admin', /^kb_/, /^created /, 'active']])
  t.notMatch(list.stdout, key, 'the key itself is never listed, only its prefix')
  t.notMatch(list.stdout, lastLine(admin.stdout))

  const app = await appOver(t, database)
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization: `Bearer ${key}` }, payload: quote('via-cli-key') })
  t.equal(res.statusCode, 422, 'the API knows the key (the empty database has no speaker to point at)')
})

t.test('kb keys create refuses a name in use, and bad or missing options', async (t) => {
  const database = join(t.testdir(), 'kb.sqlite')
  t.equal((await kb('keys', 'create', '--name', 'desk', '--scope', 'write', '--database', database)).code, 0)
  const duplicate = await kb('keys', 'create', '--name', 'desk', '--scope', 'admin', '--database', database)
  t.equal(duplicate.code, 1)
  t.equal(duplicate.stdout, '', 'no key is printed')
  t.equal(duplicate.stderr, 'kb: a key named "desk" exists already; choose another name or revoke it first\n')

  const noName = await kb('keys', 'create', '--scope', 'write', '--database', database)
  t.equal(noName.code, 2)
  t.match(noName.stderr, /^kb: keys create needs --name <name>\n\nUsage:/)
  const badScope = await kb('keys', 'create', '--name', 'x', '--scope', 'read', '--database', database)
  t.equal(badScope.code, 2)
  t.match(badScope.stderr, /^kb: keys create needs --scope write\|admin\n/)
  const app = await appOver(t, database)
  t.same(app.kb.apiKeys.list().map((k) => k.name), ['desk'], 'still the one key')
})

t.test('kb keys revoke: the key is then refused by the API with 403', async (t) => {
  const database = seeded(t.testdir())
  const key = lastLine((await kb('keys', 'create', '--name', 'desk', '--scope', 'write', '--database', database)).stdout)
  const app = await appOver(t, database)
  const post = (id: string) => app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization: `Bearer ${key}` }, payload: quote(id) })
  t.equal((await post('before-revoking')).statusCode, 201, 'the key works')

  const revoked = await kb('keys', 'revoke', 'desk', '--database', database)
  t.equal(revoked.code, 0, revoked.stderr)
  t.match(revoked.stdout, /^key 1 "desk" revoked at \d{4}-\d{2}-\d{2}T/)
  t.match((await kb('keys', 'list', '--database', database)).stdout, /\tdesk\twrite\t.*\trevoked \d{4}-/)

  const refused = await post('after-revoking')
  const problem = assertProblem(t, refused, 403, 'forbidden')
  t.match(problem.detail, /^The API key "desk" was revoked at /)

  const unknown = await kb('keys', 'revoke', 'nobody', '--database', database)
  t.equal(unknown.code, 1)
  t.match(unknown.stderr, 'no key has the name or id "nobody"')
})

t.test('kb export then kb import into a fresh database round-trips byte for byte', async (t) => {
  const dir = t.testdir()
  const database = seeded(dir)
  const file = join(dir, 'kb.ndjson')
  const exported = await kb('export', file, '--database', database)
  t.equal(exported.code, 0)
  t.equal(exported.stderr, `${file}: exported 28 records\n`)
  const app = await appOver(t, database)
  t.equal(readFileSync(file, 'utf8'), (await app.inject({ url: '/v1/export' })).body, 'the same NDJSON as GET /v1/export')

  const toStdout = await kb('export', '-', '--database', database)
  t.equal(toStdout.stdout, readFileSync(file, 'utf8'), 'export - writes it to stdout, and nothing else')

  const fresh = join(dir, 'fresh.sqlite')
  const imported = await kb('import', file, '--database', fresh, '--author', 'restore')
  t.equal(imported.code, 0, imported.stderr)
  t.match(imported.stderr, `${file}: imported 28 records (1 source, 13 actor, 2 transfer, 8 quote, 1 tariff_deadline, 3 cooperation_measure)`)
  const restored = await appOver(t, fresh)
  t.equal((await restored.inject({ url: '/v1/export' })).body, readFileSync(file, 'utf8'), 'the fresh database exports the same bytes')
  const revisions = await restored.inject({ url: '/v1/quotes/sheinbaum-sovereign-decision/revisions' })
  t.match(revisions.json(), { data: [{ revision: 1, action: 'create', author: 'restore' }] }, '--author names the importer in the history')
})

t.test('kb import of a bad file exits 1, lists each problem by line, and writes nothing', async (t) => {
  const dir = t.testdir()
  const database = seeded(dir)
  const app = await appOver(t, database)
  const before = [(await app.inject({ url: '/v1/export' })).body, (await app.inject({ url: '/v1/changes?limit=1000' })).body]
  const file = join(dir, 'bad.ndjson')
  writeFileSync(file, [
    JSON.stringify({ type: 'quote', data: quote('fine') }),
    '{"type": "quote"',
    JSON.stringify({ type: 'quote', data: { ...quote('orphan'), speaker_id: 'nobody' } }),
    JSON.stringify({ type: 'quote', data: quote('sheinbaum-sovereign-decision') })
  ].join('\n') + '\n')

  const res = await kb('import', file, '--database', database)
  t.equal(res.code, 1)
  const lines = res.stderr.trimEnd().split('\n')
  t.equal(lines[0], 'kb: 3 line(s) of the import have problems; nothing was written.')
  t.match(lines.slice(1), [
    /^ {2}line 2: \/ is not valid JSON/,
    '  line 3: /data/speaker_id no actor has the id "nobody"',
    '  line 4: /data/id a quote with the id "sheinbaum-sovereign-decision" exists already'
  ])
  t.equal(lines.length, 4)

  const after = [(await app.inject({ url: '/v1/export' })).body, (await app.inject({ url: '/v1/changes?limit=1000' })).body]
  t.same(after, before, 'nothing was written, not even line 1: the export and the change feed are unchanged')
  t.equal((await app.inject({ url: '/v1/quotes/fine' })).statusCode, 404)

  const missing = await kb('import', join(dir, 'no-such.ndjson'), '--database', database)
  t.equal(missing.code, 1)
  t.match(missing.stderr, /^kb: .*no-such\.ndjson/, 'a missing file is named')
})

t.test('progress on a pipe is plain lines, one per tenth at most, without carriage returns', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'many.ndjson')
  const source = { id: 'bulk-source', title: 'Bulk', language: 'en', captured_text: 'Bulk text.' }
  const actors = Array.from({ length: 1199 }, (_, i) => ({ id: `actor-${i}`, kind: 'person', name: `Person ${i}`, citations: [{ source_id: 'bulk-source', excerpt: 'Bulk' }] }))
  writeFileSync(file, [{ type: 'source', data: source }, ...actors.map((data) => ({ type: 'actor', data }))].map((l) => JSON.stringify(l)).join('\n'))

  const res = await kb('import', file, '--database', join(dir, 'kb.sqlite'))
  t.equal(res.code, 0, res.stderr)
  t.notMatch(res.stderr, '\r', 'no carriage returns')
  t.same(res.stderr.trimEnd().split('\n'), [
    'import: 500/1200 (40%)',
    'import: 1000/1200 (80%)',
    'import: 1200/1200 (100%)',
    `${file}: imported 1200 records (1 source, 1199 actor)`
  ])
  t.equal(res.stdout, '')
})

/** The real server (`src/server.ts`) on a database file; killed when the test ends. */
async function startServer (t: Test, database: string) {
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = runSource('server.ts', [], { HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: database, LOG_LEVEL: 'warn', RATE_LIMIT: 'off' }, t)
  await waitUntilReady(base, server)
  return { base, child: server.child }
}

t.test('kb backup while the server is writing gives a copy that passes integrity_check and holds the records', async (t) => {
  const dir = t.testdir()
  const database = seeded(dir)
  const key = lastLine((await kb('keys', 'create', '--name', 'desk', '--scope', 'write', '--database', database)).stdout)
  const { base } = await startServer(t, database)

  const load = { writing: true }
  const statuses: number[] = []
  const writer = (async () => {
    for (let i = 0; load.writing; i++) {
      const res = await fetch(`${base}/v1/quotes`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(quote(`during-backup-${i}`)) })
      statuses.push(res.status)
      await res.arrayBuffer()
    }
  })()
  while (statuses.length < 5) await new Promise((resolve) => setTimeout(resolve, 20))
  const copy = join(dir, 'backup.sqlite')
  const before = statuses.length
  const res = await kb('backup', copy, '--database', database)
  const writtenDuringBackup = statuses.length - before
  load.writing = false
  await writer

  t.equal(res.code, 0, res.stderr)
  t.equal(res.stdout, `${copy}: backup of ${database} complete, integrity_check ok\n`)
  t.notMatch(res.stderr, '\r', 'progress without carriage returns')
  t.match(res.stderr, /^(backup: \d+\/\d+ \(\d+%\)\n)+$/, 'progress as plain lines')
  t.ok(writtenDuringBackup > 0, `the server kept writing during the backup (${writtenDuringBackup} POSTs)`)
  t.same([...new Set(statuses)], [201], 'and every write succeeded')

  const sqlite = new BetterSqlite3(copy, { readonly: true })
  t.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok')
  const quotes = sqlite.prepare('SELECT id FROM quotes').pluck().all() as string[]
  const changes = sqlite.prepare('SELECT count(*) FROM revisions').pluck().get() as number
  sqlite.close()
  t.ok(quotes.includes('sheinbaum-sovereign-decision') && quotes.includes('bondi-american-shores'), 'the seeded quotes are there')
  t.equal(changes, 28 + quotes.length - 8, 'a consistent snapshot: one create in the feed per record')

  const app = await appOver(t, copy)
  const exported = (await app.inject({ url: '/v1/export' })).body.trimEnd().split('\n')
  t.equal(exported.length, 20 + quotes.length, 'the copy opens and serves the records it holds')
})

t.test('usage errors exit 2 and print the usage', async (t) => {
  const dir = t.testdir()
  const database = join(dir, 'kb.sqlite')

  const unknown = await kb('frobnicate', '--database', database)
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /^kb: unknown command "frobnicate"\n\nUsage: npm run kb -- <command> \[options\]\n/)
  t.match(unknown.stderr, /keys revoke <name\|id>/, 'the whole usage')

  const none = await kb('--database', database)
  t.equal(none.code, 2, 'no command at all')
  t.match(none.stderr, /^kb: no command given\n\nUsage:/)
  t.equal(none.stdout, '', 'the usage goes to stderr only')

  const help = await kb('--help')
  t.equal(help.code, 0, '--help is not an error')
  t.match(help.stdout, /^Usage: npm run kb -- <command>/)
  t.equal(help.stderr, '')

  for (const [args, message] of [
    [['import'], 'usage: import <file.ndjson>'],
    [['backup', 'a.sqlite', 'b.sqlite'], 'usage: backup <file.sqlite>'],
    [['keys'], 'keys takes create, list or revoke'],
    // Arguments and options a command has no use for are refused, not ignored.
    [['migrate', 'now'], 'migrate takes no arguments (got "now")'],
    [['reindex', 'search', 'index'], 'reindex takes no arguments (got "search" "index")'],
    [['seed', '--author', 'me'], 'seed does not take --author'],
    [['keys', 'list', '--name', 'ci'], 'keys list does not take --name'],
    [['import', 'records.ndjson', '--scope', 'write'], 'import does not take --scope']
  ] as const) {
    const res = await kb(...args, '--database', database)
    t.equal(res.code, 2, `kb ${args.join(' ')} exits 2`)
    t.ok(res.stderr.startsWith(`kb: ${message}\n\nUsage:`), `and says: ${message}`)
    t.notOk(existsSync(database), 'without touching the database')
  }
})

t.test('an unknown option is a usage error too (exit 2)', async (t) => {
  const res = await kb('export', '-', '--databse', 'x.sqlite')
  t.equal(res.code, 2)
  t.match(res.stderr, /--databse[\s\S]*Usage:/)
})
