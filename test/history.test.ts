import t from 'tap'
import { kinds } from '../src/kinds/index.js'
import { assertProblem, assertQueryProblem, buildTestApp, changeFeed, isoMs, mergePatchOf, namesRevision, revisionsOf, supportedQuote, writer, type Body, type Page, type Revision } from './helpers.js'

/** Revision times have millisecond resolution: wait so that two writes get different ones. */
const later = () => new Promise((resolve) => setTimeout(resolve, 15))

/** A new quote from the founding article, dated and with its context. */
const quote = {
  ...supportedQuote('sheinbaum-sovereign'),
  date: '2025-08-13',
  context: 'The one word of Sheinbaum\'s statement that the source quotes verbatim.'
}
const QUOTE = `/v1/quotes/${quote.id}`

/** The seeded example of each kind, and a small merge patch of it. */
const seeded = kinds.map((k) => ({ url: `/v1/${k.path}/${k.exampleId}`, patch: mergePatchOf(k) }))

t.test('GET /{id} of a seeded record has the ETag "r1": the seed is its first revision, by "seed"', async (t) => {
  const { app } = await buildTestApp(t)
  for (const { url } of seeded) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200)
    t.match(res.headers.etag, namesRevision(1), `${url} is at revision 1`)
    const revisions = await app.inject({ url: `${url}/revisions` })
    t.equal(revisions.statusCode, 200)
    const page = revisions.json<Page<Revision>>()
    t.equal(page.next_cursor, null)
    t.match(page.data, [{ revision: 1, action: 'create', at: isoMs, author: 'seed', etag: '"r1"', record: { id: url.split('/').at(-1) } }])
    t.equal(page.data.length, 1)
  }
  t.equal((await app.inject({ url: '/v1/transfers/transfer-2025-08-12?include=citations' })).headers.etag, '"r1"', 'the record with its citations is the record itself')
})

t.test('the ETag a GET returns is what If-Match takes; once used it is stale', async (t) => {
  const { app, authorization } = await writer(t)
  for (const { url, patch } of seeded) {
    const etag = String((await app.inject({ url })).headers.etag)
    const res = await app.inject({ method: 'PATCH', url, headers: { authorization, 'if-match': etag }, payload: patch })
    t.equal(res.statusCode, 200, `PATCH ${url} with If-Match: ${etag}`)
    t.equal(res.headers.etag, '"r2"')
    t.match((await app.inject({ url })).headers.etag, namesRevision(2), 'GET follows')
    const stale = await app.inject({ method: 'PATCH', url, headers: { authorization, 'if-match': etag }, payload: patch })
    t.equal((assertProblem(t, stale, 412, 'precondition_failed') as Body).current_etag, '"r2"')
  }
})

t.test('PATCH and DELETE with a stale If-Match are a 412 with the current ETag, and write nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/transfers/transfer-2025-02'
  const patch = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: { people_count: 30 } })
  t.equal(patch.headers.etag, '"r2"', 'someone else changed it')
  const before = { feed: await changeFeed(app), record: (await app.inject({ url })).body }

  for (const ifMatch of ['"r1"', 'W/"r2"', '"r1", "r3"']) {
    const stalePatch = await app.inject({ method: 'PATCH', url, headers: { authorization, 'if-match': ifMatch }, payload: { people_count: 29 } })
    const body = assertProblem(t, stalePatch, 412, 'precondition_failed') as Body
    t.equal(body.current_etag, '"r2"', `PATCH with If-Match: ${ifMatch}`)
    t.match(body.detail, /"r2"/)
    const staleDelete = await app.inject({ method: 'DELETE', url: '/v1/quotes/saucedo-buying-time', headers: { authorization, 'if-match': '"r0"' } })
    t.equal((assertProblem(t, staleDelete, 412, 'precondition_failed') as Body).current_etag, '"r1"')
  }
  t.equal(await changeFeed(app), before.feed, 'the change feed is unchanged')
  t.equal((await app.inject({ url })).body, before.record, 'the record is unchanged')
  t.equal((await app.inject({ url: '/v1/quotes/saucedo-buying-time' })).statusCode, 200, 'the quote is still there')
})

