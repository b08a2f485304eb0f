import t from 'tap'
import { assertProblem, assertQueryProblem, buildTestApp } from './helpers.js'

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

// Every kind's 404 for an unknown id, and its 400s for an unknown include or field, are in resources.test.ts.

t.test('an unknown query parameter is a 400 unknown_parameter naming it', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers?foo=1' })
  const body = assertProblem(t, res, 400, 'unknown_parameter')
  t.same(body.errors, [{ in: 'query', name: 'foo', detail: 'is not a known parameter of this operation' }])
  t.match(body.detail, /"foo"/)
  t.match(body, { instance: '/v1/transfers?foo=1' })
})

t.test('an unknown parameter on a get-by-id or a probe is refused too', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/v1/actors/omar-garcia-harfuch?limit=2', '/health?verbose=1']) {
    const res = await app.inject({ url })
    const body = assertProblem(t, res, 400, 'unknown_parameter')
    t.equal(body.errors?.length, 1, url)
  }
})

t.test('several unknown parameters are all listed', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/actors?foo=1&bar=2' })
  const body = assertProblem(t, res, 400, 'unknown_parameter')
  t.same(body.errors?.map((e) => e.name).sort(), ['bar', 'foo'])
})

t.test('unknown and invalid parameters together are all listed in one invalid_parameter', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers?foo=1&limit=0&mechanism=bogus&from_country=mexico' })
  const body = assertProblem(t, res, 400, 'invalid_parameter')
  t.same(body.errors?.map((e) => e.name).sort(), ['foo', 'from_country', 'limit', 'mechanism'])
  for (const e of body.errors ?? []) {
    t.equal(e.in, 'query')
    t.match(body.detail, `"${e.name}"`, `detail names ${e.name}`)
  }
})

t.test('a bad filter value is a 400 invalid_parameter naming the filter and what is allowed', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers?mechanism=bogus' })
  const body = assertProblem(t, res, 400, 'invalid_parameter')
  t.same(body.errors, [{ in: 'query', name: 'mechanism', detail: 'has an unknown value "bogus"; allowed values are extradition, expulsion, deportation, other, unspecified' }])

  const date = assertProblem(t, await app.inject({ url: '/v1/transfers?date_from=yesterday' }), 400, 'invalid_parameter')
  t.match(date.errors, [{ in: 'query', name: 'date_from', detail: /pattern/ }])
})

t.test('an unknown sort key is a 400 invalid_parameter naming sort', async (t) => {
  const { app } = await buildTestApp(t)
  const body = assertProblem(t, await app.inject({ url: '/v1/transfers?sort=-bogus' }), 400, 'invalid_parameter')
  t.match(body.errors, [{ in: 'query', name: 'sort', detail: /bogus/ }])
})

for (const [limit, detail] of [['501', 'must be at most 500'], ['0', 'must be at least 1'], ['abc', 'must be integer']]) {
  t.test(`limit=${limit} is a 400 invalid_parameter naming limit`, async (t) => {
    const { app } = await buildTestApp(t)
    const res = await app.inject({ url: `/v1/actors?limit=${limit}` })
    const body = assertProblem(t, res, 400, 'invalid_parameter')
    t.same(body.errors, [{ in: 'query', name: 'limit', detail }])
  })
}

t.test('a garbage cursor is a 400 invalid_cursor naming cursor', async (t) => {
  const { app } = await buildTestApp(t)
  for (const cursor of ['garbage', 'a.b.c', 'eyJ2IjoxfQ.']) {
    await assertQueryProblem(t, app, `/v1/actors?cursor=${encodeURIComponent(cursor)}`, 'invalid_cursor', { name: 'cursor' }, cursor)
  }
})

t.test('a cursor with one character changed is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await app.inject({ url: '/v1/actors?limit=2' })
  const cursor = first.json<{ next_cursor: string }>().next_cursor
  t.type(cursor, 'string')
  t.equal((await app.inject({ url: `/v1/actors?limit=2&cursor=${cursor}` })).statusCode, 200, 'the cursor as issued works')

  const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === 'A' ? 'B' : 'A') + s.slice(i + 1)
  const dot = cursor.indexOf('.')
  for (const i of [5, dot - 2, dot + 3, cursor.length - 1]) {
    const res = await app.inject({ url: `/v1/actors?limit=2&cursor=${flip(cursor, i)}` })
    const body = assertProblem(t, res, 400, 'invalid_cursor')
    t.same(body.errors?.map((e) => [e.in, e.name]), [['query', 'cursor']], `character ${i} changed`)
  }
})

t.test('a cursor from another resource is refused', async (t) => {
  const { app } = await buildTestApp(t)
  const cursor = (await app.inject({ url: '/v1/transfers?limit=1' })).json<{ next_cursor: string }>().next_cursor
  t.type(cursor, 'string')
  const body = assertProblem(t, await app.inject({ url: `/v1/actors?limit=1&cursor=${cursor}` }), 400, 'invalid_cursor')
  t.match(body.errors, [{ in: 'query', name: 'cursor' }])
})

