import t, { type Test } from 'tap'
import { assertProblem, buildTestApp } from './helpers.js'

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

interface Citation { id: number, source_id: string, excerpt: string, start_offset: number, end_offset: number, fields: string[], note: string | null }
interface Entry {
  kind: string
  id: string
  date: string
  date_precision: string | null
  date_approximate: boolean
  date_field: string
  headline: string
  url: string
  citations: Citation[]
}
interface Page { data: Entry[], next_cursor: string | null }

async function get (app: App, url: string) {
  const res = await app.inject({ method: 'GET', url })
  return { res, body: res.json<Page>() }
}

/** `kind:id` of every entry of `GET url`, after checking it answered 200 on one page. */
async function entriesOf (t: Test, app: App, url: string): Promise<string[]> {
  const { res, body } = await get(app, url)
  t.equal(res.statusCode, 200, `${url} answers 200`)
  t.equal(body.next_cursor, null, `${url} fits on one page`)
  return body.data.map((e) => `${e.kind}:${e.id}`)
}

/** The seeded timeline, oldest first: date, then kind, then id. */
const SEEDED = [
  'transfer:transfer-2025-02',
  'event:ovidio-guzman-plea-deal-2025',
  'event:sheinbaum-trump-90-day-agreement-2025',
  'transfer:transfer-2025-08-12',
  'cooperation_measure:mexico-cartel-and-migration-enforcement',
  'cooperation_measure:us-drone-over-central-mexico-2025',
  'cooperation_measure:us-no-death-penalty-assurance-2025',
  'event:garcia-harfuch-news-conference-2025-08-13',
  'quote:bondi-american-shores',
  'quote:experts-retaliation-risk',
  'quote:garcia-harfuch-strategic-move',
  'quote:garcia-harfuch-us-drone',
  'quote:saucedo-buying-time',
  'quote:saucedo-future-violence-warning',
  'quote:saucedo-ovidio-guzman-precedent',
  'quote:sheinbaum-sovereign-decision',
  'tariff_deadline:us-tariffs-on-mexican-imports-2025'
]

t.test('GET /v1/timeline merges the five kinds in date order, then kind, then id', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get(app, '/v1/timeline')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.notMatch(String(res.headers.link), /rel="next"/, 'no rel="next" on the last page')
  t.same(Object.keys(body).sort(), ['data', 'next_cursor'])
  t.same(body.data.map((e) => `${e.kind}:${e.id}`), SEEDED)
  for (const e of body.data) {
    t.same(Object.keys(e), ['kind', 'id', 'date', 'date_precision', 'date_approximate', 'date_earliest', 'date_latest', 'date_field', 'headline', 'url', 'citations'], `${e.id} has every field`)
  }
})

t.test('sort=-date is the exact reverse: newest first, ties reversed too', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await entriesOf(t, app, '/v1/timeline?sort=-date'), [...SEEDED].reverse())
  t.same(await entriesOf(t, app, '/v1/timeline?sort=date'), SEEDED)
})

t.test('each entry carries its date with precision, approximation and the field it comes from', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get(app, '/v1/timeline')
  const byId = new Map(body.data.map((e) => [e.id, e]))
  t.match(byId.get('transfer-2025-02'), { date: '2025-02', date_precision: 'month', date_approximate: false, date_earliest: '2025-02-01', date_latest: '2025-02-28', date_field: 'date' }, 'a month-precision transfer, a span of days')
  t.match(byId.get('transfer-2025-08-12'), { date: '2025-08-12', date_precision: 'day', date_approximate: false, date_field: 'date' })
  t.match(byId.get('saucedo-buying-time'), { date: '[..2025-08-13]', date_precision: null, date_approximate: false, date_earliest: null, date_latest: '2025-08-13', date_field: 'date' }, 'a quote said on or before the publication: bounded, placed at its bound')
  t.match(byId.get('us-tariffs-on-mexican-imports-2025'), { date: '2025-10-28', date_precision: 'day', date_approximate: true, date_field: 'deadline' }, 'a deadline sits at its deadline')
  t.match(byId.get('us-drone-over-central-mexico-2025'), { date: '2025-08-13', date_precision: 'day', date_approximate: false, date_field: 'as_of' }, 'a measure without a start date sits at its as_of')
})

