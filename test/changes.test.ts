import type { AddressInfo } from 'node:net'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { kindTypes } from '../src/kinds/index.js'
import { readSeedSet } from '../src/seed/load.js'
import { assertProblem, buildTestApp, createRecord, freePort, get, iso, readFeed, runSource, SOURCE, supportedQuote as quote, waitUntilReady, type App, type Change, type ChangePage } from './helpers.js'

// The last test runs the real server twice and the CLI twice, each a process loading TypeScript.
t.setTimeout(240_000)

const transfer = {
  id: 'transfer-2025-extra',
  from_country: 'MX',
  to_country: 'US',
  mechanism: 'unspecified',
  summary: 'The 55 people Mexico transferred to the United States in 2025.',
  citations: [{ source_id: SOURCE, excerpt: 'the 55 individuals transferred this year' }]
}

/** Every seeded record as `type/id`, in the order the seed writes them: sources first, each file in its order. */
function seededInCommitOrder (): string[] {
  const set = readSeedSet()
  return kindTypes.flatMap((type) => set[type].map((r) => `${type}/${r.id}`))
}

const keyOf = (c: Change) => `${c.type}/${c.id}`

/** `GET /v1/changes<query>`: the response and its page. */
const getFeed = (app: App, query = '') => get<ChangePage>(app, `/v1/changes${query}`)

t.test('GET /v1/changes starts with the seed\'s creates, by `seed`, in commit order', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await getFeed(app, '?limit=1000')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json; charset=utf-8/)
  t.same(Object.keys(body), ['data', 'next_cursor', 'has_more'])
  t.same(body.data.map(keyOf), seededInCommitOrder(), 'every seeded record once, in the order the seed wrote them')
  t.same(body.data.map((c) => c.seq), body.data.map((_, i) => i + 1), 'seq counts the changes from 1')
  t.equal(body.has_more, false)
  t.equal(body.next_cursor, body.data.at(-1)!.cursor, 'next_cursor is the position after the last change')
  for (const c of body.data) {
    t.match(c, { action: 'create', revision: 1, author: 'seed', at: iso, cursor: String }, `${keyOf(c)} is a create by seed`)
    t.equal(c.data.id, c.id)
  }

  const first = body.data.find((c) => c.type === 'quote')!
  const record = await app.inject({ url: `/v1/quotes/${first.id}?include=citations` })
  t.same(first.data, record.json(), 'data is the full record, citations included, as GET shows it')
})

t.test('paging with limit and next_cursor visits every change exactly once; has_more says whether to go on', async (t) => {
  const { app } = await buildTestApp(t)
  const all = (await getFeed(app, '?limit=1000')).body.data
  const { changes, pages } = await readFeed(t, app, { limit: 5 })
  t.same(changes, all, 'the pages together are the whole feed, in order, with no repeats')
  t.same(pages, [
    ...Array.from({ length: Math.floor((all.length - 1) / 5) }, () => ({ size: 5, has_more: true })),
    { size: all.length % 5 || 5, has_more: false }
  ], 'full pages with has_more, then a last page without')

  const { body: defaults } = await getFeed(app)
  t.equal(defaults.data.length, all.length, 'the default limit (100) holds the whole seeded feed')
})

t.test('at the end of the feed data is empty, and next_cursor picks up later writes', async (t) => {
  const { app } = await buildTestApp(t)
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const { body: everything } = await getFeed(app, '?limit=1000')

  const { res, body: end } = await getFeed(app, `?since=${everything.next_cursor}`)
  t.equal(res.statusCode, 200)
  t.same(end, { data: [], next_cursor: everything.next_cursor, has_more: false }, 'nothing new: the same position to poll from')

  const created = await createRecord(app, authorization, '/v1/quotes', quote('sheinbaum-sovereign-again'))
  const { body: after } = await getFeed(app, `?since=${end.next_cursor}`)
  t.equal(after.data.length, 1, 'exactly the new change')
  t.match(after.data[0], { seq: everything.data.length + 1, type: 'quote', id: 'sheinbaum-sovereign-again', action: 'create', revision: 1, author: 'desk', at: iso })
  t.same(after.data[0]!.data, created, 'with the full record, as the POST answered it')
  t.equal(after.next_cursor, after.data[0]!.cursor)
  t.equal((await getFeed(app, `?since=${after.next_cursor}`)).body.data.length, 0, 'and then the end again')
})

