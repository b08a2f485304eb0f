import t, { type Test } from 'tap'
import { kindOf, kinds, type KindDefinition } from '../src/kinds/index.js'
import { transferSeriesNames } from '../src/kinds/transfers/stats.js'
import { rebuildStatCells } from '../src/repositories/stat-cells.js'
import { assertProblem, buildTestApp, copyOfExample, createRecord, get, mergePatchOf, parseCsv, patchRecord, writer, type App } from './helpers.js'

/**
 * The statistics of every kind, generated from the registry: every dimension `group_by` offers,
 * pairs of them (against the one-dimension answers and the CSV), the list's filters, the seed
 * data's numbers, writes, and the 400s. test/stats.test.ts has the hand-written examples.
 */

interface Series { name: string, data: number[], group?: string | null, group_label?: string }
interface Chart {
  group_by: string
  keys: Array<string | null>
  labels: string[]
  groups?: Array<string | null>
  group_labels?: string[]
  series: Series[]
  totals: Record<string, number>
}
/** Bucket key → { series → value }. */
type Sums = Map<string | null, Record<string, number>>

const statKinds: KindDefinition[] = kinds.filter((k) => k.stats !== undefined)
const isTransfers = (kind: KindDefinition) => kind.type === 'transfer'
const measuresOf = (kind: KindDefinition): string[] => isTransfers(kind) ? [...transferSeriesNames] : ['count']
/** The series whose buckets always add up to its total (a transfer of two organisations is an occasion in both, its people are not). */
const additiveOf = (kind: KindDefinition) => isTransfers(kind) ? 'people' : 'count'
/** The total that is the list's `count`: records, or transfers. */
const countedOf = (kind: KindDefinition) => isTransfers(kind) ? 'occasions' : 'count'
const fieldsOf = (kind: KindDefinition, ...types: string[]) =>
  Object.entries(kind.fieldFilters.fields).filter(([, f]) => types.includes(f.type))
    .map(([name, f]) => ({ name, item: 'item' in f ? f.item as { enum?: unknown[], pattern?: string } : {}, actor: 'actor' in f && f.actor === true }))

const units = ['year', 'quarter', 'month', 'week', 'day'] as const
type Unit = typeof units[number]
const unitOf = (dim: string) => units.find((u) => dim === u || dim.endsWith(`:${u}`))
const keyFormat: Record<Unit, RegExp> = { year: /^\d{4}$/, quarter: /^\d{4}-Q[1-4]$/, month: /^\d{4}-\d{2}$/, week: /^\d{4}-W\d{2}$/, day: /^\d{4}-\d{2}-\d{2}$/ }
/** A time key as a number of its units, so that a continuous axis steps by one (weeks: only their order is checked). */
function ordinal (unit: Unit, key: string): number {
  const year = Number(key.slice(0, 4))
  if (unit === 'quarter') return year * 4 + Number(key.slice(6))
  if (unit === 'month') return year * 12 + Number(key.slice(5, 7))
  if (unit === 'day') return Date.parse(`${key}T00:00:00Z`) / 86_400_000
  return year
}

async function chartOf (t: Test, app: App, url: string): Promise<Chart> {
  const res = await app.inject({ url })
  t.equal(res.statusCode, 200, `${url} answers 200`)
  return res.json<Chart>()
}

async function listCount (app: App, path: string, filter = ''): Promise<number> {
  return (await app.inject({ url: `/v1/${path}?count=true&limit=1${filter === '' ? '' : `&${filter}`}` })).json<{ count: number }>().count
}

const bucketsOf = (c: Chart): Sums => new Map(c.keys.map((k, i) => [k, Object.fromEntries(c.series.map((s) => [s.name, s.data[i]!]))]))
const sumOf = (c: Chart, measure: string) => c.series.find((s) => s.name === measure)!.data.reduce((a, b) => a + b, 0)

