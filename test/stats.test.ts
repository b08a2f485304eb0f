import t, { type Test } from 'tap'
import { assertProblem, buildTestApp } from './helpers.js'

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

interface Series { name: string, data: number[] }
interface Chart {
  group_by: string
  keys: Array<string | null>
  labels: string[]
  series: Series[]
  totals: Record<string, number>
}

async function stats (t: Test, app: App, url: string): Promise<Chart> {
  const res = await app.inject({ url })
  t.equal(res.statusCode, 200, `${url} answers 200`)
  t.match(res.headers['content-type'], /^application\/json/)
  return res.json<Chart>()
}

/** Bucket key → { series name → value }: what a chart would show for each bar. */
function buckets (chart: Chart): Map<string | null, Record<string, number>> {
  return new Map(chart.keys.map((key, i) => [key, Object.fromEntries(chart.series.map((s) => [s.name, s.data[i]!]))]))
}

const transferSeries = ['occasions', 'people', 'occasions_without_count', 'occasions_with_approximate_count', 'occasions_disputed']

t.test('from the seed data: 55 people were transferred from Mexico to the United States in 2025, in 2 transfers', async (t) => {
  const { app } = await buildTestApp(t)
  const chart = await stats(t, app, '/v1/stats/transfers?group_by=year&from_country=MX&to_country=US')
  t.same(chart, {
    group_by: 'year',
    keys: ['2025'],
    labels: ['2025'],
    series: [
      { name: 'occasions', data: [2] },
      { name: 'people', data: [55] },
      { name: 'occasions_without_count', data: [0] },
      { name: 'occasions_with_approximate_count', data: [0] },
      { name: 'occasions_disputed', data: [0] }
    ],
    totals: { occasions: 2, people: 55, occasions_without_count: 0, occasions_with_approximate_count: 0, occasions_disputed: 0, disputed_buckets: 0 }
  })
  t.match(buckets(chart).get('2025'), { occasions: 2, people: 55 }, 'the 2025 bucket')

  const other = await stats(t, app, '/v1/stats/transfers?from_country=US&to_country=MX')
  t.same(other.keys, [], 'nothing went the other way')
  t.same(other.totals, { occasions: 0, people: 0, occasions_without_count: 0, occasions_with_approximate_count: 0, occasions_disputed: 0, disputed_buckets: 0 })
  t.equal(other.group_by, 'year', 'group_by defaults to year')
})

t.test('by month: February 29 people, August 26, the months between empty', async (t) => {
  const { app } = await buildTestApp(t)
  const chart = await stats(t, app, '/v1/stats/transfers?group_by=month')
  t.same(chart.keys, ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08'], 'a continuous time axis')
  t.same(chart.labels, chart.keys)
  t.same(chart.series.map((s) => s.name), transferSeries)
  const byMonth = buckets(chart)
  t.match(byMonth.get('2025-02'), { occasions: 1, people: 29 })
  t.match(byMonth.get('2025-08'), { occasions: 1, people: 26 })
  t.match(byMonth.get('2025-05'), { occasions: 0, people: 0 })
  t.same(chart.totals, { occasions: 2, people: 55, occasions_without_count: 0, occasions_with_approximate_count: 0, occasions_disputed: 0, disputed_buckets: 0 })

  const august = await stats(t, app, '/v1/stats/transfers?group_by=month&date_from=2025-08-01&date_to=2025-08-31')
  t.same(august.keys, ['2025-08'], 'date_from and date_to narrow the transfers')
  t.match(august.totals, { occasions: 1, people: 26 })
  const february = await stats(t, app, '/v1/stats/transfers?date_from=2025-02-10&date_to=2025-02-10')
  t.match(february.totals, { occasions: 1, people: 29 }, 'a month-precision transfer overlaps a day in its month')
})

t.test('by organization: each organisation of the people transferred, labelled by name; people only where the split is known', async (t) => {
  const { app } = await buildTestApp(t)
  const chart = await stats(t, app, '/v1/stats/transfers?group_by=organization')
  t.same(chart.keys, ['cjng', 'sinaloa-cartel', null])
  t.same(chart.labels, ['Cártel de Jalisco Nueva Generación', 'Cártel de Sinaloa', '(not attributed)'])
  const byOrganization = buckets(chart)
  t.match(byOrganization.get('cjng'), { occasions: 1, people: 0 }, 'the 26 included members of the CJNG, but the source does not say how many')
  t.match(byOrganization.get('sinaloa-cartel'), { occasions: 1, people: 0 })
  t.match(byOrganization.get(null), { occasions: 2, people: 55 }, 'all 55 people are not attributed: no source splits them')
  t.match(chart.totals, { occasions: 2, people: 55 }, 'totals count each transfer once')
  t.equal([...byOrganization.values()].reduce((sum, b) => sum + (b.people ?? 0), 0), chart.totals.people, 'the buckets\' people add up to the total')
})

t.test('by mechanism, in the order of the mechanism enum', async (t) => {
  const { app } = await buildTestApp(t)
  const chart = await stats(t, app, '/v1/stats/transfers?group_by=mechanism&from_country=MX')
  t.same(chart.keys, ['extradition', 'unspecified'])
  t.same(chart.labels, ['extradition', 'unspecified'])
  t.same(chart.series, [
    { name: 'occasions', data: [1, 1] },
    { name: 'people', data: [26, 29] },
    { name: 'occasions_without_count', data: [0, 0] },
    { name: 'occasions_with_approximate_count', data: [0, 0] },
    { name: 'occasions_disputed', data: [0, 0] }
  ])
})

t.test('quotes by speaker, most quoted first, labelled by name', async (t) => {
  const { app } = await buildTestApp(t)
  const chart = await stats(t, app, '/v1/stats/quotes?group_by=speaker')
  t.same(chart, {
    group_by: 'speaker',
    keys: ['david-saucedo', 'omar-garcia-harfuch', 'claudia-sheinbaum-pardo', 'pam-bondi', 'unnamed-experts'],
    labels: ['David Saucedo', 'Omar García Harfuch', 'Claudia Sheinbaum Pardo', 'Pam Bondi', 'Unnamed experts'],
    series: [{ name: 'count', data: [3, 2, 1, 1, 1] }],
    totals: { count: 8 }
  })
  t.same(await stats(t, app, '/v1/stats/quotes'), chart, 'speaker is the default')
})

t.test('cooperation measures by kind and by status', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await stats(t, app, '/v1/stats/cooperation-measures?group_by=kind'), {
    group_by: 'kind',
    keys: ['surveillance_flight', 'legal_assurance', 'enforcement_policy'],
    labels: ['surveillance_flight', 'legal_assurance', 'enforcement_policy'],
    series: [{ name: 'count', data: [1, 1, 1] }],
    totals: { count: 3 }
  })
  t.same(await stats(t, app, '/v1/stats/cooperation-measures?group_by=status'), {
    group_by: 'status',
    keys: ['active', 'given'],
    labels: ['active', 'given'],
    series: [{ name: 'count', data: [2, 1] }],
    totals: { count: 3 }
  })
})

