import type { AddressInfo } from 'node:net'
import t from 'tap'
import type { Test } from 'tap'
import { kinds, kindOf } from '../src/kinds/index.js'
import type { FieldFilter } from '../src/query/filters.js'
import {
  assertQueryProblem, buildTestApp, createRecord, get, idsOf, mergePatchOf, patchRecord, readFeed, supportedQuote, writer,
  type App, type Change, type ChangePage, type Page
} from './helpers.js'

type Row = { id: string } & Record<string, unknown>
type Counted<T> = Page<T> & { count?: number }

const sorted = (ids: string[]) => [...ids].sort()
const idsWhere = (records: Row[], keep: (r: Row) => boolean) => sorted(records.filter(keep).map((r) => r.id))

/** The ids `GET /v1/<path>?<query>&limit=500` answers, sorted. */
const list = async (t: Test, app: App, path: string, query: string) => sorted(await idsOf(t, app, `/v1/${path}?${query}&limit=500`))

/** The two queries answer disjoint lists that together are `whole`. */
async function partitions (t: Test, app: App, path: string, a: string, b: string, whole: string[]) {
  t.same(sorted([...await list(t, app, path, a), ...await list(t, app, path, b)]), sorted(whole), `${path}: ${a} and ${b} partition ${whole.length} records`)
}

/** A value a filter's item allows: its example, its first allowed value, or (the identifiers have no example) Trump's. */
function sampleOf (name: string, f: FieldFilter & { item: unknown }): string {
  const item = f.item as { examples?: string[], enum?: string[] }
  return item.examples?.[0] ?? item.enum?.[0] ?? ({ identifier: 'wikidata:Q22686' } as Record<string, string>)[name]!
}

t.test('every field filter of every kind, from the registry, on the seed data', async (t) => {
  const { app } = await buildTestApp(t)
  for (const kind of kinds) {
    const records = (await get<Page<Row>>(app, `/v1/${kind.path}?limit=500`)).body.data
    const all = sorted(records.map((r) => r.id))
    const { path } = kind
    for (const [name, f] of Object.entries(kind.fieldFilters.fields)) {
      // The record's field: `speaker` filters `speaker_id`, `requesting_party` `requesting_party_id`.
      const field = name in records[0]! ? name : `${name}_id`
      const valueOf = (r: Row) => r[field]
      if (f.type === 'any-of') {
        const values = [...new Set(records.map(valueOf).filter((v): v is string => v !== null))]
        for (const v of values) t.same(await list(t, app, path, `${name}=${v}`), idsWhere(records, (r) => valueOf(r) === v), `${path}?${name}=${v}`)
        if (values.length >= 2) {
          const [a, b] = values as [string, string]
          t.same(await list(t, app, path, `${name}=${a},${b}`), sorted([...await list(t, app, path, `${name}=${a}`), ...await list(t, app, path, `${name}=${b}`)]), `${path}?${name}=${a},${b} is the union`)
        }
        await partitions(t, app, path, `${name}=${values.join(',')}`, `${name}__not=${values.join(',')}`, all)
        await partitions(t, app, path, `${name}=${values[0]!}`, `${name}__not=${values[0]!}`, all)
      }
      if (f.type === 'exists') {
        // Every value of an enumeration (roles), or a seeded id: at least one finds something.
        const found: string[] = []
        for (const v of (f.item as { enum?: string[] }).enum ?? [sampleOf(name, f)]) {
          found.push(...await list(t, app, path, `${name}=${v}`))
          await partitions(t, app, path, `${name}=${v}`, `${name}__not=${v}`, all)
        }
        t.ok(found.length > 0, `${path}?${name}= finds seeded records`)
      }
      if ((f.type === 'any-of' || f.type === 'exists') && (f.item as { enum?: string[] }).enum !== undefined) {
        for (const param of [name, `${name}__not`]) {
          await assertQueryProblem(t, app, `/v1/${path}?${param}=${sampleOf(name, f)},bogus`, 'invalid_parameter', { name: param, detail: /bogus/ }, `${path}?${param}=…,bogus names ${param}`)
        }
      }
      if (f.type === 'number') {
        const known = records.filter((r) => valueOf(r) !== null)
        for (const x of new Set(known.map((r) => valueOf(r) as number))) {
          t.same(await list(t, app, path, `${name}=${x}`), idsWhere(known, (r) => valueOf(r) === x), `${path}?${name}=${x}`)
          t.same(await list(t, app, path, `${name}__lt=${x}`), idsWhere(known, (r) => (valueOf(r) as number) < x), `${path}?${name}__lt=${x}`)
          await partitions(t, app, path, `${name}__lt=${x}`, `${name}__gte=${x}`, known.map((r) => r.id))
          await partitions(t, app, path, `${name}__gt=${x}`, `${name}__lte=${x}`, known.map((r) => r.id))
        }
      }
      if (f.type === 'boolean') {
        for (const [query, value] of [[`${name}=true`, true], [`${name}=false`, false], [`${name}__null=true`, null]] as const) {
          t.same(await list(t, app, path, query), idsWhere(records, (r) => valueOf(r) === value), `${path}?${query}`)
        }
      }
      if (f.type === 'date') {
        const dated = records.find((r) => r[`${name}_latest`] !== null)
        if (dated === undefined) {
          // No seeded record has this date (the measures' start dates): a range finds none of them.
          t.same(await list(t, app, path, `${f.from}=1900&${f.to}=2100`), [], `${path}?${f.from}=1900&${f.to}=2100 finds nothing`)
        } else {
          const day = dated[`${name}_latest`] as string
          t.ok((await list(t, app, path, `${f.from}=${day}&${f.to}=${day}`)).includes(dated.id), `${path}?${f.from}=${day}&${f.to}=${day} finds ${dated.id}`)
        }
      }
      if (f.type !== 'exists' && f.nullable === true) {
        t.same(await list(t, app, path, `${name}__null=true`), idsWhere(records, (r) => valueOf(r) === null), `${path}?${name}__null=true`)
        await partitions(t, app, path, `${name}__null=true`, `${name}__null=false`, all)
      }
    }
  }
})

