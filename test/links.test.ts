import t from 'tap'
import type { Test } from 'tap'
import { kinds } from '../src/kinds/index.js'
import type { SourceCitationDto } from '../src/kinds/sources/citations.js'
import type { ActorLinkDto } from '../src/schemas/common.js'
import { buildApp } from '../src/app.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { assertProblem, assertQueryProblem, buildTestApp, get, getOnePage, idsOf, parseCsv, SOURCE, testConfig, type App, type Page } from './helpers.js'

const INCLUDES = ['quotes', 'transfers', 'events', 'measures', 'deadlines'] as const
type Include = typeof INCLUDES[number]
type Linked = { id: string } & Partial<Record<Include, ActorLinkDto[]>>
interface Entry { kind: string, id: string, date: string, date_precision: string | null, date_earliest: string | null, date_latest: string | null, headline: string, url: string }

const HARFUCH = 'omar-garcia-harfuch'
const CONFERENCE = 'garcia-harfuch-news-conference-2025-08-13'
const AUGUST = 'transfer-2025-08-12'

/** The links as `[id, role]` pairs, to read at a glance. */
const pairs = (links: ActorLinkDto[] | undefined) => links?.map((l) => [l.id, l.role])

/** Every one of `urls` answers 200 to a GET. */
async function assertResolve (t: Test, app: App, urls: Iterable<string>) {
  for (const url of new Set(urls)) t.equal((await app.inject({ url })).statusCode, 200, `${url} resolves`)
}

/** Every page of `url`, its first then each `next_cursor`'s: the responses and their bodies. */
async function pagesOf<T> (app: App, url: string) {
  const pages: Array<{ res: Awaited<ReturnType<App['inject']>>, body: Page<T> }> = []
  let cursor: string | null = null
  do {
    pages.push(await get<Page<T>>(app, cursor === null ? url : `${url}&cursor=${cursor}`))
    cursor = pages.at(-1)!.body.next_cursor
  } while (cursor !== null)
  return pages
}

t.test('GET /v1/actors/{id}?include=quotes,transfers,events,measures,deadlines embeds what points at the actor, newest first', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Linked>(app, `/v1/actors/${HARFUCH}?include=${INCLUDES.join(',')}`)
  t.equal(res.statusCode, 200)
  t.same(body.transfers, [{
    id: AUGUST,
    role: 'announced',
    date: '2025-08-12',
    date_precision: 'day',
    headline: '26 people handed over from MX to US (extradition)',
    url: `/v1/transfers/${AUGUST}`
  }], 'each link: the record, the actor\'s role in it, its date, a headline and its path')
  t.same(pairs(body.quotes), [['garcia-harfuch-strategic-move', 'speaker'], ['garcia-harfuch-us-drone', 'speaker']],
    'on 13 August, then on or before it ([..2025-08-13], placed at its latest bound), ties by id')
  t.match(body.quotes, [{ date: '2025-08-13', date_precision: 'day' }, { date: '[..2025-08-13]', date_precision: null }])
  t.same(pairs(body.events), [[CONFERENCE, 'speaker']])
  t.same([body.measures, body.deadlines], [[], []], 'an include with nothing to embed is an empty list')

  const mexico = (await get<Linked>(app, `/v1/actors/government-of-mexico?include=${INCLUDES.join(',')}`)).body
  t.same(pairs(mexico.transfers), [[AUGUST, 'announced'], [AUGUST, 'sent'], ['transfer-2025-02', 'sent']], 'a record once for each role, roles in order')
  t.same(pairs(mexico.measures), [
    ['us-drone-over-central-mexico-2025', 'receiving_party'], ['us-drone-over-central-mexico-2025', 'requesting_party'], ['us-no-death-penalty-assurance-2025', 'receiving_party']
  ])
  t.same(pairs(mexico.deadlines), [['us-tariffs-on-mexican-imports-2025', 'targeted_party']])
  t.same(mexico.quotes, [])

  const list = await getOnePage<Linked>(t, app, '/v1/actors?include=transfers&limit=500')
  for (const cartel of ['cjng', 'sinaloa-cartel']) {
    t.same(pairs(list.data.find((a) => a.id === cartel)!.transfers), [[AUGUST, 'organization_of_transferred']], `${cartel}: the organisation of people transferred`)
  }
  t.ok(list.data.every((a) => Array.isArray(a.transfers) && INCLUDES.every((i) => i === 'transfers' || !(i in a))), 'the list embeds what it is asked for, and only that')
  const plain = (await get<Linked>(app, `/v1/actors/${HARFUCH}?include=quotes`)).body
  t.same(INCLUDES.filter((i) => i in plain), ['quotes'], 'an include not asked for is absent')
  await assertQueryProblem(t, app, '/v1/actors?include=bogus', 'invalid_parameter', { name: 'include', detail: /bogus/ })
  await assertQueryProblem(t, app, `/v1/actors/${HARFUCH}?include=quotes,bogus`, 'invalid_parameter', { name: 'include', detail: /bogus/ })
})