t.test('PATCH and DELETE with the current ETag in If-Match, or *, go through', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/transfers/transfer-2025-02'
  const first = await app.inject({ method: 'PATCH', url, headers: { authorization, 'if-match': '"r1"' }, payload: { people_count: 30 } })
  t.equal(first.statusCode, 200)
  t.equal(first.headers.etag, '"r2"')
  const second = await app.inject({ method: 'PATCH', url, headers: { authorization, 'if-match': '"r0", "r2"' }, payload: { people_count: 29 } })
  t.equal(second.statusCode, 200, 'any of a list of ETags may match')
  t.equal(second.headers.etag, '"r3"')
  const any = await app.inject({ method: 'PATCH', url, headers: { authorization, 'if-match': '*' }, payload: { people_count_approximate: true } })
  t.equal(any.statusCode, 200, 'If-Match: * matches any revision')
  t.equal(any.headers.etag, '"r4"')
  t.match((await app.inject({ url })).headers.etag, namesRevision(4), 'GET agrees')

  const deleted = await app.inject({ method: 'DELETE', url: '/v1/quotes/saucedo-buying-time', headers: { authorization, 'if-match': '"r1"' } })
  t.equal(deleted.statusCode, 204)
  const starred = await app.inject({ method: 'DELETE', url: '/v1/quotes/bondi-american-shores', headers: { authorization, 'if-match': '*' } })
  t.equal(starred.statusCode, 204)
  const gone = await app.inject({ method: 'PATCH', url: '/v1/quotes/bondi-american-shores', headers: { authorization, 'if-match': '*' }, payload: { context: 'x' } })
  assertProblem(t, gone, 410, 'gone')
})

t.test('every create, update and delete is a revision with its time, author, ETag and the full record', async (t) => {
  const { app, authorization } = await writer(t)
  const created = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: quote })
  t.equal(created.statusCode, 201)
  await later()
  const patched = await app.inject({ method: 'PATCH', url: QUOTE, headers: { authorization }, payload: { context: 'On the transfer of 26 cartel leaders.' } })
  t.equal(patched.statusCode, 200)
  const afterPatch = (await app.inject({ url: `${QUOTE}?include=citations` })).json<Body>()
  await later()
  t.equal((await app.inject({ method: 'DELETE', url: QUOTE, headers: { authorization } })).statusCode, 204)

  const res = await app.inject({ url: `${QUOTE}/revisions` })
  t.equal(res.statusCode, 200, 'the history outlives the record')
  t.match(res.headers['content-type'], /^application\/json/)
  const page = res.json<Page<Revision>>()
  t.equal(page.next_cursor, null)
  t.same(page.data.map((r) => [r.revision, r.action, r.author, r.etag]), [
    [1, 'create', 'desk', '"r1"'],
    [2, 'update', 'desk', '"r2"'],
    [3, 'delete', 'desk', '"r3"']
  ], 'oldest first, each by the key that made it')
  const [create, update, remove] = page.data as [Revision, Revision, Revision]
  for (const r of page.data) t.match(r.at, isoMs)
  t.ok(create.at < update.at && update.at < remove.at, 'in time order')
  t.same(create.record, created.json(), 'the create revision holds the record as created, citations included')
  t.equal(create.record.citations.length, 1)
  t.same(update.record, afterPatch, 'the update revision holds the record after the change')
  t.same(remove.record, afterPatch, 'the delete revision holds the record as it was')
  t.same(Object.keys(create).sort(), ['action', 'at', 'author', 'comment', 'etag', 'record', 'revision'])

  const gone = assertProblem(t, await app.inject({ url: QUOTE }), 410, 'gone') as Body
  t.equal(gone.deleted_at, remove.at, 'the 410 gives the time of the delete revision')
})

t.test('revisions page with limit and next_cursor', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/transfers/transfer-2025-02'
  for (const count of [30, 31]) {
    t.equal((await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: { people_count: count } })).statusCode, 200)
  }
  const seen: number[] = []
  let next: string | null = `${url}/revisions?limit=1`
  while (next !== null) {
    const current: string = next
    const res = await app.inject({ url: current })
    t.equal(res.statusCode, 200)
    const page = res.json<Page<Revision>>()
    t.equal(page.data.length, 1, 'one revision a page')
    seen.push(page.data[0]!.revision)
    if (page.next_cursor === null) {
      t.notMatch(String(res.headers.link), /rel="next"/, 'no rel="next" on the last page')
      next = null
    } else {
      const link = String(res.headers.link)
      t.match(link, /rel="first", <\/v1\/[^>]+\/revisions\?[^>]*cursor=[^>]+>; rel="next"$/)
      const linked = new URL(/<([^>]+)>; rel="next"/.exec(link)![1]!, 'http://127.0.0.1')
      t.equal(linked.searchParams.get('cursor'), page.next_cursor, 'the Link carries the cursor')
      next = `${url}/revisions?limit=1&cursor=${encodeURIComponent(page.next_cursor)}`
    }
  }
  t.same(seen, [1, 2, 3], 'every revision once, in order')
  t.same((await revisionsOf(app, url)).map((r) => r.record.people_count), [29, 30, 31])
})

