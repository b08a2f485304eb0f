import t, { type Test } from 'tap'
import { kinds } from '../src/kinds/index.js'
import { assertProblem, buildTestApp, patchRecord, writer, type App } from './helpers.js'

type Response = Awaited<ReturnType<App['inject']>>

const TRANSFER = '/v1/transfers/transfer-2025-08-12'
const OTHER_TRANSFER = '/v1/transfers/transfer-2025-02'

/** Every list, a record, and the derived reads: each answers GET with a validator. */
const reads = [
  ...kinds.map((k) => `/v1/${k.path}`),
  '/v1/transfers.csv', '/v1/quotes.ndjson',
  TRANSFER, '/v1/actors/omar-garcia-harfuch?include=citations',
  '/v1/search?q=cartel', '/v1/timeline', '/v1/stats/transfers', '/v1/changes', '/v1/tariff-deadlines.ics'
]

/** GET url after checking it is a route here (200), and its validator headers. */
async function validated (t: Test, app: App, url: string, headers: Record<string, string> = {}): Promise<Response & { etag: string }> {
  const res = await app.inject({ url, headers })
  t.equal(res.statusCode, 200, `${url}: 200`)
  t.match(res.headers.etag, /^"[^"]+"$/, `${url}: a strong ETag`)
  t.equal(res.headers['cache-control'], 'public, no-cache', `${url}: cacheable, revalidated every time`)
  t.match(res.headers.vary, /\bAccept\b/, `${url}: Vary: Accept`)
  return Object.assign(res, { etag: String(res.headers.etag) })
}

function assertNotModified (t: Test, res: Response, etag: string, what: string) {
  t.equal(res.statusCode, 304, `${what}: 304 Not Modified`)
  t.equal(res.body, '', `${what}: no body`)
  t.equal(res.headers.etag, etag, `${what}: the same ETag`)
  t.equal(res.headers['cache-control'], 'public, no-cache', `${what}: Cache-Control again`)
  t.match(res.headers.vary, /\bAccept\b/, `${what}: Vary: Accept again`)
}

t.test('Every GET carries an ETag, Cache-Control: public, no-cache and Vary: Accept; If-None-Match with it is a 304', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of reads) {
    const first = await validated(t, app, url)
    const again = await app.inject({ url, headers: { 'if-none-match': first.etag } })
    assertNotModified(t, again, first.etag, url)
    const unchanged = await app.inject({ url })
    t.equal(unchanged.headers.etag, first.etag, `${url}: the ETag is stable while nothing changes`)
  }
})

t.test('After a write, the old ETag no longer matches: 200 with a new ETag, then 304 with that one', async (t) => {
  const { app, authorization } = await writer(t)
  const lists = reads.filter((u) => u !== TRANSFER && !u.startsWith('/v1/actors/'))
  const before = new Map<string, string>()
  for (const url of lists) before.set(url, (await validated(t, app, url)).etag)

  await patchRecord(app, authorization, TRANSFER, { purpose: 'To curb drug trafficking, as the U.S. asked.' })

  for (const url of lists) {
    const old = before.get(url)!
    const res = await app.inject({ url, headers: { 'if-none-match': old } })
    t.equal(res.statusCode, 200, `${url}: 200 once the data changed`)
    t.not(res.headers.etag, old, `${url}: a new ETag`)
    const now = await app.inject({ url, headers: { 'if-none-match': String(res.headers.etag) } })
    t.equal(now.statusCode, 304, `${url}: the new ETag validates`)
  }
})

t.test('A record\'s ETag names its revision: "r1" for a seeded record, "r2" after a PATCH of that record only', async (t) => {
  const { app, authorization } = await writer(t)
  const seeded = await validated(t, app, TRANSFER)
  t.equal(seeded.etag, '"r1"', 'a seeded record is at revision 1')

  await patchRecord(app, authorization, OTHER_TRANSFER, { purpose: 'Another record changed.' })
  const untouched = await app.inject({ url: TRANSFER, headers: { 'if-none-match': '"r1"' } })
  assertNotModified(t, untouched, '"r1"', 'a write to another record leaves it valid')

  const patched = await patchRecord(app, authorization, TRANSFER, { purpose: 'This record changed.' })
  t.equal(patched.headers.etag, '"r2"', 'the PATCH answers with revision 2')
  const stale = await app.inject({ url: TRANSFER, headers: { 'if-none-match': '"r1"' } })
  t.equal(stale.statusCode, 200, 'the old ETag gets the new representation')
  t.equal(stale.headers.etag, '"r2"')
  t.equal(stale.json<{ purpose: string }>().purpose, 'This record changed.')
  assertNotModified(t, await app.inject({ url: TRANSFER, headers: { 'if-none-match': '"r2"' } }), '"r2"', 'the new ETag')
})

