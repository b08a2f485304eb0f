import t, { type Test } from 'tap'
import type { ActorSummaryDto } from '../src/schemas/common.js'
import type { TariffDeadlineDto } from '../src/kinds/tariff-deadlines/schemas.js'
import { readSeedSet } from '../src/seed/load.js'
import { assertCitationsQuoteTheirSources, assertQueryProblem, buildTestApp, get, getOnePage, getRecord, idsOf, type App, type Page, type Resolved } from './helpers.js'

type TariffDeadline = Resolved<TariffDeadlineDto, { parties?: ActorSummaryDto[] }>

const TARIFFS = 'us-tariffs-on-mexican-imports-2025'
const FIXTURE = 'fixture-later-deadline'

/**
 * The article names one deadline, too few to show an order. This app adds a second one, a test
 * fixture and not a fact: its id sorts before the real one, its deadline (January 2026) after it.
 */
async function appWithTwoDeadlines (t: Test): Promise<App> {
  const set = readSeedSet()
  set.tariff_deadline.push({
    id: FIXTURE,
    measure: 'Test fixture',
    rate_percent: null,
    imposing_country: 'MX',
    targeted_country: 'US',
    imposing_party_id: null,
    targeted_party_id: null,
    announced_on: null,
    announced_on_approximate: false,
    window_start: null,
    window_start_approximate: false,
    window_days: null,
    deadline: '2026-01',
    deadline_approximate: false,
    time_zone: null,
    status: 'lapsed',
    description: null,
    citations: [{ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'ongoing trade negotiations' }]
  })
  return (await buildTestApp(t, { seed: set })).app
}

t.test('GET /v1/tariff-deadlines lists deadlines soonest first, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<TariffDeadline>(t, app, '/v1/tariff-deadlines')
  t.same(body.data.map((d) => d.id), [TARIFFS])
  t.notOk('citations' in body.data[0]! || 'parties' in body.data[0]!, 'nothing embedded unless included')

  const two = await appWithTwoDeadlines(t)
  t.same(await idsOf(t, two, '/v1/tariff-deadlines'), [TARIFFS, FIXTURE], 'default sort is deadline')
})

t.test('GET /v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025 returns the whole seeded record (at=2025-08-13, the day of the source)', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await getRecord<TariffDeadline>(t, app, `/v1/tariff-deadlines/${TARIFFS}?at=2025-08-13`)
  t.same(record, {
    id: TARIFFS,
    measure: 'Tariffs on Mexican imports',
    rate_percent: 30,
    imposing_country: 'US',
    targeted_country: 'MX',
    imposing_party_id: 'donald-trump',
    targeted_party_id: 'government-of-mexico',
    announced_on: null,
    announced_on_precision: null,
    announced_on_approximate: false,
    announced_on_earliest: null,
    announced_on_latest: null,
    window_start: '2025-07-30',
    window_start_precision: 'day',
    window_start_approximate: true,
    window_start_earliest: '2025-07-30',
    window_start_latest: '2025-07-30',
    window_days: 90,
    deadline: '2025-10-28',
    deadline_precision: 'day',
    deadline_approximate: true,
    deadline_earliest: '2025-10-28',
    deadline_latest: '2025-10-28',
    time_zone: 'America/New_York',
    status: 'upcoming',
    current_status: 'upcoming',
    days_remaining: 76,
    description: 'U.S. President Donald Trump threatened 30% tariffs on Mexican imports. About two weeks before 13 August 2025 he and President Claudia Sheinbaum agreed a 90-day negotiation period to avert them; the tariffs could severely impact Mexico\'s trade-dependent economy. Status as the source reported it on 2025-08-13.',
    external_fields: [],
    alternatives: [],
    disputed_fields: []
  })
})

t.test('status filters on the recorded status', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?status=upcoming'), [TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?status=imposed'), [])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?status=averted'), [])
})

t.test('deadline_from and deadline_to keep every deadline that overlaps the range', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?deadline_from=2025-10-28'), [TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?deadline_from=2025-10'), [TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?deadline_from=2025-10-29'), [])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?deadline_to=2025-10-28'), [TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?deadline_to=2025-10-27'), [])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?deadline_from=2025&deadline_to=2025'), [TARIFFS])

  const two = await appWithTwoDeadlines(t)
  t.same(await idsOf(t, two, '/v1/tariff-deadlines?deadline_from=2026-01-31'), [FIXTURE], 'January 2026 may include the 31st')
  t.same(await idsOf(t, two, '/v1/tariff-deadlines?deadline_to=2026-01-01'), [TARIFFS, FIXTURE], 'and the 1st')
  t.same(await idsOf(t, two, '/v1/tariff-deadlines?deadline_to=2025-12'), [TARIFFS])
})

t.test('imposing_country, targeted_country and party filter on who threatens whom', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?imposing_country=US'), [TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?imposing_country=MX'), [])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?targeted_country=MX'), [TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?targeted_country=US'), [])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?party=donald-trump'), [TARIFFS], 'the imposing party')
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?party=government-of-mexico'), [TARIFFS], 'the targeted party')
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?party=claudia-sheinbaum-pardo'), [])
})

