import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { parseCommandLine } from '../src/cli/args.js'
import { commands } from '../src/cli/commands.js'
import { bytes, progress } from '../src/cli/progress.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { projectRoot, version } from '../src/paths.js'
import { seedDatabase } from '../src/seed/load.js'
import { assertProblem, freePort, runSource, supportedQuote as quote, testConfig, waitUntilReady } from './helpers.js'

interface Run { code: number | null, stdout: string, stderr: string }

// Every command is a process that loads TypeScript (a second or two for usage and help, which load
// only src/cli/, a few seconds for the rest; several times that on a busy machine): allow for it.
t.setTimeout(600_000)

/** `npm run kb -- …`, run as its own process with stdout and stderr piped (not a terminal), DATABASE_PATH unset. */
async function kb (...args: string[]): Promise<Run> {
  const { code, stdout, stderr } = await runSource('cli.ts', args, { DATABASE_PATH: undefined }).exited
  return { code, stdout, stderr }
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1)!

/** A fresh folder under the system's temporary folder, removed when the test ends. */
function tempDir (t: Test): string {
  const dir = mkdtempSync(join(tmpdir(), 'kb-cli-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}
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
  const database = join(tempDir(t), 'data', 'kb.sqlite')
  const res = await kb('migrate', '--database', database)
  t.equal(res.code, 0)
  t.equal(res.stdout, `${database}: migrations applied\n`)
  const sqlite = new BetterSqlite3(database, { readonly: true })
  t.teardown(() => sqlite.close())
  const tables = sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]
  for (const table of ['sources', 'actors', 'quotes', 'revisions', 'api_keys']) t.ok(tables.includes(table), `it has the ${table} table`)
  t.equal(sqlite.prepare('SELECT count(*) FROM sources').pluck().get(), 0, 'and loads nothing')
  const migrations = sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number

  const again = await kb('migrate', '--database', database, '--json')
  t.equal(again.code, 0, 'running it again is harmless')
  t.same(JSON.parse(again.stdout), { database, applied: 0, migrations }, 'and --json says none was applied this time')
  t.equal(again.stderr, '')
})

t.test('kb seed loads an empty database once, and refuses a second time', async (t) => {
  const database = join(tempDir(t), 'kb.sqlite')
  const first = await kb('seed', '--database', database)
  t.equal(first.code, 0)
  t.match(first.stdout, `${database}: seeded 31 records with 86 verified citations`)

  const again = await kb('seed', '--database', database)
  t.equal(again.code, 1, 'exit 1')
  t.equal(again.stdout, '')
  t.equal(again.stderr, `kb: ${database} already holds records; seeding is only for an empty database (use import to add records)\n`, 'saying why, and what to do instead')
  const app = await appOver(t, database)
  t.equal((await app.inject({ url: '/v1/export' })).body.split('\n').length - 1, 31, 'still 31 records')
})

t.test('kb reindex rebuilds the search index from the records\' latest revisions', async (t) => {
  const database = seeded(tempDir(t))
  const lost = createDb(database)
  // A document lost (an index built by older code, say); the app only rebuilds an empty index by itself.
  lost.sqlite.prepare("DELETE FROM search_documents WHERE record_id = 'omar-garcia-harfuch'").run()
  lost.close()
  const before = await appOver(t, database)
  const missing = JSON.parse((await before.inject({ url: '/v1/search?q=garcia%20harfuch' })).body).data as Array<{ id: string }>
  t.notOk(missing.some((hit) => hit.id === 'omar-garcia-harfuch'), 'not found before')

  const res = await kb('reindex', '--database', database)
  t.equal(res.code, 0)
  t.equal(res.stdout, `${database}: search index and statistics rebuilt from 31 records\n`)
  const after = await appOver(t, database)
  const hits = JSON.parse((await after.inject({ url: '/v1/search?q=garcia%20harfuch' })).body).data as Array<{ id: string }>
  t.ok(hits.some((hit) => hit.id === 'omar-garcia-harfuch'), 'found again')
})

