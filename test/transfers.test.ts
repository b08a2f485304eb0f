import t from 'tap'
import type { Static } from 'typebox'
import type { ActorSummaryDto } from '../src/schemas/common.js'
import type { CooperationMeasureDto } from '../src/kinds/cooperation-measures/schemas.js'
import type { TransferDto, TransferResource } from '../src/kinds/transfers/schemas.js'
import { assertCitationsQuoteTheirSources, assertProblem, assertQueryProblem, buildTestApp, get, getOnePage, getRecord, idsOf, type Page, type Resolved } from './helpers.js'

type Transfer = Resolved<TransferDto, { resources: Array<Static<typeof TransferResource>>, actors?: ActorSummaryDto[] }>

const AUG = 'transfer-2025-08-12'
const FEB = 'transfer-2025-02'

t.test('GET /v1/transfers lists transfers newest first, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<Transfer>(t, app, '/v1/transfers', 'no rel="next" on the last page')
  t.same(body.data.map((r) => r.id), [AUG, FEB], 'default sort is -date')
  t.notOk('citations' in body.data[0]!, 'no citations unless included')
  t.notOk('actors' in body.data[0]!, 'no actors unless included')
})

t.test('limit pages through the list with an opaque cursor and a Link header', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await get<Page<Transfer>>(app, '/v1/transfers?limit=1')
  t.same(first.body.data.map((r) => r.id), [AUG])
  t.type(first.body.next_cursor, 'string')
  const link = String(first.res.headers.link)
  t.match(link, /^<\/v1\/transfers\?[^>]*>; rel="first", <\/v1\/transfers\?[^>]*cursor=[^>]+>; rel="next"$/, 'a relative link (absolute under PUBLIC_URL)')
  const next = new URL(/<([^>]+)>; rel="next"/.exec(link)![1]!, 'http://127.0.0.1')
  t.equal(next.searchParams.get('cursor'), first.body.next_cursor)
  t.equal(/^<([^>]+)>; rel="first"/.exec(link)![1], '/v1/transfers?limit=1', 'rel="first": the same query from the start')
  t.equal(next.searchParams.get('limit'), '1', 'the link keeps the query')

  const second = await get<Page<Transfer>>(app, `${next.pathname}${next.search}`)
  t.equal(second.res.statusCode, 200)
  t.same(second.body.data.map((r) => r.id), [FEB])
  t.equal(second.body.next_cursor, null)
  t.notMatch(String(second.res.headers.link), /rel="next"/)
})

t.test('GET /v1/transfers/transfer-2025-08-12 returns the whole seeded record (with include=measures, the assurances that apply)', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await getRecord<Transfer>(t, app, `/v1/transfers/${AUG}?include=measures`)
  t.same(record, {
    id: AUG,
    date: '2025-08-12',
    date_precision: 'day',
    date_approximate: false,
    date_earliest: '2025-08-12',
    date_latest: '2025-08-12',
    announced_on: '2025-08-13',
    announced_on_earliest: '2025-08-13',
    announced_on_latest: '2025-08-13',
    from_country: 'MX',
    to_country: 'US',
    mechanism: 'extradition',
    people_count: 26,
    people_count_approximate: false,
    summary: 'Mexico handed 26 high-profile cartel leaders, members of the Jalisco New Generation and Sinaloa cartels among them, to the United States at the Trump administration\'s request.',
    purpose: 'To curb drug trafficking and dismantle the cartels\' ability to operate illicit networks from Mexican prisons.',
    charges: 'Drug trafficking and related crimes, in the United States.',
    participants: [
      { actor_id: 'government-of-mexico', role: 'sent' },
      { actor_id: 'government-of-the-united-states', role: 'received' },
      { actor_id: 'government-of-the-united-states', role: 'requested' },
      { actor_id: 'cjng', role: 'organization_of_transferred' },
      { actor_id: 'sinaloa-cartel', role: 'organization_of_transferred' },
      { actor_id: 'government-of-mexico', role: 'announced' },
      { actor_id: 'omar-garcia-harfuch', role: 'announced' },
      { actor_id: 'claudia-sheinbaum-pardo', role: 'commented' },
      { actor_id: 'pam-bondi', role: 'endorsed' }
    ],
    resources: [
      { id: 'transfer-2025-08-12--officers', kind: 'law_enforcement_officers', quantity: 1000, approximate: true, description: 'nearly 1,000 law enforcement officers' },
      { id: 'transfer-2025-08-12--vehicles', kind: 'vehicles', quantity: 90, approximate: false, description: '90 vehicles' },
      { id: 'transfer-2025-08-12--military-aircraft', kind: 'military_aircraft', quantity: 12, approximate: true, description: 'a dozen military aircraft' }
    ],
    external_fields: ['date'],
    alternatives: [],
    disputed_fields: [],
    measure_ids: ['us-no-death-penalty-assurance-2025']
  })
})