t.test('the questions that used to answer an empty 200', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/transfers?people_count__gte=20'), ['transfer-2025-08-12', 'transfer-2025-02'], '26 and 29 people')
  t.same(await idsOf(t, app, '/v1/cooperation-measures?military__null=true'), ['mexico-cartel-and-migration-enforcement', 'us-no-death-penalty-assurance-2025'])
  t.same(await idsOf(t, app, '/v1/quotes?speaker=david-saucedo,pam-bondi'), ['saucedo-ovidio-guzman-precedent', 'saucedo-future-violence-warning', 'saucedo-buying-time', 'bondi-american-shores'])
  t.same(await idsOf(t, app, '/v1/transfers?actor=cjng,sinaloa-cartel'), ['transfer-2025-08-12'])
  t.same(await idsOf(t, app, '/v1/actors?identifier=wikidata:Q22686'), ['donald-trump'])
})

t.test('a value the API cannot read is a 400 naming the parameter, never an empty 200', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [url, name] of [
    ['/v1/quotes?kind=direct,bogus', 'kind'],
    ['/v1/quotes?speaker=david-saucedo,,pam-bondi', 'speaker'],
    ['/v1/transfers?people_count__gte=abc', 'people_count__gte'],
    ['/v1/transfers?people_count=gte.20', 'people_count'],
    ['/v1/cooperation-measures?military=maybe', 'military'],
    ['/v1/quotes?count=1', 'count']
  ] as const) await assertQueryProblem(t, app, url, 'invalid_parameter', { name }, `${url} names ${name}`)
  await assertQueryProblem(t, app, '/v1/transfers?people_count__between=1', 'unknown_parameter', { name: 'people_count__between' })
})