t.test('kb keys create prints the key alone on the last line; kb keys list never shows it', async (t) => {
  const database = join(tempDir(t), 'kb.sqlite')
  const created = await kb('keys', 'create', '--name', 'desk', '--scope', 'write', '--database', database)
  t.equal(created.code, 0)
  const key = lastLine(created.stdout)
  t.match(key, keyPattern, 'the last line is the key, nothing else')
  t.match(created.stdout, /^Created key 1 "desk" with scope write\. It is shown once; store it now:\n/)

  const admin = await kb('keys', 'create', '--name', 'ops', '--scope', 'admin', '--database', database)
  t.equal(admin.code, 0)
  const ci = await kb('keys', 'create', '--name', 'ci', '--scope', 'write', '--expires-in', '30d', '--json', '--database', database)
  t.equal(ci.code, 0, ci.stderr)
  const made = JSON.parse(ci.stdout) as { key: string, expires_at: string, created_at: string }
  t.match(made, { id: 3, name: 'ci', scope: 'write', prefix: made.key.slice(0, 10), revoked_at: null, key: keyPattern }, '--json: the key as POST /v1/keys answers it')
  t.ok(Math.abs(Date.parse(made.expires_at) - Date.parse(made.created_at) - 30 * 24 * 3_600_000) < 60_000, 'expiring in 30 days')

  const list = await kb('keys', 'list', '--database', database)
  t.equal(list.code, 0)
  const rows = list.stdout.trimEnd().split('\n').map((l) => l.split('\t'))
  t.match(rows, [['1', 'desk', 'write', `${key.slice(0, 10)}…`, /^created /, 'active'], ['2', 'ops', 'admin', /^kb_/, /^created /, 'active'], ['3', 'ci', 'write', /^kb_/, /^created /, /^active, expires /]])
  t.notMatch(list.stdout, key, 'the key itself is never listed, only its prefix')
  t.notMatch(list.stdout, lastLine(admin.stdout))
  const listed = await kb('keys', 'list', '--json', '--database', database)
  const { data } = JSON.parse(listed.stdout) as { data: Array<Record<string, unknown>> }
  t.same(data.map((k) => [k.id, k.name, k.scope, k.revoked_at]), [[1, 'desk', 'write', null], [2, 'ops', 'admin', null], [3, 'ci', 'write', null]], 'keys list --json: as GET /v1/keys answers')
  t.notOk(data.some((k) => 'key' in k) || listed.stdout.includes(made.key), 'without the keys')

  const app = await appOver(t, database)
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization: `Bearer ${key}` }, payload: quote('via-cli-key') })
  t.equal(res.statusCode, 422, 'the API knows the key (the empty database has no speaker to point at)')
})

t.test('kb keys create refuses a name in use, and bad or missing options', async (t) => {
  const database = join(tempDir(t), 'kb.sqlite')
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
  t.match(badScope.stderr, /^kb: keys create needs --scope write\|admin \(got "read"\)\n/)
  const app = await appOver(t, database)
  t.same(app.kb.apiKeys.list().map((k) => k.name), ['desk'], 'still the one key')
})

t.test('kb keys revoke: the key is then refused by the API with 403', async (t) => {
  const database = seeded(tempDir(t))
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

  const unknown = await kb('keys', 'revoke', 'nobody', '--database', database, '--json')
  t.equal(unknown.code, 1)
  t.equal(unknown.stderr, 'kb: no key has the name or id "nobody" (see: kb keys list)\n')
  t.same(JSON.parse(unknown.stdout), { error: { message: 'no key has the name or id "nobody" (see: kb keys list)' } }, 'with --json, the error as JSON on stdout')
})