/** A two-dimension chart summed over its groups (a sum for each of `keys`) or over its keys (one for each of `groups`). */
function marginal (c: Chart, axis: 'keys' | 'groups'): Sums {
  const sums: Sums = new Map((axis === 'keys' ? c.keys : c.groups!).map((k) => [k, {}]))
  for (const s of c.series) {
    s.data.forEach((v, i) => {
      const sum = sums.get(axis === 'keys' ? c.keys[i] as string | null : s.group as string | null)!
      sum[s.name] = (sum[s.name] ?? 0) + v
    })
  }
  return sums
}

/** Buckets as `[key, values of names]`, in chart order or (`sorted`) by key. */
function view (sums: Sums, names: string[], sorted: boolean) {
  const rows = [...sums].map(([key, v]) => [key, names.map((n) => v[n])] as const)
  return sorted ? rows.sort((a, b) => String(a[0]).localeCompare(String(b[0]))) : rows
}

/** The CSV a chart should be: header, then one row a bucket (a pair of buckets, with two dimensions). */
function csvOf (c: Chart, dims: string[], measures: string[]): string[][] {
  const columns = dims.map((d) => d.replace(':', '_')).flatMap((d) => [d, `${d}_label`])
  const value = (m: string, i: number, j?: number) => String(c.series.find((s) => s.name === m && s.group === (j === undefined ? undefined : c.groups![j]))!.data[i])
  const row = (i: number, j?: number) =>
    [c.keys[i] ?? '', c.labels[i]!, ...(j === undefined ? [] : [c.groups![j] ?? '', c.group_labels![j]!]), ...measures.map((m) => value(m, i, j))]
  return [[...columns, ...measures], ...c.keys.flatMap((_, i) => c.groups === undefined ? [row(i)] : c.groups.map((_, j) => row(i, j)))]
}

async function csvRows (t: Test, app: App, url: string, path: string): Promise<string[][]> {
  const res = await app.inject({ url })
  t.equal(res.statusCode, 200, `${url} answers 200`)
  t.match(res.headers['content-type'], /^text\/csv/)
  t.equal(res.headers['content-disposition'], `attachment; filename="${path}-stats.csv"`)
  return parseCsv(res.body)
}

