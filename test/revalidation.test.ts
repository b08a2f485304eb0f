/**
 * The revalidator (src/http/revalidation.ts) answers repeated conditional GETs before routing. It
 * only runs behind a listening server (inject bypasses it), so these tests listen on 127.0.0.1 and
 * compare the 304 Fastify sends first with the one the revalidator sends after it.
 */
import type { AddressInfo } from 'node:net'
import t, { type Test } from 'tap'
import { Revalidator } from '../src/http/revalidation.js'
import { memoPerVersion, versionTtlMs } from '../src/plugins/http-cache.js'
import { createRepositories } from '../src/plugins/repositories.js'
import { CursorCodec } from '../src/query/cursor.js'
import { createRecordWrites } from '../src/services/record-writes.js'
import { revisionListeners } from '../src/services/revision-listeners.js'
import { buildTestApp, testConfig } from './helpers.js'

/** The headers a 304 is compared by: everything but the per-response ones. */
const comparable = (headers: Headers) => Object.fromEntries([...headers].filter(([name]) => !['date', 'x-request-id', 'connection', 'keep-alive'].includes(name)))

async function listening (t: Test) {
  const { app, db } = await buildTestApp(t)
  const logged: Array<Record<string, unknown>> = []
  const info = app.log.info.bind(app.log)
  // The revalidator logs its 304s as Fastify logs requests; capture them (the test logger is silent).
  app.log.info = ((obj: Record<string, unknown>, ...rest: unknown[]) => {
    if (typeof obj === 'object') logged.push(obj)
    return (info as (...args: unknown[]) => void)(obj, ...rest)
  }) as typeof app.log.info
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const authorization = `Bearer ${app.apiKeys.create('desk', 'write').key}`
  return { app, db, url, authorization, logged }
}

t.test('a repeated conditional GET is the same 304, answered before routing', async (t) => {
  const { url, logged } = await listening(t)
  const shapes: Array<{ path: string, headers?: Record<string, string> }> = [
    { path: '/v1/transfers?limit=50' },
    { path: '/v1/transfers?format=csv' },
    { path: '/v1/quotes', headers: { accept: 'application/x-ndjson' } },
    { path: '/v1/actors', headers: { origin: 'https://dashboard.example' } },
    { path: '/v1/search?q=cartel' }
  ]
  for (const shape of shapes) {
    const first = await fetch(url + shape.path, { headers: shape.headers })
    await first.arrayBuffer()
    t.equal(first.status, 200, `${shape.path}: 200`)
    const etag = first.headers.get('etag')!
    const conditional = { ...shape.headers, 'if-none-match': etag }
    const before = logged.length
    const routed = await fetch(url + shape.path, { headers: conditional }) // through Fastify
    const revalidated = await fetch(url + shape.path, { headers: { ...conditional, 'x-request-id': 'poll-42' } })
    t.equal(routed.status, 304, `${shape.path}: Fastify's 304`)
    t.equal(revalidated.status, 304, `${shape.path}: the revalidator's 304`)
    t.same(comparable(revalidated.headers), comparable(routed.headers), `${shape.path}: the same headers`)
    t.equal(revalidated.headers.get('x-request-id'), 'poll-42', `${shape.path}: the client's request id echoed`)
    t.equal(await revalidated.text(), '', `${shape.path}: no body`)
    t.ok(logged.slice(before).some((entry) => entry.reqId === 'poll-42' && (entry.res as { statusCode: number }).statusCode === 304),
      `${shape.path}: logged with its request id`)
  }
})

t.test('a write, another representation or another origin goes through Fastify again', async (t) => {
  const { url, authorization, logged } = await listening(t)
  const path = '/v1/transfers?limit=50'
  const first = await fetch(url + path)
  await first.arrayBuffer()
  const etag = first.headers.get('etag')!
  await (await fetch(url + path, { headers: { 'if-none-match': etag } })).arrayBuffer()

  const revalidatedIds = () => logged.filter((entry) => String(entry.reqId).startsWith('probe-')).map((entry) => entry.reqId)
  const probe = async (id: string, headers: Record<string, string>) => {
    const res = await fetch(url + path, { headers: { ...headers, 'x-request-id': id } })
    await res.arrayBuffer()
    return res
  }

  t.equal((await probe('probe-1', { 'if-none-match': etag })).status, 304)
  t.equal((await probe('probe-2', { 'if-none-match': etag, accept: 'text/csv' })).status, 200, 'another media type: another ETag, a 200')
  t.equal((await probe('probe-3', { 'if-none-match': '"v0-other"' })).status, 200, 'a stale ETag: a 200')
  const withOrigin = await probe('probe-4', { 'if-none-match': etag, origin: 'https://dashboard.example' })
  t.equal(withOrigin.status, 304, 'another origin: Fastify decides, still a 304')
  t.equal(withOrigin.headers.get('access-control-allow-origin'), '*', 'with its CORS headers')
  t.same(revalidatedIds(), ['probe-1'], 'only the known shape was answered before routing')

  const write = await fetch(`${url}/v1/actors/omar-garcia-harfuch`, {
    method: 'PATCH',
    headers: { authorization, 'content-type': 'application/merge-patch+json' },
    body: JSON.stringify({ description: 'Mexico\'s security secretary (revalidation test).' })
  })
  t.equal(write.status, 200, 'a write')
  const after = await probe('probe-5', { 'if-none-match': etag })
  t.equal(after.status, 200, 'after the write the old ETag is a 200')
  t.not(after.headers.get('etag'), etag, 'with a new ETag')
  t.same(revalidatedIds(), ['probe-1'], 'the write is seen before the revalidator answers')
  const fresh = after.headers.get('etag')!
  t.equal((await probe('probe-6', { 'if-none-match': fresh })).status, 304)
  t.same(revalidatedIds(), ['probe-1', 'probe-6'], 'the 200 remembered its new validator, answered before routing')
})