t.test('kb export then kb import into a fresh database round-trips byte for byte', async (t) => {
  const dir = tempDir(t)
  const database = seeded(dir)
  const file = join(dir, 'kb.ndjson')
  const exported = await kb('export', file, '--database', database, '--json')
  t.equal(exported.code, 0, exported.stderr)
  const size = statSync(file).size
  const byType = { source: 1, actor: 13, transfer: 2, quote: 8, tariff_deadline: 1, cooperation_measure: 3, event: 3 }
  t.same(JSON.parse(exported.stdout), { file, database, records: 31, bytes: size, by_type: byType }, '--json: the counts, as one JSON document on stdout')
  t.equal(exported.stderr, `export: 31 of 31 records, ${bytes(size)} (100%)\n`, 'progress on stderr, with its units')
  const app = await appOver(t, database)
  t.equal(readFileSync(file, 'utf8'), (await app.inject({ url: '/v1/export' })).body, 'the same NDJSON as GET /v1/export')
  t.same(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'and no temporary file is left beside it')

  const toStdout = await kb('export', '-', '--database', database)
  t.equal(toStdout.stdout, readFileSync(file, 'utf8'), 'export - writes it to stdout, and nothing else')
  t.equal(toStdout.stderr, `stdout: exported 31 records (${bytes(size)})\n`, 'the summary goes to stderr')

  const nowhere = await kb('export', join(dir, 'missing', 'kb.ndjson'), '--database', database)
  t.equal(nowhere.code, 1)
  t.equal(nowhere.stderr, `kb: cannot write ${join(dir, 'missing', 'kb.ndjson')}: its folder does not exist; nothing was written\n`)

  const fresh = join(dir, 'fresh.sqlite')
  const imported = await kb('import', file, '--database', fresh, '--author', 'restore', '--json')
  t.equal(imported.code, 0, imported.stderr)
  t.same(JSON.parse(imported.stdout), { file, database: fresh, records: 31, by_type: byType })
  t.equal(imported.stderr, 'import: 31 of 31 records (100%)\n')
  const restored = await appOver(t, fresh)
  t.equal((await restored.inject({ url: '/v1/export' })).body, readFileSync(file, 'utf8'), 'the fresh database exports the same bytes')
  const revisions = await restored.inject({ url: '/v1/quotes/sheinbaum-sovereign-decision/revisions' })
  t.match(revisions.json(), { data: [{ revision: 1, action: 'create', author: 'restore' }] }, '--author names the importer in the history')
})

t.test('kb export --types --since writes what GET /v1/export?types=&since= answers, and refuses what it cannot read', async (t) => {
  const dir = tempDir(t)
  const database = seeded(dir)
  const app = await appOver(t, database)
  for (const [options, query] of [
    [['--types', 'transfer,quote'], 'types=transfer,quote'],
    [['--since', '2000-01-01'], 'since=2000-01-01'],
    [['--types', 'event', '--since', '2999-01-01T00:00:00Z'], 'types=event&since=2999-01-01T00:00:00Z']
  ] as const) {
    const run = await kb('export', '-', '--database', database, ...options)
    t.equal(run.code, 0, run.stderr)
    t.equal(run.stdout, (await app.inject({ url: `/v1/export?${query}` })).body, `${options.join(' ')}: as /v1/export?${query}`)
  }
  t.equal((await kb('export', '-', '--database', database, '--types', 'quote')).stdout.trim().split('\n').length, 8, 'the eight quotes')
  for (const [options, message] of [
    [['--types', 'quote,speech'], '--types names "speech", which is not a record type; the types are source, actor, transfer, quote, tariff_deadline, cooperation_measure, event'],
    [['--since', 'monday'], '--since takes an ISO 8601 timestamp or a date (2025-12-01, 2025-12-01T09:00:00Z), not "monday"'],
    [['--since', '2025-02-30'], '--since names a day that is not on the calendar ("2025-02-30")']
  ] as const) {
    const run = await kb('export', join(dir, 'out.ndjson'), '--database', database, ...options)
    t.equal(run.code, 2, `${options.join(' ')}: a usage error`)
    t.match(run.stderr, message)
    t.notOk(existsSync(join(dir, 'out.ndjson')), 'and nothing written')
  }
})

