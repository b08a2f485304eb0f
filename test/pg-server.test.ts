/**
 * The server on PostgreSQL (`DATABASE_URL`): over the same data, every read answers as on SQLite,
 * byte for byte — the body, its media type, its ETag, its Link — statistics and exports included, and what PostgreSQL does not serve
 * yet is a 501 saying so; `npm start`'s server seeds an empty PostgreSQL database, once however
 * many nodes start together, and serves it.
 */
import t from 'tap'
import { buildApp, type App } from '../src/app.js'
import { openPgDb } from '../src/db/pg-client.js'
import { kinds } from '../src/kinds/index.js'
import { copySqliteToPg } from '../src/services/copy.js'
import { assertProblem, freePort, freshDb, runSource, SOURCE, supportedQuote, testConfig, waitUntilReady } from './helpers.js'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'

/** What differs between two answers of the same server to the same request: its request id. */
const withoutRequestId = (body: string) => body.replace(/"request_id":"[^"]*"/g, '"request_id":"…"')

t.test('on PostgreSQL 15', { skip: pgClusterUnavailable() ?? false }, async (t) => {
  const cluster = await startPgCluster(t)

  t.test('every read answers as on SQLite, over the same data', async (t) => {
    const sqliteDb = freshDb()
    t.teardown(() => sqliteDb.close())
    const onSqlite = await buildApp({ db: sqliteDb, config: testConfig })
    t.teardown(async () => await onSqlite.close())
    const { key } = onSqlite.kb.apiKeys.create('writer', 'write')
    const pgDb = await openPgDb(await cluster.createDatabase('kb_http'), { max: 4 })
    t.teardown(async () => await pgDb.close())
    await copySqliteToPg(sqliteDb, pgDb.pool)
    const onPostgres = await buildApp({ db: pgDb, config: testConfig })
    t.teardown(async () => await onPostgres.close())
    t.equal(onPostgres.backend.name, 'postgres')

    const answer = async (app: App, url: string) => {
      const res = await app.inject({ url })
      return { status: res.statusCode, type: res.headers['content-type'], etag: res.headers.etag, link: res.headers.link, body: withoutRequestId(res.body) }
    }
    const same = async (url: string) => {
      const expected = await answer(onSqlite, url)
      t.same(await answer(onPostgres, url), expected, `GET ${url}: ${expected.status}`)
      return expected
    }

    for (const url of ['/', '/health', '/ready', '/v1/timeline', '/v1/timeline?sort=-date&limit=3', '/v1/timeline?actor=omar-garcia-harfuch&count=true',
      '/v1/timeline.csv', '/v1/changes', '/v1/changes?limit=5&types=transfer,quote', '/v1/changes?since=2000-01-01T00:00:00Z&action=create&limit=3',
      '/v1/changes.csv?limit=3', `/v1/sources/${SOURCE}/citations?start=0&end=3000`, '/v1/sources/no-such-source/citations', '/v1/tariff-deadlines.ics']) {
      await same(url)
    }
    const feed = JSON.parse((await same('/v1/changes?limit=2')).body) as { next_cursor: string }
    await same(`/v1/changes?since=${feed.next_cursor}&limit=50`)

    for (const kind of kinds) {
      const list = JSON.parse((await same(`/v1/${kind.path}?limit=200&count=true`)).body) as { data: Array<{ id: string }> }
      t.ok(list.data.length > 0, `${kind.path}: ${list.data.length} records`)
      await same(`/v1/${kind.path}.csv`)
      await same(`/v1/${kind.path}.ndjson?sort=-id`)
      await same(`/v1/${kind.path}?count=estimated&fields=${kind.fields.slice(0, 2).join(',')}`)
      const first = await same(`/v1/${kind.path}?limit=1`)
      const next = /<([^>]+)>; rel="next"/.exec(String(first.link))?.[1]
      if (next !== undefined) await same(next.replace(/^https?:\/\/[^/]+/, ''))
      for (const { id } of list.data) {
        const includes = kind.includes.length === 0 ? '' : `?include=${kind.includes.join(',')}`
        await same(`/v1/${kind.path}/${id}${includes}`)
        await same(`/v1/${kind.path}/${id}`)
        await same(`/v1/${kind.path}/${id}/revisions`)
        await same(`/v1/${kind.path}/${id}?as_of=2999-01-01`)
      }
      await same(`/v1/${kind.path}/no-such-record`)
    }

    // Statistics: every dimension of every kind's, a pair, a filter, as JSON and CSV (kept cells and records alike).
    const doc = onSqlite.swagger() as unknown as { paths: Record<string, { get: { parameters: Array<{ name: string, schema: { pattern?: string } }> } }> }
    for (const kind of kinds.filter((k) => k.stats !== undefined)) {
      const pattern = doc.paths[`/v1/stats/${kind.path}`]!.get.parameters.find((p) => p.name === 'group_by')!.schema.pattern!
      const dimensions = /^\^\((.+?)\)\(,/.exec(pattern)![1]!.split('|')
      for (const dimension of dimensions) await same(`/v1/stats/${kind.path}?group_by=${dimension}`)
      await same(`/v1/stats/${kind.path}?group_by=${dimensions[0]!},${dimensions.at(-1)!}`)
      await same(`/v1/stats/${kind.path}.csv?group_by=${dimensions.at(-1)!},${dimensions[0]!}`)
    }
    await same('/v1/stats/transfers?group_by=organization,mechanism&to_country=US')
    await same('/v1/stats/transfers?group_by=month,organization&date_from=2025')
    await same('/v1/stats/cooperation-measures?group_by=status&military=true')
    // The export, whole and in part: what an import into either backend takes.
    await same('/v1/export')
    await same('/v1/export?types=transfer,quote&since=2000-01-01')

    // A revalidation answers 304 on both, before any query of the data.
    const record = await onPostgres.inject({ url: '/v1/actors/omar-garcia-harfuch' })
    t.equal((await onPostgres.inject({ url: '/v1/actors/omar-garcia-harfuch', headers: { 'if-none-match': String(record.headers.etag) } })).statusCode, 304)
    const timeline = await onPostgres.inject({ url: '/v1/timeline' })
    t.equal((await onPostgres.inject({ url: '/v1/timeline', headers: { 'if-none-match': String(timeline.headers.etag) } })).statusCode, 304)

    // What PostgreSQL does not serve yet says so, and is no fault of the server's.
    const authorization = `Bearer ${key}`
    for (const res of [
      await onPostgres.inject({ url: '/v1/search?q=extradition' }),
      await onPostgres.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: supportedQuote('a-new-quote') }),
      await onPostgres.inject({ method: 'DELETE', url: '/v1/actors/omar-garcia-harfuch', headers: { authorization } })
    ]) {
      t.match(assertProblem(t, res, 501, 'not_implemented').detail, /is not served on PostgreSQL yet/)
    }
  })

  t.test('the server seeds an empty database once, however many nodes start together, and serves it', async (t) => {
    const url = await cluster.createDatabase('kb_started')
    const nodes = await Promise.all([0, 1].map(async () => {
      const port = await freePort()
      const server = runSource('server.ts', [], { DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', READ_WORKERS: '0' }, t)
      return { base: `http://127.0.0.1:${port}`, server }
    }))
    for (const { base, server } of nodes) await waitUntilReady(base, server)
    const seeded = nodes.filter(({ server }) => server.output().includes('seeded an empty database'))
    t.equal(seeded.length, 1, 'one node seeded, the other found it seeded')
    for (const { base } of nodes) {
      const transfers = await (await fetch(`${base}/v1/transfers`)).json() as { data: Array<{ id: string }> }
      t.same(transfers.data.map((r) => r.id), ['transfer-2025-08-12', 'transfer-2025-02'], `${base} serves the seeded transfers`)
    }
    for (const { server } of nodes) {
      server.child.kill('SIGTERM')
      t.equal((await server.exited).code, 0, 'stops cleanly on SIGTERM')
    }
  })

  t.test('a DATABASE_URL that is not a PostgreSQL URL, or a server that does not answer, stops the start with what to do', async (t) => {
    const bad = await runSource('server.ts', [], { DATABASE_URL: 'mysql://root@localhost/kb', PORT: '0' }).exited
    t.not(bad.code, 0)
    t.match(bad.stderr, /DATABASE_URL must be a PostgreSQL URL like postgres:\/\/user:password@host:5432\/kb, got "mysql:\/\/root@localhost\/kb"/)
    const port = await freePort()
    const away = await runSource('server.ts', [], { DATABASE_URL: `postgres://kb:secret@127.0.0.1:${port}/kb`, PORT: '0' }).exited
    t.not(away.code, 0)
    t.match(away.stderr, new RegExp(`Could not connect to postgres://kb:\\*\\*\\*@127\\.0\\.0\\.1:${port}/kb`))
    t.notMatch(away.stderr, /secret/, 'the password is never printed')
  })
})