t.test('If-None-Match: * matches any current representation, weak tags compare weakly, and a list of tags matches any', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await validated(t, app, TRANSFER)
  const list = await validated(t, app, '/v1/transfers')
  for (const { url, etag } of [{ url: TRANSFER, etag: record.etag }, { url: '/v1/transfers', etag: list.etag }]) {
    assertNotModified(t, await app.inject({ url, headers: { 'if-none-match': '*' } }), etag, `${url} with *`)
    assertNotModified(t, await app.inject({ url, headers: { 'if-none-match': `W/${etag}` } }), etag, `${url} with W/${etag}`)
    assertNotModified(t, await app.inject({ url, headers: { 'if-none-match': `"elsewhere", ${etag}` } }), etag, `${url} with a list holding its tag`)
    const other = await app.inject({ url, headers: { 'if-none-match': '"elsewhere", W/"r99"' } })
    t.equal(other.statusCode, 200, `${url}: tags that do not match get the representation`)
  }
  const missing = await app.inject({ url: '/v1/transfers/no-such-transfer', headers: { 'if-none-match': '*' } })
  assertProblem(t, missing, 404, 'not_found')
})

t.test('Each representation has its own ETag: CSV, NDJSON and JSON differ, and one does not validate another', async (t) => {
  const { app } = await buildTestApp(t)
  const json = await validated(t, app, '/v1/transfers')
  const csv = await validated(t, app, '/v1/transfers.csv')
  const ndjson = await validated(t, app, '/v1/transfers.ndjson')
  t.equal(new Set([json.etag, csv.etag, ndjson.etag]).size, 3, 'three representations, three ETags')
  const crossed = await app.inject({ url: '/v1/transfers.csv', headers: { 'if-none-match': json.etag } })
  t.equal(crossed.statusCode, 200, 'the JSON ETag does not validate the CSV')
  t.match(crossed.headers['content-type'], /^text\/csv/)
  const sameCsv = await app.inject({ url: '/v1/transfers.csv', headers: { 'if-none-match': csv.etag } })
  assertNotModified(t, sameCsv, csv.etag, 'the CSV ETag validates the CSV')

  const sparse = await validated(t, app, `${TRANSFER}?fields=date`)
  t.not(sparse.etag, '"r1"', 'a sparse record is another representation of revision 1')
  t.match(sparse.etag, /^"r1\.[^"]+"$/, 'its ETag still names revision 1')
})

t.test('A 304 is decided from the data version alone: it answers even when the data tables cannot be read', async (t) => {
  const { app, db } = await buildTestApp(t)
  const urls = ['/v1/transfers', '/v1/transfers.csv', '/v1/timeline', TRANSFER]
  const etags = new Map<string, string>()
  for (const url of urls) etags.set(url, (await validated(t, app, url)).etag)

  db.sqlite.exec('ALTER TABLE transfers RENAME TO transfers_gone')

  for (const url of urls) {
    const etag = etags.get(url)!
    assertNotModified(t, await app.inject({ url, headers: { 'if-none-match': etag } }), etag, `${url} without its table`)
  }
  const unreadable = await app.inject({ url: '/v1/transfers' })
  assertProblem(t, unreadable, 500, 'internal')
  t.notOk(unreadable.headers.etag, 'the 500 carries no ETag')
})

t.test('A record that cannot be read answers 500 without an ETag', async (t) => {
  const { app, db } = await buildTestApp(t)
  db.sqlite.exec('ALTER TABLE transfers RENAME TO transfers_gone')
  const res = await app.inject({ url: TRANSFER })
  assertProblem(t, res, 500, 'internal')
  // Runs, but is reported as a known failure until read-routes sets the validator after the read.
  t.notOk(res.headers.etag, 'no ETag on an error')
  t.notOk(res.headers['cache-control'], 'no Cache-Control on an error')
})

t.test('Errors carry no ETag and no Cache-Control', async (t) => {
  const { app, authorization } = await writer(t)
  const errors: Array<[string, number, string, Record<string, string>?]> = [
    ['/v1/transfers/no-such-transfer', 404, 'not_found'],
    ['/v1/transfers?limit=0', 400, 'invalid_parameter'],
    ['/v1/transfers?mechanism=teleport', 400, 'invalid_parameter'],
    ['/v1/transfers', 406, 'not_acceptable', { accept: 'application/xml' }],
    ['/v1/search?q=%22', 400, 'invalid_parameter']
  ]
  const quote = '/v1/quotes/saucedo-buying-time'
  const deleted = await app.inject({ method: 'DELETE', url: quote, headers: { authorization } })
  t.equal(deleted.statusCode, 204, 'a deleted record…')
  errors.push([quote, 410, 'gone'])
  for (const [url, status, code, headers] of errors) {
    const res = await app.inject({ url, headers })
    assertProblem(t, res, status, code)
    t.notOk(res.headers.etag, `${url}: no ETag`)
    t.notOk(res.headers['cache-control'], `${url}: no Cache-Control`)
  }
})
