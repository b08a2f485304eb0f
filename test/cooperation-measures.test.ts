import t, { type Test } from 'tap'
import type { ActorSummaryDto } from '../src/schemas/common.js'
import type { CooperationMeasureDto } from '../src/kinds/cooperation-measures/schemas.js'
import { readSeedSet } from '../src/seed/load.js'
import { assertCitationsQuoteTheirSources, assertQueryProblem, buildTestApp, get, getOnePage, getRecord, idsOf, type App, type Page, type Resolved } from './helpers.js'

type Measure = Resolved<CooperationMeasureDto, { parties?: ActorSummaryDto[] }>

const ENFORCEMENT = 'mexico-cartel-and-migration-enforcement'
const DRONE = 'us-drone-over-central-mexico-2025'
const ASSURANCE = 'us-no-death-penalty-assurance-2025'
const FIXTURE = 'fixture-dated-measure'

/**
 * The article dates none of its measures, so `start_date` has nothing to order. This app adds a
 * test fixture (not a fact) that started in August 2025 and whose id sorts first.
 */
async function appWithDatedMeasure (t: Test): Promise<App> {
  const set = readSeedSet()
  set.cooperation_measure.push({
    id: FIXTURE,
    kind: 'joint_operation',
    title: 'Test fixture',
    description: 'A measure made up for a test, to have a start date.',
    requesting_party_id: null,
    providing_party_id: null,
    receiving_party_id: null,
    place: null,
    start_date: '2025-08',
    start_date_approximate: false,
    end_date: null,
    end_date_approximate: false,
    military: true,
    status: 'ended',
    as_of: null,
    transfer_ids: [],
    citations: [{ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'signaling deepened bilateral cooperation' }]
  })
  return (await buildTestApp(t, { seed: set })).app
}

t.test('GET /v1/cooperation-measures lists measures by id, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<Measure>(t, app, '/v1/cooperation-measures')
  t.same(body.data.map((m) => m.id), [ENFORCEMENT, DRONE, ASSURANCE])
  t.notOk(body.data.some((m) => 'citations' in m || 'parties' in m), 'nothing embedded unless included')

  const page = await get<Page<Measure>>(app, '/v1/cooperation-measures?limit=2')
  t.same(page.body.data.map((m) => m.id), [ENFORCEMENT, DRONE])
  t.match(page.res.headers.link, /rel="first", <[^>]+cursor=[^>]+>; rel="next"$/)
  const rest = await get<Page<Measure>>(app, `/v1/cooperation-measures?limit=2&cursor=${page.body.next_cursor}`)
  t.same(rest.body.data.map((m) => m.id), [ASSURANCE])
  t.equal(rest.body.next_cursor, null)
})

t.test('GET /v1/cooperation-measures/us-drone-over-central-mexico-2025 returns the whole seeded record', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await getRecord<Measure>(t, app, `/v1/cooperation-measures/${DRONE}`)
  t.same(record, {
    id: DRONE,
    kind: 'surveillance_flight',
    title: 'U.S. non-military drone over central Mexico',
    description: 'A U.S. non-military drone operating over central Mexico at Mexico\'s request, to aid an ongoing investigation.',
    requesting_party_id: 'government-of-mexico',
    providing_party_id: 'government-of-the-united-states',
    receiving_party_id: 'government-of-mexico',
    place: 'Central Mexico',
    start_date: null,
    start_date_precision: null,
    start_date_approximate: false,
    start_date_earliest: null,
    start_date_latest: null,
    end_date: null,
    end_date_precision: null,
    end_date_approximate: false,
    end_date_earliest: null,
    end_date_latest: null,
    military: false,
    status: 'active',
    as_of: '2025-08-13',
    as_of_earliest: '2025-08-13',
    as_of_latest: '2025-08-13',
    transfer_ids: [],
    external_fields: [],
    alternatives: [],
    disputed_fields: []
  })
})

t.test('kind and status filter measures', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/cooperation-measures?kind=legal_assurance'), [ASSURANCE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?kind=surveillance_flight'), [DRONE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?kind=joint_operation'), [])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?status=active'), [ENFORCEMENT, DRONE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?status=given'), [ASSURANCE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?status=cancelled'), [])
})

t.test('party finds the measures an actor requested, provides or receives', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/cooperation-measures?party=government-of-mexico'), [DRONE, ASSURANCE], 'requested the drone, receives the assurance')
  t.same(await idsOf(t, app, '/v1/cooperation-measures?party=government-of-the-united-states'), [ENFORCEMENT, DRONE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?party=cjng'), [])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?requesting_party=government-of-mexico'), [DRONE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?requesting_party=donald-trump'), [ENFORCEMENT])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?requesting_party=us-department-of-justice'), [])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?providing_party=us-department-of-justice'), [ASSURANCE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?providing_party=claudia-sheinbaum-pardo'), [ENFORCEMENT])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?providing_party=government-of-mexico'), [])
})

t.test('military=false finds non-military measures; measures the source is silent on match neither', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/cooperation-measures?military=false'), [DRONE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?military=true'), [])
  const dated = await appWithDatedMeasure(t)
  t.same(await idsOf(t, dated, '/v1/cooperation-measures?military=true'), [FIXTURE])
})

t.test('transfer finds the measures that apply to a transfer', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/cooperation-measures?transfer=transfer-2025-02'), [ASSURANCE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?transfer=transfer-2025-08-12'), [ASSURANCE])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?transfer=transfer-2024-01'), [])
})