t.test('count=true counts every matching record, in the body and in X-Total-Count', async (t) => {
  const { app } = await buildTestApp(t)
  const first = await get<Counted<Row>>(app, '/v1/quotes?count=true&limit=3')
  t.equal(first.body.count, 8)
  t.equal(first.res.headers['x-total-count'], '8')
  t.equal(first.body.data.length, 3)
  const second = await get<Counted<Row>>(app, `/v1/quotes?count=true&limit=3&cursor=${first.body.next_cursor!}`)
  t.equal(second.res.statusCode, 200)
  t.equal(second.body.count, 8, 'every page counts the whole list')
  const uncounted = await get<Counted<Row>>(app, `/v1/quotes?limit=3&cursor=${first.body.next_cursor!}`)
  t.equal(uncounted.res.statusCode, 200, 'a cursor of a counted page pages without count')
  t.same(uncounted.body.data, second.body.data)
  t.notOk('count' in uncounted.body || 'x-total-count' in uncounted.res.headers, 'and counts nothing')
  const plain = await get<Counted<Row>>(app, '/v1/quotes?limit=3')
  t.equal((await get<Counted<Row>>(app, `/v1/quotes?count=true&limit=3&cursor=${plain.body.next_cursor!}`)).body.count, 8, 'and the other way round')

  const filtered = await get<Counted<Row>>(app, '/v1/quotes?speaker=david-saucedo&count=true&limit=2')
  t.same([filtered.body.count, filtered.res.headers['x-total-count'], filtered.body.data.length], [3, '3', 2], 'the count of the filtered list')
  t.equal((await get<Counted<Row>>(app, '/v1/transfers?people_count__gt=26&count=true')).body.count, 1)
  for (const format of ['csv', 'ndjson']) {
    const res = await app.inject({ url: `/v1/quotes.${format}?count=true` })
    t.equal(res.headers['x-total-count'], '8', `/v1/quotes.${format}?count=true`)
  }
})

/** Every item of `url`, page after page (`cursor`). */
async function pageThrough (app: App, url: string) {
  const items: Row[] = []
  let cursor: string | null = null
  do {
    const { body }: { body: Counted<Row> } = await get<Counted<Row>>(app, cursor === null ? url : `${url}&cursor=${cursor}`)
    items.push(...body.data)
    cursor = body.next_cursor
  } while (cursor !== null)
  return items
}

t.test('count=estimated: exact up to 1,000 matches, beyond an estimate from a sample of the table, marked as one', async (t) => {
  const { app, db } = await buildTestApp(t)
  const small = await get<Counted<Row> & { count_estimated?: boolean }>(app, '/v1/quotes?speaker=david-saucedo&count=estimated&limit=1')
  t.same([small.body.count, small.body.count_estimated, small.res.headers['x-total-count']], [3, false, '3'], 'few matches: counted exactly')
  t.equal((await get<Counted<Row>>(app, '/v1/quotes?count=exact&limit=1')).body.count, 8, '`exact` is `true`')
  const none = await get<Counted<Row>>(app, '/v1/quotes?count=false&limit=1')
  t.notOk('count' in none.body || 'x-total-count' in none.res.headers, '`false` counts nothing')

  // 30,000 actors written straight to the table, a third of them groups: the sample reads a third of the table.
  const insert = db.sqlite.prepare('INSERT INTO actors (id, kind, name) VALUES (?, ?, ?)')
  db.sqlite.transaction(() => { for (let n = 0; n < 30_000; n++) insert.run(`bulk-${n}`, n % 3 === 0 ? 'group' : 'person', `Bulk ${n}`) })()
  const groups = db.sqlite.prepare("SELECT count(*) FROM actors WHERE kind = 'group'").pluck().get() as number
  const estimated = await get<Counted<Row> & { count_estimated?: boolean }>(app, '/v1/actors?kind=group&count=estimated&limit=1')
  t.equal(estimated.body.count_estimated, true, 'many matches: estimated')
  t.ok(Math.abs(estimated.body.count! - groups) / groups < 0.05, `${estimated.body.count!} is within 5% of the ${groups} groups`)
  t.equal(estimated.res.headers['x-total-count-estimate'], String(estimated.body.count), 'sent as X-Total-Count-Estimate')
  t.notOk('x-total-count' in estimated.res.headers, 'not as an exact count')
  t.equal((await get<Counted<Row>>(app, '/v1/actors?kind=group&count=true&limit=1')).body.count, groups, 'count=true stays exact')
  t.equal(estimated.body.data.length, 1, 'the page is the page')
  await assertQueryProblem(t, app, '/v1/actors?count=approximately', 'invalid_parameter', { name: 'count' })
})

