import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { rebuildSearchIndex } from '../src/search/indexer.js'
import { assertProblem, buildTestApp, freshDb, testConfig } from './helpers.js'

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

interface Hit { kind: string, id: string, title: string, snippet: string, score: number, url: string, date: string | null }
interface Page { data: Hit[], next_cursor: string | null }

const SOURCE = 'mexico-hands-over-26-cartel-kingpins'

/** `GET /v1/search` with these parameters, the way curl would send them. */
async function search (app: App, params: Record<string, string>) {
  const res = await app.inject({ url: `/v1/search?${new URLSearchParams(params).toString()}` })
  return { res, body: res.json<Page>() }
}

/** The hits of a search, as `kind:id`, after checking it answered 200. */
async function hitsOf (t: Test, app: App, params: Record<string, string>): Promise<string[]> {
  const { res, body } = await search(app, params)
  t.equal(res.statusCode, 200, `q=${params.q} answers 200`)
  return body.data.map((h) => `${h.kind}:${h.id}`)
}

t.test('diacritics are folded: `garcia harfuch` and `García Harfuch` find the minister and his quotes', async (t) => {
  const { app } = await buildTestApp(t)
  const plain = await hitsOf(t, app, { q: 'garcia harfuch' })
  t.equal(plain[0], 'actor:omar-garcia-harfuch', 'the actor ranks first: his name is the title')
  t.ok(plain.includes('quote:garcia-harfuch-strategic-move'), 'a quote he said')
  t.ok(plain.includes('quote:garcia-harfuch-us-drone'), 'another quote he said')
  t.ok(plain.includes(`source:${SOURCE}`), 'the source naming him')
  t.same(await hitsOf(t, app, { q: 'García Harfuch' }), plain, 'the same hits, in the same order, with diacritics')
  t.same(await hitsOf(t, app, { q: 'GARCÍA harfuch' }), plain, 'and in any case')
})

t.test('names, aliases and an organisation\'s Spanish and English names all match', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await hitsOf(t, app, { q: 'sheinbaum' }))[0], 'actor:claudia-sheinbaum-pardo')
  // Saucedo's quote names "Joaquín “El Chapo” Guzmán" verbatim and, a shorter document, may rank first.
  t.ok((await hitsOf(t, app, { q: '"El Chapo"' })).slice(0, 2).includes('actor:joaquin-guzman'), 'an alias, as a phrase')
  for (const q of ['Cártel de Jalisco', 'cartel de jalisco', 'Jalisco New Generation', 'CJNG', 'cjng']) {
    t.equal((await hitsOf(t, app, { q }))[0], 'actor:cjng', `${q} finds the CJNG first`)
  }
})

t.test('prefixes and quoted phrases work', async (t) => {
  const { app } = await buildTestApp(t)
  const extradition = await hitsOf(t, app, { q: 'extradi*' })
  t.ok(extradition.includes('transfer:transfer-2025-08-12'), 'extradi* finds the extradition')
  t.ok(extradition.includes(`source:${SOURCE}`), 'and the source that says "extradited"')
  t.notOk(extradition.includes('actor:donald-trump'), 'but nothing without such a word')

  const drone = await hitsOf(t, app, { q: '"non-military drone"' })
  t.equal(drone[0], 'cooperation_measure:us-drone-over-central-mexico-2025', 'the phrase finds the measure first')
  t.same(await hitsOf(t, app, { q: '"drone non-military"' }), [], 'a phrase matches its words in order only')
  t.same(await hitsOf(t, app, { q: 'non-military drone' }), drone, 'a hyphenated word is read as a phrase, not as FTS5 column syntax')
  t.ok((await hitsOf(t, app, { q: 'U.S. drone' })).includes('cooperation_measure:us-drone-over-central-mexico-2025'), 'U.S. is a word, not a syntax error')
  t.ok((await hitsOf(t, app, { q: 'drone OR tariffs' })).includes('tariff_deadline:us-tariffs-on-mexican-imports-2025'), 'OR')
  t.notOk((await hitsOf(t, app, { q: 'drone NOT military' })).includes('cooperation_measure:us-drone-over-central-mexico-2025'), 'NOT')
  t.ok((await hitsOf(t, app, { q: 'NEAR(drone mexico, 3)' })).includes('cooperation_measure:us-drone-over-central-mexico-2025'), 'NEAR, with a distance')
  t.same(await hitsOf(t, app, { q: 'zyxwvut' }), [], 'no match is an empty page, not an error')
})