t.test('sort orders by start_date or id, ascending or descending', async (t) => {
  const app = await appWithDatedMeasure(t)
  const undated = [ENFORCEMENT, DRONE, ASSURANCE]
  t.same(await idsOf(t, app, '/v1/cooperation-measures?sort=start_date'), [...undated, FIXTURE], 'no start date sorts first')
  t.same(await idsOf(t, app, '/v1/cooperation-measures?sort=-start_date'), [FIXTURE, ...[...undated].reverse()], 'and last, descending')
  t.same(await idsOf(t, app, '/v1/cooperation-measures?sort=-start_date,id'), [FIXTURE, ...undated])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?sort=id'), [FIXTURE, ...undated])
  t.same(await idsOf(t, app, '/v1/cooperation-measures?sort=-id'), [...undated].reverse().concat(FIXTURE))

  await assertQueryProblem(t, app, '/v1/cooperation-measures?sort=status', 'invalid_parameter', { name: 'sort', detail: /status/ })
})

t.test('include=citations embeds the evidence, each excerpt an exact slice of its source', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Measure>(app, `/v1/cooperation-measures/${DRONE}?include=citations`)
  t.equal(res.statusCode, 200)
  t.notOk('parties' in body)
  t.match(body.citations, [
    {
      source_id: 'mexico-hands-over-26-cartel-kingpins',
      excerpt: 'a U.S. non-military drone is operating over central Mexico at Mexico’s request to aid an ongoing investigation',
      start_offset: Number,
      end_offset: Number,
      fields: ['kind', 'description', 'requesting_party_id', 'providing_party_id', 'place', 'military', 'status']
    },
    { excerpt: 'García Harfuch also revealed', fields: ['as_of'], support: 'inferred', note: /2025-08-13/ }
  ])
  t.equal(body.citations!.length, 2)
  await assertCitationsQuoteTheirSources(t, app, body.citations!)

  const list = await get<Page<Measure>>(app, '/v1/cooperation-measures?include=citations')
  t.same(list.body.data.map((m) => m.citations!.length), [2, 2, 2])
  await assertCitationsQuoteTheirSources(t, app, list.body.data.flatMap((m) => m.citations!))
})

t.test('include=parties embeds the requesting, providing and receiving parties in short form', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Measure>(app, `/v1/cooperation-measures/${ASSURANCE}?include=parties`)
  t.equal(res.statusCode, 200)
  t.notOk('citations' in body)
  t.same(body.parties, [
    { id: 'us-department-of-justice', kind: 'government_body', name: 'United States Department of Justice', country: 'US' },
    { id: 'government-of-mexico', kind: 'government', name: 'Gobierno de México', country: 'MX' }
  ], 'no requesting party: two parties')
  const drone = await get<Measure>(app, `/v1/cooperation-measures/${DRONE}?include=parties,citations`)
  t.same(drone.body.parties!.map((p) => p.id), ['government-of-mexico', 'government-of-the-united-states'], 'each party once')
  t.equal(drone.body.citations!.length, 2)

  await assertQueryProblem(t, app, '/v1/cooperation-measures?include=transfers', 'invalid_parameter', { name: 'include', detail: /transfers/ })
})

t.test('fields= returns only the named fields, plus the id', async (t) => {
  const { app } = await buildTestApp(t)
  const list = await get<Page<Measure>>(app, '/v1/cooperation-measures?fields=military,transfer_ids')
  t.equal(list.res.statusCode, 200)
  t.same(list.body, {
    data: [
      { id: ENFORCEMENT, military: null, transfer_ids: [] },
      { id: DRONE, military: false, transfer_ids: [] },
      { id: ASSURANCE, military: null, transfer_ids: ['transfer-2025-02', 'transfer-2025-08-12'] }
    ],
    next_cursor: null
  })
  const one = await get<Measure>(app, `/v1/cooperation-measures/${DRONE}?fields=place`)
  t.same(one.body, { id: DRONE, place: 'Central Mexico' })

  await assertQueryProblem(t, app, '/v1/cooperation-measures?fields=place,cost', 'invalid_parameter', { name: 'fields', detail: /cost/ })
})

t.test('invalid filter values are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [query, name] of [
    ['kind=drone', 'kind'],
    ['status=done', 'status'],
    ['military=maybe', 'military'],
    ['party=', 'party'],
    ['requesting_party=', 'requesting_party'],
    ['providing_party=', 'providing_party'],
    ['transfer=', 'transfer']
  ] as const) {
    await assertQueryProblem(t, app, `/v1/cooperation-measures?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/cooperation-measures?receiving_party_id=government-of-mexico', 'unknown_parameter', { name: 'receiving_party_id' })
})

t.test('the death-penalty assurance covers the 55 people of both 2025 transfers', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await get<Measure>(app, `/v1/cooperation-measures/${ASSURANCE}?include=citations`)
  t.match(body, { kind: 'legal_assurance', status: 'given', providing_party_id: 'us-department-of-justice', receiving_party_id: 'government-of-mexico' })
  t.same(body.transfer_ids, ['transfer-2025-02', 'transfer-2025-08-12'])
  let people = 0
  for (const id of body.transfer_ids) {
    const transfer = await get<{ people_count: number, measure_ids: string[] }>(app, `/v1/transfers/${id}?include=measures`)
    t.ok(transfer.body.measure_ids.includes(ASSURANCE), `${id} links back to the assurance`)
    people += transfer.body.people_count
  }
  t.equal(people, 55)
  t.match(body.citations, [
    { excerpt: /would not seek the death penalty for the 55 individuals transferred this year/, fields: ['kind', 'description', 'providing_party_id', 'receiving_party_id', 'status'], support: 'stated' },
    { excerpt: /the 55 individuals transferred this year/, fields: ['transfer_ids'], support: 'computed', note: /29 .*26/ }
  ])
})