t.test('count=true on search and on the timeline counts every hit of every page', async (t) => {
  const { app } = await buildTestApp(t)
  const search = await get<Counted<Row>>(app, '/v1/search?q=cartel&count=true&limit=2')
  t.equal(search.res.statusCode, 200)
  t.ok(search.body.count! >= search.body.data.length && search.body.count! > 2, `${search.body.count!} hits, more than a page`)
  t.equal(search.res.headers['x-total-count'], String(search.body.count))
  t.equal((await pageThrough(app, '/v1/search?q=cartel&limit=100')).length, search.body.count)

  const timeline = await get<Counted<Row>>(app, '/v1/timeline?count=true&limit=2')
  t.equal(timeline.res.headers['x-total-count'], String(timeline.body.count))
  t.equal((await pageThrough(app, '/v1/timeline?limit=500')).length, timeline.body.count)
  const events = await get<Counted<Row>>(app, '/v1/timeline?types=event&count=true')
  t.equal(events.body.count, 3, 'with the timeline\'s filters')
})

t.test('a record created between two pages is in the second page\'s count', async (t) => {
  const { app, authorization } = await writer(t)
  const first = await get<Counted<Row>>(app, '/v1/quotes?count=true&limit=3')
  t.equal(first.body.count, 8)
  await createRecord(app, authorization, '/v1/quotes', supportedQuote('sheinbaum-sovereign-again'))
  const second = await get<Counted<Row>>(app, `/v1/quotes?count=true&limit=3&cursor=${first.body.next_cursor!}`)
  t.equal(second.res.statusCode, 200)
  t.equal(second.body.count, 9)
  t.equal(second.res.headers['x-total-count'], '9')
})

