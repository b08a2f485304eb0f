import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import type { SourceDto as Source } from '../src/kinds/sources/schemas.js'
import { readSeedSet } from '../src/seed/load.js'
import { assertQueryProblem, buildTestApp, get, getOnePage, getRecord, idsOf, type App, type Page } from './helpers.js'

const ARTICLE = 'mexico-hands-over-26-cartel-kingpins'
const FIXTURE = 'fixture-spanish-source'

/**
 * The knowledge base starts from one article. This app adds a second source, a test fixture: in
 * Spanish, dated only to July 2025, its title after the article's and its id before it.
 */
async function appWithTwoSources (t: Test): Promise<App> {
  const set = readSeedSet()
  set.source.push({
    id: FIXTURE,
    title: 'Test fixture',
    publisher: null,
    url: null,
    language: 'es',
    published_on: '2025-07',
    captured_text: 'Una fuente de prueba.\n'
  })
  return (await buildTestApp(t, { seed: set })).app
}

t.test('GET /v1/sources lists sources newest first, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<Source>(t, app, '/v1/sources')
  t.same(body.data.map((s) => s.id), [ARTICLE])

  const two = await appWithTwoSources(t)
  t.same(await idsOf(t, two, '/v1/sources'), [ARTICLE, FIXTURE], 'default sort is -published_on')
  const page = await get<Page<Source>>(two, '/v1/sources?limit=1')
  t.same(page.body.data.map((s) => s.id), [ARTICLE])
  t.match(page.res.headers.link, /rel="first", <[^>]+cursor=[^>]+>; rel="next"$/)
  t.same(await idsOf(t, two, `/v1/sources?limit=1&cursor=${page.body.next_cursor}`), [FIXTURE])
})

t.test('GET /v1/sources/mexico-hands-over-26-cartel-kingpins returns the article, its cleaned text and its digest', async (t) => {
  const { app } = await buildTestApp(t)
  const { text, text_sha256: sha256, ...record } = await getRecord<Source>(t, app, `/v1/sources/${ARTICLE}`)
  t.same(record, {
    id: ARTICLE,
    title: 'Mexico Hands Over 26 Cartel Kingpins to US',
    publisher: null,
    url: null,
    language: 'en',
    published_on: '2025-08-13',
    published_on_precision: 'day',
    published_on_earliest: '2025-08-13',
    published_on_latest: '2025-08-13'
  })
  t.equal(sha256, createHash('sha256').update(text, 'utf8').digest('hex'), 'text_sha256 is the SHA-256 of the text')
  t.ok(text.startsWith('Mexico Hands Over 26 Cartel Kingpins to US\n\nTrump’s request prompts massive cartel extradition to US.\n\n'))
  t.match(text, 'Mexico has extradited 26 high-profile cartel leaders to the United States')
  t.match(text, 'The extraditions underscore a pivotal moment in U.S.-Mexico relations')
  t.notMatch(text, /×|Also Read:|Share on WhatsApp/, 'page chrome is dropped')
  t.notMatch(text, /\n{3}| {2}/, 'one blank line between paragraphs, single spaces')
})

t.test('language filters on the document language', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/sources?language=en'), [ARTICLE])
  t.same(await idsOf(t, app, '/v1/sources?language=es'), [])
  const two = await appWithTwoSources(t)
  t.same(await idsOf(t, two, '/v1/sources?language=es'), [FIXTURE])
  t.same(await idsOf(t, two, '/v1/sources?language=fr'), [])
})

t.test('language matches BCP 47 tags regardless of case', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/sources?language=EN'), [ARTICLE])
})

t.test('published_from and published_to keep every source whose (partial) date overlaps the range', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/sources?published_from=2025-08-13'), [ARTICLE])
  t.same(await idsOf(t, app, '/v1/sources?published_from=2025-08-14'), [])
  t.same(await idsOf(t, app, '/v1/sources?published_to=2025-08'), [ARTICLE])
  t.same(await idsOf(t, app, '/v1/sources?published_to=2025-08-12'), [])

  const two = await appWithTwoSources(t)
  t.same(await idsOf(t, two, '/v1/sources?published_from=2025-07-31'), [ARTICLE, FIXTURE], 'July 2025 may include the 31st')
  t.same(await idsOf(t, two, '/v1/sources?published_from=2025-08'), [ARTICLE])
  t.same(await idsOf(t, two, '/v1/sources?published_to=2025-07-01'), [FIXTURE], 'and the 1st')
  t.same(await idsOf(t, two, '/v1/sources?published_to=2025-06'), [])
  t.same(await idsOf(t, two, '/v1/sources?published_from=2025&published_to=2025'), [ARTICLE, FIXTURE])
})

t.test('sort orders by published_on, title or id, ascending or descending', async (t) => {
  const app = await appWithTwoSources(t)
  t.same(await idsOf(t, app, '/v1/sources?sort=published_on'), [FIXTURE, ARTICLE])
  t.same(await idsOf(t, app, '/v1/sources?sort=-published_on'), [ARTICLE, FIXTURE])
  t.same(await idsOf(t, app, '/v1/sources?sort=title'), [ARTICLE, FIXTURE])
  t.same(await idsOf(t, app, '/v1/sources?sort=-title'), [FIXTURE, ARTICLE])
  t.same(await idsOf(t, app, '/v1/sources?sort=id'), [FIXTURE, ARTICLE])
  t.same(await idsOf(t, app, '/v1/sources?sort=-id'), [ARTICLE, FIXTURE])

  await assertQueryProblem(t, app, '/v1/sources?sort=language', 'invalid_parameter', { name: 'sort', detail: /language/ })
})

t.test('fields= returns only the named fields, plus the id, so the text can be left out', async (t) => {
  const { app } = await buildTestApp(t)
  const list = await get<Page<Source>>(app, '/v1/sources?fields=title,published_on,text_sha256')
  t.equal(list.res.statusCode, 200)
  t.match(list.res.headers['content-type'], /^application\/json/)
  t.equal(list.body.next_cursor, null)
  t.same(Object.keys(list.body.data[0]!), ['id', 'title', 'published_on', 'text_sha256'], 'no text')
  t.match(list.body.data[0], { id: ARTICLE, title: 'Mexico Hands Over 26 Cartel Kingpins to US', published_on: '2025-08-13', text_sha256: /^[0-9a-f]{64}$/ })
  const one = await get<Source>(app, `/v1/sources/${ARTICLE}?fields=language`)
  t.same(one.body, { id: ARTICLE, language: 'en' })

  await assertQueryProblem(t, app, '/v1/sources?fields=title,author', 'invalid_parameter', { name: 'fields', detail: /author/ })
})

t.test('invalid filter values are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [query, name] of [
    ['language=e', 'language'],
    ['language=en_US', 'language'],
    ['published_from=2025-13', 'published_from'],
    ['published_to=2025/08/13', 'published_to'],
    ['limit=0', 'limit']
  ] as const) {
    await assertQueryProblem(t, app, `/v1/sources?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/sources?publisher=Reuters', 'unknown_parameter', { name: 'publisher' })
})
