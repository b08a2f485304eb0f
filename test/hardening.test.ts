/**
 * Inputs a hostile client (or a careless one) sends, and what the API must answer: a 400 problem
 * naming what is wrong, never a 500; output that cannot be turned against its reader.
 */
import ICAL from 'ical.js'
import t from 'tap'
import { kinds } from '../src/kinds/index.js'
import { calendarEvents, calendarHistory } from '../src/kinds/tariff-deadlines/calendar.js'
import { CursorCodec } from '../src/query/cursor.js'
import { calendar, escapeText } from '../src/services/icalendar.js'
import { assertProblem, assertQueryProblem, buildTestApp, post, SOURCE, writer } from './helpers.js'

/** Every GET that pages: each kind's list, its revisions, and the cross-cutting ones. */
const pagedUrls = [
  ...kinds.flatMap((k) => [`/v1/${k.path}`, `/v1/${k.path}/${k.exampleId}/revisions`]),
  '/v1/search?q=mexico', '/v1/timeline', '/v1/changes'
]

t.test('limit=Infinity, -Infinity and 1e400 are a 400 naming limit on every paged operation', async (t) => {
  const { app } = await buildTestApp(t)
  for (const url of pagedUrls) {
    for (const value of ['Infinity', '-Infinity', '1e400']) {
      await assertQueryProblem(t, app, `${url}${url.includes('?') ? '&' : '?'}limit=${value}`, 'invalid_parameter', { name: 'limit' }, `${url} limit=${value}`)
    }
  }
})

t.test('a cursor signed with the right secret but holding keys the API never issues is a 400, not a 500', async (t) => {
  const { app } = await buildTestApp(t)
  // What an attacker who knew the secret (the built-in one of earlier versions, say) could sign.
  const codec = new CursorCodec(app.kb.cursorSecret)
  const first = (await app.inject({ url: '/v1/transfers?limit=1' })).json<{ next_cursor: string }>().next_cursor
  const digest = JSON.parse(Buffer.from(first.split('.')[0]!, 'base64url').toString()).q as string
  for (const key of [[{}, 'x'], [true, 'x'], [['a'], 'x'], [null, 'x']]) {
    const forged = codec.encode(digest, key as never)
    const body = assertProblem(t, await app.inject({ url: `/v1/transfers?limit=1&cursor=${forged}` }), 400, 'invalid_cursor')
    t.match(body.errors, [{ in: 'query', name: 'cursor' }], JSON.stringify(key))
  }
  const feedCursor = codec.encode('changes', ['not a number'])
  assertProblem(t, await app.inject({ url: `/v1/changes?since=${feedCursor}` }), 400, 'invalid_cursor')
  assertProblem(t, await app.inject({ url: `/v1/changes?since=${codec.encode('changes', [-1])}` }), 400, 'invalid_cursor')
})