t.test('updates and deletes appear too, each with the record after the change (before it, for a delete)', async (t) => {
  const { app } = await buildTestApp(t)
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const start = (await getFeed(app, '?limit=1000')).body.next_cursor
  await createRecord(app, authorization, '/v1/quotes', quote('to-be-deleted'))
  const patched = await app.inject({ method: 'PATCH', url: '/v1/quotes/to-be-deleted', headers: { authorization }, payload: { context: 'On the transfers.' } })
  t.equal(patched.statusCode, 200)
  const deleted = await app.inject({ method: 'DELETE', url: '/v1/quotes/to-be-deleted', headers: { authorization } })
  t.equal(deleted.statusCode, 204)

  const { body } = await getFeed(app, `?since=${start}`)
  t.same(body.data.map((c) => [c.action, c.revision, c.author]), [['create', 1, 'desk'], ['update', 2, 'desk'], ['delete', 3, 'desk']])
  t.same(body.data[1]!.data, patched.json(), 'the update carries the record as PATCH answered it')
  t.same(body.data[2]!.data, body.data[1]!.data, 'the delete carries the record as it was')
})

t.test('types=transfer,quote keeps only those kinds; the cursor works with any filter', async (t) => {
  const { app } = await buildTestApp(t)
  const all = (await getFeed(app, '?limit=1000')).body.data
  const wanted = all.filter((c) => c.type === 'transfer' || c.type === 'quote')
  t.ok(wanted.length > 0 && wanted.length < all.length)

  const { body } = await getFeed(app, '?types=transfer,quote&limit=1000')
  t.same(body.data, wanted, 'the same changes as the whole feed has of those kinds, in the same order')
  const paged = await readFeed(t, app, { limit: 3, types: 'transfer,quote' })
  t.same(paged.changes, wanted, 'and paged')
  t.same(paged.pages.map((p) => p.has_more), [...Array.from({ length: Math.ceil(wanted.length / 3) - 1 }, () => true), false])

  const middle = all[9]!
  const { body: rest } = await getFeed(app, `?since=${middle.cursor}&types=quote&limit=1000`)
  t.same(rest.data, all.slice(10).filter((c) => c.type === 'quote'), 'a cursor from the unfiltered feed resumes a filtered one')
})

t.test('bad parameters are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await getFeed(app, '?limit=2')
  const tampered = body.next_cursor.replace(/^./, (c) => (c === 'e' ? 'f' : 'e'))
  for (const since of [tampered, 'abc', `${body.next_cursor}x`]) {
    const problem = assertProblem(t, await app.inject({ url: `/v1/changes?since=${encodeURIComponent(since)}` }), 400, 'invalid_cursor')
    t.match(problem.errors, [{ in: 'query', name: 'since' }], `since=${since.slice(0, 12)}… is named as "since"`)
    t.match(problem.detail, /"since"/)
  }
  const pageCursor = (await app.inject({ url: '/v1/quotes?limit=1' })).json<{ next_cursor: string }>().next_cursor
  const foreign = assertProblem(t, await app.inject({ url: `/v1/changes?since=${pageCursor}` }), 400, 'invalid_cursor')
  t.match(foreign.errors, [{ in: 'query', name: 'since', detail: /different query/ }], 'a list cursor is not a feed position')

  const types = assertProblem(t, await app.inject({ url: '/v1/changes?types=transfer,person' }), 400, 'invalid_parameter')
  t.match(types.errors, [{ in: 'query', name: 'types', detail: /"person"/ }])
  for (const limit of ['0', '1001', 'many']) {
    const problem = assertProblem(t, await app.inject({ url: `/v1/changes?limit=${limit}` }), 400, 'invalid_parameter')
    t.match(problem.errors, [{ in: 'query', name: 'limit' }], `limit=${limit}`)
  }
  const unknown = assertProblem(t, await app.inject({ url: '/v1/changes?cursor=x' }), 400, 'unknown_parameter')
  t.match(unknown.errors, [{ in: 'query', name: 'cursor' }], 'the feed takes since, not cursor')
})

// --- Server-Sent Events -------------------------------------------------------------------------

interface SseEvent { id?: string, event?: string, data?: string }

/**
 * Opens `GET url` with fetch and reads its body as Server-Sent Events. `waitFor(n)` resolves once
 * n events have arrived, and fails after a timeout instead of hanging.
 */