t.test('revisions of an id that never existed are a 404; bad paging is a 400', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/actors/no-such-actor/revisions' })
  t.equal(assertProblem(t, res, 404, 'not_found').detail, 'No actor has ever had the id "no-such-actor".')
  const limit = await app.inject({ url: '/v1/actors/pam-bondi/revisions?limit=0' })
  t.match(assertProblem(t, limit, 400, 'invalid_parameter').errors, [{ in: 'query', name: 'limit' }])
  const unknown = await app.inject({ url: '/v1/actors/pam-bondi/revisions?since=1' })
  t.match(assertProblem(t, unknown, 400, 'unknown_parameter').errors, [{ in: 'query', name: 'since' }])
  const cursor = await app.inject({ url: '/v1/actors/pam-bondi/revisions?cursor=tampered' })
  t.equal(cursor.statusCode, 400, 'a cursor that is not ours is refused')
})

t.test('as_of returns the record as the knowledge base held it then', async (t) => {
  const { app, authorization } = await writer(t)
  const created = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: quote })
  t.equal(created.statusCode, 201)
  await later()
  await app.inject({ method: 'PATCH', url: QUOTE, headers: { authorization }, payload: { context: 'Changed.', date: null } })
  await later()
  const [r1, r2] = await revisionsOf(app, QUOTE) as [Revision, Revision]
  const between = new Date((Date.parse(r1.at) + Date.parse(r2.at)) / 2).toISOString()
  t.ok(r1.at < between && between < r2.at, `${between} is between the two revisions`)

  const then = await app.inject({ url: `${QUOTE}?as_of=${between}` })
  t.equal(then.statusCode, 200)
  t.match(then.headers.etag, namesRevision(1), 'an ETag naming the revision returned')
  t.same(then.json(), created.json(), 'the older state, with its citations')
  t.match(then.json(), { context: quote.context, date: '2025-08-13' })

  const atUpdate = await app.inject({ url: `${QUOTE}?as_of=${r2.at}` })
  t.match(atUpdate.headers.etag, namesRevision(2), 'a revision is in force from its own time')
  t.match(atUpdate.json(), { context: 'Changed.', date: null })

  const offset = between.replace(/\.(\d{3})Z$/, '.$1+00:00')
  t.same((await app.inject({ url: `${QUOTE}?as_of=${encodeURIComponent(offset)}` })).json(), created.json(), 'a timestamp with an offset works too')

  const fields = await app.inject({ url: `${QUOTE}?as_of=${between}&fields=context` })
  t.equal(fields.statusCode, 200)
  t.same(Object.keys(fields.json()).sort(), ['citations', 'context', 'id'], 'fields= applies, and citations come with as_of')

  const today = new Date().toISOString().slice(0, 10)
  t.match((await app.inject({ url: `${QUOTE}?as_of=${today}` })).json(), { context: 'Changed.' }, 'a date means the end of that day (UTC)')
})

t.test('as_of before a record existed is a 404; after its deletion a 410', async (t) => {
  const { app, authorization } = await writer(t)
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: quote })).statusCode, 201)
  await later()
  t.equal((await app.inject({ method: 'DELETE', url: QUOTE, headers: { authorization } })).statusCode, 204)
  const [created, deleted] = await revisionsOf(app, QUOTE) as [Revision, Revision]
  await later()

  const before = await app.inject({ url: `${QUOTE}?as_of=2025-08-13` })
  t.match(assertProblem(t, before, 404, 'not_found').detail, /No quote had the id "sheinbaum-sovereign" at 2025-08-13/)
  const seeded = await app.inject({ url: '/v1/quotes/saucedo-buying-time?as_of=2025-08-13' })
  assertProblem(t, seeded, 404, 'not_found')

  const after = await app.inject({ url: `${QUOTE}?as_of=${new Date().toISOString()}` })
  t.equal((assertProblem(t, after, 410, 'gone') as Body).deleted_at, deleted.at)
  const whileAlive = await app.inject({ url: `${QUOTE}?as_of=${created.at}` })
  t.equal(whileAlive.statusCode, 200, 'the deleted record is still readable as it was')
  t.equal(whileAlive.json<Body>().id, quote.id)
})

t.test('a malformed as_of, or include= with as_of, is a 400 naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const asOf of ['garbage', '2025-8-13', '13/08/2025', '2025-08-13T25:00']) {
    await assertQueryProblem(t, app, `/v1/transfers/transfer-2025-08-12?as_of=${encodeURIComponent(asOf)}`, 'invalid_parameter', { name: 'as_of' }, `as_of=${asOf}`)
  }
  const include = await app.inject({ url: '/v1/transfers/transfer-2025-08-12?as_of=2030-01-01&include=actors' })
  const body = assertProblem(t, include, 400, 'invalid_parameter')
  t.same(body.errors?.map((e) => e.name), ['include'])
  t.match(body.detail, /as_of/)
  const citations = await app.inject({ url: '/v1/transfers/transfer-2025-08-12?as_of=2030-01-01&include=citations' })
  t.equal(citations.statusCode, 200, 'include=citations is what as_of returns anyway')
})