t.test('each hit has a kind, id, title, marked snippet, positive score, url and date, best first', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await search(app, { q: 'garcia harfuch' })
  t.match(res.headers['content-type'], /^application\/json/)
  t.same(Object.keys(body).sort(), ['data', 'next_cursor'])
  t.equal(body.next_cursor, null)
  t.notMatch(String(res.headers.link), /rel="next"/, 'no rel="next" on the last page')
  t.match(body.data[0], {
    kind: 'actor',
    id: 'omar-garcia-harfuch',
    title: 'Omar García Harfuch',
    url: '/v1/actors/omar-garcia-harfuch',
    date: null
  })
  const quote = body.data.find((h) => h.id === 'garcia-harfuch-strategic-move')!
  t.match(quote, { kind: 'quote', url: '/v1/quotes/garcia-harfuch-strategic-move', date: '2025-08-13', title: /^This is a strategic move/ })
  for (const hit of body.data) {
    t.same(Object.keys(hit).sort(), ['date', 'id', 'kind', 'score', 'snippet', 'title', 'url'])
    const text = hit.snippet.replace(/<\/?mark>/g, '')
    t.notMatch(text, /garcia-harfuch/, `${hit.id}: the snippet is text a person reads, not ids`)
    // A quote is found by its speaker's id, a transfer by its participants', which their text need not name.
    if (/García Harfuch/.test(text)) t.match(hit.snippet, /<mark>García<\/mark> <mark>Harfuch<\/mark>/, `${hit.id}: the snippet marks the match`)
    else t.ok(['quote', 'transfer'].includes(hit.kind), `${hit.id}: only quotes and transfers are found by ids their text does not say`)
    t.notMatch(hit.snippet.replace(/<\/?mark>/g, ''), /[<>]/, `${hit.id}: and is otherwise escaped text`)
    t.ok(hit.score > 0, `${hit.id}: the score is positive`)
    t.equal((await app.inject({ url: hit.url })).statusCode, 200, `${hit.url} is the record`)
  }
  const scores = body.data.map((h) => h.score)
  t.same(scores, [...scores].sort((a, b) => b - a), 'best first')
})

t.test('kind= keeps hits of the named kinds', async (t) => {
  const { app } = await buildTestApp(t)
  const all = await hitsOf(t, app, { q: 'garcia harfuch' })
  t.same(await hitsOf(t, app, { q: 'garcia harfuch', kind: 'quote' }), all.filter((h) => h.startsWith('quote:')))
  t.same(await hitsOf(t, app, { q: 'garcia harfuch', kind: 'actor,source' }), all.filter((h) => /^(actor|source):/.test(h)))
  const body = assertProblem(t, (await search(app, { q: 'drone', kind: 'actor,person' })).res, 400, 'invalid_parameter')
  t.match(body.errors, [{ in: 'query', name: 'kind' }])
})

t.test('date_from and date_to keep records whose date overlaps the range; undated records never match', async (t) => {
  const { app } = await buildTestApp(t)
  const day = await hitsOf(t, app, { q: 'garcia harfuch', date_from: '2025-08-13', date_to: '2025-08-13' })
  t.ok(day.includes('quote:garcia-harfuch-strategic-move'), 'a quote of that day')
  t.ok(day.includes(`source:${SOURCE}`), 'the source published that day')
  t.notOk(day.includes('actor:omar-garcia-harfuch'), 'not the actor, who has no date')
  t.notOk(day.includes('transfer:transfer-2025-08-12'), 'not the transfer of the day before')
  t.same((await hitsOf(t, app, { q: 'cartel', date_from: '2025-02-10', date_to: '2025-02-20' })).filter((h) => !h.startsWith('quote:')), ['transfer:transfer-2025-02'],
    'the February transfer, dated only to the month, overlaps a range within it (with the quotes dated only as on or before 13 August)')
  t.ok((await hitsOf(t, app, { q: 'tariffs', date_from: '2025-10' })).includes('tariff_deadline:us-tariffs-on-mexican-imports-2025'), 'a deadline by its deadline')
  const bad = assertProblem(t, (await search(app, { q: 'drone', date_from: '2025-02-30' })).res, 400, 'invalid_parameter')
  t.match(bad.errors, [{ in: 'query', name: 'date_from' }])
})