t.test('each entry has a one-line headline and the path of its record', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get(app, '/v1/timeline')
  const byId = new Map(body.data.map((e) => [e.id, e]))
  t.equal(byId.get('transfer-2025-08-12')?.headline, '26 people handed over from MX to US (extradition)')
  t.equal(byId.get('transfer-2025-02')?.headline, '29 people handed over from MX to US', 'no mechanism when the source gives none')
  t.equal(byId.get('garcia-harfuch-strategic-move')?.headline, 'Omar García Harfuch: “This is a strategic move to enhance public safety and…”', 'a direct quote, in quotation marks, shortened at a word')
  t.equal(byId.get('saucedo-buying-time')?.headline, 'David Saucedo: “Mexico is buying time by meeting U.S. demands”')
  t.equal(byId.get('saucedo-future-violence-warning')?.headline, 'David Saucedo (reported): continued mass extraditions could spark future violence', 'a paraphrase is not put in quotation marks')
  t.equal(byId.get('saucedo-ovidio-guzman-precedent')?.headline, 'David Saucedo (reported): the precedent set by Ovidio Guzmán, son of Joaquín “El…”', 'a quotation cut open is closed')
  t.equal(byId.get('us-tariffs-on-mexican-imports-2025')?.headline, 'Deadline: Tariffs on Mexican imports (30%)')
  t.equal(byId.get('us-drone-over-central-mexico-2025')?.headline, 'U.S. non-military drone over central Mexico', 'a measure is headed by its title')
  for (const e of body.data) {
    t.notMatch(e.headline, /\n/, `${e.id}: one line`)
    const { res } = await get(app, e.url)
    t.equal(res.statusCode, 200, `${e.url} answers 200`)
    t.equal(res.json<{ id: string }>().id, e.id, `${e.url} is the record`)
  }
  t.equal(byId.get('transfer-2025-08-12')?.url, '/v1/transfers/transfer-2025-08-12')
  t.equal(byId.get('bondi-american-shores')?.url, '/v1/quotes/bondi-american-shores')
  t.equal(byId.get('us-tariffs-on-mexican-imports-2025')?.url, '/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025')
  t.equal(byId.get('us-no-death-penalty-assurance-2025')?.url, '/v1/cooperation-measures/us-no-death-penalty-assurance-2025')
})

t.test('each entry carries its record\'s citations, exact slices of the source text', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get(app, '/v1/timeline')
  const text = (await app.inject({ url: '/v1/sources/mexico-hands-over-26-cartel-kingpins' })).json<{ text: string }>().text
  const chars = [...text]
  for (const e of body.data) {
    t.ok(e.citations.length > 0, `${e.id} has evidence`)
    const record = (await app.inject({ url: `${e.url}?include=citations` })).json<{ citations: Citation[] }>()
    t.same(e.citations, record.citations, `${e.id}: the record's own citations`)
    for (const c of e.citations) {
      t.equal(chars.slice(c.start_offset, c.end_offset).join(''), c.excerpt, `"${c.excerpt}" is the source text at ${c.start_offset}..${c.end_offset}`)
    }
  }
})

/** The quotes dated `[..2025-08-13]`: said on or before the publication, so on any day up to it. */
const ON_OR_BEFORE_PUBLICATION = SEEDED.filter((e) => e.startsWith('quote:') && e !== 'quote:garcia-harfuch-strategic-move')

