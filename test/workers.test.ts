/**
 * Over a database file the server runs searches, the timeline and statistics in reading threads
 * and every write in a writing thread (src/workers/), so that none of them holds the event loop.
 * The answers are the same as in the server's own thread; a read past its time budget is cut off.
 */
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp, type AppConfig } from '../src/app.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { buildTestApp, supportedQuote, testConfig } from './helpers.js'

async function threadedApp (t: Test, config: AppConfig = {}) {
  const path = join(t.testdir(), 'kb.sqlite')
  const db = createDb(path)
  migrateDb(db)
  seedDatabase(db)
  const app = await buildApp({ db, config: { ...testConfig, readWorkers: 2, ...config } })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  return { app, db, authorization: `Bearer ${app.kb.apiKeys.create('desk', 'write').key}` }
}

const reads = [
  '/v1/search?q=garcia%20harfuch', '/v1/search?q=extradi*&kind=transfer,quote&limit=2', '/v1/search?q=%22unbalanced',
  '/v1/timeline', '/v1/timeline?sort=-date&limit=3&types=quote', '/v1/timeline?actor=pam-bondi',
  '/v1/stats/transfers?group_by=organization', '/v1/stats/quotes', '/v1/stats/cooperation-measures?group_by=status', '/v1/stats/tariff-deadlines'
]

t.test('searches, the timeline and statistics answer the same from the reading threads as in the server\'s thread', async (t) => {
  const { app: threaded } = await threadedApp(t)
  const { app: inline } = await buildTestApp(t, { config: { cursorSecret: threaded.kb.cursorSecret } })
  t.ok(threaded.offload.threaded, 'over a file, with READ_WORKERS')
  t.notOk(inline.offload.threaded, 'in memory, in place')
  for (const url of reads) {
    const [a, b] = await Promise.all([threaded.inject({ url }), inline.inject({ url })])
    t.equal(a.statusCode, b.statusCode, `${url}: ${a.statusCode}`)
    const body = (text: string) => text.replace(/"request_id":"[^"]+"/, '"request_id":…')
    t.equal(body(a.body), body(b.body), `${url}: the same body`)
  }
  // Cursors too: made in one thread, taken by another.
  const first = (await threaded.inject({ url: '/v1/timeline?limit=2' })).json<{ next_cursor: string }>()
  const second = await threaded.inject({ url: `/v1/timeline?limit=2&cursor=${first.next_cursor}` })
  t.equal(second.statusCode, 200)
  t.equal(second.body, (await inline.inject({ url: `/v1/timeline?limit=2&cursor=${first.next_cursor}` })).body)
})

t.test('writes and imports run in the writing thread: their answers, their problems, and what reads see after them', async (t) => {
  const { app, authorization } = await threadedApp(t)
  const created = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: supportedQuote('threaded') })
  t.equal(created.statusCode, 201)
  t.equal(created.headers.etag, '"r1"')
  t.equal((await app.inject({ url: '/v1/quotes/threaded' })).statusCode, 200, 'read at once by the server\'s own connection')
  t.match((await app.inject({ url: '/v1/search?q=threaded' })).statusCode, 200)
  const conflict = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: supportedQuote('threaded') })
  t.equal(conflict.statusCode, 409, 'a problem thrown in the thread is the same problem')
  t.equal(conflict.json<{ code: string }>().code, 'conflict')
  const unprocessable = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: { ...supportedQuote('bad'), text: 'never said' } })
  t.match(unprocessable.json(), { code: 'unprocessable', errors: [{ name: '/text' }] })
  const patched = await app.inject({ method: 'PATCH', url: '/v1/quotes/threaded', headers: { authorization, 'if-match': '"r1"' }, payload: { context: 'In a thread.' } })
  t.equal(patched.statusCode, 200)
  t.equal((await app.inject({ method: 'PATCH', url: '/v1/quotes/threaded', headers: { authorization, 'if-match': '"r1"' }, payload: { context: 'x' } })).statusCode, 412)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/quotes/threaded', headers: { authorization } })).statusCode, 204)
  t.equal((await app.inject({ url: '/v1/quotes/threaded' })).statusCode, 410)
  const exported = (await app.inject({ url: '/v1/export' })).body
  const imported = await app.inject({ method: 'POST', url: '/v1/import', headers: { authorization, 'content-type': 'application/x-ndjson' }, payload: exported })
  t.equal(imported.statusCode, 422, 'an import of what exists is refused, line by line, from the thread')
  t.equal(imported.json<{ errors: unknown[] }>().errors.length, exported.trimEnd().split('\n').length)
})

