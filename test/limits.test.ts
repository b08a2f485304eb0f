/**
 * Limits that keep one client from taking the server: rate limits by kind of request, caps on
 * change streams, timeouts for requests that do not arrive; and idempotency keys that expire and
 * hold across processes.
 */
import { once } from 'node:events'
import { connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { assertProblem, buildTestApp, supportedQuote, testConfig, writer, type App } from './helpers.js'

t.test('reads, searches and writes each have a per-client limit a minute, with RateLimit headers and a 429 problem past it', async (t) => {
  const { app } = await buildTestApp(t, { config: { rateLimits: { reads: 3, searches: 2, writes: 1 } } })
  const first = await app.inject({ url: '/v1/transfers' })
  t.equal(first.headers['ratelimit-limit'], '3')
  t.equal(first.headers['ratelimit-remaining'], '2')
  t.match(first.headers['ratelimit-reset'], /^\d+$/)
  // A 304 is a request too.
  const revalidated = await app.inject({ url: '/v1/transfers', headers: { 'if-none-match': String(first.headers.etag) } })
  t.equal(revalidated.statusCode, 304)
  t.equal(revalidated.headers['ratelimit-remaining'], '1', 'a 304 counts like any read')
  await app.inject({ url: '/v1/actors' })
  const over = await app.inject({ url: '/v1/quotes' })
  const body = assertProblem(t, over, 429, 'too_many_requests') as { detail: string, limit?: string }
  t.equal(body.limit, 'rate_limit_reads')
  t.match(body.detail, /more than 3 reads in a minute; retry in \d+ s/)
  t.match(over.headers['retry-after'], /^\d+$/)

  t.equal((await app.inject({ url: '/v1/search?q=mexico' })).statusCode, 200, 'searches count apart from reads')
  await app.inject({ url: '/v1/search?q=mexico' })
  t.equal((assertProblem(t, await app.inject({ url: '/v1/search?q=mexico' }), 429, 'too_many_requests') as { limit?: string }).limit, 'rate_limit_searches')

  const { key } = app.kb.apiKeys.create('desk', 'write')
  const write = () => app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization: `Bearer ${key}` }, payload: { description: 'x' } })
  t.equal((await write()).statusCode, 200)
  t.equal((assertProblem(t, await write(), 429, 'too_many_requests') as { limit?: string }).limit, 'rate_limit_writes')

  for (const url of ['/health', '/ready']) t.equal((await app.inject({ url })).statusCode, 200, `${url} is never limited: load balancers poll it`)
})

