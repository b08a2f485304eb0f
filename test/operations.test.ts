import { existsSync, statSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'
import { version } from '../src/paths.js'
import { assertProblem, buildTestApp, freePort, runSource, waitUntilReady } from './helpers.js'

t.test('GET /health answers 200 {status: ok}', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/health' })
  t.equal(res.statusCode, 200)
  t.match(String(res.headers['content-type']), /^application\/json/)
  t.same(res.json(), { status: 'ok', version })
})

t.test('GET /ready answers 200 {status: ready}, and a 503 problem once the database is closed', async (t) => {
  const { app, db } = await buildTestApp(t)
  const res = await app.inject({ url: '/ready' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { status: 'ready', version })

  db.sqlite.close()
  const closed = await app.inject({ url: '/ready' })
  const body = assertProblem(t, closed, 503, 'unavailable')
  t.match(body.detail, /database/)
  t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'liveness does not depend on the database')
})

t.test('loadConfig', async (t) => {
  t.test('defaults', async (t) => {
    const config = loadConfig({}, '/srv/kb')
    t.match(config, { port: 3000, host: '127.0.0.1', databasePath: '/srv/kb/data/kb.sqlite', logLevel: 'info' })
    t.equal(config.cursorSecret, undefined, 'no built-in cursor secret: each database makes its own')
  })

  t.test('reads every variable; a relative DATABASE_PATH resolves against the working directory', async (t) => {
    t.match(loadConfig({ PORT: '8080', HOST: '0.0.0.0', DATABASE_PATH: 'db/x.sqlite', LOG_LEVEL: 'debug', CURSOR_SECRET: 'a-long-enough-secret' }, '/srv/kb'), {
      port: 8080, host: '0.0.0.0', databasePath: '/srv/kb/db/x.sqlite', logLevel: 'debug', cursorSecret: 'a-long-enough-secret'
    })
    t.equal(loadConfig({ DATABASE_PATH: '/var/lib/kb.sqlite' }, '/srv/kb').databasePath, '/var/lib/kb.sqlite')
    t.equal(loadConfig({ DATABASE_PATH: ':memory:' }, '/srv/kb').databasePath, ':memory:')
    t.equal(loadConfig({ PORT: '0' }).port, 0, 'port 0 picks a free port')
  })

  t.test('DATABASE_URL selects PostgreSQL; anything but a postgres:// URL is refused, its password hidden', async (t) => {
    t.equal(loadConfig({}, '/srv/kb').databaseUrl, undefined, 'SQLite by default')
    t.equal(loadConfig({ DATABASE_URL: '' }, '/srv/kb').databaseUrl, undefined, 'an empty one is none')
    for (const url of ['postgres://kb:pw@db.internal:5432/kb', 'postgresql://kb@127.0.0.1/kb?sslmode=require']) {
      t.equal(loadConfig({ DATABASE_URL: url }, '/srv/kb').databaseUrl, url)
    }
    const err = t.throws(() => loadConfig({ DATABASE_URL: 'mysql://kb:hunter2@db/kb' }, '/srv/kb'), ConfigError) as ConfigError
    t.match(err.problems, [/^DATABASE_URL must be a PostgreSQL URL like postgres:\/\/user:password@host:5432\/kb, got "mysql:\/\/kb:\*\*\*@db\/kb"/])
    t.notMatch(err.message, /hunter2/)
  })

  t.test('a ConfigError lists every bad value at once', async (t) => {
    const err = t.throws(() => loadConfig({ PORT: 'abc', LOG_LEVEL: 'loud', CURSOR_SECRET: 'short' }, '/srv/kb')) as ConfigError
    t.type(err, ConfigError)
    t.equal(err.problems.length, 3)
    t.match(err.problems, [/^PORT .*"abc"/, /^LOG_LEVEL .*"loud"/, /^CURSOR_SECRET .*16/])
    t.match(err.message, /Invalid configuration:\n {2}- PORT[^\n]+\n {2}- LOG_LEVEL[^\n]+\n {2}- CURSOR_SECRET/)
  })

  t.test('out-of-range and empty values are refused', async (t) => {
    for (const [env, name] of [[{ PORT: '70000' }, 'PORT'], [{ PORT: '-1' }, 'PORT'], [{ PORT: '' }, 'PORT'], [{ HOST: ' ' }, 'HOST'], [{ DATABASE_PATH: '' }, 'DATABASE_PATH']] as const) {
      const err = t.throws(() => loadConfig(env, '/srv/kb'), ConfigError) as ConfigError
      t.match(err.problems, [new RegExp(`^${name} `)], JSON.stringify(env))
    }
  })
})

/** Runs the real server (`src/server.ts`) as a process, logging at info; killed when the test ends. */
const startServer = (t: Test, env: Record<string, string>) => runSource('server.ts', [], { HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env }, t)

async function transferCount (base: string): Promise<number> {
  const res = await fetch(`${base}/v1/transfers`)
  const body = await res.json() as { data: unknown[], next_cursor: string | null }
  return body.data.length
}

t.test('the server seeds an empty database, shuts down gracefully on SIGTERM, and does not seed twice', async (t) => {
  const dir = t.testdir()
  const databasePath = join(dir, 'kb.sqlite')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = { DATABASE_PATH: databasePath, PORT: String(port) }

  const first = startServer(t, env)
  await waitUntilReady(base, first)
  t.equal(await transferCount(base), 2, 'seeded the empty database')
  t.match(first.output(), /seeded an empty database/)

  first.child.kill('SIGTERM')
  const { code, signal } = await first.exited
  t.equal(code, 0, 'exit code 0 after SIGTERM')
  t.equal(signal, null)
  t.match(first.output(), /shutting down/)
  const wal = `${databasePath}-wal`
  t.ok(!existsSync(wal) || statSync(wal).size === 0, 'the WAL was checkpointed: the -wal file is empty or gone')

  const second = startServer(t, env)
  await waitUntilReady(base, second)
  t.equal(await transferCount(base), 2, 'still two transfers: not seeded twice')
  t.notMatch(second.output(), /seeded an empty database/)
  second.child.kill('SIGTERM')
  t.equal((await second.exited).code, 0)
})

t.test('a bad PORT makes the server exit 1 with a message naming PORT', async (t) => {
  const dir = t.testdir()
  const server = startServer(t, { DATABASE_PATH: join(dir, 'kb.sqlite'), PORT: 'abc' })
  const { code } = await server.exited
  t.equal(code, 1)
  t.match(server.output(), /PORT must be a whole number from 0 to 65535, got "abc"/)
  t.notOk(existsSync(join(dir, 'kb.sqlite')), 'no database was created')
})