t.test('links never come from the Host header: relative without PUBLIC_URL, under it with one', async (t) => {
  const { app } = await buildTestApp(t)
  for (const host of ['x:99999', '[', 'evil.example']) {
    const res = await app.inject({ url: '/v1/transfers?limit=1', headers: { host } })
    t.equal(res.statusCode, 200, `Host: ${host}`)
    t.match(res.headers.link, /^<\/v1\/transfers\?limit=1>; rel="first", <\/v1\/transfers\?limit=1&cursor=[^>]+>; rel="next"$/)
  }
  const { app: published } = await buildTestApp(t, { config: { publicUrl: 'https://kb.example.org/api' } })
  const res = await published.inject({ url: '/v1/transfers?limit=1', headers: { host: 'evil.example' } })
  t.match(res.headers.link, /^<https:\/\/kb\.example\.org\/api\/v1\/transfers\?limit=1>; rel="first", <https:\/\/kb\.example\.org\/api\/v1\/transfers\?limit=1&cursor=[^>]+>; rel="next"$/)
  const ics = (await published.inject({ url: '/v1/tariff-deadlines.ics', headers: { host: 'evil.example' } })).body
  t.match(ics, /URL:https:\/\/kb\.example\.org\/api\/v1\/tariff-deadlines\//)
  t.notMatch(ics, /evil/)
  const plain = (await app.inject({ url: '/v1/tariff-deadlines.ics', headers: { host: 'evil.example' } })).body
  t.notMatch(plain, /^URL:/m, 'without PUBLIC_URL an event has no URL (iCalendar takes only absolute ones)')
  t.notMatch(plain, /evil/)
})

t.test('ids up to 200 characters can be made and then read; the router takes path segments that long', async (t) => {
  const { app, authorization } = await writer(t)
  const id = `q-${'x'.repeat(198)}`
  const quote = { speaker_id: 'claudia-sheinbaum-pardo', text: 'sovereign', kind: 'direct', language: 'en', citations: [{ source_id: SOURCE, excerpt: 'the decision was a “sovereign” one' }] }
  t.equal((await post(app, authorization, '/v1/quotes', { ...quote, id })).statusCode, 201)
  t.equal((await app.inject({ url: `/v1/quotes/${id}` })).statusCode, 200)
  t.equal((await app.inject({ url: `/v1/quotes/${id}/revisions` })).statusCode, 200)
  const tooLong = await post(app, authorization, '/v1/quotes', { ...quote, id: `${id}y` })
  t.same(assertProblem(t, tooLong, 400, 'invalid_body').errors, [{ in: 'body', name: '/id', detail: 'must be at most 200 characters long' }])
  assertProblem(t, await app.inject({ url: `/v1/quotes/${id}y` }), 414, 'uri_too_long')
})

t.test('counts, rates and day windows have maxima; names are not empty; time zones are IANA ones', async (t) => {
  const { app, authorization } = await writer(t)
  const cases: Array<[string, string, object, string]> = [
    ['/v1/transfers/transfer-2025-08-12', '/people_count', { people_count: 1e300 }, 'must be at most 1000000'],
    ['/v1/transfers/transfer-2025-08-12', '/people_count', { people_count: -1 }, 'must be at least 0'],
    ['/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025', '/rate_percent', { rate_percent: 1e300 }, 'must be at most 10000'],
    ['/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025', '/window_days', { window_days: 100000 }, 'must be at most 3650'],
    ['/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025', '/time_zone', { time_zone: 'Mars/Olympus_Mons' }, 'must match format "time-zone"'],
    ['/v1/actors/pam-bondi', '/name', { name: '' }, 'must be at least 1 characters long']
  ]
  for (const [url, field, patch, detail] of cases) {
    const res = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: patch })
    t.match(assertProblem(t, res, 400, 'invalid_body').errors, [{ name: field, detail }], `${field} ${JSON.stringify(patch)}`)
  }
  const zone = await app.inject({ method: 'PATCH', url: '/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025', headers: { authorization }, payload: { time_zone: 'America/Mexico_City' } })
  t.equal(zone.statusCode, 200, 'a real zone is fine')
  // JSON reads 1e400 as Infinity: refused wherever a number goes, with or without a maximum.
  const infinite = await app.inject({ method: 'PATCH', url: '/v1/transfers/transfer-2025-08-12', headers: { authorization, 'content-type': 'application/json' }, payload: '{"people_count": 1e400}' })
  assertProblem(t, infinite, 400, 'invalid_body')
})

t.test('the Bearer scheme is case-insensitive (RFC 9110)', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('lower', 'write')
  for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
    const res = await app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization: `${scheme} ${key}` }, payload: { description: `by ${scheme}` } })
    t.equal(res.statusCode, 200, scheme)
  }
})