t.test('kb import of a bad file exits 1, lists each problem by line, and writes nothing', async (t) => {
  const dir = tempDir(t)
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

  const res = await kb('import', file, '--database', database, '--json')
  t.equal(res.code, 1)
  t.match(JSON.parse(res.stdout), { error: { message: '3 line(s) of the import have problems; nothing was written.', problems: [{ line: 2 }, { line: 3, name: '/data/speaker_id' }, { line: 4, name: '/data/id' }] } }, '--json: the problems as JSON')
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
  t.equal(missing.stderr, `kb: cannot read ${join(dir, 'no-such.ndjson')}: no such file\n`, 'a missing file is named')
})

t.test('progress on a pipe is plain lines, one per tenth at most, without carriage returns', async (t) => {
  const dir = tempDir(t)
  const file = join(dir, 'many.ndjson')
  const source = { id: 'bulk-source', title: 'Bulk', language: 'en', captured_text: 'Bulk text.' }
  const actors = Array.from({ length: 1199 }, (_, i) => ({ id: `actor-${i}`, kind: 'person', name: `Person ${i}`, citations: [{ source_id: 'bulk-source', excerpt: 'Bulk' }] }))
  writeFileSync(file, [{ type: 'source', data: source }, ...actors.map((data) => ({ type: 'actor', data }))].map((l) => JSON.stringify(l)).join('\n'))

  const res = await kb('import', file, '--database', join(dir, 'kb.sqlite'))
  t.equal(res.code, 0, res.stderr)
  t.notMatch(res.stderr, '\r', 'no carriage returns')
  t.same(res.stderr.trimEnd().split('\n'), [
    'import: 500 of 1,200 records (41%)',
    'import: 1,000 of 1,200 records (83%)',
    `${file}: imported 1,200 records (1 source, 1,199 actor)`
  ], 'the summary stands for the 100 % line')
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
  const dir = tempDir(t)
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
  t.match(res.stderr, /^(backup: [\d,]+ of [\d,]+ pages of 4 KiB \(\d+%\)\n)+$/, 'progress as plain lines, in pages')
  t.ok(writtenDuringBackup > 0, `the server kept writing during the backup (${writtenDuringBackup} POSTs)`)
  t.same([...new Set(statuses)], [201], 'and every write succeeded')

  const sqlite = new BetterSqlite3(copy, { readonly: true })
  t.equal(sqlite.pragma('integrity_check', { simple: true }), 'ok')
  const quotes = sqlite.prepare('SELECT id FROM quotes').pluck().all() as string[]
  const changes = sqlite.prepare('SELECT count(*) FROM revisions').pluck().get() as number
  sqlite.close()
  t.ok(quotes.includes('sheinbaum-sovereign-decision') && quotes.includes('bondi-american-shores'), 'the seeded quotes are there')
  t.equal(changes, 31 + quotes.length - 8, 'a consistent snapshot: one create in the feed per record')

  const app = await appOver(t, copy)
  const exported = (await app.inject({ url: '/v1/export' })).body.trimEnd().split('\n')
  t.equal(exported.length, 31 - 8 + quotes.length, 'the copy opens and serves the records it holds')
})

t.test('usage errors exit 2 and print the usage', async (t) => {
  const dir = tempDir(t)
  const database = join(dir, 'kb.sqlite')

  const unknown = await kb('frobnicate', '--database', database)
  t.equal(unknown.code, 2)
  t.match(unknown.stderr, /^kb: unknown command "frobnicate"\n\nUsage: kb <command> \[options\]\n/)
  t.match(unknown.stderr, /keys revoke <name\|id>/, 'the list of commands')

  const none = await kb('--database', database)
  t.equal(none.code, 2, 'no command at all')
  t.match(none.stderr, /^kb: no command given\n\nUsage:/)
  t.equal(none.stdout, '', 'the usage goes to stderr only')

  // Arguments and options a command has no use for are refused, not ignored.
  const misplaced = await kb('seed', '--author', 'me', '--database', database)
  t.equal(misplaced.code, 2)
  t.ok(misplaced.stderr.startsWith('kb: seed does not take --author\n\nUsage: kb seed [options]\n\nOptions:\n  --database <path>'), 'naming it, with the command\'s usage')
  t.notOk(existsSync(database), 'without touching the database')

  const mixed = await kb('export', '-', '--json', '--database', database)
  t.equal(mixed.code, 2, 'export - --json would mix a summary into the NDJSON: refused')
  t.match(JSON.parse(mixed.stdout), { error: { message: /^--json prints a summary on stdout, where export - writes the records/ } }, 'saying so in JSON too')
})

