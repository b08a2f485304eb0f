import t from 'tap'
import type { EventDto } from '../src/kinds/events/schemas.js'
import type { ActorSummaryDto } from '../src/schemas/common.js'
import {
  assertCitationsQuoteTheirSources, assertNothingWritten, assertProblem, assertQueryProblem, buildTestApp, get, getOnePage, getRecord,
  idsOf, post, snapshotOf, SOURCE, writer, type Page, type Resolved
} from './helpers.js'

type Event = Resolved<EventDto, { actors?: ActorSummaryDto[], parties: Array<{ actor_id: string, role: string }> }>

const AGREEMENT = 'sheinbaum-trump-90-day-agreement-2025'
const PLEA = 'ovidio-guzman-plea-deal-2025'
const CONFERENCE = 'garcia-harfuch-news-conference-2025-08-13'

/** The default order, `-date`: 13 August, 30 July, then July 2025 (a month sorts before its days). */
const all = [CONFERENCE, AGREEMENT, PLEA]

/** A new event the seeded source supports. */
const newEvent = (parties: object[], fields: string[]) => ({
  kind: 'announcement',
  title: 'Bondi hails the transfers',
  date: '2025-08-13',
  date_approximate: true,
  parties,
  citations: [{ source_id: SOURCE, excerpt: 'U.S. Attorney General Pam Bondi hailed the transfers', fields }]
})

t.test('GET /v1/events lists the seeded events newest first, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<Event>(t, app, '/v1/events')
  t.same(body.data.map((e) => e.id), all)
  t.notOk(body.data.some((e) => 'citations' in e || 'actors' in e), 'nothing embedded unless included')
  t.same(body.data.map((e) => [e.date, e.date_precision, e.date_approximate]), [
    ['2025-08-13', 'day', false],
    ['2025-07-30', 'day', true],
    ['2025-07', 'month', false]
  ], 'each date with its precision, "two weeks ago" approximate')
  t.same(await idsOf(t, app, '/v1/events?sort=date'), [...all].reverse())
  t.same(await idsOf(t, app, '/v1/events?sort=id'), [CONFERENCE, PLEA, AGREEMENT])
  await assertQueryProblem(t, app, '/v1/events?sort=title', 'invalid_parameter', { name: 'sort', detail: /title/ })
})