t.test('every actor\'s links resolve, are headlined and dated as on the timeline, in order, and a page embeds the same whatever its size', async (t) => {
  const { app } = await buildTestApp(t)
  const include = INCLUDES.join(',')
  const whole = await getOnePage<Linked>(t, app, `/v1/actors?include=${include}&limit=13`)
  t.equal(whole.data.length, 13, 'the 13 seeded actors on one page')
  const timeline = new Map((await getOnePage<Entry>(t, app, '/v1/timeline?limit=500')).data.map((e) => [e.url, e]))
  const links = whole.data.flatMap((a) => INCLUDES.flatMap((i) => a[i]!))
  t.ok(links.length > 30, `${links.length} links`)
  for (const link of links) {
    const entry = timeline.get(link.url)
    t.same([link.headline, link.date, link.date_precision], [entry?.headline, entry?.date, entry?.date_precision], `${link.url}: as the timeline has it`)
  }
  await assertResolve(t, app, links.map((l) => l.url))

  // Newest first by the earliest day (the latest bound when only that is known), then id, then role.
  const place = (l: ActorLinkDto) => timeline.get(l.url)!.date_earliest ?? timeline.get(l.url)!.date_latest ?? ''
  const order = (a: ActorLinkDto, b: ActorLinkDto) => (place(a) !== place(b) ? (place(a) < place(b) ? 1 : -1) : a.id !== b.id ? (a.id < b.id ? -1 : 1) : a.role < b.role ? -1 : 1)
  for (const actor of whole.data) {
    for (const i of INCLUDES) t.same(actor[i], [...actor[i]!].sort(order), `${actor.id} ${i} are in order`)
  }

  const paged = (await pagesOf<Linked>(app, `/v1/actors?include=${include}&limit=1`)).flatMap((p) => p.body.data)
  t.same(paged, whole.data, 'thirteen pages of one embed what one page of thirteen does')
  for (const actor of whole.data) {
    t.same((await get<Linked>(app, `/v1/actors/${actor.id}?include=${include}`)).body, actor, `GET /v1/actors/${actor.id} embeds the same`)
  }
})

type SourceWithCitations = { text: string, citations?: SourceCitationDto[] }
const citationsUrl = `/v1/sources/${SOURCE}/citations`