t.test('the parser names each mistake, and the usage that goes with it', async (t) => {
  for (const [args, message, topic] of [
    [['import'], 'import needs <file.ndjson>', 'import'],
    [['backup', 'a.sqlite', 'b.sqlite'], 'backup takes one argument, <file.sqlite> (got "a.sqlite" "b.sqlite")', 'backup'],
    [['keys'], 'keys takes create, list or revoke', 'keys'],
    [['keys', 'rotate'], 'keys takes create, list or revoke (got "rotate")', 'keys'],
    [['migrate', 'now'], 'migrate takes no arguments (got "now")', 'migrate'],
    [['keys', 'list', '--name', 'ci', '--force'], 'keys list does not take --name, --force', 'keys list'],
    [['keys', 'create', '--name', '--scope', 'write'], '--name needs a value: --name <name> ("--scope" looks like an option; write --name=--scope if it is the value)', 'keys create'],
    [['export', 'kb.ndjson', '--json=yes'], '--json takes no value (got "--json=yes")', 'export'],
    [['migrate', '--database', 'a', '--database', 'b'], '--database is given twice', 'migrate'],
    [['--databse', 'x', 'migrate'], 'unknown option --databse', null]
  ] as const) {
    t.throws(() => parseCommandLine([...args], commands), { name: 'UsageError', message, topic }, `kb ${args.join(' ')}: ${message}`)
  }
  t.match(parseCommandLine(['keys', 'revoke', 'desk', '--json'], commands), { action: 'run', command: { name: 'keys revoke' }, operands: ['desk'], options: { json: true } })
  t.same(parseCommandLine(['export', '--help', '--json'], commands), { action: 'help', topic: ['export'] }, '--help wins over the rest')
})

t.test('an unknown option is a usage error too (exit 2), named with the command\'s usage', async (t) => {
  const res = await kb('export', '-', '--databse', 'x.sqlite')
  t.equal(res.code, 2)
  t.match(res.stderr, /^kb: unknown option --databse\n\nUsage: kb export <file\.ndjson \| -> \[options\]\n[\s\S]*--database <path>/)
  t.equal(res.stdout, '')
})

t.test('--version, --help and kb help <command>', async (t) => {
  t.ok(readFileSync(join(projectRoot, 'src', 'cli.ts'), 'utf8').startsWith('#!/usr/bin/env node\n'), 'src/cli.ts starts with a shebang, to run as the bin kb')
  const versions = await Promise.all([kb('--version'), kb('-V', '--json')])
  t.same(versions.map((r) => [r.code, r.stdout, r.stderr]), [[0, `${version}\n`, ''], [0, `{\n  "version": "${version}"\n}\n`, '']], 'package.json\'s version')

  const [help, exportHelp, keysHelp, nothing] = await Promise.all([kb('--help'), kb('export', '--help'), kb('help', 'keys'), kb('help', 'frobnicate')])
  t.equal(help.code, 0, '--help is not an error')
  t.equal(help.stderr, '')
  t.match(help.stdout, /^Usage: kb <command> \[options\]\n/)
  for (const command of ['migrate', 'seed', 'import', 'export', 'backup', 'copy', 'reindex', 'keys create', 'keys list', 'keys revoke', 'help']) {
    t.match(help.stdout, new RegExp(`\\n  ${command}\\b`), `it lists ${command}`)
  }
  t.equal(help.stdout.split('npm run kb --').length, 2, 'and mentions npm run kb -- once')
  t.match(help.stdout, 'Exit status: 0 done, 1 failed (the message says what to do), 2 usage error')

  const [flag, topic] = await Promise.all([kb('keys', 'create', '--help'), kb('help', 'keys', 'create')])
  t.equal(flag.code, 0)
  t.equal(flag.stdout, topic.stdout, 'kb keys create --help is kb help keys create')
  t.match(flag.stdout, /^Usage: kb keys create --name <name> --scope write\|admin \[--expires-in <30d\|12h>\] \[options\]\n/)
  t.match(flag.stdout, /\n {2}--expires-in <30d\|12h> +make the key stop working/, 'with its own options')
  t.match(flag.stdout, /\nExamples:\n {2}kb keys create --name analyst-desk --scope write\n/, 'and examples')
  t.notMatch(flag.stdout, '--author', 'and no other command\'s')

  t.match(exportHelp.stdout, /^Usage: kb export <file\.ndjson \| -> \[options\]\n[\s\S]*\nExamples:\n {2}kb export kb\.ndjson\n/)

  t.match(keysHelp.stdout, /^Usage: kb keys <create\|list\|revoke> \[options\]\n[\s\S]*\n {2}keys revoke <name\|id> +revoke an API key\n/, 'kb help keys lists its commands')
  t.equal(nothing.code, 2)
  t.match(nothing.stderr, /^kb: there is no command "frobnicate"\n\nUsage: kb <command>/)
})