t.test('clients are told apart by address (X-Forwarded-For only behind a trusted proxy)', async (t) => {
  const { app } = await buildTestApp(t, { config: { rateLimits: { reads: 1, searches: 1, writes: 1 } } })
  t.equal((await app.inject({ url: '/v1/actors', remoteAddress: '10.0.0.1' })).statusCode, 200)
  t.equal((await app.inject({ url: '/v1/actors', remoteAddress: '10.0.0.2' })).statusCode, 200, 'another client has its own budget')
  t.equal((await app.inject({ url: '/v1/actors', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': '192.0.2.9' } })).statusCode, 429, 'an untrusted X-Forwarded-For changes nothing')
  const { app: proxied } = await buildTestApp(t, { config: { rateLimits: { reads: 1, searches: 1, writes: 1 }, trustProxy: ['127.0.0.1'] } })
  const via = (client: string) => proxied.inject({ url: '/v1/actors', remoteAddress: '127.0.0.1', headers: { 'x-forwarded-for': client } })
  t.equal((await via('192.0.2.1')).statusCode, 200)
  t.equal((await via('192.0.2.2')).statusCode, 200, 'behind the trusted proxy, the forwarded address is the client')
  t.equal((await via('192.0.2.1')).statusCode, 429)
})

/** The app listening on 127.0.0.1, for what only a real connection shows. */
async function listening (app: App) {
  await app.listen({ host: '127.0.0.1', port: 0 })
  return (app.server.address() as AddressInfo).port
}

t.test('change streams are capped per client (429) and in all (503), and a closed stream frees its place', async (t) => {
  const { app } = await buildTestApp(t, { config: { maxStreams: 3, maxStreamsPerClient: 2 } })
  const port = await listening(app)
  const open: AbortController[] = []
  const stream = async (headers: Record<string, string> = {}) => {
    const controller = new AbortController()
    const res = await fetch(`http://127.0.0.1:${port}/v1/changes/stream`, { headers, signal: controller.signal })
    if (res.status === 200) open.push(controller)
    else await res.body?.cancel()
    return res
  }
  t.teardown(() => { for (const c of open) c.abort() })
  t.equal((await stream()).status, 200)
  t.equal((await stream()).status, 200)
  const third = await stream()
  t.equal(third.status, 429, 'a third from the same client')
  t.equal(third.headers.get('retry-after'), '10')
  open.pop()!.abort()
  await new Promise((resolve) => setTimeout(resolve, 100))
  t.equal((await stream()).status, 200, 'a stream closed frees its place')
  // In all: the server is told apart clients only behind a proxy it trusts; here the cap in all is 3.
  const { app: shared } = await buildTestApp(t, { config: { maxStreams: 1, maxStreamsPerClient: 5 } })
  const sharedPort = await listening(shared)
  const a = new AbortController()
  t.teardown(() => a.abort())
  t.equal((await fetch(`http://127.0.0.1:${sharedPort}/v1/changes/stream`, { signal: a.signal })).status, 200)
  const full = await fetch(`http://127.0.0.1:${sharedPort}/v1/changes/stream`)
  t.equal(full.status, 503)
  t.match(await full.json(), { code: 'unavailable', limit: 'max_streams' })
})

t.test('a stream whose client does not read is sent no more than its socket takes: the rest waits in the database', async (t) => {
  const { app, authorization } = await writer(t)
  // A feed far larger than a socket's buffers: 800 changes of a 30 KB record, after the seed.
  const long = (i: number) => `${i} ${'x'.repeat(9900)}`
  for (let i = 0; i < 800; i++) {
    const res = await app.inject({ method: 'PATCH', url: '/v1/transfers/transfer-2025-02', headers: { authorization }, payload: { summary: long(i), purpose: long(i), charges: long(i) } })
    if (res.statusCode !== 200) t.fail(`PATCH ${i}: ${res.statusCode}`)
  }
  const feedLength = app.kb.db.sqlite.prepare('SELECT count(*) FROM revisions').pluck().get() as number
  // How far the stream has sent: each page it reads starts after the last change it wrote.
  const feed = app.reads.revisions
  const since = feed.since.bind(feed)
  let sent = 0
  feed.since = (after, ...rest) => {
    sent = Math.max(sent, after)
    return since(after, ...rest)
  }
  const port = await listening(app)
  const socket = connect(port, '127.0.0.1')
  socket.pause() // does not read
  socket.write('GET /v1/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  await new Promise((resolve) => setTimeout(resolve, 1500))
  t.ok(sent > 0 && sent < feedLength / 2, `while the client does not read, the stream sent ${sent} of ${feedLength} changes`)
  let text = ''
  socket.on('data', (chunk) => { text += chunk.toString() })
  socket.resume()
  const deadline = Date.now() + 20_000
  while ((text.match(/event: change/g) ?? []).length < feedLength && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal((text.match(/event: change/g) ?? []).length, feedLength, 'once it reads, it gets every change, in order')
  socket.destroy()
})

t.test('a request whose body stops arriving is cut off with a 408 problem once REQUEST_TIMEOUT_MS passes', async (t) => {
  const { app } = await buildTestApp(t, { config: { requestTimeoutMs: 500, headersTimeoutMs: 300 } })
  const { key } = app.kb.apiKeys.create('slow', 'write')
  const port = await listening(app)
  const socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => { answer += chunk.toString() })
  socket.write(`POST /v1/actors HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer ${key}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"kind":`)
  const started = Date.now()
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 5000))])
  t.ok(Date.now() - started < 4000, `closed after ${Date.now() - started} ms`)
  t.match(answer, /^HTTP\/1\.1 408 /)
  t.match(answer, /content-type: application\/problem\+json/i)
  t.match(answer, /"code":"request_timeout"/)
  t.match(answer, /x-request-id: [0-9a-f-]{36}/i)
})

t.test('connections past MAX_CONNECTIONS are refused; idle keep-alive connections close after KEEP_ALIVE_TIMEOUT_MS', async (t) => {
  const { app } = await buildTestApp(t, { config: { maxConnections: 2, keepAliveTimeoutMs: 300 } })
  const port = await listening(app)
  const open = async () => {
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    return socket
  }
  const [a, b] = [await open(), await open()]
  const third = await open()
  const closed = await Promise.race([once(third, 'close').then(() => true), new Promise((resolve) => setTimeout(() => resolve(false), 2000))])
  t.ok(closed, 'a third connection is closed by the server at once')
  a.destroy()
  b.destroy()
  await new Promise((resolve) => setTimeout(resolve, 100))
  const idle = await open()
  idle.resume() // reads the answer, then sends nothing more
  idle.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
  const started = Date.now()
  await Promise.race([once(idle, 'close'), new Promise((resolve) => setTimeout(resolve, 5000))])
  t.ok(Date.now() - started < 3000, `an idle keep-alive connection is closed (after ${Date.now() - started} ms)`)
})

t.test('bytes that are not HTTP get a 400 problem with a request id, then the connection is closed', async (t) => {
  const { app } = await buildTestApp(t)
  const port = await listening(app)
  const socket = connect(port, '127.0.0.1')
  let answer = ''
  socket.on('data', (chunk) => { answer += chunk.toString() })
  socket.write('THIS IS NOT HTTP\r\n\r\n')
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 5000))])
  t.match(answer, /^HTTP\/1\.1 400 /)
  t.match(answer, /"code":"invalid_request"/)
  t.match(answer, /"request_id":"[0-9a-f-]{36}"/)
})