t.test('security headers on every answer (but a 304, which only guides a cache); /docs has helmet\'s, with a policy that lets it run', async (t) => {
  const { app } = await buildTestApp(t)
  const api = await app.inject({ url: '/v1/transfers' })
  t.match(api.headers, {
    'content-security-policy': "default-src 'none'; frame-ancestors 'none'",
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'strict-transport-security': /^max-age=\d+/,
    'cross-origin-resource-policy': 'cross-origin' // dashboards elsewhere may read it
  })
  const problem = await app.inject({ url: '/v1/nope' })
  t.equal(problem.headers['x-content-type-options'], 'nosniff', 'problems too')
  const router = await app.inject({ url: '/v1/transfers/%E0%A4%A' })
  t.equal(router.statusCode, 400)
  t.equal(router.headers['x-content-type-options'], 'nosniff', 'and the router\'s own errors')
  t.match(router.headers['x-request-id'], /\S/)
  const revalidated = await app.inject({ url: '/v1/transfers', headers: { 'if-none-match': String(api.headers.etag) } })
  t.equal(revalidated.statusCode, 304)
  t.notOk(revalidated.headers['content-security-policy'], 'a 304 repeats what guides a cache, not the rest (RFC 9110 §15.4.5)')
  const docs = await app.inject({ url: '/docs/' })
  t.equal(docs.statusCode, 200)
  t.match(docs.headers['content-security-policy'], /script-src 'self'/)
  t.notMatch(docs.headers['content-security-policy'], /upgrade-insecure-requests/, 'Try it out works over plain http')
  t.equal(docs.headers['x-dns-prefetch-control'], 'off', 'helmet\'s whole set on the HTML')
})

t.test('CSV cells a spreadsheet would run as formulas are neutralised, unless csv_formulas=raw', async (t) => {
  const { app, authorization } = await writer(t)
  for (const [id, text] of [['f1', '=HYPERLINK("http://evil.example","x")'], ['f2', '+1+1'], ['f3', '-2+3'], ['f4', '@SUM(A1)'], ['f5', '\tTAB'], ['f6', '\rCR']]) {
    const res = await post(app, authorization, '/v1/quotes', {
      id, speaker_id: 'claudia-sheinbaum-pardo', text: 'sovereign', kind: 'direct', language: 'en', context: text, citations: [{ source_id: SOURCE, excerpt: 'the decision was a “sovereign” one' }]
    })
    t.equal(res.statusCode, 201)
  }
  const csv = (await app.inject({ url: '/v1/quotes.csv?fields=context&sort=id&limit=500' })).body
  const cells = csv.split('\r\n').filter((l) => /^f\d,/.test(l))
  t.same(cells, ['f1,"\'=HYPERLINK(""http://evil.example"",""x"")"', "f2,'+1+1", "f3,'-2+3", "f4,'@SUM(A1)", "f5,'\tTAB", 'f6,"\'\rCR"'])
  const raw = (await app.inject({ url: '/v1/quotes.csv?fields=context&sort=id&limit=500&csv_formulas=raw' })).body
  t.match(raw, /\r\nf2,\+1\+1\r\n/, 'raw: as stored')
  const numbers = (await app.inject({ url: '/v1/tariff-deadlines.csv?fields=days_remaining&at=2030-01-01' })).body
  t.match(numbers, /,-\d+\r\n/, 'a negative number is a number, not a formula')
})

t.test('iCalendar text carries no control characters and no lone carriage returns', async (t) => {
  t.equal(escapeText('a\rb\r\nc\nd\u0007e\u0000;f,g\\h\tTab'), 'a\\nb\\nc\\nde\\;f\\,g\\\\h\tTab')
  const { app, authorization } = await writer(t)
  const res = await app.inject({ method: 'PATCH', url: '/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025', headers: { authorization }, payload: { description: 'Line one\rLine two\u0007\u001b[31m red' } })
  t.equal(res.statusCode, 200)
  const ics = (await app.inject({ url: '/v1/tariff-deadlines.ics' })).body
  // eslint-disable-next-line no-control-regex
  t.notMatch(ics.replaceAll('\r\n', ''), /[\u0000-\u0008\u000b-\u001f\u007f]/, 'no control characters but the CRLF line ends')
  const parsed = new ICAL.Component(ICAL.parse(ics))
  t.match(parsed.getFirstSubcomponent('vevent')!.getFirstPropertyValue('description'), /^Line one\nLine two\[31m red\nStatus: .*\nEvidence: \/v1\/tariff-deadlines\/us-tariffs-on-mexican-imports-2025\?include=citations$/)
  // The events alone, from the history, as the route builds them.
  const events = calendarEvents(app.kb.reader.run(calendarHistory()), '')
  t.ok(calendar('x', events).length > 0)
})