t.test('limit=1 pages through every hit exactly once, with cursors bound to the query', async (t) => {
  const { app } = await buildTestApp(t)
  const all = await hitsOf(t, app, { q: 'cartel*' })
  t.ok(all.length > 5, `${all.length} hits`)
  const seen: string[] = []
  let url: string | null = '/v1/search?q=cartel*&limit=1'
  let cursor: string | null = null
  while (url !== null) {
    const res: Awaited<ReturnType<typeof app.inject>> = await app.inject({ url })
    t.equal(res.statusCode, 200)
    const page = res.json<Page>()
    t.ok(page.data.length <= 1)
    seen.push(...page.data.map((h) => `${h.kind}:${h.id}`))
    cursor = page.next_cursor ?? cursor
    const next: string | undefined = /<([^>]+)>; rel="next"/.exec(String(res.headers.link))?.[1]
    t.equal(next !== undefined, page.next_cursor !== null, 'a rel="next" link exactly when there is a next page')
    url = next ?? null
  }
  t.same(seen, all, 'every hit once, in the same order')

  const other = await search(app, { q: 'drone', limit: '1', cursor: cursor! })
  assertProblem(t, other.res, 400, 'invalid_cursor')
  assertProblem(t, (await search(app, { q: 'cartel*', limit: '1', cursor: `${cursor!}x` })).res, 400, 'invalid_cursor')
})

t.test('pages of tied scores: every limit pages through the same order as ranking every hit, ties by kind and id', async (t) => {
  const { app, db } = await buildTestApp(t)
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  // Three groups of equal scores (the same name, so the same length) and one actor in none.
  const groups = [['Zyxwv Tie', 9], ['Zyxwv Tie Senior', 7], ['Zyxwv Tie Senior Junior', 5], ['Zyxwv Tie Senior Junior Elder Fourth', 1]] as const
  let n = 0
  for (const [name, count] of groups) {
    for (let i = 0; i < count; i++) {
      const id = `tie-${String((n++ * 7) % 22).padStart(2, '0')}` // created out of id order
      const res = await app.inject({
        method: 'POST',
        url: '/v1/actors',
        headers: { authorization },
        payload: { id, kind: 'person', name, citations: [{ source_id: SOURCE, excerpt: 'Ovidio Guzmán, son of Joaquín' }] }
      })
      t.equal(res.statusCode, 201, `${id} created`)
    }
  }
  // The order by definition: every hit ranked and joined to its document, then sorted.
  const expected = db.sqlite.prepare(`SELECT d.kind || ':' || d.record_id FROM search_index JOIN search_documents d ON d.id = search_index.rowid
    WHERE search_index MATCH 'zyxwv' ORDER BY -bm25(search_index, 4.0, 1.0) DESC, d.kind, d.record_id`).pluck().all() as string[]
  t.equal(expected.length, 22)
  t.equal(new Set((await search(app, { q: 'zyxwv', limit: '100' })).body.data.map((h) => h.score)).size, 4, 'four distinct scores')

  for (const limit of [1, 2, 3, 5, 8, 9, 10, 21, 22, 100]) {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const { res, body } = await search(app, { q: 'zyxwv', limit: String(limit), ...(cursor === null ? {} : { cursor }) })
      t.equal(res.statusCode, 200)
      seen.push(...body.data.map((h) => `${h.kind}:${h.id}`))
      cursor = body.next_cursor
    } while (cursor !== null && seen.length <= expected.length)
    t.same(seen, expected, `limit=${limit}: every hit once, in order`)
  }
  t.same(await hitsOf(t, app, { q: 'zyxwv', kind: 'actor', limit: '100' }), expected, 'the same with a kind filter (every hit joined)')
})