t.test('records, writes and unknown routes are never answered before routing', async (t) => {
  const { url, logged } = await listening(t)
  for (const path of ['/v1/transfers/transfer-2025-08-12', '/v1/nothing-here', '/health']) {
    const first = await fetch(url + path)
    await first.arrayBuffer()
    const etag = first.headers.get('etag') ?? '"x"'
    for (let i = 0; i < 2; i++) await (await fetch(url + path, { headers: { 'if-none-match': etag, 'x-request-id': `rec-${i}` } })).arrayBuffer()
  }
  t.same(logged.filter((entry) => String(entry.reqId).startsWith('rec-')), [], 'nothing revalidated before routing')
})

t.test('the revalidator keeps a bounded number of request shapes', async (t) => {
  const revalidator = new Revalidator(2)
  const req = (url: string) => ({ method: 'GET', url, headers: {} }) as never
  revalidator.remember(req('/v1/a'), 1, '20261128', '"v1-a"', {})
  revalidator.remember(req('/v1/b'), 1, '20261128', '"v1-b"', {})
  revalidator.remember(req('/v1/a'), 2, '20261128', '"v2-a"', {}) // replaces, no eviction
  t.equal(revalidator.size, 2)
  revalidator.remember(req('/v1/c'), 1, '20261128', '"v1-c"', {})
  t.equal(revalidator.size, 2, 'the oldest shape was forgotten')
  t.notOk(revalidator.handle({ method: 'GET', url: '/v1/a', headers: { 'if-none-match': '"v2-a"' } } as never, {} as never), 'not attached: Fastify answers')
})

t.test('a write the server did not make itself is seen within the data version\'s time to live', async (t) => {
  const { app, db } = await buildTestApp(t)
  // Another writer on the same database, as a `kb import` process would be: the app hears no event.
  const other = createRecordWrites(db, createRepositories(db, new CursorCodec(testConfig.cursorSecret)), revisionListeners(db))
  const url = '/v1/actors?limit=5'
  const before = await app.inject({ url })
  const record = await app.inject({ url: '/v1/actors/omar-garcia-harfuch' })
  other.update('actor', 'omar-garcia-harfuch', { description: 'Changed by another process.' }, { author: 'elsewhere' })
  await new Promise((resolve) => setTimeout(resolve, versionTtlMs + 5))
  const after = await app.inject({ url, headers: { 'if-none-match': String(before.headers.etag) } })
  t.equal(after.statusCode, 200, 'the list\'s old ETag no longer matches')
  t.not(after.headers.etag, before.headers.etag)
  const changed = await app.inject({ url: '/v1/actors/omar-garcia-harfuch', headers: { 'if-none-match': String(record.headers.etag) } })
  t.equal(changed.statusCode, 200, 'the record\'s old ETag no longer matches')
  t.equal(JSON.parse(changed.body).description, 'Changed by another process.')
  t.not(changed.headers.etag, record.headers.etag, 'a new revision, a new ETag')
})

t.test('memoPerVersion computes once per key and data version, within its bound', async (t) => {
  let version = 1
  const computed: string[] = []
  const memo = memoPerVersion(() => version, (key: string) => {
    computed.push(key)
    return key === 'none' ? null : key.toUpperCase()
  }, 2)
  t.same([memo('a'), memo('a'), memo('none'), memo('none')], ['A', 'A', null, null])
  t.same(computed, ['a', 'none'], 'a remembered null is not computed again')
  memo('b') // past the bound: 'a' is forgotten
  memo('a')
  t.same(computed, ['a', 'none', 'b', 'a'])
  version = 2
  memo('b')
  t.same(computed, ['a', 'none', 'b', 'a', 'b'], 'a new data version starts over')
})