t.test('kind, actor (with an optional role), country and date ranges filter events', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/events?kind=plea_deal'), [PLEA])
  t.same(await idsOf(t, app, '/v1/events?kind=designation'), [])
  t.same(await idsOf(t, app, '/v1/events?actor=donald-trump'), [AGREEMENT])
  t.same(await idsOf(t, app, '/v1/events?actor=government-of-mexico'), [CONFERENCE])
  t.same(await idsOf(t, app, '/v1/events?actor=omar-garcia-harfuch&role=speaker'), [CONFERENCE])
  t.same(await idsOf(t, app, '/v1/events?actor=omar-garcia-harfuch&role=organizer'), [], 'that actor in that role')
  t.same(await idsOf(t, app, '/v1/events?role=defendant'), [PLEA])
  t.same(await idsOf(t, app, '/v1/events?country=MX'), [CONFERENCE])
  t.same(await idsOf(t, app, '/v1/events?date_from=2025-07-15&date_to=2025-07-31'), [AGREEMENT, PLEA], 'July 2025 overlaps the second half of July')
  t.same(await idsOf(t, app, '/v1/events?date_from=2025-07-31'), [CONFERENCE, PLEA], 'and any day of July')
  t.same(await idsOf(t, app, '/v1/events?date_to=2025-07-01'), [PLEA])
  t.same(await idsOf(t, app, '/v1/events?date_from=2025-08'), [CONFERENCE])
  t.same(await idsOf(t, app, '/v1/events?date_from=2025&date_to=2025'), all)
  t.same(await idsOf(t, app, '/v1/events?date_from=2026'), [])
  for (const [query, name] of [['kind=wedding', 'kind'], ['role=bystander', 'role'], ['country=mexico', 'country'], ['date_from=2025-13', 'date_from']] as const) {
    await assertQueryProblem(t, app, `/v1/events?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/events?party=donald-trump', 'unknown_parameter', { name: 'party' })
})

t.test('GET /v1/events/{id} returns the record; include=citations,actors embeds the evidence and the parties', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await getRecord<Event>(t, app, `/v1/events/${PLEA}`)
  t.same(record, {
    id: PLEA,
    kind: 'plea_deal',
    title: 'Ovidio Guzmán secures a plea deal',
    description: 'Ovidio Guzmán, son of Joaquín “El Chapo” Guzmán, secured a plea deal; the analyst David Saucedo credits the precedent it set with tempering cartel reactions to the transfers.',
    date: '2025-07',
    date_precision: 'month',
    date_approximate: false,
    date_earliest: '2025-07-01',
    date_latest: '2025-07-31',
    place: null,
    country: null,
    parties: [{ actor_id: 'ovidio-guzman', role: 'defendant' }],
    external_fields: [],
    alternatives: [],
    disputed_fields: []
  }, 'the source names no court, and none is invented')

  const { res, body } = await get<Event>(app, `/v1/events/${CONFERENCE}?include=citations,actors`)
  t.equal(res.statusCode, 200)
  t.same(body.actors!.map((a) => a.id), ['omar-garcia-harfuch', 'government-of-mexico'])
  t.match(body.actors, [{ name: 'Omar García Harfuch', kind: 'person' }, { kind: 'government' }])
  t.match(body.citations, [
    { excerpt: /García Harfuch said during a news conference$/, fields: ['kind', 'title', 'description', 'parties.omar-garcia-harfuch.speaker'], support: 'stated', note: null },
    { fields: ['description'], support: 'stated' },
    { excerpt: 'Mexican officials announced Wednesday', fields: ['date'], support: 'resolved', note: /2025-08-13/ },
    { excerpt: 'Mexican officials announced Wednesday', fields: ['parties.government-of-mexico.organizer', 'country'], support: 'inferred', note: String }
  ])
  await assertCitationsQuoteTheirSources(t, app, body.citations!)

  const list = await get<Page<Event>>(app, '/v1/events?include=citations')
  for (const e of list.body.data) {
    t.ok(e.citations!.some((c) => c.fields.includes('date') && c.support === 'resolved'), `${e.id}: its relative date is resolved, and says so`)
    for (const p of e.parties) t.ok(e.citations!.some((c) => c.fields.includes(`parties.${p.actor_id}.${p.role}`)), `${e.id}: ${p.actor_id} as ${p.role} is cited`)
  }
  await assertCitationsQuoteTheirSources(t, app, list.body.data.flatMap((e) => e.citations!))
  t.equal((await app.inject({ url: '/v1/events/no-such-event' })).statusCode, 404)
})

t.test('POST /v1/events creates an event with its parties and citations', async (t) => {
  const { app, authorization } = await writer(t)
  const res = await post(app, authorization, '/v1/events', newEvent([{ actor_id: 'pam-bondi', role: 'speaker' }], ['title', 'parties.pam-bondi.speaker']))
  t.equal(res.statusCode, 201, res.body)
  const created = res.json<Event>()
  t.equal(created.id, 'event-2025-08-13-bondi-hails-the-transfers', 'the id is made from the date and the title')
  t.match(res.headers.location, `/v1/events/${created.id}`)
  t.match(created, { kind: 'announcement', description: null, place: null, country: null, date_precision: 'day', parties: [{ actor_id: 'pam-bondi', role: 'speaker' }] })

  const { body } = await get<Event>(app, `/v1/events/${created.id}?include=citations,actors`)
  t.match(body.citations, [{ excerpt: 'U.S. Attorney General Pam Bondi hailed the transfers', fields: ['title', 'parties.pam-bondi.speaker'], start_offset: Number }])
  t.same(body.actors!.map((a) => a.id), ['pam-bondi'])
  t.same(await idsOf(t, app, '/v1/events?actor=pam-bondi'), [created.id])
})

t.test('a citation naming a party the event does not have, or a party that does not exist, is a 422 and writes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const field = await post(app, authorization, '/v1/events', newEvent([{ actor_id: 'pam-bondi', role: 'speaker' }], ['parties.nobody.party']))
  const fieldProblem = assertProblem(t, field, 422, 'unprocessable')
  t.match(fieldProblem.errors, [{ in: 'body', name: '/citations/0/fields/0', detail: /citation 0 names "parties\.nobody\.party".*"parties\.pam-bondi\.speaker"/ }])

  const party = await post(app, authorization, '/v1/events', newEvent([{ actor_id: 'nobody', role: 'party' }], ['parties.nobody.party']))
  const partyProblem = assertProblem(t, party, 422, 'unprocessable')
  t.match(partyProblem.errors, [{ in: 'body', name: '/parties/0/actor_id', detail: 'no actor has the id "nobody"' }])
  await assertNothingWritten(t, app, before)
})

t.test('events are on the timeline at their date, headlined by their title', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Page<{ kind: string, id: string, date_approximate: boolean, headline: string, url: string }>>(app, '/v1/timeline?from=2025-07-30&to=2025-07-30')
  t.equal(res.statusCode, 200)
  const events = body.data.filter((e) => e.kind === 'event')
  t.same(events.map((e) => e.id), [PLEA, AGREEMENT], 'the agreement, and the plea deal of July 2025, which overlaps the day')
  t.match(events[1], {
    id: AGREEMENT,
    date_approximate: true,
    headline: 'Sheinbaum and Trump agree a 90-day negotiation period',
    url: `/v1/events/${AGREEMENT}`
  })
  const byActor = await get<Page<{ kind: string, id: string }>>(app, '/v1/timeline?types=event&actor=ovidio-guzman')
  t.same(byActor.body.data.map((e) => e.id), [PLEA], 'actor is any party')
})

t.test('search finds events by their words', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Page<{ kind: string, id: string, title: string }>>(app, '/v1/search?q=plea&kind=event')
  t.equal(res.statusCode, 200)
  t.same(body.data.map((h) => [h.kind, h.id, h.title]), [['event', PLEA, 'Ovidio Guzmán secures a plea deal']])
})

t.test('an actor that is a party of an event cannot be deleted', async (t) => {
  const { app, authorization } = await writer(t)
  const res = await app.inject({ method: 'DELETE', url: '/v1/actors/ovidio-guzman', headers: { authorization } })
  t.match(assertProblem(t, res, 409, 'conflict').detail, /event ovidio-guzman-plea-deal-2025/)
  t.equal((await app.inject({ url: '/v1/actors/ovidio-guzman' })).statusCode, 200)
})
