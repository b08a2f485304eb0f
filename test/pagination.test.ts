import t, { type Test } from 'tap'
import type { App } from '../src/app.js'
import { buildTestApp } from './helpers.js'

interface ListPage { data: Array<{ id: string, name?: string, date?: string | null }>, next_cursor: string | null }

/** Code-unit order, the order SQLite's BINARY collation gives these names. */
const byNameThenId = (a: { name: string, id: string }, b: { name: string, id: string }) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0

/** The `<url>` of a `Link: <url>; rel="next"` header, as a path and query. */
function nextLink (t: Test, header: unknown): string {
  const match = /<([^>]+)>; rel="next"$/.exec(String(header))
  t.ok(match, `Link header has one rel="next" URL: ${String(header)}`)
  const url = new URL(match?.[1] ?? '/', 'http://127.0.0.1')
  return url.pathname + url.search
}

/** Walks a list to the end via next_cursor, checking the Link header of every page. */
async function walk (t: Test, app: App, path: string, query: string) {
  const pages: ListPage[] = []
  let url = `${path}?${query}`
  for (let i = 0; i < 100; i++) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    t.match(String(res.headers['content-type']), /^application\/json/)
    const page = res.json<ListPage>()
    pages.push(page)
    if (page.next_cursor === null) {
      t.notMatch(String(res.headers.link), /rel="next"/, 'no rel="next" on the last page')
      return pages
    }
    const next = `${path}?${query}&cursor=${page.next_cursor}`
    t.equal(nextLink(t, res.headers.link), next, 'the Link header is the next_cursor URL')
    url = next
  }
  throw new Error(`${path}?${query} did not end within 100 pages`)
}

t.test('walking /v1/actors?limit=2 visits every actor once, by name then id', async (t) => {
  const { app, db } = await buildTestApp(t)
  const all = db.sqlite.prepare('SELECT id, name FROM actors').all() as Array<{ id: string, name: string }>
  t.ok(all.length > 4, `${all.length} actors, more than two pages`)

  const pages = await walk(t, app, '/v1/actors', 'limit=2')
  t.equal(pages.length, Math.ceil(all.length / 2), 'pages of two')
  for (const page of pages.slice(0, -1)) t.equal(page.data.length, 2)
  t.same(pages.flatMap((p) => p.data.map((a) => a.id)), [...all].sort(byNameThenId).map((a) => a.id))
})

t.test('walking /v1/actors?limit=2&sort=-name visits every actor once, by name descending', async (t) => {
  const { app, db } = await buildTestApp(t)
  const all = db.sqlite.prepare('SELECT id, name FROM actors').all() as Array<{ id: string, name: string }>
  const pages = await walk(t, app, '/v1/actors', 'limit=2&sort=-name')
  const names = pages.flatMap((p) => p.data.map((a) => a.name!))
  t.same(names, all.map((a) => a.name).sort().reverse(), 'descending names')
  const ids = pages.flatMap((p) => p.data.map((a) => a.id))
  t.same([...ids].sort(), all.map((a) => a.id).sort(), 'each actor exactly once')
})

t.test('the Link URL keeps the other parameters and can be followed as is', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await app.inject({ url: '/v1/actors?kind=person&limit=1&fields=id,name' })
  const page = first.json<ListPage>()
  t.type(page.next_cursor, 'string')
  const link = nextLink(t, first.headers.link)
  const params = new URL(link, 'http://x').searchParams
  t.same([...params.keys()], ['kind', 'limit', 'fields', 'cursor'])
  t.equal(params.get('fields'), 'id,name')
  t.equal(params.get('cursor'), page.next_cursor)

  const second = await app.inject({ url: link })
  t.equal(second.statusCode, 200)
  const next = second.json<ListPage>()
  t.equal(next.data.length, 1)
  t.not(next.data[0]?.id, page.data[0]?.id)
  t.same(Object.keys(next.data[0] ?? {}), ['id', 'name'], 'still sparse')
})

t.test('one page holding everything has next_cursor null and no Link', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers' })
  t.equal(res.statusCode, 200)
  t.notMatch(String(res.headers.link), /rel="next"/)
  t.match(res.json(), { data: Array, next_cursor: null })

  const exact = await app.inject({ url: '/v1/transfers?limit=2' })
  t.equal(exact.json<ListPage>().data.length, 2)
  t.equal(exact.json<ListPage>().next_cursor, null, 'no empty last page when the count equals the limit')
  t.notMatch(String(exact.headers.link), /rel="next"/)
})

t.test('an empty list is one page with next_cursor null', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers?date_from=2099-01-01' })
  t.equal(res.statusCode, 200)
  t.same(res.json(), { data: [], next_cursor: null })
  t.notMatch(String(res.headers.link), /rel="next"/)
})