async function openStream (t: Test, url: string, headers: Record<string, string> = {}) {
  const controller = new AbortController()
  const res = await fetch(url, { headers, signal: controller.signal })
  const events: SseEvent[] = []
  let raw = ''
  let ended = false
  let wake: () => void = () => {}
  const changed = () => new Promise<void>((resolve) => { wake = resolve })
  const done = (async () => {
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        const text = decoder.decode(value, { stream: true })
        raw += text
        buffer += text
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event: SseEvent = {}
          for (const line of buffer.slice(0, end).split('\n')) {
            const match = /^(id|event|data): (.*)$/.exec(line)
            if (match !== null) event[match[1] as keyof SseEvent] = match[2]
          }
          buffer = buffer.slice(end + 2)
          if (event.data !== undefined) events.push(event)
        }
        wake()
      }
    } catch {} // aborted by close()
    ended = true
    wake()
  })()
  const close = () => controller.abort()
  t.teardown(close)

  async function until (what: string, ok: () => boolean, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs
    while (!ok()) {
      const left = deadline - Date.now()
      if (left <= 0 || (ended && !ok())) throw new Error(`${what}: not within ${timeoutMs} ms (${events.length} events, ended: ${ended})`)
      await Promise.race([changed(), new Promise((resolve) => setTimeout(resolve, Math.min(left, 100)))])
    }
  }

  return {
    res,
    events,
    raw: () => raw,
    changes: () => events.map((e) => JSON.parse(e.data!) as Change),
    waitFor: (n: number, timeoutMs = 5000) => until(`waiting for ${n} events`, () => events.length >= n, timeoutMs),
    ended: (timeoutMs = 5000) => until('waiting for the stream to end', () => ended, timeoutMs).then(() => done),
    close
  }
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** An app listening on a free local port, closed when the test ends. */
async function listening (t: Test) {
  const { app } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  return { app, base: `http://127.0.0.1:${port}` }
}