t.test('kb backup refuses to overwrite a file without --force, and replaces it safely with it', async (t) => {
  const dir = tempDir(t)
  const database = seeded(dir)
  const file = join(dir, 'backup.sqlite')
  const before = Buffer.from('not a database, but somebody\'s file\n')
  writeFileSync(file, before)

  const [refused, itself] = await Promise.all([kb('backup', file, '--database', database), kb('backup', database, '--database', database, '--force')])
  t.equal(itself.code, 1)
  t.equal(itself.stderr, `kb: ${database} is the database being backed up; choose another file\n`)
  t.equal(refused.code, 1)
  t.equal(refused.stderr, `kb: ${file} exists already; backup does not overwrite it (add --force to replace it, or choose another file)\n`, 'naming --force')
  t.equal(refused.stdout, '')
  t.same(readFileSync(file), before, 'the file is byte for byte what it was')

  const forced = await kb('backup', file, '--database', database, '--force', '--json')
  t.equal(forced.code, 0, forced.stderr)
  const result = JSON.parse(forced.stdout) as { pages: number }
  t.match(result, { file, database, page_size: 4096, integrity_check: 'ok', replaced: true })
  t.equal(result.pages * 4096, statSync(file).size, 'the pages it counted are the file')
  t.match(forced.stderr, new RegExp(`backup: ${result.pages} of ${result.pages} pages of 4 KiB \\(100%\\)\\n$`), 'progress on stderr')
  const copy = new BetterSqlite3(file, { readonly: true })
  t.teardown(() => copy.close())
  t.equal(copy.pragma('integrity_check', { simple: true }), 'ok', 'the file is now the copy')
  t.equal(copy.prepare('SELECT count(*) FROM revisions').pluck().get(), 31)
  t.same(readdirSync(dir).filter((f) => f.endsWith('.tmp') || f.startsWith('backup.sqlite-')), [], 'with no temporary file or journal beside it')
})

t.test('progress on a terminal is redrawn in place, with its units', async (t) => {
  const written: string[] = []
  const bar = progress('backup', 480, { unit: (done, total) => `${done} of ${total} pages of ${bytes(4096)}`, stream: { isTTY: true, write: (text) => written.push(text) } })
  bar.update(120)
  bar.done()
  t.match(written[0], /^\rbackup \[=+ +\] 25% 120 of 480 pages of 4 KiB/, 'a carriage return, the bar, the count')
  t.ok(written[0]!.endsWith('\u001b[K'), 'then the rest of the line cleared')
  t.match(written[1], /^\rbackup \[=+\] 100% 480 of 480 pages/)
  t.equal(written.at(-1), '\n', 'and a new line at the end')
  t.same([0, 1, 1023, 4096, 4608, 2_202_009, 5 * 1024 ** 3].map(bytes), ['0 bytes', '1 byte', '1023 bytes', '4 KiB', '4.5 KiB', '2.1 MiB', '5 GiB'])
})