// A partial date's bounds, as the writer derives them (src/query/dates.ts), for this plain row.
const insertTransfer = `INSERT INTO transfers (id, date, date_earliest, date_latest, from_country, to_country, mechanism, summary)
  VALUES (@id, @date, CASE length(@date) WHEN 7 THEN @date || '-01' ELSE @date END,
    CASE length(@date) WHEN 7 THEN date(@date || '-01', '+1 month', '-1 day') ELSE @date END,
    'MX', 'US', 'expulsion', 'Inserted while a client was paging.')`

t.test('cursors survive inserts: nothing skipped or repeated, later rows show up', async (t) => {
  const { app, db } = await buildTestApp(t)
  const original = (await app.inject({ url: '/v1/transfers?sort=date' })).json<ListPage>().data.map((r) => r.id)
  t.same(original, ['transfer-2025-02', 'transfer-2025-08-12'], 'the seeded order by date')

  const first = (await app.inject({ url: '/v1/transfers?limit=1&sort=date' })).json<ListPage>()
  t.same(first.data.map((r) => r.id), ['transfer-2025-02'])
  t.type(first.next_cursor, 'string')

  const insert = db.sqlite.prepare(insertTransfer)
  insert.run({ id: 'inserted-2024-06-01', date: '2024-06-01' }) // before the cursor position: belongs to a page already read
  insert.run({ id: 'a-inserted-2025-02', date: '2025-02' }) // same date, smaller id: before the cursor
  insert.run({ id: 'z-inserted-2025-02', date: '2025-02' }) // same date, larger id: after the cursor
  insert.run({ id: 'inserted-2025-05-01', date: '2025-05-01' }) // between the two seeded transfers
  insert.run({ id: 'inserted-2026-01-01', date: '2026-01-01' }) // after everything

  const seen = [...first.data.map((r) => r.id)]
  let cursor: string | null = first.next_cursor
  while (cursor !== null) {
    const res = await app.inject({ url: `/v1/transfers?limit=1&sort=date&cursor=${cursor}` })
    t.equal(res.statusCode, 200)
    const page = res.json<ListPage>()
    seen.push(...page.data.map((r) => r.id))
    cursor = page.next_cursor
  }

  t.same(seen, ['transfer-2025-02', 'z-inserted-2025-02', 'inserted-2025-05-01', 'transfer-2025-08-12', 'inserted-2026-01-01'])
  t.same(seen.filter((id) => original.includes(id)), original, 'every original record once, in the original order')
  t.equal(new Set(seen).size, seen.length, 'no repeats')
  t.notOk(seen.includes('inserted-2024-06-01'), 'a row inserted before the cursor position does not reappear on later pages')

  const fresh = (await app.inject({ url: '/v1/transfers?sort=date' })).json<ListPage>().data.map((r) => r.id)
  t.same(fresh, ['inserted-2024-06-01', 'a-inserted-2025-02', 'transfer-2025-02', 'z-inserted-2025-02', 'inserted-2025-05-01', 'transfer-2025-08-12', 'inserted-2026-01-01'],
    'a fresh walk sees every row')
})

t.test('cursors survive inserts in descending order too (default sort -date)', async (t) => {
  const { app, db } = await buildTestApp(t)
  const first = (await app.inject({ url: '/v1/transfers?limit=1' })).json<ListPage>()
  t.same(first.data.map((r) => r.id), ['transfer-2025-08-12'])

  const insert = db.sqlite.prepare(insertTransfer)
  insert.run({ id: 'inserted-2026-01-01', date: '2026-01-01' }) // newer: before the cursor position in -date order
  insert.run({ id: 'inserted-2025-05-01', date: '2025-05-01' }) // after it

  const second = (await app.inject({ url: `/v1/transfers?limit=1&cursor=${first.next_cursor}` })).json<ListPage>()
  t.same(second.data.map((r) => r.id), ['inserted-2025-05-01'])
  const third = (await app.inject({ url: `/v1/transfers?limit=1&cursor=${second.next_cursor}` })).json<ListPage>()
  t.same(third.data.map((r) => r.id), ['transfer-2025-02'])
  t.equal(third.next_cursor, null)
})

t.test('cursors survive inserts while walking actors', async (t) => {
  const { app, db } = await buildTestApp(t)
  const before = (await app.inject({ url: '/v1/actors?limit=500' })).json<ListPage>().data.map((r) => r.id)
  const first = (await app.inject({ url: '/v1/actors?limit=3' })).json<ListPage>()
  const insert = db.sqlite.prepare("INSERT INTO actors (id, kind, name) VALUES (?, 'person', ?)")
  insert.run('aaron-early', 'Aaron Early') // sorts before the cursor
  insert.run('zed-late', 'Zed Late') // sorts after everything

  const seen = first.data.map((r) => r.id)
  let cursor = first.next_cursor
  while (cursor !== null) {
    const page = (await app.inject({ url: `/v1/actors?limit=3&cursor=${cursor}` })).json<ListPage>()
    seen.push(...page.data.map((r) => r.id))
    cursor = page.next_cursor
  }
  t.same(seen, [...before, 'zed-late'])
})