t.test('as_of that is not a calendar date is a 400', async (t) => {
  const { app } = await buildTestApp(t)
  for (const asOf of ['2025-02-30', '2025-13-01', '2025-02-30T12:00:00Z']) {
    const res = await app.inject({ url: `/v1/transfers/transfer-2025-08-12?as_of=${asOf}` })
    t.match(assertProblem(t, res, 400, 'invalid_parameter').errors, [{ in: 'query', name: 'as_of' }], `as_of=${asOf}`)
  }
})

t.test('Idempotency-Key: a retry with the same body replays the original response and writes once', async (t) => {
  const { app, authorization } = await writer(t)
  const headers = { authorization, 'idempotency-key': '5d1f6c1e-2b1a-4c0e-9d1b-8e6a3b2c1d00' }
  const { id: _id, ...body } = quote
  const first = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: body })
  t.equal(first.statusCode, 201)
  t.notOk(first.headers['idempotent-replayed'], 'the first answer is not a replay')
  const feedAfterFirst = await changeFeed(app)

  const retry = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: body })
  t.equal(retry.statusCode, 201, 'the same status')
  t.equal(retry.headers['idempotent-replayed'], 'true')
  t.equal(retry.headers.location, first.headers.location, 'the same Location')
  t.match(retry.headers['content-type'], /^application\/json/)
  t.same(retry.json(), first.json(), 'the same body')
  t.equal(await changeFeed(app), feedAfterFirst, 'nothing more was written')
  const quotes = (await app.inject({ url: '/v1/quotes?speaker=claudia-sheinbaum-pardo' })).json<Page<Body>>().data
  t.same(quotes.map((q) => q.id).filter((id) => id !== 'sheinbaum-sovereign-decision'), ['claudia-sheinbaum-pardo-sovereign'], 'one record, not two')
})

t.test('Idempotency-Key: a replay repeats the ETag too', async (t) => {
  const { app, authorization } = await writer(t)
  const headers = { authorization, 'idempotency-key': 'retry-etag' }
  const first = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: quote })
  const retry = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: quote })
  t.equal(retry.headers.etag, first.headers.etag)
})

t.test('Idempotency-Key: the same key with another body is a 422 idempotency_mismatch, and writes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const headers = { authorization, 'idempotency-key': 'quote-1' }
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: quote })).statusCode, 201)
  const before = await changeFeed(app)
  const count = (await app.inject({ url: '/v1/quotes?limit=500' })).json<Page<Body>>().data.length

  const other = await app.inject({ method: 'POST', url: '/v1/quotes', headers, payload: { ...quote, id: 'sheinbaum-sovereign-2' } })
  const body = assertProblem(t, other, 422, 'idempotency_mismatch')
  t.same(body.errors, [{ in: 'header', name: 'idempotency-key', detail: 'was used with another body' }])
  t.match(body.detail, '"quote-1"')
  t.equal(await changeFeed(app), before, 'the change feed is unchanged')
  t.equal((await app.inject({ url: '/v1/quotes?limit=500' })).json<Page<Body>>().data.length, count)
  assertProblem(t, await app.inject({ url: '/v1/quotes/sheinbaum-sovereign-2' }), 404, 'not_found')
})

t.test('Idempotency-Key: keys are per API key, so another key\'s request with the same one is its own', async (t) => {
  const { app, authorization } = await writer(t)
  const { key: otherKey } = app.kb.apiKeys.create('other-desk', 'write')
  const { id: _id, ...body } = quote
  const mine = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization, 'idempotency-key': 'shared' }, payload: body })
  const theirs = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization: `Bearer ${otherKey}`, 'idempotency-key': 'shared' }, payload: body })
  t.equal(mine.statusCode, 201)
  t.equal(theirs.statusCode, 201)
  t.notOk(theirs.headers['idempotent-replayed'], 'not a replay of the other key\'s response')
  t.equal(mine.headers.location, '/v1/quotes/claudia-sheinbaum-pardo-sovereign')
  t.equal(theirs.headers.location, '/v1/quotes/claudia-sheinbaum-pardo-sovereign-2', 'a second record')
  t.match((await revisionsOf(app, String(theirs.headers.location)))[0], { author: 'other-desk' })

  const differentBody = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization: `Bearer ${otherKey}`, 'idempotency-key': 'mine-only' }, payload: { ...body, context: 'Another.' } })
  t.equal(differentBody.statusCode, 201)
})

t.test('an Idempotency-Key must be 1 to 255 characters', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await changeFeed(app)
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization, 'idempotency-key': 'k'.repeat(256) }, payload: quote })
  const body = assertProblem(t, res, 400, 'invalid_parameter')
  t.match(body.errors, [{ in: 'header', name: 'idempotency-key' }])
  t.equal(await changeFeed(app), before)
})