t.test('GET /v1/transfers/transfer-2025-02 is dated to the month', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Transfer>(app, `/v1/transfers/${FEB}?include=measures`)
  t.equal(res.statusCode, 200)
  t.match(body, {
    id: FEB,
    date: '2025-02',
    date_precision: 'month',
    date_approximate: false,
    announced_on: null,
    from_country: 'MX',
    to_country: 'US',
    mechanism: 'unspecified',
    people_count: 29,
    people_count_approximate: false,
    purpose: null,
    charges: null
  })
  t.same(body.participants, [
    { actor_id: 'government-of-mexico', role: 'sent' },
    { actor_id: 'government-of-the-united-states', role: 'received' }
  ])
  t.same(body.resources, [])
  t.same(body.measure_ids, ['us-no-death-penalty-assurance-2025'])
})

t.test('date_from and date_to keep every transfer whose (partial) date overlaps the range', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/transfers?date_from=2025-02-15'), [AUG, FEB], 'February 2025 may include the 15th')
  t.same(await idsOf(t, app, '/v1/transfers?date_from=2025-03'), [AUG])
  t.same(await idsOf(t, app, '/v1/transfers?date_from=2025-08-12'), [AUG])
  t.same(await idsOf(t, app, '/v1/transfers?date_from=2025-08-13'), [])
  t.same(await idsOf(t, app, '/v1/transfers?date_to=2025-02-01'), [FEB], 'February 2025 may include the 1st')
  t.same(await idsOf(t, app, '/v1/transfers?date_to=2025-01-31'), [])
  t.same(await idsOf(t, app, '/v1/transfers?date_to=2025-08-11'), [FEB])
  t.same(await idsOf(t, app, '/v1/transfers?date_from=2025-02&date_to=2025-02'), [FEB])
  t.same(await idsOf(t, app, '/v1/transfers?date_from=2025&date_to=2025'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?date_to=2024'), [])
})

t.test('from_country, to_country and mechanism filter on the transfer', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/transfers?from_country=MX'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?from_country=US'), [])
  t.same(await idsOf(t, app, '/v1/transfers?to_country=US'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?to_country=MX'), [])
  t.same(await idsOf(t, app, '/v1/transfers?mechanism=extradition'), [AUG])
  t.same(await idsOf(t, app, '/v1/transfers?mechanism=unspecified'), [FEB])
  t.same(await idsOf(t, app, '/v1/transfers?mechanism=deportation'), [])
})