t.test('a change streams learn of at once, whichever thread wrote it', async (t) => {
  const { app, authorization } = await threadedApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const end = (await app.inject({ url: '/v1/changes?limit=1000' })).json<{ next_cursor: string }>().next_cursor
  const controller = new AbortController()
  t.teardown(() => controller.abort())
  const res = await fetch(`${base}/v1/changes/stream?since=${end}`, { signal: controller.signal })
  const reader = res.body!.getReader()
  const started = Date.now()
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: supportedQuote('streamed') })).statusCode, 201)
  let text = ''
  while (!text.includes('"id":"streamed"')) text += new TextDecoder().decode((await reader.read()).value)
  t.ok(Date.now() - started < 900, `within ${Date.now() - started} ms, before the stream's 1 s poll`)
})

t.test('a write waiting for another process\'s write lock holds up no read: it waits in the writing thread', async (t) => {
  const { app, authorization } = await threadedApp(t)
  // The route's first answer compiles its serializer: done before the lock, so that what is
  // measured below is waiting, not compiling.
  t.equal((await app.inject({ url: '/v1/transfers/transfer-2025-08-12' })).statusCode, 200)
  // Another process holding the write lock, as a `kb import` would.
  const other = createDb(app.kb.db.path)
  t.teardown(() => other.close())
  other.sqlite.exec('BEGIN IMMEDIATE')
  let written = false
  const writing = app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: supportedQuote('waited') })
    .then((res) => { written = true; return res })
  await new Promise((resolve) => setTimeout(resolve, 200))
  const read = await app.inject({ url: '/v1/transfers/transfer-2025-08-12' })
  t.equal(read.statusCode, 200)
  t.notOk(written, 'the read was answered while the write still waited for the lock')
  other.sqlite.exec('COMMIT')
  t.equal((await writing).statusCode, 201, 'the write goes through once the lock is free')
})

t.test('a read past READ_TIMEOUT_MS is cut off with a 503 naming the time budget; the next one is answered', async (t) => {
  const { app, db } = await threadedApp(t, { readTimeoutMs: 60 })
  // 150,000 documents with a common word: ranking them all takes some hundreds of milliseconds.
  const insert = db.sqlite.prepare("INSERT INTO search_documents (kind, record_id, date, title, body) VALUES ('source', ?, NULL, 'filler', 'quokka filler text')")
  db.sqlite.transaction(() => { for (let i = 0; i < 150_000; i++) insert.run(`filler-${i}`) })()
  const slow = await app.inject({ url: '/v1/search?q=quokka' })
  t.equal(slow.statusCode, 503)
  t.match(slow.json(), { code: 'unavailable', limit: 'time_budget', detail: /ran longer than the server allows \(60 ms\)/ })
  t.equal(slow.headers['retry-after'], '5')
  const quick = await app.inject({ url: '/v1/stats/tariff-deadlines' })
  t.equal(quick.statusCode, 200, 'the thread that was stopped was replaced, and answers')
  t.equal((await app.inject({ url: '/health' })).statusCode, 200)
})

t.test('closing the app right after a write closes the threads and then the database cleanly, the write stored', async (t) => {
  const path = join(t.testdir(), 'kb.sqlite')
  const db = createDb(path)
  migrateDb(db)
  seedDatabase(db)
  const app = await buildApp({ db, config: { ...testConfig, readWorkers: 1 } })
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  await app.listen({ host: '127.0.0.1', port: 0 })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const writing = fetch(`${base}/v1/quotes`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(supportedQuote('last')) })
  await new Promise((resolve) => setTimeout(resolve, 100))
  const closing = app.close()
  t.equal((await writing).status, 201, 'the write was answered')
  await closing
  t.equal(db.close(), undefined, 'then the database closes cleanly')
  const reopened = createDb(path)
  t.equal(reopened.sqlite.prepare("SELECT count(*) FROM quotes WHERE id = 'last'").pluck().get(), 1, 'and the write is stored')
  reopened.close()
})