t.test('GET /v1/changes/stream sends the feed as text/event-stream: id, event: change, and the change as data', async (t) => {
  const { app, base } = await listening(t)
  const feed = (await getFeed(app, '?limit=1000')).body.data
  const stream = await openStream(t, `${base}/v1/changes/stream`)
  t.equal(stream.res.status, 200)
  t.equal(stream.res.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  t.equal(stream.res.headers.get('cache-control'), 'no-cache')
  t.ok(stream.res.headers.get('x-request-id'), 'an x-request-id like every answer')

  await stream.waitFor(feed.length)
  t.match(stream.raw(), /^retry: \d+\n\n/, 'it starts by telling EventSource how soon to reconnect')
  t.same(stream.events.map((e) => e.event), feed.map(() => 'change'))
  t.same(stream.events.map((e) => e.id), feed.map((c) => c.cursor), 'each event\'s id is the change\'s cursor')
  t.same(stream.changes(), feed, 'each event\'s data is the JSON feed\'s item')

  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const created = await createRecord(app, authorization, '/v1/quotes', quote('live-quote'))
  await stream.waitFor(feed.length + 1)
  const [live] = stream.changes().slice(feed.length)
  t.match(live, { type: 'quote', id: 'live-quote', action: 'create', author: 'desk', revision: 1 }, 'a write made after connecting arrives')
  t.same(live!.data, created)
  t.same(live, (await getFeed(app, `?since=${feed.at(-1)!.cursor}`)).body.data[0], 'as the JSON feed has it')
  stream.close()
})

t.test('reconnecting with Last-Event-ID resumes right after that event, with no gaps or repeats', async (t) => {
  const { app, base } = await listening(t)
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const seeded = (await getFeed(app, '?limit=1000')).body.data.length

  const first = await openStream(t, `${base}/v1/changes/stream`)
  await first.waitFor(seeded)
  await createRecord(app, authorization, '/v1/quotes', quote('before-disconnect'))
  await first.waitFor(seeded + 1)
  first.close()
  const lastId = first.events.at(-1)!.id!

  await createRecord(app, authorization, '/v1/quotes', quote('while-away-1'))
  await createRecord(app, authorization, '/v1/transfers', transfer)
  const second = await openStream(t, `${base}/v1/changes/stream`, { 'last-event-id': lastId })
  t.equal(second.res.status, 200)
  await second.waitFor(2)
  await createRecord(app, authorization, '/v1/quotes', quote('after-reconnect'))
  await second.waitFor(3)
  await settle(100)
  t.same(second.changes().map(keyOf), ['quote/while-away-1', 'transfer/transfer-2025-extra', 'quote/after-reconnect'], 'exactly what was missed, then what is new')
  t.same([...first.changes(), ...second.changes()], (await getFeed(app, '?limit=1000')).body.data, 'together: the whole feed, once')
  second.close()

  const middle = first.events[9]!
  const third = await openStream(t, `${base}/v1/changes/stream?since=${first.events[2]!.id!}`, { 'last-event-id': middle.id! })
  await third.waitFor(seeded + 4 - 10)
  t.same(third.changes(), (await getFeed(app, `?since=${middle.id!}&limit=1000`)).body.data, 'Last-Event-ID takes precedence over since')
  third.close()

  const since = await openStream(t, `${base}/v1/changes/stream?since=${middle.id!}`)
  await since.waitFor(seeded + 4 - 10)
  t.same(since.changes()[0]!.seq, 11, 'since= starts the stream after a position too')
  since.close()
})

t.test('a bad Last-Event-ID or since is a 400 problem, not a stream', async (t) => {
  const { app } = await buildTestApp(t)
  const header = await app.inject({ url: '/v1/changes/stream', headers: { 'last-event-id': 'nonsense' } })
  const problem = assertProblem(t, header, 400, 'invalid_cursor')
  t.match(problem.errors, [{ in: 'header', name: 'last-event-id' }])
  const query = assertProblem(t, await app.inject({ url: '/v1/changes/stream?since=nonsense' }), 400, 'invalid_cursor')
  t.match(query.errors, [{ in: 'query', name: 'since' }])
  const types = assertProblem(t, await app.inject({ url: '/v1/changes/stream?types=person' }), 400, 'invalid_parameter')
  t.match(types.errors, [{ in: 'query', name: 'types' }])
  assertProblem(t, await app.inject({ url: '/v1/changes/stream?limit=5' }), 400, 'unknown_parameter')
})

t.test('types filters the stream', async (t) => {
  const { app, base } = await listening(t)
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const quotes = (await getFeed(app, '?types=quote&limit=1000')).body.data
  const stream = await openStream(t, `${base}/v1/changes/stream?types=quote`)
  await stream.waitFor(quotes.length)
  t.same(stream.changes(), quotes, 'only the quotes of the feed')

  await createRecord(app, authorization, '/v1/transfers', transfer)
  await createRecord(app, authorization, '/v1/quotes', quote('filtered-in'))
  await stream.waitFor(quotes.length + 1)
  await settle(200)
  t.same(stream.changes().slice(quotes.length).map(keyOf), ['quote/filtered-in'], 'a new transfer is not sent; a new quote is')
  stream.close()
})

// --- Across a restart of the real server ---------------------------------------------------------

/** `src/<script>` as its own process, on 127.0.0.1, logging warnings only. */
const run = (script: string, args: string[], env: Record<string, string> = {}, t?: Test) =>
  runSource(script, args, { HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env }, t)

async function startServer (t: Test, env: Record<string, string>, base: string) {
  const server = run('server.ts', [], env, t)
  await waitUntilReady(base, server)
  return server
}

t.test('a stream survives a server restart: reconnecting with Last-Event-ID misses nothing and repeats nothing', async (t) => {
  const dir = t.testdir()
  const databasePath = join(dir, 'kb.sqlite')
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const env = { DATABASE_PATH: databasePath, PORT: String(port) }
  const keys = await run('cli.ts', ['keys', 'create', '--name', 'desk', '--scope', 'write', '--database', databasePath]).exited
  t.equal(keys.code, 0, keys.stderr)
  const authorization = `Bearer ${keys.stdout.trim().split('\n').at(-1)!}`
  const write = async (id: string) => {
    const res = await fetch(`${base}/v1/quotes`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(quote(id)) })
    t.equal(res.status, 201, `POST /v1/quotes ${id}`)
  }

  const first = await startServer(t, env, base)
  const seeded = (await (await fetch(`${base}/v1/changes?limit=1000`)).json() as ChangePage).data.length
  const before = await openStream(t, `${base}/v1/changes/stream`)
  await before.waitFor(seeded)
  await write('before-restart-1')
  await write('before-restart-2')
  await before.waitFor(seeded + 2)

  const stoppedAt = Date.now()
  first.child.kill('SIGTERM')
  await before.ended(5000)
  t.pass('SIGTERM ends the open stream')
  const { code } = await first.exited
  t.equal(code, 0, 'the server exits 0')
  t.ok(Date.now() - stoppedAt < 5000, `and within a few seconds (${Date.now() - stoppedAt} ms), not after the 10 s grace delay`)

  await startServer(t, env, base)
  const after = await openStream(t, `${base}/v1/changes/stream`, { 'last-event-id': before.events.at(-1)!.id! })
  t.equal(after.res.status, 200, 'the new server takes the old server\'s event id')
  await write('after-restart-1')
  await after.waitFor(1)

  // A write by another process (the CLI's import) reaches the stream by polling.
  const file = join(dir, 'more.ndjson')
  writeFileSync(file, JSON.stringify({ type: 'quote', data: quote('imported-by-cli') }) + '\n')
  const imported = await run('cli.ts', ['import', file, '--database', databasePath, '--author', 'cli']).exited
  t.equal(imported.code, 0, imported.stderr)
  await after.waitFor(2, 5000)
  await write('after-restart-2')
  await after.waitFor(3)
  await settle(200)

  const feed = (await (await fetch(`${base}/v1/changes?limit=1000`)).json() as ChangePage).data
  const received = [...before.changes(), ...after.changes()]
  t.same(received.map((c) => c.seq), feed.map((_, i) => i + 1), 'every change once, in order')
  t.same(received, feed, 'the events of both streams are exactly the JSON feed')
  t.same(after.changes().map(keyOf), ['quote/after-restart-1', 'quote/imported-by-cli', 'quote/after-restart-2'])
  after.close()
})