t.test('actor finds the transfers an actor took part in, role narrows it to one role', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/transfers?actor=cjng'), [AUG])
  t.same(await idsOf(t, app, '/v1/transfers?actor=government-of-mexico'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?actor=donald-trump'), [])
  t.same(await idsOf(t, app, '/v1/transfers?actor=pam-bondi&role=endorsed'), [AUG])
  t.same(await idsOf(t, app, '/v1/transfers?actor=pam-bondi&role=requested'), [])
  t.same(await idsOf(t, app, '/v1/transfers?actor=government-of-the-united-states&role=requested'), [AUG])
  t.same(await idsOf(t, app, '/v1/transfers?actor=government-of-the-united-states&role=received'), [AUG, FEB])
})

t.test('role without actor is not silently ignored', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers?role=endorsed' })
  if (res.statusCode === 400) {
    const body = assertProblem(t, res, 400, 'invalid_parameter')
    t.match(body.errors, [{ in: 'query', name: 'role' }])
  } else {
    t.equal(res.statusCode, 200)
    t.same(res.json<Page<Transfer>>().data.map((r) => r.id), [AUG], 'only transfers someone endorsed')
  }
})

t.test('sort orders by each sort field, ascending or descending, the id breaking ties', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/transfers?sort=date'), [FEB, AUG])
  t.same(await idsOf(t, app, '/v1/transfers?sort=-date'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?sort=people_count'), [AUG, FEB], '26 before 29')
  t.same(await idsOf(t, app, '/v1/transfers?sort=-people_count'), [FEB, AUG])
  t.same(await idsOf(t, app, '/v1/transfers?sort=announced_on'), [FEB, AUG], 'no announcement date sorts first')
  t.same(await idsOf(t, app, '/v1/transfers?sort=-announced_on'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?sort=id'), [FEB, AUG])
  t.same(await idsOf(t, app, '/v1/transfers?sort=-id'), [AUG, FEB])
  t.same(await idsOf(t, app, '/v1/transfers?sort=-people_count,-id'), [FEB, AUG], 'several keys')

  await assertQueryProblem(t, app, '/v1/transfers?sort=-size', 'invalid_parameter', { name: 'sort', detail: /size/ })
})

t.test('include=citations embeds the evidence, each excerpt an exact slice of its source', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Transfer>(app, `/v1/transfers/${AUG}?include=citations`)
  t.equal(res.statusCode, 200)
  t.notOk('actors' in body)
  const citations = body.citations!
  t.equal(citations.length, 13)
  for (const c of citations) {
    t.match(c, { source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: String, start_offset: Number, end_offset: Number, fields: Array, support: String })
  }
  t.match(citations[0], {
    excerpt: 'Mexico has extradited 26 high-profile cartel leaders to the United States',
    fields: ['people_count', 'from_country', 'to_country', 'mechanism', 'participants.government-of-mexico.sent', 'participants.government-of-the-united-states.received'],
    support: 'stated',
    note: null
  })
  t.match(citations.find((c) => c.fields.includes('date')), { support: 'external', note: /dates only the announcement/ }, 'the date is not in the stored source, and says so')
  t.same(body.external_fields, ['date'])
  await assertCitationsQuoteTheirSources(t, app, citations)

  const list = await get<Page<Transfer>>(app, '/v1/transfers?include=citations')
  t.same(list.body.data.map((r) => r.citations!.length), [13, 4], 'lists embed them too')
  await assertCitationsQuoteTheirSources(t, app, list.body.data[1]!.citations!)
})

t.test('include=actors embeds each participant once, in short form', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Transfer>(app, `/v1/transfers/${FEB}?include=actors`)
  t.equal(res.statusCode, 200)
  t.notOk('citations' in body)
  t.same(body.actors, [
    { id: 'government-of-mexico', kind: 'government', name: 'Gobierno de México', country: 'MX' },
    { id: 'government-of-the-united-states', kind: 'government', name: 'Government of the United States', country: 'US' }
  ])
  const both = await get<Page<Transfer>>(app, '/v1/transfers?include=citations,actors')
  t.same(both.body.data[0]!.actors!.map((a) => a.id), [
    'government-of-mexico', 'government-of-the-united-states', 'cjng', 'sinaloa-cartel', 'omar-garcia-harfuch', 'claudia-sheinbaum-pardo', 'pam-bondi'
  ])
  t.ok(both.body.data[0]!.citations)

  await assertQueryProblem(t, app, '/v1/transfers?include=quotes', 'invalid_parameter', { name: 'include', detail: /quotes/ })
})

t.test('fields= returns only the named fields, plus the id', async (t) => {
  const { app } = await buildTestApp(t)
  const list = await get<Page<Transfer>>(app, '/v1/transfers?fields=people_count,date')
  t.equal(list.res.statusCode, 200)
  t.match(list.res.headers['content-type'], /^application\/json/)
  t.same(list.body, {
    data: [
      { id: AUG, date: '2025-08-12', people_count: 26 },
      { id: FEB, date: '2025-02', people_count: 29 }
    ],
    next_cursor: null
  })
  const one = await get<Transfer>(app, `/v1/transfers/${FEB}?fields=date,date_precision&include=actors`)
  t.same(Object.keys(one.body).sort(), ['actors', 'date', 'date_precision', 'id'], 'included records stay')

  await assertQueryProblem(t, app, '/v1/transfers?fields=people_count,weight', 'invalid_parameter', { name: 'fields', detail: /weight/ })
})

t.test('invalid filter values are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [query, name] of [
    ['mechanism=teleport', 'mechanism'],
    ['from_country=mexico', 'from_country'],
    ['to_country=us', 'to_country'],
    ['date_from=2025-13', 'date_from'],
    ['date_to=13/08/2025', 'date_to'],
    ['role=bystander&actor=cjng', 'role'],
    ['actor=', 'actor'],
    ['limit=0', 'limit'],
    ['limit=501', 'limit']
  ] as const) {
    await assertQueryProblem(t, app, `/v1/transfers?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/transfers?country=MX', 'unknown_parameter', { name: 'country' }, 'unknown parameters are errors too')
})

t.test('an impossible calendar date is an invalid date filter', async (t) => {
  const { app } = await buildTestApp(t)
  await assertQueryProblem(t, app, '/v1/transfers?date_from=2025-02-30', 'invalid_parameter', { name: 'date_from' })
})

t.test('every number of the article can be found through the API', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get<Page<Transfer>>(app, '/v1/transfers?include=citations')
  const [aug, feb] = body.data
  t.equal(aug!.people_count, 26, '26 cartel leaders on 12 August 2025')
  t.equal(feb!.people_count, 29, '29 in February 2025')

  const measure = await get<Resolved<CooperationMeasureDto>>(app, '/v1/cooperation-measures/us-no-death-penalty-assurance-2025?include=citations')
  t.equal(measure.res.statusCode, 200)
  t.same(measure.body.transfer_ids, [FEB, AUG], 'the death-penalty assurance covers both transfers')
  t.equal(aug!.people_count! + feb!.people_count!, 55, 'the 55 individuals transferred this year')
  t.match(measure.body.citations, [{ excerpt: /the 55 individuals transferred this year/ }])
  t.ok(feb!.citations!.some((c) => c.excerpt === 'the 55 individuals transferred this year' && c.fields.includes('people_count')))

  const byKind = new Map(aug!.resources.map((r) => [r.kind, r]))
  t.match(byKind.get('law_enforcement_officers'), { quantity: 1000, approximate: true, description: 'nearly 1,000 law enforcement officers' })
  t.match(byKind.get('vehicles'), { quantity: 90, approximate: false, description: '90 vehicles' })
  t.match(byKind.get('military_aircraft'), { quantity: 12, approximate: true, description: 'a dozen military aircraft' })
  for (const r of aug!.resources) {
    const evidence = aug!.citations!.filter((c) => c.fields.includes(`resources.${r.id}`))
    t.same(evidence.map((c) => c.excerpt), [r.description], `${r.id} is cited word for word`)
  }
  await assertCitationsQuoteTheirSources(t, app, aug!.citations!)
})