t.test('from and to keep entries whose dates may fall in the range', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await entriesOf(t, app, '/v1/timeline?from=2025-02-15&to=2025-02-15'), ['transfer:transfer-2025-02', ...ON_OR_BEFORE_PUBLICATION],
    'February 2025 overlaps 15 February, and so does "on or before 13 August"')
  t.same(await entriesOf(t, app, '/v1/timeline?to=2025-02-01'), ['transfer:transfer-2025-02', ...ON_OR_BEFORE_PUBLICATION], '… and 1 February')
  t.same(await entriesOf(t, app, '/v1/timeline?from=2025-08&to=2025-08-12'), ['transfer:transfer-2025-08-12', ...ON_OR_BEFORE_PUBLICATION])
  t.same(await entriesOf(t, app, '/v1/timeline?from=2025-08-13&to=2025-08-13'), SEEDED.slice(4, 16), 'the day of the news conference')
  t.same(await entriesOf(t, app, '/v1/timeline?from=2025-09'), ['tariff_deadline:us-tariffs-on-mexican-imports-2025'])
  t.same(await entriesOf(t, app, '/v1/timeline?from=2025'), SEEDED, 'a year')
  t.same(await entriesOf(t, app, '/v1/timeline?to=2024'), ON_OR_BEFORE_PUBLICATION, 'nothing dated before 2025 but the quotes a source dates only by an upper bound')
  const bad = assertProblem(t, await app.inject({ url: '/v1/timeline?from=2025-02-30' }), 400, 'invalid_parameter')
  t.match(bad.errors, [{ in: 'query', name: 'from' }])
})

t.test('actor keeps the entries the actor takes part in', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await entriesOf(t, app, '/v1/timeline?actor=pam-bondi'),
    ['transfer:transfer-2025-08-12', 'quote:bondi-american-shores'], 'a transfer participant and a speaker')
  t.same(await entriesOf(t, app, '/v1/timeline?actor=david-saucedo'),
    ['quote:saucedo-buying-time', 'quote:saucedo-future-violence-warning', 'quote:saucedo-ovidio-guzman-precedent'])
  t.same(await entriesOf(t, app, '/v1/timeline?actor=donald-trump'),
    ['event:sheinbaum-trump-90-day-agreement-2025', 'cooperation_measure:mexico-cartel-and-migration-enforcement', 'tariff_deadline:us-tariffs-on-mexican-imports-2025'], 'a party, a requesting party and an imposing party')
  t.same(await entriesOf(t, app, '/v1/timeline?actor=government-of-mexico'), [
    'transfer:transfer-2025-02',
    'transfer:transfer-2025-08-12',
    'cooperation_measure:us-drone-over-central-mexico-2025',
    'cooperation_measure:us-no-death-penalty-assurance-2025',
    'event:garcia-harfuch-news-conference-2025-08-13',
    'tariff_deadline:us-tariffs-on-mexican-imports-2025'
  ], 'a sender, a requesting and receiving party, an organizer, a targeted party')
  t.same(await entriesOf(t, app, '/v1/timeline?actor=nobody'), [], 'an unknown actor takes part in nothing')
  t.same(await entriesOf(t, app, '/v1/timeline?actor=pam-bondi&types=quote&from=2025-08-13'), ['quote:bondi-american-shores'], 'filters combine')
})

t.test('types keeps the named kinds; an unknown kind is a 400 naming types', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await entriesOf(t, app, '/v1/timeline?types=tariff_deadline,transfer'), [
    'transfer:transfer-2025-02',
    'transfer:transfer-2025-08-12',
    'tariff_deadline:us-tariffs-on-mexican-imports-2025'
  ])
  t.same(await entriesOf(t, app, '/v1/timeline?types=cooperation_measure'), SEEDED.filter((e) => e.startsWith('cooperation_measure:')))
  t.same(await entriesOf(t, app, '/v1/timeline?types=quote'), SEEDED.filter((e) => e.startsWith('quote:')))

  const bad = assertProblem(t, await app.inject({ url: '/v1/timeline?types=quote,actor' }), 400, 'invalid_parameter')
  t.same(bad.errors, [{ in: 'query', name: 'types', detail: 'has an unknown value "actor"; allowed values are transfer, quote, tariff_deadline, cooperation_measure, event' }])
  assertProblem(t, await app.inject({ url: '/v1/timeline?types=quote,quote' }), 400, 'invalid_parameter')
})