t.test('a cursor reused with different filters or sort is refused; a different limit is fine', async (t) => {
  const { app } = await buildTestApp(t)
  const cursor = (await app.inject({ url: '/v1/actors?limit=2' })).json<{ next_cursor: string }>().next_cursor
  for (const query of ['limit=2&kind=person', 'limit=2&sort=-name', 'limit=2&sort=id', 'limit=2&name=garcia']) {
    await assertQueryProblem(t, app, `/v1/actors?${query}&cursor=${cursor}`, 'invalid_cursor', { name: 'cursor' }, query)
  }
  t.equal((await app.inject({ url: `/v1/actors?limit=5&cursor=${cursor}` })).statusCode, 200, 'limit is not part of the query a cursor is bound to')
  t.equal((await app.inject({ url: `/v1/actors?limit=2&sort=name&cursor=${cursor}` })).statusCode, 200, 'the default sort spelt out is the same query')
})

t.test('a cursor reused with a different sort says it belongs to a different query', async (t) => {
  const { app } = await buildTestApp(t)
  const cursor = (await app.inject({ url: '/v1/actors?limit=2' })).json<{ next_cursor: string }>().next_cursor
  for (const query of ['limit=2&kind=person', 'limit=2&sort=-name', 'limit=2&sort=id']) {
    const body = assertProblem(t, await app.inject({ url: `/v1/actors?${query}&cursor=${cursor}` }), 400, 'invalid_cursor')
    t.match(body.detail, /different query/, query)
  }
})

t.test('an unknown route is a 404 route_not_found', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of ['/nope', '/v1/nope', '/v2/transfers', '/v1/transfers/transfer-2025-08-12/extra']) {
    const res = await app.inject({ url })
    const body = assertProblem(t, res, 404, 'route_not_found')
    t.match(body.detail, url.split('?')[0]!, url)
  }
  const post = await app.inject({ method: 'POST', url: '/v1/transfers', payload: {} })
  t.equal(post.statusCode >= 400 && post.statusCode < 500, true, 'an unsupported method is a 4xx')
  t.match(String(post.headers['content-type']), /^application\/problem\+json/)
})

t.test('an unexpected failure is a 500 internal that tells nothing of the internals', async (t) => {
  const { app, db } = await buildTestApp(t)
  db.sqlite.close()
  for (const url of ['/v1/transfers', '/v1/actors/omar-garcia-harfuch', '/v1/quotes?limit=1']) {
    const res = await app.inject({ url })
    const body = assertProblem(t, res, 500, 'internal')
    t.equal(body.detail, 'An unexpected error occurred. Quote the request_id when reporting it.', url)
    t.same(Object.keys(body).sort(), ['code', 'detail', 'instance', 'request_id', 'status', 'title', 'type'], 'no extra members')
    t.notMatch(res.body, /database|connection|sqlite|stack|node_modules|\/src\//i, 'no internal message')
  }
})

t.test('x-request-id is set on every response and matches the problem body', async (t) => {
  const { app } = await buildTestApp(t)
  const ok = await app.inject({ url: '/v1/transfers' })
  t.match(ok.headers['x-request-id'], uuid, 'a new UUID when the client sends none')

  const res = await app.inject({ url: '/v1/actors/nobody' })
  const body = assertProblem(t, res, 404, 'not_found') as { request_id?: string }
  t.match(res.headers['x-request-id'], uuid)
  t.equal(body.request_id, res.headers['x-request-id'])

  const other = await app.inject({ url: '/v1/actors/nobody' })
  t.not(other.headers['x-request-id'], res.headers['x-request-id'], 'each request gets its own id')
})

t.test('a safe client-supplied X-Request-Id is reused', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/nope', headers: { 'x-request-id': 'client-req.42:a_b' } })
  const body = assertProblem(t, res, 404, 'route_not_found') as { request_id?: string }
  t.equal(res.headers['x-request-id'], 'client-req.42:a_b')
  t.equal(body.request_id, 'client-req.42:a_b')

  const ok = await app.inject({ url: '/health', headers: { 'x-request-id': 'probe-1' } })
  t.equal(ok.headers['x-request-id'], 'probe-1')
})

t.test('an unsafe client-supplied X-Request-Id is replaced by a new UUID', async (t) => {
  const { app } = await buildTestApp(t)
  for (const given of ['has spaces and !', 'x'.repeat(129), '<script>']) {
    const res = await app.inject({ url: '/v1/actors/nobody', headers: { 'x-request-id': given } })
    const body = assertProblem(t, res, 404, 'not_found') as { request_id?: string }
    t.match(res.headers['x-request-id'], uuid, `${given.slice(0, 20)} is not reused`)
    t.equal(body.request_id, res.headers['x-request-id'])
  }
})