t.test('an Idempotency-Key expires after IDEMPOTENCY_TTL_HOURS: then it is free for a new request', async (t) => {
  const { app } = await buildTestApp(t, { config: { idempotencyTtlHours: 1 } })
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const create = (id: string) => app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization, 'idempotency-key': 'once' }, payload: supportedQuote(id) })
  t.equal((await create('first')).statusCode, 201)
  t.equal((await create('first')).headers['idempotent-replayed'], 'true')
  t.equal((await create('second')).statusCode, 422, 'another body with the key: a mismatch while it is remembered')
  app.kb.db.sqlite.prepare("UPDATE idempotency_keys SET created_at = '2000-01-01T00:00:00.000Z'").run()
  const later = await create('second')
  t.equal(later.statusCode, 201, 'expired: the key is free again')
  t.notOk(later.headers['idempotent-replayed'])
  t.equal((app.kb.db.sqlite.prepare('SELECT count(*) FROM idempotency_keys').pluck().get() as number), 1, 'the expired response is forgotten')
})

t.test('two servers on one database given the same Idempotency-Key at once make one record and replay it to every retry', async (t) => {
  const dir = t.testdir()
  const path = join(dir, 'kb.sqlite')
  const setup = createDb(path)
  migrateDb(setup)
  seedDatabase(setup)
  const { key } = (await import('../src/auth/api-keys.js')).createApiKeys(setup).create('desk', 'write')
  setup.close()
  // Each with its own connection and writing thread, as two processes would have.
  const apps: App[] = []
  for (let i = 0; i < 2; i++) {
    const db = createDb(path)
    const app = await buildApp({ db, config: { ...testConfig, rateLimits: false, readWorkers: 1 } })
    t.teardown(async () => {
      await app.close()
      db.close()
    })
    apps.push(app)
  }
  t.ok(apps.every((app) => app.offload.threaded), 'writes run in each server\'s writing thread')
  const answers = await Promise.all(Array.from({ length: 12 }, (_, i) => apps[i % 2]!.inject({
    method: 'POST', url: '/v1/quotes', headers: { authorization: `Bearer ${key}`, 'idempotency-key': 'same-key' }, payload: supportedQuote('raced')
  })))
  t.same([...new Set(answers.map((a) => a.statusCode))], [201], 'every retry is a 201')
  t.equal(new Set(answers.map((a) => a.body)).size, 1, 'with the same body')
  t.equal(answers.filter((a) => a.headers['idempotent-replayed'] !== 'true').length, 1, 'made once, replayed to the rest')
  const revisions = (await apps[0]!.inject({ url: '/v1/quotes/raced/revisions' })).json<{ data: unknown[] }>().data
  t.equal(revisions.length, 1, 'one record, one revision')
})