for (const sort of ['date', '-date']) {
  t.test(`cursor paging (sort=${sort}) visits every entry once, following the Link header`, async (t) => {
    const { app } = await buildTestApp(t)
    const all = await entriesOf(t, app, `/v1/timeline?sort=${sort}`)
    const seen: string[] = []
    let url: string | null = `/v1/timeline?sort=${sort}&limit=4`
    while (url !== null) {
      const { res, body }: Awaited<ReturnType<typeof get>> = await get(app, url)
      t.equal(res.statusCode, 200)
      t.ok(body.data.length <= 4)
      seen.push(...body.data.map((e) => `${e.kind}:${e.id}`))
      if (body.next_cursor === null) {
        t.notMatch(String(res.headers.link), /rel="next"/, 'no rel="next" on the last page')
        url = null
      } else {
        const link = String(res.headers.link)
        t.match(link, /rel="first", <\/v1\/timeline\?[^>]*cursor=[^>]+>; rel="next"$/)
        const next = new URL(/<([^>]+)>; rel="next"/.exec(link)![1]!, 'http://127.0.0.1')
        t.equal(next.searchParams.get('cursor'), body.next_cursor)
        url = `${next.pathname}${next.search}`
      }
    }
    t.same(seen, all, 'every entry once, in order')
    t.equal(seen.length, SEEDED.length)
  })
}

t.test('a cursor is refused by a different query', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get(app, '/v1/timeline?limit=2')
  const res = await app.inject({ url: `/v1/timeline?limit=2&types=quote&cursor=${body.next_cursor!}` })
  assertProblem(t, res, 400, 'invalid_cursor')
  assertProblem(t, await app.inject({ url: '/v1/timeline?cursor=forged.cursor' }), 400, 'invalid_cursor')
})

t.test('unknown parameters and bad values are 400 problems', async (t) => {
  const { app } = await buildTestApp(t)
  const unknown = assertProblem(t, await app.inject({ url: '/v1/timeline?date_from=2025' }), 400, 'unknown_parameter')
  t.same(unknown.errors, [{ in: 'query', name: 'date_from', detail: 'is not a known parameter of this operation' }])
  const sort = assertProblem(t, await app.inject({ url: '/v1/timeline?sort=id' }), 400, 'invalid_parameter')
  t.same(sort.errors, [{ in: 'query', name: 'sort', detail: 'must be one of: date, -date' }])
  const limit = assertProblem(t, await app.inject({ url: '/v1/timeline?limit=501' }), 400, 'invalid_parameter')
  t.same(limit.errors, [{ in: 'query', name: 'limit', detail: 'must be at most 500' }])
})

t.test('records without a date stay off the timeline; new dated ones join it', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('desk', 'write')
  const authorization = `Bearer ${key}`
  const quote = (id: string, date: string | null) => ({
    id,
    speaker_id: 'claudia-sheinbaum-pardo',
    text: 'sovereign',
    kind: 'direct',
    language: 'en',
    date,
    citations: [{ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'the decision was a “sovereign” one' }]
  })
  for (const payload of [quote('sheinbaum-sovereign-undated', null), quote('sheinbaum-sovereign-2025', '2025')]) {
    const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload })
    t.equal(res.statusCode, 201, `created ${payload.id}`)
  }
  const entries = await entriesOf(t, app, '/v1/timeline?actor=claudia-sheinbaum-pardo')
  t.same(entries, [
    'quote:sheinbaum-sovereign-2025',
    'event:sheinbaum-trump-90-day-agreement-2025',
    'transfer:transfer-2025-08-12',
    'cooperation_measure:mexico-cartel-and-migration-enforcement',
    'quote:sheinbaum-sovereign-decision'
  ], 'a year-precision date sorts before the dates within that year; the undated quote is left out')
  const { body } = await get(app, '/v1/timeline?types=quote&to=2025-01')
  t.match(body.data, [{ id: 'sheinbaum-sovereign-2025', date: '2025', date_precision: 'year', headline: 'Claudia Sheinbaum Pardo: “sovereign”' }])
})