t.test('GET /v1/sources/{id}?include=citations embeds every citation pointing into the source, in the order of its text', async (t) => {
  const { app } = await buildTestApp(t)
  t.notOk('citations' in (await get<SourceWithCitations>(app, `/v1/sources/${SOURCE}`)).body, 'nothing embedded unless included')
  const { res, body } = await get<SourceWithCitations>(app, `/v1/sources/${SOURCE}?include=citations`)
  t.equal(res.statusCode, 200)
  const cited = body.citations!
  t.equal(cited.length, 86)
  t.same(Object.keys(cited[0]!), ['id', 'source_id', 'excerpt', 'start_offset', 'end_offset', 'fields', 'support', 'note', 'record_type', 'record_id', 'alternative', 'url'])
  t.match(cited.find((c) => c.start_offset === 103 && c.end_offset === 176), {
    excerpt: 'Mexico has extradited 26 high-profile cartel leaders to the United States',
    fields: ['people_count', 'from_country', 'to_country', 'mechanism'],
    support: 'stated',
    record_type: 'transfer',
    record_id: AUGUST,
    alternative: null,
    url: `/v1/transfers/${AUGUST}`
  })
  const text = [...body.text]
  t.same(cited.filter((c) => text.slice(c.start_offset, c.end_offset).join('') !== c.excerpt).map((c) => c.id), [], 'every excerpt is the text at its offsets, in code points')
  const byText = (a: SourceCitationDto, b: SourceCitationDto) => a.start_offset - b.start_offset || a.end_offset - b.end_offset || a.id - b.id
  t.same(cited.map((c) => c.id), [...cited].sort(byText).map((c) => c.id), 'by start, then end, then id')
  t.ok(cited.every((c) => c.source_id === SOURCE && c.url === `/v1/${kinds.find((k) => k.type === c.record_type)!.path}/${c.record_id}`), 'each with the path of its record')
  await assertResolve(t, app, cited.map((c) => c.url))

  const pages = await pagesOf<SourceCitationDto>(app, `${citationsUrl}?limit=10`)
  t.same(pages.map((p) => [p.res.statusCode, p.body.data.length, /rel="next"/.test(String(p.res.headers.link))]),
    [...Array<unknown>(8).fill([200, 10, true]), [200, 6, false]], 'nine pages, each but the last with Link: rel="next"')
  t.same(pages.flatMap((p) => p.body.data), cited, 'pages of 10 walk all 86, each once, in order')
})

t.test('GET /v1/sources/{id}/citations?start=&end= finds the facts resting on a passage', async (t) => {
  const { app } = await buildTestApp(t)
  const all = (await get<SourceWithCitations>(app, `/v1/sources/${SOURCE}?include=citations`)).body.citations!
  const passage = await getOnePage<SourceCitationDto>(t, app, `${citationsUrl}?start=103&end=176`)
  t.same(passage.data.map((c) => [c.record_type, c.record_id, c.start_offset, c.end_offset]), [['transfer', AUGUST, 103, 176], ['event', CONFERENCE, 103, 302]],
    '"Mexico has extradited 26 high-profile cartel leaders to the United States": the transfer, and an event\'s description')
  for (const [query, start, end] of [['start=944&end=1005', 944, 1005], ['start=150&end=160', 150, 160], ['start=1500', 1500, Infinity], ['end=110', 0, 110]] as const) {
    const expected = all.filter((c) => c.start_offset < end && c.end_offset > start)
    t.ok(expected.length > 0 && expected.length < all.length, `${query}: some citations overlap`)
    t.same((await getOnePage<SourceCitationDto>(t, app, `${citationsUrl}?${query}&limit=500`)).data, expected, `${query}: those overlapping the passage`)
  }
  const quotes = await getOnePage<SourceCitationDto>(t, app, `${citationsUrl}?record_type=quote&limit=500`)
  t.same(quotes.data, all.filter((c) => c.record_type === 'quote'))
  t.ok(quotes.data.length > 0)

  assertProblem(t, await app.inject({ url: '/v1/sources/no-such-source/citations' }), 404, 'not_found')
  await assertQueryProblem(t, app, `${citationsUrl}?start=176&end=103`, 'invalid_parameter', { name: 'end', detail: /greater than start/ })
  await assertQueryProblem(t, app, `${citationsUrl}?start=103&end=103`, 'invalid_parameter', { name: 'end' }, 'an empty passage too')
  await assertQueryProblem(t, app, `${citationsUrl}?record_type=bogus`, 'invalid_parameter', { name: 'record_type', detail: /bogus/ })

  const openapi = (await get<{ components: { schemas: Record<string, { properties: Record<string, { enum?: string[] }> }> } }>(app, '/openapi.json')).body
  t.same(openapi.components.schemas.SourceCitation!.properties.record_type!.enum, kinds.filter((k) => k.cited).map((k) => k.type),
    'the document\'s record_type names the registry\'s cited kinds')
})