t.test('GET /v1/changes?since= takes a time: the changes made at or after it', async (t) => {
  const { app, authorization } = await writer(t)
  const { changes } = await readFeed(t, app, { limit: 1000 })
  const middle = changes[Math.floor(changes.length / 2)]!
  const { body } = await get<ChangePage>(app, `/v1/changes?limit=1000&since=${middle.at}`)
  const from = changes.findIndex((c) => c.at >= middle.at)
  t.same(body.data.map((c) => c.seq), changes.slice(from).map((c) => c.seq), `since=${middle.at} starts at the first change made then`)
  t.ok(body.data.every((c) => c.at >= middle.at))

  const day = changes[0]!.at.slice(0, 10)
  t.same((await get<ChangePage>(app, `/v1/changes?limit=1000&since=${day}`)).body.data.map((c) => c.seq), changes.filter((c) => c.at >= `${day}T00:00:00.000Z`).map((c) => c.seq),
    `since=${day}: the changes of that day (UTC) and later`)

  const future = await get<ChangePage>(app, '/v1/changes?since=2099-01-01')
  t.same([future.res.statusCode, future.body.data, future.body.has_more], [200, [], false], 'nothing has changed since 2099')
  const quote = await createRecord<Row>(app, authorization, '/v1/quotes', supportedQuote('sheinbaum-sovereign-again'))
  t.match((await get<ChangePage>(app, `/v1/changes?since=${future.body.next_cursor}`)).body.data, [{ type: 'quote', id: quote.id, action: 'create' }],
    'its next_cursor is the position to poll from')

  for (const [query, name] of [['since=2025-02-30', 'since'], ['since=2025-02-28T25:00:00Z', 'since'], ['action=remove', 'action']] as const) {
    await assertQueryProblem(t, app, `/v1/changes?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
    await assertQueryProblem(t, app, `/v1/changes/stream?${query}`, 'invalid_parameter', { name }, `the stream: ${query} names ${name}`)
  }
})

t.test('action=delete lists what was deleted', async (t) => {
  const { app, authorization } = await writer(t)
  t.same((await get<ChangePage>(app, '/v1/changes?action=delete')).body.data, [], 'the seed deleted nothing')
  const quote = await createRecord<Row>(app, authorization, '/v1/quotes', supportedQuote('sheinbaum-sovereign-again'))
  const created = (await get<ChangePage>(app, '/v1/changes?action=create&types=quote&since=2000-01-01&limit=1000')).body.data.at(-1)!
  t.match(created, { id: quote.id, action: 'create' })
  t.equal((await app.inject({ method: 'DELETE', url: `/v1/quotes/${quote.id}`, headers: { authorization } })).statusCode, 204)

  const deletes = (await get<ChangePage>(app, '/v1/changes?action=delete')).body.data
  t.match(deletes, [{ type: 'quote', id: quote.id, action: 'delete', revision: 2, data: { id: quote.id } }])
  t.equal(deletes.length, 1)
  t.same((await get<ChangePage>(app, `/v1/changes?since=${created.at}&action=delete`)).body.data, deletes, 'since the create')
  const both = (await get<ChangePage>(app, `/v1/changes?since=${created.at}&action=create,delete`)).body.data
  t.same(both.filter((c: Change) => c.id === quote.id).map((c) => c.action), ['create', 'delete'])
  t.ok(both.every((c) => c.action !== 'update'))

  await app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = app.server.address() as AddressInfo
  t.same(await firstStreamedChange(`http://127.0.0.1:${port}/v1/changes/stream?since=${created.at}&action=delete`), deletes[0], 'the stream takes a time and action too')
})

/** The first change `GET url` streams as Server-Sent Events (then the stream is closed). */
async function firstStreamedChange (url: string): Promise<Change> {
  const controller = new AbortController()
  const reader = (await fetch(url, { signal: controller.signal })).body!.getReader()
  const decoder = new TextDecoder()
  let text = ''
  try {
    while (!/^data: .*\n/m.test(text)) {
      const { value, done } = await reader.read()
      if (done) throw new Error(`${url} ended before a change: ${text}`)
      text += decoder.decode(value, { stream: true })
    }
  } finally {
    controller.abort()
  }
  return JSON.parse(/^data: (.*)$/m.exec(text)![1]!) as Change
}

/** The `{ type, data }` lines of `GET url`. */
async function exported (t: Test, app: App, url: string) {
  const res = await app.inject({ url })
  t.equal(res.statusCode, 200, url)
  t.match(res.headers['content-type'], /^application\/x-ndjson/)
  return res.body.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as { type: string, data: Row })
}

t.test('GET /v1/export keeps some kinds (types) and what changed from a time on (since)', async (t) => {
  const { app, authorization } = await writer(t)
  const events = await exported(t, app, '/v1/export?types=event')
  t.same(events.map((l) => [l.type, l.data.id]), [
    ['event', 'garcia-harfuch-news-conference-2025-08-13'], ['event', 'ovidio-guzman-plea-deal-2025'], ['event', 'sheinbaum-trump-90-day-agreement-2025']
  ], 'the three seeded events, by id')
  t.same((await exported(t, app, '/v1/export?types=transfer,quote')).map((l) => l.type), [...Array<string>(2).fill('transfer'), ...Array<string>(8).fill('quote')])

  await new Promise((resolve) => setTimeout(resolve, 5))
  const patched = await patchRecord(app, authorization, '/v1/events/ovidio-guzman-plea-deal-2025', mergePatchOf(kindOf('event')))
  const at = patched.json<{ updated_at: string }>().updated_at
  t.same((await exported(t, app, `/v1/export?since=${at}`)).map((l) => [l.type, l.data.id]), [['event', 'ovidio-guzman-plea-deal-2025']], `since=${at}: only the patched record`)
  t.same(await exported(t, app, '/v1/export?types=quote&since=' + at), [], 'and no quote changed since')

  for (const [query, name] of [['types=bogus', 'types'], ['types=event,', 'types'], ['since=2025-02-30', 'since'], ['since=yesterday', 'since']] as const) {
    await assertQueryProblem(t, app, `/v1/export?${query}`, 'invalid_parameter', { name }, `${query} names ${name}`)
  }
})
