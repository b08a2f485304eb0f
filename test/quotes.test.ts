import t from 'tap'
import type { ActorSummaryDto } from '../src/schemas/common.js'
import type { QuoteDto } from '../src/kinds/quotes/schemas.js'
import { assertCitationsQuoteTheirSources, assertQueryProblem, buildTestApp, get, getOnePage, getRecord, idsOf, type Page, type Resolved } from './helpers.js'

type Quote = Resolved<QuoteDto, { speaker?: ActorSummaryDto }>

/** Every seeded quote by id. */
const byId = [
  'bondi-american-shores', 'experts-retaliation-risk', 'garcia-harfuch-strategic-move', 'garcia-harfuch-us-drone',
  'saucedo-buying-time', 'saucedo-future-violence-warning', 'saucedo-ovidio-guzman-precedent', 'sheinbaum-sovereign-decision'
]
/**
 * The default order, `-date`: all quotes are dated 2025-08-13, and the id breaks the tie in the
 * direction of the last sort key, so newest first means descending ids.
 */
const all = [...byId].reverse()

t.test('GET /v1/quotes lists quotes newest first, the id breaking ties the same way, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<Quote>(t, app, '/v1/quotes')
  t.same(body.data.map((q) => q.id), all)
  t.notOk(body.data.some((q) => 'citations' in q || 'speaker' in q), 'nothing embedded unless included')

  const page = await get<Page<Quote>>(app, '/v1/quotes?limit=3')
  t.same(page.body.data.map((q) => q.id), all.slice(0, 3))
  t.type(page.body.next_cursor, 'string')
  const rest = await get<Page<Quote>>(app, `/v1/quotes?limit=10&cursor=${page.body.next_cursor}`)
  t.same(rest.body.data.map((q) => q.id), all.slice(3), 'the next page may be longer')
  t.equal(rest.body.next_cursor, null)
  await assertQueryProblem(t, app, `/v1/quotes?kind=direct&cursor=${page.body.next_cursor}`, 'invalid_cursor', { name: 'cursor' }, 'a cursor is valid only with the same filters')
})

t.test('GET /v1/quotes/garcia-harfuch-strategic-move returns the whole seeded record', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await getRecord<Quote>(t, app, '/v1/quotes/garcia-harfuch-strategic-move')
  t.same(record, {
    id: 'garcia-harfuch-strategic-move',
    speaker_id: 'omar-garcia-harfuch',
    text: 'This is a strategic move to enhance public safety and disrupt criminal influence',
    kind: 'direct',
    language: 'en',
    date: '2025-08-13',
    date_precision: 'day',
    date_approximate: false,
    date_earliest: '2025-08-13',
    date_latest: '2025-08-13',
    context: 'News conference on the transfer of 26 cartel leaders to the United States.',
    rendered_from: 'es',
    original_text: null,
    external_fields: [],
    alternatives: [],
    disputed_fields: []
  })
})

t.test('speaker finds what an actor said', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/quotes?speaker=david-saucedo'),
    ['saucedo-ovidio-guzman-precedent', 'saucedo-future-violence-warning', 'saucedo-buying-time'])
  t.same(await idsOf(t, app, '/v1/quotes?speaker=omar-garcia-harfuch'), ['garcia-harfuch-us-drone', 'garcia-harfuch-strategic-move'])
  t.same(await idsOf(t, app, '/v1/quotes?speaker=pam-bondi'), ['bondi-american-shores'])
  t.same(await idsOf(t, app, '/v1/quotes?speaker=donald-trump'), [], 'Trump is mentioned, never quoted')
})

t.test('date_from and date_to keep every quote whose date may fall in the range', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/quotes?date_from=2025-08-13'), all)
  t.same(await idsOf(t, app, '/v1/quotes?date_from=2025-08'), all)
  t.same(await idsOf(t, app, '/v1/quotes?date_from=2025-08-14'), [])
  t.same(await idsOf(t, app, '/v1/quotes?date_to=2025-08-13'), all)
  t.same(await idsOf(t, app, '/v1/quotes?date_to=2025-08-12'), all.filter((id) => id !== 'garcia-harfuch-strategic-move'),
    'quotes dated [..2025-08-13], said on or before the publication, may have been said by the 12th')
  t.same(await idsOf(t, app, '/v1/quotes?date_from=2025&date_to=2025'), all)
  t.same(await idsOf(t, app, '/v1/quotes?date_from=2026'), [])
})

t.test('language and kind filter quotes', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/quotes?language=en'), all)
  t.same(await idsOf(t, app, '/v1/quotes?language=es'), [])
  t.same(await idsOf(t, app, '/v1/quotes?kind=direct'), ['saucedo-buying-time', 'garcia-harfuch-strategic-move'])
  t.same(await idsOf(t, app, '/v1/quotes?kind=partial'), ['sheinbaum-sovereign-decision', 'bondi-american-shores'])
  t.same(await idsOf(t, app, '/v1/quotes?kind=paraphrase'),
    ['saucedo-ovidio-guzman-precedent', 'saucedo-future-violence-warning', 'garcia-harfuch-us-drone', 'experts-retaliation-risk'])
  t.same(await idsOf(t, app, '/v1/quotes?kind=direct&speaker=david-saucedo'), ['saucedo-buying-time'])
  t.same(await idsOf(t, app, '/v1/quotes?kind=direct&speaker=pam-bondi'), [])
})