type Hits = Page<{ kind: string, id: string }> & { count?: number, facets?: { kind: Record<string, number> } }

t.test('search: terms scoped to a field, facets by kind, and CSV', async (t) => {
  const { app } = await buildTestApp(t)
  const drones = ['us-drone-over-central-mexico-2025', 'garcia-harfuch-us-drone']
  t.same(await idsOf(t, app, '/v1/search?q=title:drone'), drones, 'records whose title has "drone"')
  t.same(await idsOf(t, app, `/v1/search?q=${encodeURIComponent('title:"non-military drone"')}`), drones, 'a phrase scoped to the title')
  await assertQueryProblem(t, app, '/v1/search?q=colour:red', 'invalid_parameter', { name: 'q', detail: /title:.*body:/ })

  const faceted = await get<Hits>(app, '/v1/search?q=cartel&facets=kind&limit=1')
  t.equal(faceted.res.statusCode, 200)
  const facets = faceted.body.facets!.kind
  t.same(faceted.body.facets, (await get<Hits>(app, '/v1/search?q=cartel&facets=kind&kind=quote')).body.facets, 'facets count every kind, whatever kind= keeps')
  t.equal(facets.quote, (await get<Hits>(app, '/v1/search?q=cartel&kind=quote&count=true')).body.count, 'as many quotes as kind=quote finds')
  t.equal(Object.values(facets).reduce((a, b) => a + b, 0), (await get<Hits>(app, '/v1/search?q=cartel&count=true')).body.count, 'and every hit once')
  t.notOk('facets' in (await get<Hits>(app, '/v1/search?q=cartel')).body, 'no facets unless asked for')
  await assertQueryProblem(t, app, '/v1/search?q=cartel&facets=bogus', 'invalid_parameter', { name: 'facets' })

  const hits = (await get<Hits>(app, '/v1/search?q=cartel&limit=100')).body.data
  const csv = await app.inject({ url: '/v1/search.csv?q=cartel&limit=100&count=true' })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv/)
  t.match(csv.headers.link, /rel="first"/)
  t.equal(csv.headers['x-total-count'], String(hits.length))
  const [header, ...rows] = parseCsv(csv.body)
  t.same(header, ['kind', 'id', 'title', 'snippet', 'score', 'url', 'date'])
  t.same(rows.map((r) => [r[0], r[1]]), hits.map((h) => [h.kind, h.id]), 'a row a hit, in the order of the JSON')
  t.match((await app.inject({ url: '/v1/search.csv?q=cartel&limit=2' })).headers.link, /rel="next"/)
})