t.test('tariff deadlines by status', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await stats(t, app, '/v1/stats/tariff-deadlines?group_by=status'), {
    group_by: 'status',
    keys: ['upcoming'],
    labels: ['upcoming'],
    series: [{ name: 'count', data: [1] }],
    totals: { count: 1 }
  })
})

t.test('a group_by the endpoint does not offer is a 400 naming the allowed values', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: Array<[string, string]> = [
    ['/v1/stats/transfers?group_by=speaker', 'has an unknown value "speaker"; allowed values are year, date:year, quarter, date:quarter, month, date:month, week, date:week, day, date:day, from_country, to_country, mechanism, organization'],
    ['/v1/stats/quotes?group_by=people_count', 'has an unknown value "people_count"; allowed values are speaker, year, date:year, quarter, date:quarter, month, date:month, week, date:week, day, date:day, language, kind, rendered_from'],
    ['/v1/stats/tariff-deadlines?group_by=status,year,month', 'names 3 values; it takes one, or two separated by a comma'],
    ['/v1/stats/cooperation-measures?group_by=kind,', 'has an empty value; separate values with single commas'],
    ['/v1/stats/transfers?group_by=month,date:month', 'names the same dimension twice ("month,date:month")'],
    ['/v1/stats/quotes?group_by=speaker,speaker', 'names the same dimension twice ("speaker,speaker")']
  ]
  for (const [url, detail] of cases) {
    const body = assertProblem(t, await app.inject({ url }), 400, 'invalid_parameter')
    t.same(body.errors, [{ in: 'query', name: 'group_by', detail }], url)
  }
  const unknown = assertProblem(t, await app.inject({ url: '/v1/stats/quotes?people_count=20' }), 400, 'unknown_parameter')
  t.same(unknown.errors, [{ in: 'query', name: 'people_count', detail: 'is not a known parameter of this operation' }])
  assertProblem(t, await app.inject({ url: '/v1/stats/transfers?from_country=mexico' }), 400, 'invalid_parameter')
})

t.test('a transfer written through the API changes the stats', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('desk', 'write')
  const created = await app.inject({
    method: 'POST',
    url: '/v1/transfers',
    headers: { authorization: `Bearer ${key}` },
    payload: {
      id: 'transfer-2024-unknown-count',
      date: '2024-11',
      from_country: 'MX',
      to_country: 'US',
      mechanism: 'expulsion',
      summary: 'A test transfer whose number of people the source does not give.',
      participants: [{ actor_id: 'cjng', role: 'organization_of_transferred' }],
      citations: [{ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'following a similar transfer of 29 cartel leaders in February' }]
    }
  })
  t.equal(created.statusCode, 201)

  const byYear = await stats(t, app, '/v1/stats/transfers?group_by=year&from_country=MX&to_country=US')
  t.same(byYear.keys, ['2024', '2025'])
  t.match(buckets(byYear).get('2024'), { occasions: 1, people: 0, occasions_without_count: 1 }, 'an unknown count adds an occasion, not people')
  t.match(buckets(byYear).get('2025'), { occasions: 2, people: 55 }, '2025 is unchanged')
  t.same(byYear.totals, { occasions: 3, people: 55, occasions_without_count: 1, occasions_with_approximate_count: 0, occasions_disputed: 0, disputed_buckets: 0 })

  const byMonth = await stats(t, app, '/v1/stats/transfers?group_by=month')
  t.equal(byMonth.keys.length, 10, 'November 2024 to August 2025')
  t.match(buckets(byMonth).get('2024-11'), { occasions: 1 })

  const byOrganization = buckets(await stats(t, app, '/v1/stats/transfers?group_by=organization'))
  t.match(byOrganization.get('cjng'), { occasions: 2, people: 0, occasions_without_count: 1 })

  const byMechanism = await stats(t, app, '/v1/stats/transfers?group_by=mechanism')
  t.same(byMechanism.keys, ['extradition', 'expulsion', 'unspecified'])
})