t.test('the index follows every write at once: create, rename, delete', async (t) => {
  const { app } = await buildTestApp(t)
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const actor = {
    id: 'ovidio-guzman-lopez',
    kind: 'person',
    name: 'Ovidio Guzmán López',
    aliases: [{ alias: 'El Ratón', kind: 'nickname', language: 'es' }],
    citations: [{ source_id: SOURCE, excerpt: 'Ovidio Guzmán, son of Joaquín' }]
  }
  const created = await app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization }, payload: actor })
  t.equal(created.statusCode, 201)
  t.ok((await hitsOf(t, app, { q: 'guzman lopez' })).includes('actor:ovidio-guzman-lopez'), 'found by name once created')
  t.ok((await hitsOf(t, app, { q: 'el raton' })).includes('actor:ovidio-guzman-lopez'), 'and by alias, without diacritics')

  const patched = await app.inject({
    method: 'PATCH',
    url: '/v1/actors/ovidio-guzman-lopez',
    headers: { authorization, 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify({ name: 'Ovidio Guzmán Zyxwv' })
  })
  t.equal(patched.statusCode, 200)
  t.same(await hitsOf(t, app, { q: 'zyxwv' }), ['actor:ovidio-guzman-lopez'], 'found by its new name')
  t.notOk((await hitsOf(t, app, { q: 'guzman lopez' })).includes('actor:ovidio-guzman-lopez'), 'no longer by its old one')
  t.equal((await search(app, { q: 'zyxwv' })).body.data[0]?.title, 'Ovidio Guzmán Zyxwv', 'the title follows')

  const refused = await app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization }, payload: { ...actor, id: 'another', name: 'Qwertzu', citations: [{ source_id: SOURCE, excerpt: 'not in the source at all' }] } })
  t.equal(refused.statusCode, 422)
  t.same(await hitsOf(t, app, { q: 'qwertzu' }), [], 'a refused write leaves no trace in the index')

  t.equal((await app.inject({ method: 'DELETE', url: '/v1/actors/ovidio-guzman-lopez', headers: { authorization } })).statusCode, 204)
  t.same(await hitsOf(t, app, { q: 'zyxwv' }), [], 'gone from the index once deleted')
  t.same(await hitsOf(t, app, { q: 'el raton' }), [])
})

t.test('an existing database with an empty index is indexed by the explicit step after migrating, not by building the app', async (t) => {
  const db = freshDb()
  t.teardown(() => db.close())
  const indexed = db.sqlite.prepare('SELECT count(*) FROM search_documents').pluck()
  const total = indexed.get() as number
  t.equal(total, 31, 'the seed import indexed every record')
  db.sqlite.prepare('DELETE FROM search_documents').run()
  t.equal(rebuildSearchIndex(db), 31, 'rebuilt from the latest revisions')
  t.equal(rebuildSearchIndex(db), 0, 'and only when empty')
  db.sqlite.prepare('DELETE FROM search_documents').run()
  const app = await buildApp({ db, config: testConfig })
  t.teardown(() => app.close())
  t.equal(indexed.get(), 0, 'building the app has no side effect on the index')
  t.equal(rebuildSearchIndex(db), 31, 'the step server.ts and the CLI run after migrating fills it')
  t.equal((await hitsOf(t, app, { q: 'garcia harfuch' }))[0], 'actor:omar-garcia-harfuch')
  t.doesNotThrow(() => db.sqlite.prepare("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)").run(), 'the FTS index matches its documents')
})

t.test('a query over 200 characters is a 400 naming q', async (t) => {
  const { app } = await buildTestApp(t)
  t.equal((await search(app, { q: 'a'.repeat(200) })).res.statusCode, 200, '200 characters are fine')
  const body = assertProblem(t, (await search(app, { q: 'a'.repeat(201) })).res, 400, 'invalid_parameter')
  t.match(body.errors, [{ in: 'query', name: 'q', detail: 'must be at most 200 characters long' }])
  const missing = assertProblem(t, await app.inject({ url: '/v1/search' }), 400, 'invalid_parameter')
  t.match(missing.errors, [{ in: 'query', name: 'q' }], 'q is required')
})