t.test('the timeline and the change feed as CSV', async (t) => {
  const { app } = await buildTestApp(t)
  const timeline = await app.inject({ url: '/v1/timeline.csv?limit=5' })
  t.equal(timeline.statusCode, 200)
  t.match(timeline.headers['content-type'], /^text\/csv/)
  t.match(timeline.headers.link, /<\/v1\/timeline\.csv\?[^>]*cursor=[^>]*>; rel="next"/)
  const [header, ...rows] = parseCsv(timeline.body)
  t.same(header!.slice(0, 2), ['kind', 'id'])
  t.same(rows.map((r) => r[1]), await idsOf(t, app, '/v1/timeline?limit=5'), 'the entries JSON has, in order')

  const changes = await app.inject({ url: '/v1/changes.csv?limit=3' })
  t.equal(changes.statusCode, 200)
  t.match(changes.headers['content-type'], /^text\/csv/)
  const [changesHeader, ...changeRows] = parseCsv(changes.body)
  t.same(changesHeader, ['seq', 'cursor', 'type', 'id', 'action', 'revision', 'at', 'author', 'comment', 'data'])
  t.same(changeRows.map((r) => r[0]), ['1', '2', '3'])
  t.equal((JSON.parse(changeRows[0]![9]!) as { id: string }).id, changeRows[0]![3], 'data is the record, as JSON')
  const next = /<([^>]*)>; rel="next"/.exec(String(changes.headers.link))?.[1]
  t.match(next, /^\/v1\/changes\.csv\?.*since=/)
  t.same(parseCsv((await app.inject({ url: next! })).body).slice(1).map((r) => r[0]), ['4', '5', '6'], 'and reads on from there')
})

t.test('each include costs a few queries a page, whatever its size (never one a row)', async (t) => {
  let statements = 0
  const db = createDb(':memory:', { verbose: () => { statements++ } })
  migrateDb(db)
  seedDatabase(db)
  const app = await buildApp({ db, config: testConfig })
  t.teardown(async () => { await app.close(); db.close() })
  /** The statements a request runs (the fewest of five tries: the data version is read at most every 10 ms). */
  const cost = async (url: string) => {
    const tries: number[] = []
    for (let i = 0; i < 5; i++) {
      statements = 0
      t.equal((await app.inject({ url })).statusCode, 200, url)
      tries.push(statements)
    }
    return Math.min(...tries)
  }
  t.ok(await cost('/v1/quotes?limit=100&include=speaker') > await cost('/v1/quotes?limit=100'), 'statements are counted')
  for (const kind of kinds) {
    const rows = (await get<Page<{ id: string }>>(app, `/v1/${kind.path}?limit=100`)).body.data.length
    for (const include of kind.includes) {
      const one = await cost(`/v1/${kind.path}?limit=1&include=${include}`) - await cost(`/v1/${kind.path}?limit=1`)
      const all = await cost(`/v1/${kind.path}?limit=100&include=${include}`) - await cost(`/v1/${kind.path}?limit=100`)
      t.equal(all, one, `${kind.path}?include=${include}: as many queries for ${rows} records as for one`)
      // The citations are read for every record (its evidence flags), so embedding them costs nothing.
      t.ok(one <= 3, `${kind.path}?include=${include}: ${one} queries a page`)
    }
  }
})

t.test('include=citations.source gives each citation its source in short', async (t) => {
  const { app } = await buildTestApp(t)
  for (const kind of kinds.filter((k) => k.includes.includes('citations.source'))) {
    const page = (await get<Page<{ id: string, citations?: Array<{ source_id: string, source?: { id: string, title: string } }> }>>(app, `/v1/${kind.path}?include=citations.source&limit=100`)).body.data
    const citations = page.flatMap((r) => r.citations ?? [])
    t.ok(citations.length > 0, `${kind.path}: citations embedded`)
    t.ok(citations.every((c) => c.source?.id === c.source_id && c.source.title === 'Mexico Hands Over 26 Cartel Kingpins to US'), `${kind.path}: each with its source`)
    const plain = (await get<Page<{ citations?: Array<{ source?: unknown }> }>>(app, `/v1/${kind.path}?include=citations&limit=100`)).body.data
    t.ok(plain.flatMap((r) => r.citations ?? []).every((c) => c.source === undefined), `${kind.path}: include=citations alone does not`)
  }
  const one = (await get<{ citations: Array<{ source: { id: string } }> }>(app, `/v1/transfers/${AUGUST}?include=citations.source`)).body
  t.equal(one.citations[0]!.source.id, SOURCE, 'on a single record too')
})