t.test('sort orders by date or id, ascending or descending, the id breaking ties', async (t) => {
  const { app } = await buildTestApp(t)
  const idDescending = [...byId].reverse()
  t.same(await idsOf(t, app, '/v1/quotes?sort=date'), byId, 'one date: the id decides, ascending like the date')
  t.same(await idsOf(t, app, '/v1/quotes?sort=-date'), idDescending, 'and descending like the date')
  t.same(await idsOf(t, app, '/v1/quotes?sort=-date,id'), byId, 'unless the id is given')
  t.same(await idsOf(t, app, '/v1/quotes?sort=id'), byId)
  t.same(await idsOf(t, app, '/v1/quotes?sort=-id'), idDescending)

  await assertQueryProblem(t, app, '/v1/quotes?sort=speaker', 'invalid_parameter', { name: 'sort', detail: /speaker/ })
})

t.test('include=citations embeds the evidence: exact slices of the source that hold the quoted words', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Quote>(app, '/v1/quotes/garcia-harfuch-strategic-move?include=citations')
  t.equal(res.statusCode, 200)
  t.notOk('speaker' in body)
  t.match(body.citations, [
    {
      source_id: 'mexico-hands-over-26-cartel-kingpins',
      excerpt: '“This is a strategic move to enhance public safety and disrupt criminal influence,” García Harfuch said during a news conference',
      start_offset: Number,
      end_offset: Number,
      fields: ['text', 'speaker_id', 'context'],
      support: 'stated',
      note: null
    },
    { excerpt: 'Mexican officials announced Wednesday', fields: ['date'], support: 'resolved', note: /2025-08-13/ },
    { excerpt: 'García Harfuch said during a news conference', fields: ['rendered_from'], support: 'inferred' }
  ])
  await assertCitationsQuoteTheirSources(t, app, body.citations!)

  const list = await get<Page<Quote>>(app, '/v1/quotes?include=citations')
  for (const q of list.body.data) {
    const cited = q.citations!.filter((c) => c.fields.includes('text')).map((c) => c.excerpt)
    t.ok(cited.length > 0, `${q.id}: its text is cited`)
    if (q.kind !== 'partial') t.ok(cited.some((e) => e.includes(q.text)), `${q.id}: the ${q.kind} text occurs in its excerpt`)
  }
  await assertCitationsQuoteTheirSources(t, app, list.body.data.flatMap((q) => q.citations!))
})

t.test('include=speaker embeds the speaker in short form', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Quote>(app, '/v1/quotes/saucedo-buying-time?include=speaker')
  t.equal(res.statusCode, 200)
  t.notOk('citations' in body)
  t.same(body.speaker, { id: 'david-saucedo', kind: 'person', name: 'David Saucedo', country: 'MX' })

  const list = await get<Page<Quote>>(app, '/v1/quotes?include=speaker,citations&kind=partial')
  t.same(list.body.data.map((q) => q.speaker!.name), ['Claudia Sheinbaum Pardo', 'Pam Bondi'])
  t.ok(list.body.data.every((q) => q.citations!.length > 0))

  await assertQueryProblem(t, app, '/v1/quotes?include=speakers', 'invalid_parameter', { name: 'include', detail: /speakers/ })
})

t.test('fields= returns only the named fields, plus the id', async (t) => {
  const { app } = await buildTestApp(t)
  const list = await get<Page<Quote>>(app, '/v1/quotes?fields=text&speaker=pam-bondi')
  t.equal(list.res.statusCode, 200)
  t.same(list.body, {
    data: [{ id: 'bondi-american-shores', text: 'a step toward holding cartel leaders accountable for “bringing violence and drugs to American shores.”' }],
    next_cursor: null
  })
  const one = await get<Quote>(app, '/v1/quotes/saucedo-buying-time?fields=kind,speaker_id&include=speaker')
  t.same(one.body, {
    id: 'saucedo-buying-time',
    kind: 'direct',
    speaker_id: 'david-saucedo',
    speaker: { id: 'david-saucedo', kind: 'person', name: 'David Saucedo', country: 'MX' }
  })

  await assertQueryProblem(t, app, '/v1/quotes?fields=text,speaker', 'invalid_parameter', { name: 'fields', detail: /speaker/ }, 'speaker is an include, not a field')
})

t.test('invalid filter values are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [query, name] of [
    ['kind=verbatim', 'kind'],
    ['language=e', 'language'],
    ['language=english', 'language'],
    ['date_from=2025-13', 'date_from'],
    ['date_to=2025-8-13', 'date_to'],
    ['speaker=', 'speaker']
  ] as const) {
    await assertQueryProblem(t, app, `/v1/quotes?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/quotes?speaker_id=pam-bondi', 'unknown_parameter', { name: 'speaker_id' })
})