t.test('sort orders by deadline or id, ascending or descending', async (t) => {
  const app = await appWithTwoDeadlines(t)
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?sort=deadline'), [TARIFFS, FIXTURE])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?sort=-deadline'), [FIXTURE, TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?sort=id'), [FIXTURE, TARIFFS])
  t.same(await idsOf(t, app, '/v1/tariff-deadlines?sort=-id'), [TARIFFS, FIXTURE])

  await assertQueryProblem(t, app, '/v1/tariff-deadlines?sort=rate_percent', 'invalid_parameter', { name: 'sort', detail: /rate_percent/ })
})

t.test('include=citations embeds the evidence, each excerpt an exact slice of its source', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<TariffDeadline>(app, `/v1/tariff-deadlines/${TARIFFS}?include=citations`)
  t.equal(res.statusCode, 200)
  t.notOk('parties' in body)
  const citations = body.citations!
  t.equal(citations.length, 6)
  for (const c of citations) {
    t.match(c, { source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: String, start_offset: Number, end_offset: Number, fields: Array, support: String })
  }
  t.match(citations.find((c) => c.fields.includes('deadline')), { support: 'computed', note: /90 days/ }, 'the deadline is computed from the window')
  await assertCitationsQuoteTheirSources(t, app, citations)

  const list = await get<Page<TariffDeadline>>(app, '/v1/tariff-deadlines?include=citations')
  t.same(list.body.data[0]!.citations, citations, 'lists embed the same')
})

t.test('include=parties embeds the imposing and targeted parties in short form', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<TariffDeadline>(app, `/v1/tariff-deadlines/${TARIFFS}?include=parties`)
  t.equal(res.statusCode, 200)
  t.notOk('citations' in body)
  t.same(body.parties, [
    { id: 'donald-trump', kind: 'person', name: 'Donald Trump', country: 'US' },
    { id: 'government-of-mexico', kind: 'government', name: 'Gobierno de México', country: 'MX' }
  ])
  const both = await get<Page<TariffDeadline>>(app, '/v1/tariff-deadlines?include=parties,citations')
  t.equal(both.body.data[0]!.parties!.length, 2)
  t.equal(both.body.data[0]!.citations!.length, 6)

  await assertQueryProblem(t, app, '/v1/tariff-deadlines?include=actors', 'invalid_parameter', { name: 'include', detail: /actors/ })
})

t.test('fields= returns only the named fields, plus the id', async (t) => {
  const { app } = await buildTestApp(t)
  const list = await get<Page<TariffDeadline>>(app, '/v1/tariff-deadlines?fields=deadline,deadline_approximate,status')
  t.equal(list.res.statusCode, 200)
  t.same(list.body, {
    data: [{ id: TARIFFS, deadline: '2025-10-28', deadline_approximate: true, status: 'upcoming' }],
    next_cursor: null
  })
  const one = await get<TariffDeadline>(app, `/v1/tariff-deadlines/${TARIFFS}?fields=rate_percent`)
  t.same(one.body, { id: TARIFFS, rate_percent: 30 })

  await assertQueryProblem(t, app, '/v1/tariff-deadlines?fields=deadline,parties', 'invalid_parameter', { name: 'fields', detail: /parties/ }, 'parties is an include, not a field')
})

t.test('invalid filter values are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [query, name] of [
    ['status=pending', 'status'],
    ['deadline_from=2025-13', 'deadline_from'],
    ['deadline_to=28-10-2025', 'deadline_to'],
    ['imposing_country=USA', 'imposing_country'],
    ['targeted_country=mx', 'targeted_country'],
    ['party=', 'party']
  ] as const) {
    await assertQueryProblem(t, app, `/v1/tariff-deadlines?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/tariff-deadlines?rate=30', 'unknown_parameter', { name: 'rate' })
})

t.test('the article\'s 30% tariff and 90-day window can be found, with their evidence', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get<Page<TariffDeadline>>(app, '/v1/tariff-deadlines?party=donald-trump&status=upcoming&include=citations')
  const [tariffs] = body.data
  t.match(tariffs, {
    rate_percent: 30,
    window_start: '2025-07-30',
    window_start_approximate: true,
    window_days: 90,
    deadline: '2025-10-28',
    deadline_approximate: true,
    status: 'upcoming'
  })
  const end = new Date(`${tariffs!.window_start}T00:00:00Z`)
  end.setUTCDate(end.getUTCDate() + tariffs!.window_days!)
  t.equal(end.toISOString().slice(0, 10), tariffs!.deadline, 'the deadline is the window start plus 90 days')

  const citing = (field: string) => tariffs!.citations!.filter((c) => c.fields.includes(field)).map((c) => c.excerpt)
  t.match(citing('rate_percent'), [/30% tariffs/])
  t.match(citing('window_days'), [/90-day negotiation period/])
  t.match(tariffs!.citations!.find((c) => c.fields.includes('deadline')), {
    excerpt: 'Two weeks ago, Sheinbaum and Trump agreed to a 90-day negotiation period to avert the tariffs',
    note: /2025-07-30.*2025-10-28/
  }, 'the relative date is resolved in a note')
})
