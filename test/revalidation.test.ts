/**
 * Conditional GETs: a matching `If-None-Match` is a 304 decided in Fastify's `onRequest` (before
 * any query of the data tables), and every request, 304s included, goes through Fastify's hooks.
 */
import type { AddressInfo } from 'node:net'
import t from 'tap'
import { memoPerVersion, versionTtlMs } from '../src/http/caching.js'
import { createKnowledgeBase } from '../src/knowledge-base.js'
import { buildTestApp } from './helpers.js'

t.test('a 304 over a real connection goes through every hook, so one added later (auth, rate limits) always runs', async (t) => {
  const { app } = await buildTestApp(t)
  const seen: Array<{ url: string, status: number }> = []
  app.addHook('onResponse', async (request, reply) => { seen.push({ url: request.url, status: reply.statusCode }) })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  for (const url of ['/v1/transfers?limit=1', '/v1/transfers/transfer-2025-08-12']) {
    const first = await fetch(base + url)
    const etag = first.headers.get('etag')!
    for (let i = 0; i < 3; i++) {
      const again = await fetch(base + url, { headers: { 'if-none-match': etag } })
      t.equal(again.status, 304, `${url}: a repeat with its ETag is a 304`)
      t.equal(again.headers.get('etag'), etag)
      t.match(again.headers.get('x-request-id'), /\S/, 'with a request id')
    }
  }
  t.same(seen.map((s) => s.status), [200, 304, 304, 304, 200, 304, 304, 304], 'every request reached the onResponse hook')
})

t.test('a write the server did not make itself is seen within the data version\'s time to live', async (t) => {
  const { app, db } = await buildTestApp(t)
  // Another writer on the same database, as a `kb import` process would be: the app hears no event.
  const other = createKnowledgeBase(db).writes
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
  t.same([await memo('a'), await memo('a'), await memo('none'), await memo('none')], ['A', 'A', null, null])
  t.same(computed, ['a', 'none'], 'a remembered null is not computed again')
  await memo('b') // past the bound: 'a' is forgotten
  await memo('a')
  t.same(computed, ['a', 'none', 'b', 'a'])
  version = 2
  await memo('b')
  t.same(computed, ['a', 'none', 'b', 'a', 'b'], 'a new data version starts over')
})