t.test('a query FTS5 cannot read is a 400 naming q, never a 500', async (t) => {
  const { app } = await buildTestApp(t)
  for (const q of ['"unbalanced', 'AND', 'foo NOT', 'drone OR', '(drone', 'drone)', 'NEAR(drone', '*', '...', ' ', '^', 'a AND AND b']) {
    const res = (await search(app, { q })).res
    const body = assertProblem(t, res, 400, 'invalid_parameter')
    t.match(body.errors, [{ in: 'query', name: 'q' }], `${JSON.stringify(q)} names q`)
    t.notMatch(body.detail, /fts5|sqlite/i, 'in words, not SQLite\'s')
  }
})

t.test('an unknown parameter is a 400', async (t) => {
  const { app } = await buildTestApp(t)
  const body = assertProblem(t, (await search(app, { q: 'drone', sort: '-score' })).res, 400, 'unknown_parameter')
  t.match(body.errors, [{ in: 'query', name: 'sort' }])
  assertProblem(t, (await search(app, { q: 'drone', limit: '101' })).res, 400, 'invalid_parameter')
})

t.test('stemming in English and Spanish: a search finds the other forms of its words', async (t) => {
  const { app } = await buildTestApp(t)
  const found = async (q: string) => hitsOf(t, app, { q, limit: '50' })
  t.ok((await found('tariff')).includes('tariff_deadline:us-tariffs-on-mexican-imports-2025'), '`tariff` finds the tariffs')
  t.ok((await found('extradited')).includes('event:garcia-harfuch-news-conference-2025-08-13'), '`extradited` finds the extradition')
  const cartels = await found('carteles')
  t.ok(cartels.includes('actor:sinaloa-cartel') && cartels.includes('actor:cjng'), '`carteles` (Spanish plural) finds `Cártel de Sinaloa` and the CJNG')
  t.same(await found('CÁRTELES'), cartels, 'whatever the case and accents')
  t.ok((await found('extradición')).includes('event:garcia-harfuch-news-conference-2025-08-13'), '`extradición` finds the English `extradition`: Spanish -ción is English -tion')
  t.ok((await found('"plea deals"')).includes('event:ovidio-guzman-plea-deal-2025'), 'a phrase matches by the stems of its words, in order')
  t.same(await found('title:tariff'), [], 'a search scoped to a field matches its words as typed')
  t.ok((await found('title:tariffs')).includes('tariff_deadline:us-tariffs-on-mexican-imports-2025'))
})

t.test('the words as typed rank above their other forms', async (t) => {
  const { app } = await buildTestApp(t)
  const { body } = await search(app, { q: 'extradited', limit: '50' })
  const exact = body.data.map((h) => /<mark>extradited<\/mark>/i.test(h.snippet))
  t.ok(exact.includes(true) && exact.includes(false), 'hits with the word as typed and hits with another form')
  t.same(exact, [...exact].sort((a, b) => Number(b) - Number(a)), 'every hit with `extradited` before any with only `extradition`, `extraditions`…')
})

t.test('snippets are text a person reads, marking the words matched by stem too, never lists of ids', async (t) => {
  const { app } = await buildTestApp(t)
  const tariffs = (await search(app, { q: 'tariff', kind: 'tariff_deadline' })).body.data[0]!
  t.match(tariffs.snippet, /<mark>Tariffs<\/mark> on Mexican imports/, 'the stem match is marked')
  for (const q of ['sheinbaum', 'cjng', 'extradition']) {
    const [transfer] = (await search(app, { q, kind: 'transfer' })).body.data
    t.ok(transfer, `q=${q} finds the August transfer`)
    t.notMatch(transfer!.snippet, /claudia-sheinbaum-pardo|sinaloa-cartel|·\s*cjng/, `q=${q}: no ids in the snippet`)
    t.match(transfer!.snippet, /cartel leaders/, `q=${q}: the summary`)
  }
})