/** The dimensions the OpenAPI document gives `group_by` of a kind's statistic, from its pattern `^(a|b…)(,(a|b…))?$`. */
async function patternDims (app: App, path: string): Promise<string[]> {
  await app.ready()
  const doc = app.swagger() as unknown as { paths: Record<string, { get: { parameters: Array<{ name: string, schema: { pattern: string } }> } }> }
  const pattern = doc.paths[`/v1/stats/${path}`]!.get.parameters.find((p) => p.name === 'group_by')!.schema.pattern
  return /^\^\((.+?)\)\(,/.exec(pattern)![1]!.split('|')
}

const without = (totals: Record<string, number>, name: string) => Object.fromEntries(Object.entries(totals).filter(([k]) => k !== name))

for (const kind of statKinds) {
  t.test(`${kind.path}: every dimension, pairs of them, and the list's filters`, async (t) => {
    const { app } = await buildTestApp(t)
    const base = `/v1/stats/${kind.path}`
    const measures = measuresOf(kind)
    const additive = additiveOf(kind)
    const counted = countedOf(kind)

    // The dimensions as a client learns them, from the 400 an unknown one answers: the route
    // checks `group_by` against the pattern the OpenAPI document shows, so both must name them.
    const nope = assertProblem(t, await app.inject({ url: `${base}?group_by=__nope` }), 400, 'invalid_parameter')
    t.equal(nope.errors?.length, 1)
    t.equal(nope.errors?.[0]?.name, 'group_by')
    const dims = /allowed values are (.+)$/.exec(nope.errors?.[0]?.detail ?? '')?.[1]?.split(', ') ?? []
    t.same(dims, await patternDims(app, kind.path), 'the OpenAPI pattern of group_by names the same dimensions')
    const csvNope = assertProblem(t, await app.inject({ url: `${base}.csv?group_by=__nope` }), 400, 'invalid_parameter')
    t.same(csvNope.errors, nope.errors, 'the CSV variant answers the same 400')
    for (const { name } of fieldsOf(kind, 'any-of', 'boolean')) t.ok(dims.includes(name), `the filter ${name} is a dimension`)

    const listed = await listCount(app, kind.path)
    t.ok(listed > 0, `the seed data has ${kind.path}`)
    // Keys of actors (and the transfers' organisations) are labelled with the actors' names, any other with itself.
    const actorDims = new Set([...fieldsOf(kind, 'any-of').filter((f) => f.actor).map((f) => f.name), 'organization'])
    const actorNames = dims.some((d) => actorDims.has(d))
      ? new Map((await app.inject({ url: '/v1/actors?limit=100&fields=id,name' })).json<{ data: Array<{ id: string, name: string }> }>().data.map((a) => [a.id, a.name]))
      : new Map<string, string>()

    // 1. Every dimension alone.
    const one = new Map<string, Chart>()
    for (const dim of dims) {
      const c = await chartOf(t, app, `${base}?group_by=${dim}`)
      one.set(dim, c)
      t.equal(c.group_by, dim)
      t.equal(c.labels.length, c.keys.length, `${dim}: a label a key`)
      t.same(c.series.map((s) => s.name), measures)
      t.ok(c.series.every((s) => s.data.length === c.keys.length), `${dim}: a value a bucket in every series`)
      t.equal(sumOf(c, additive), c.totals[additive], `${dim}: the buckets' ${additive} add up to the total`)
      t.equal(c.totals[counted], listed, `${dim}: the total is the list's count`)
      if (dim !== 'organization') t.equal(sumOf(c, counted), listed, `${dim}: each record in one bucket`)
      const nullAt = c.keys.indexOf(null)
      t.ok(nullAt === -1 || (nullAt === c.keys.length - 1 && /^\(.+\)$/.test(c.labels.at(-1)!)), `${dim}: the bucket of no value is last, labelled`)
      const known = c.keys.filter((k): k is string => k !== null)
      t.same(c.labels.slice(0, known.length), actorDims.has(dim) ? known.map((k) => actorNames.get(k)) : known, `${dim}: labels`)
      const unit = unitOf(dim)
      if (unit === undefined) continue
      t.ok(known.every((k) => keyFormat[unit].test(k)), `${dim}: keys like ${String(keyFormat[unit])}`)
      const steps = known.slice(1).map((k, i) => unit === 'week' ? Number(k > known[i]!) : ordinal(unit, k) - ordinal(unit, known[i]!))
      t.ok(steps.every((s) => s === 1), `${dim}: a continuous axis`)
      if (nullAt >= 0) t.equal(c.labels.at(-1), `(${unit} not known)`)
      if (dim.endsWith(':month')) t.same(await csvRows(t, app, `${base}.csv?group_by=${dim}`, kind.path), csvOf(c, [dim], measures), `${dim}: the CSV`)
    }
    for (const unit of units.filter((u) => one.has(u))) {
      const dated = dims.find((d) => d !== unit && d.endsWith(`:${unit}`))!
      t.same({ ...one.get(unit)!, group_by: dated }, one.get(dated), `${unit} is ${dated}`)
    }

    // 2. Pairs: each categorical dimension with the year, both ways, and the first with the last.
    const categorical = dims.filter((d) => unitOf(d) === undefined)
    const [first, last] = [categorical[0]!, categorical.at(-1)!]
    const pairs: Array<[string, string]> = [
      ...(dims.includes('year') ? categorical.flatMap((c): Array<[string, string]> => [[c, 'year'], ['year', c]]) : []),
      ...(first === last ? [] : [[first, last], [last, first]] as Array<[string, string]>)
    ]
    t.ok(pairs.length >= 2)
    for (const [a, b] of pairs) {
      const q = `group_by=${a},${b}`
      const c = await chartOf(t, app, `${base}?${q}`)
      t.equal(c.group_by, `${a},${b}`)
      t.equal(c.group_labels?.length, c.groups?.length)
      t.same(c.series.map((s) => [s.name, s.group, s.group_label]), measures.flatMap((m) => c.groups!.map((g, j) => [m, g, c.group_labels![j]])), `${q}: a series a measure and group, measures first`)
      t.ok(c.series.every((s) => s.data.length === c.keys.length), `${q}: a value a bucket`)
      t.same(without(c.totals, 'disputed_buckets'), without(one.get(a)!.totals, 'disputed_buckets'), `${q}: the same totals`)
      // Summed over one dimension, the cells are the statistic of the other: all of it, but
      // summed over organisations only the people (a transfer is an occasion of each).
      for (const [axis, dim, other] of [['keys', a, b], ['groups', b, a]] as const) {
        const names = other === 'organization' ? ['people'] : measures
        t.same(view(marginal(c, axis), names, other === 'organization'), view(bucketsOf(one.get(dim)!), names, other === 'organization'),
          `${q}: summed over ${other}, the ${names.join(', ')} by ${dim}`)
      }
      const rows = await csvRows(t, app, `${base}.csv?${q}`, kind.path)
      t.equal(rows.length - 1, c.keys.length * c.groups!.length, `${q}: a CSV row a pair of buckets`)
      t.same(rows, csvOf(c, [a, b], measures), `${q}: the CSV has the JSON's numbers`)
    }

    // 3. Filters: a statistic counts what the list with the same filter does.
    const anyOf = fieldsOf(kind, 'any-of')
    t.ok(anyOf.length > 0)
    for (const [i, { name }] of anyOf.entries()) {
      const value = encodeURIComponent(one.get(name)!.keys.find((k) => k !== null)!)
      const total = async (filter: string) => {
        const filtered = (await chartOf(t, app, `${base}?${filter}`)).totals[counted]!
        t.equal(filtered, await listCount(app, kind.path, filter), `${filter}: the statistic counts what the list does`)
        return filtered
      }
      const matching = await total(`${name}=${value}`)
      t.equal(matching, bucketsOf(one.get(name)!).get(decodeURIComponent(value))![counted], `${name}=${value}: its bucket`)
      if (i === 0) t.equal(matching + await total(`${name}__not=${value}`), listed, `${name} and ${name}__not split the ${kind.path}`)
    }
  })
}

t.test('the seed data in charts', async (t) => {
  const { app } = await buildTestApp(t)
  const byMonth = await chartOf(t, app, '/v1/stats/transfers?group_by=month,mechanism')
  t.same(byMonth.keys, ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08'])
  t.same(byMonth.groups, ['extradition', 'unspecified'])
  t.same(byMonth.series.filter((s) => s.name === 'people').map((s) => [s.group, s.data]), [
    ['extradition', [0, 0, 0, 0, 0, 0, 26]],
    ['unspecified', [29, 0, 0, 0, 0, 0, 0]]
  ], 'February 2025: 29 people, mechanism unspecified; August: 26 extradited')

  const byOrganization = await chartOf(t, app, '/v1/stats/transfers?group_by=organization,year')
  t.same(byOrganization.keys, ['cjng', 'sinaloa-cartel', null])
  t.same(byOrganization.groups, ['2025'])
  t.same(byOrganization.series.find((s) => s.name === 'people'), { name: 'people', group: '2025', group_label: '2025', data: [0, 0, 55] })

  const quotes = (await app.inject({ url: '/v1/quotes?limit=100&fields=id,date' })).json<{ data: Array<{ date: string | null }> }>().data
  t.equal(quotes.filter((q) => q.date === '[..2025-08-13]').length, 7, 'seven quotes said on or before 2025-08-13')
  t.same(await chartOf(t, app, '/v1/stats/quotes?group_by=week'), {
    group_by: 'week', keys: ['2025-W33', null], labels: ['2025-W33', '(week not known)'], series: [{ name: 'count', data: [1, 7] }], totals: { count: 8 }
  })
  t.same((await chartOf(t, app, '/v1/stats/quotes?group_by=quarter')).keys, ['2025-Q3', null])

  t.same(await chartOf(t, app, '/v1/stats/cooperation-measures?group_by=military'), {
    group_by: 'military', keys: ['false', null], labels: ['false', '(military not known)'], series: [{ name: 'count', data: [1, 2] }], totals: { count: 3 }
  })
  t.equal(await listCount(app, 'cooperation-measures', 'military=false'), 1)
  t.equal(await listCount(app, 'cooperation-measures', 'military__null=true'), 2)
})

t.test('a transfer written through the API moves the statistic, in the buckets its date is known to fall in', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('desk', 'write')
  const create = async (id: string, date: string, peopleCount: number, participants: object[] = [], from = 'MX', to = 'US') => {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/transfers',
      headers: { authorization: `Bearer ${key}` },
      payload: {
        ...{ id, date, participants, people_count: peopleCount, from_country: from, to_country: to, mechanism: 'expulsion', summary: 'A test transfer.' },
        citations: [{ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'following a similar transfer of 29 cartel leaders in February' }]
      }
    })
    t.equal(res.statusCode, 201, `${id} created`)
  }
  const buckets = async (groupBy: string) => {
    const c = await chartOf(t, app, `/v1/stats/transfers?group_by=${groupBy}`)
    return { c, b: bucketsOf(c) }
  }

  const etag = String((await app.inject({ url: '/v1/stats/transfers?group_by=month' })).headers.etag)
  const before = (await buckets('month')).c
  t.equal(before.keys.length, 7)
  t.match(before.totals, { occasions: 2, people: 55 })

  await create('transfer-2025-10-test', '2025-10-15', 7, [{ actor_id: 'ovidio-guzman', role: 'transferred', organization_id: 'sinaloa-cartel' }])
  const october = await buckets('month')
  t.same(october.c.keys, ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10'], 'the axis grows to October')
  t.match(october.b.get('2025-10'), { occasions: 1, people: 7 })
  t.match(october.b.get('2025-09'), { occasions: 0, people: 0 })
  t.match(october.c.totals, { occasions: 3, people: 62 })
  const byOrganization = await buckets('organization')
  t.match(byOrganization.b.get('sinaloa-cartel'), { occasions: 2, people: 1 }, 'the one person named as of the Sinaloa cartel')
  t.match(byOrganization.b.get(null), { occasions: 3, people: 61 }, 'the other six, and the seed\'s 55, not attributed')
  t.equal(sumOf(byOrganization.c, 'people'), 62)

  await create('transfer-2025-05-test', '2025-05', 5)
  const may = await buckets('month')
  t.match(may.b.get('2025-05'), { occasions: 1, people: 5 }, 'a month-precise date is in its month')
  const byDay = await buckets('day')
  t.equal(byDay.c.labels.at(-1), '(day not known)')
  t.match(byDay.b.get(null), { occasions: 2, people: 34 }, 'but no day: with February\'s 29')
  t.notOk(byDay.c.keys.some((k) => k?.startsWith('2025-05') === true))

  await create('transfer-2025-05-30-test', '[2025-05-30..2025-06-02]', 3)
  const bounded = await buckets('month')
  t.equal(bounded.c.labels.at(-1), '(month not known)')
  t.match(bounded.b.get(null), { occasions: 1, people: 3 }, 'a date bounded across two months is in no month')
  t.match(bounded.b.get('2025-05'), { occasions: 1, people: 5 })
  t.match(bounded.b.get('2025-06'), { occasions: 0, people: 0 })
  const byQuarter = await buckets('quarter')
  t.same(byQuarter.c.keys, ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'], 'every quarter is known')
  t.match(byQuarter.b.get('2025-Q2'), { occasions: 2, people: 8 }, 'but it is in the second quarter, with May\'s')
  t.match(byQuarter.c.totals, { occasions: 5, people: 70 })

  // Paired with organisation (a transfer in the bucket of each), the other axis keeps its own order.
  // Six transfers from the United States against Mexico's five, which are in eight cells by organisation.
  for (let n = 1; n <= 6; n++) await create(`transfer-us-mx-${n}`, n === 1 ? '2012-06-01' : '2025-09-01', 1, [], 'US', 'MX')
  const byCountry = (await buckets('from_country')).c
  t.same(byCountry.keys, ['US', 'MX'], 'by size alone')
  t.same((await buckets('from_country,organization')).c.keys, byCountry.keys, 'the first axis in the order it has alone')
  t.same((await chartOf(t, app, '/v1/stats/transfers?group_by=organization,from_country')).groups, byCountry.keys, 'and the second')
  // Fourteen years of days by weeks would be millions of buckets: a 400, not a huge answer.
  const tooMany = assertProblem(t, await app.inject({ url: '/v1/stats/transfers?group_by=day,week' }), 400, 'invalid_parameter')
  t.match(tooMany.detail, /asks for \d+ buckets \(\d+ × \d+\); a statistic has at most 20000/)
  t.equal((await app.inject({ url: '/v1/stats/transfers?group_by=year,mechanism' })).statusCode, 200, 'years by mechanism are few')

  const revalidated = await app.inject({ url: '/v1/stats/transfers?group_by=month', headers: { 'if-none-match': etag } })
  t.equal(revalidated.statusCode, 200, 'the ETag from before the writes no longer matches')
  t.equal(revalidated.json<Chart>().keys[0], '2012-06', 'the axis runs from 2012')
  t.equal((await app.inject({ url: '/v1/stats/transfers?group_by=month', headers: { 'if-none-match': String(revalidated.headers.etag) } })).statusCode, 304)
})

t.test('a group_by or filter the statistic cannot take is a 400 naming it, the same from the CSV variant', async (t) => {
  const { app } = await buildTestApp(t)
  for (const kind of statKinds) {
    const dims = await patternDims(app, kind.path)
    const month = dims.find((d) => d.endsWith(':month'))
    const [a, b] = [dims[0]!, dims[1]!]
    // A filter whose values are checked (an enum or a pattern): ids take any string, and find nothing.
    const filter = fieldsOf(kind, 'any-of').find((f) => f.item.enum !== undefined || f.item.pattern !== undefined)!
    const cases: Array<[string, string, string | RegExp]> = [
      [`group_by=${a},${b},${a}`, 'group_by', 'names 3 values; it takes one, or two separated by a comma'],
      [`group_by=${b},${b}`, 'group_by', `names the same dimension twice ("${b},${b}")`],
      ...(month === undefined ? [] : [[`group_by=month,${month}`, 'group_by', `names the same dimension twice ("month,${month}")`] as [string, string, string]]),
      [`${filter.name}=NO%20SUCH%20VALUE`, filter.name, /^has (an unknown value "NO SUCH VALUE"; allowed values are |a value "NO SUCH VALUE" that does not match )/]
    ]
    for (const [query, name, detail] of cases) {
      const json = assertProblem(t, await app.inject({ url: `/v1/stats/${kind.path}?${query}` }), 400, 'invalid_parameter')
      t.equal(json.errors?.length, 1, `${kind.path}?${query}: one error`)
      if (typeof detail === 'string') t.same(json.errors, [{ in: 'query', name, detail }], `${kind.path}?${query}`)
      else t.match(json.errors, [{ in: 'query', name, detail }], `${kind.path}?${query}`)
      const csv = assertProblem(t, await app.inject({ url: `/v1/stats/${kind.path}.csv?${query}` }), 400, 'invalid_parameter')
      t.same([csv.detail, csv.errors], [json.detail, json.errors], `${kind.path}.csv?${query}: the same 400`)
    }
  }
})

t.test('the statistics kept on every write answer as reading every record does, after creates, changes, deletes and a merge', async (t) => {
  const { app, db, authorization } = await writer(t)
  for (const kind of statKinds) {
    const copy = copyOfExample(kind)
    await createRecord(app, authorization, `/v1/${kind.path}`, copy)
    await patchRecord(app, authorization, `/v1/${kind.path}/${kind.exampleId}`, mergePatchOf(kind))
  }
  // The copy of the minister (and, with him, the quotes and events naming the copy) merged into him.
  const merged = await app.inject({ method: 'POST', url: '/v1/actors/copy-of-omar-garcia-harfuch/merge', headers: { authorization }, payload: { into: 'omar-garcia-harfuch' } })
  t.equal(merged.statusCode, 200, merged.body)
  t.equal((await app.inject({ method: 'DELETE', url: '/v1/quotes/copy-of-garcia-harfuch-strategic-move', headers: { authorization } })).statusCode, 204)

  const { reader } = app.kb
  const read = {
    kept: (kind: KindDefinition) => (q: Record<string, unknown>) => reader.run(kind.stats!.compute(reader.dialect)(q)),
    scanned: (kind: KindDefinition) => (q: Record<string, unknown>) => reader.run(kind.stats!.compute(reader.dialect, { kept: false })(q))
  }
  for (const kind of statKinds) {
    const dims = (await patternDims(app, kind.path)).filter((d) => d !== 'organization' && !/(^|:)(week|day)$/.test(d))
    const queries: Array<Record<string, unknown>> = [...dims.map((d) => ({ group_by: d })), ...dims.slice(1).filter((d) => !d.endsWith(`:${dims[0]!}`)).map((d) => ({ group_by: `${dims[0]!},${d}` }))]
    for (const [name, f] of Object.entries(kind.fieldFilters.fields)) {
      if (f.type !== 'any-of' && f.type !== 'boolean') continue
      const first = read.scanned(kind)({ group_by: name }).axes[0]![0]?.key
      if (first !== null && first !== undefined) queries.push({ group_by: dims[0], [name]: f.type === 'boolean' ? first === 'true' : first }, { group_by: dims[0], [`${name}__not`]: first })
      if (f.type === 'any-of' && f.nullable === true) queries.push({ group_by: dims[0], [`${name}__null`]: true })
    }
    for (const q of queries) t.same(read.kept(kind)(q), read.scanned(kind)(q), `${kind.path} ${JSON.stringify(q)}: kept as scanned`)
  }
  t.equal(db.sqlite.prepare('SELECT count(*) FROM stat_cells WHERE records <= 0').pluck().get(), 0, 'no empty cell is left behind')
  for (const kind of statKinds) {
    t.equal(db.sqlite.prepare('SELECT coalesce(sum(records), 0) FROM stat_cells WHERE kind = ?').pluck().get(kind.type), (await get<{ count: number }>(app, `/v1/${kind.path}?count=true&limit=1`)).body.count, `${kind.path}: every record in one cell`)
  }
  const cells = db.sqlite.prepare('SELECT * FROM stat_cells ORDER BY kind, cell').all()
  t.equal(rebuildStatCells(db, { force: true }), 31 + statKinds.length - 2, 'rebuilt from the latest revisions: the seed, a copy a kind, less the merged actor and the deleted quote')
  t.same(db.sqlite.prepare('SELECT * FROM stat_cells ORDER BY kind, cell').all(), cells, 'to the same cells')
  // And they are what answers: a cell changed behind the writes' back shows.
  db.sqlite.prepare("UPDATE stat_cells SET m1 = m1 + 1000 WHERE kind = 'transfer'").run()
  t.not((await get<{ totals: { people: number } }>(app, '/v1/stats/transfers?group_by=month,mechanism')).body.totals.people, read.scanned(kindOf('transfer'))({ group_by: 'month,mechanism' }).totals.people, 'the kept cells answer')
  t.equal((await get<{ totals: { people: number } }>(app, '/v1/stats/transfers?group_by=month&date_from=2000')).body.totals.people, read.scanned(kindOf('transfer'))({ group_by: 'month' }).totals.people, 'a date range reads the records')
})
