import t from 'tap'
import {
  assertNothingWritten, assertProblem, buildTestApp, createRecord, get, getOnePage, idsOf, mergePatch, patchRecord, post, snapshotOf,
  SOURCE, supportedQuote, writer
} from './helpers.js'

/**
 * Record dates are EDTF (ISO 8601-2): exact at a precision (`2025`, `2025-08`, `2025-08-13`) or
 * bounded (`[..2025-08-13]` on or before, `[2025-08-13..]` on or after, `[2025-07..2025-08]`
 * between). Each date field F is read with its derived `F_earliest` and `F_latest` (null where
 * open), and `F_precision` is null for a bounded date. Filters keep a record whose span may meet
 * the range; sorts place a date at its earliest day, or at its latest when only that is known.
 */

interface Dated { id: string, date: string | null, date_precision: string | null, date_approximate: boolean, date_earliest: string | null, date_latest: string | null }

const cite = (excerpt: string) => [{ source_id: SOURCE, excerpt }]

/** The three quotes of David Saucedo the source reports without saying when they were said. */
const SAUCEDO = ['saucedo-buying-time', 'saucedo-future-violence-warning', 'saucedo-ovidio-guzman-precedent']

t.test('A quote the source reports on its publication day is dated [..2025-08-13]: said on or before that day', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Dated & { citations: Array<{ fields: string[], support: string }> }>(app, '/v1/quotes/saucedo-buying-time?include=citations')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  t.match(body, { date: '[..2025-08-13]', date_precision: null, date_approximate: false, date_earliest: null, date_latest: '2025-08-13' },
    'a bound has no precision; it is open before, so it has no earliest day')
  t.match(body.citations.filter((c) => c.fields.includes('date')), [{ support: 'inferred' }], 'the bound is inferred from the publication date')
  t.match((await get<Dated>(app, '/v1/quotes/garcia-harfuch-strategic-move')).body,
    { date: '2025-08-13', date_precision: 'day', date_earliest: '2025-08-13', date_latest: '2025-08-13' }, 'an exact day is its own bounds')

  t.same((await idsOf(t, app, '/v1/quotes?speaker=david-saucedo&date_to=2025-08-10')).sort(), SAUCEDO,
    'date_to=2025-08-10: what Saucedo may have said by then (all three)')
  t.same(await idsOf(t, app, '/v1/quotes?speaker=david-saucedo&date_from=2025-09-01'), [], 'date_from=2025-09-01: none, said by 2025-08-13')
  t.notOk((await idsOf(t, app, '/v1/quotes?date_to=2025-08-10')).includes('garcia-harfuch-strategic-move'), 'the exact 2025-08-13 quote is left out')

  // Every quote is placed at 2025-08-13 (the bounded ones at their bound), so the id breaks the tie in both directions.
  const byId = await idsOf(t, app, '/v1/quotes?sort=id')
  t.equal(byId.length, 8)
  t.same(await idsOf(t, app, '/v1/quotes'), [...byId].reverse(), 'the default -date order interleaves the bounded quotes with the exact one by id')
  t.same(await idsOf(t, app, '/v1/quotes?sort=date'), byId, 'and so does sort=date')

  // The timeline reads the same bounds.
  const timeline = await getOnePage<Dated & { kind: string }>(t, app, '/v1/timeline?types=quote&to=2025-08-10')
  t.same(timeline.data.map((e) => e.id).sort(), byId.filter((id) => id !== 'garcia-harfuch-strategic-move'), 'timeline to=2025-08-10: the seven bounded quotes')
  t.match(timeline.data.find((e) => e.id === 'saucedo-buying-time'),
    { kind: 'quote', date: '[..2025-08-13]', date_precision: null, date_approximate: false, date_earliest: null, date_latest: '2025-08-13' })
  t.same(await idsOf(t, app, '/v1/timeline?types=quote&from=2025-08-14'), [], 'timeline from=2025-08-14: none')

  // So does search.
  const hits = await get<{ data: Array<{ kind: string, id: string, date: string | null }> }>(app, '/v1/search?q=saucedo&date_to=2025-08-10')
  t.equal(hits.res.statusCode, 200)
  const quotes = hits.body.data.filter((h) => h.kind === 'quote')
  t.same(quotes.map((h) => h.id).sort(), SAUCEDO, 'search q=saucedo&date_to=2025-08-10 finds the three quotes')
  t.same(quotes.map((h) => h.date), ['[..2025-08-13]', '[..2025-08-13]', '[..2025-08-13]'], 'each hit dated with its EDTF string')
  t.notOk(hits.body.data.some((h) => h.kind === 'source' || h.kind === 'actor'), 'not the source, published 2025-08-13, nor the undated actor')
  t.same((await get<{ data: unknown[] }>(app, '/v1/search?q=saucedo&date_from=2025-09-01')).body.data, [], 'date_from=2025-09-01: nothing')
})

t.test('POST a quote with each form of date: read back with its precision and bounds; filters and sorts use the bounds', async (t) => {
  const { app, authorization } = await writer(t)
  const cases = [
    { id: 'dated-month', date: '2024-02', date_precision: 'month', date_earliest: '2024-02-01', date_latest: '2024-02-29' },
    { id: 'dated-between-months', date: '[2025-07..2025-08]', date_precision: null, date_earliest: '2025-07-01', date_latest: '2025-08-31' },
    { id: 'dated-between-days', date: '[2025-07-01..2025-08-13]', date_precision: null, date_earliest: '2025-07-01', date_latest: '2025-08-13' },
    { id: 'dated-after', date: '[2025-08-13..]', date_precision: null, date_earliest: '2025-08-13', date_latest: null },
    { id: 'dated-before-year', date: '[..2023]', date_precision: null, date_earliest: null, date_latest: '2023-12-31' }
  ]
  for (const { id, ...date } of cases) {
    const res = await post(app, authorization, '/v1/quotes', { ...supportedQuote(id), date: date.date })
    t.equal(res.statusCode, 201, `POST date ${date.date}: 201`)
    t.equal(res.headers.location, `/v1/quotes/${id}`)
    t.match(res.json(), { id, ...date, date_approximate: false }, `${date.date}: precision ${date.date_precision}, ${date.date_earliest}..${date.date_latest}`)
    t.match((await get<Dated>(app, `/v1/quotes/${id}`)).body, { id, ...date }, 'and GET reads it back')
  }

  const mine = async (query: string) => (await idsOf(t, app, `/v1/quotes?speaker=claudia-sheinbaum-pardo&sort=date&${query}`)).filter((id) => id.startsWith('dated-'))
  t.same(await mine('date_from=2099-01-01'), ['dated-after'], 'date_from=2099-01-01: only the date open after')
  t.same(await mine('date_from=2025-08-20'), ['dated-between-months', 'dated-after'], 'date_from=2025-08-20: what may be that late')
  t.same(await mine('date_to=2024-02-10'), ['dated-before-year', 'dated-month'], 'date_to=2024-02-10: a day inside February 2024 meets the month')
  t.same(await mine('date_from=2024-03&date_to=2024-12'), [], 'a range between them meets none')
  t.same(await mine('date_from=2025-08-13&date_to=2025-08-13'), ['dated-between-days', 'dated-between-months', 'dated-after'],
    'date_from=2025-08-13&date_to=2025-08-13: the three that may be that day (both between dates placed at 2025-07-01, the id breaking the tie)')
  t.same(await mine(''), ['dated-before-year', 'dated-month', 'dated-between-days', 'dated-between-months', 'dated-after'],
    'sort=date places each at its earliest day, or at its bound when open before (2023-12-31), the id breaking ties')

  const timeline = await getOnePage<Dated>(t, app, '/v1/timeline?types=quote&from=2099-01-01')
  t.match(timeline.data, [{ id: 'dated-after', date: '[2025-08-13..]', date_precision: null, date_earliest: '2025-08-13', date_latest: null }],
    'timeline from=2099-01-01: the quote open after')
  t.same(await idsOf(t, app, '/v1/timeline?types=quote&to=2024-01-01'), [
    'dated-before-year', 'bondi-american-shores', 'experts-retaliation-risk', 'garcia-harfuch-us-drone',
    'saucedo-buying-time', 'saucedo-future-violence-warning', 'saucedo-ovidio-guzman-precedent', 'sheinbaum-sovereign-decision'
  ], 'timeline to=2024-01-01: the quote on or before 2023, and the seeded ones on or before 2025-08-13 (they may be that old), each at its bound')
})

/** The dates a write refuses, with why. */
const badDates = [
  ['2025-08-13~', 'an EDTF qualifier: approximation is date_approximate'],
  ['2025-02-30', 'not a day on the calendar'],
  ['2025-13', 'not a month'],
  ['[2025-08-13..2025-07-01]', 'a bound whose start is after its end'],
  ['[2025-07..2025-08-15]', 'a bound whose ends differ in precision'],
  ['not a date', 'not a date'],
  ['[..]', 'a bound open on both sides']
]

t.test('A date that is not a stored EDTF form is a 400 naming the field, and nothing is written', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app, '/v1/quotes/garcia-harfuch-strategic-move')
  const refuses = async (res: Awaited<ReturnType<typeof post>>, what: string) => {
    const { errors = [] } = assertProblem(t, res, 400, 'invalid_body')
    t.match(errors, [{ in: 'body', name: '/date', detail: /^must be an EDTF date \(ISO 8601-2\)/ }], `${what}: one error, naming /date and saying what a date must be`)
    t.equal(errors.length, 1, `${what}: only one`)
  }
  for (const [date, why] of badDates) {
    await refuses(await post(app, authorization, '/v1/quotes', { ...supportedQuote('bad-date'), date }), `POST date ${date}: ${why}`)
    await refuses(await mergePatch(app, authorization, '/v1/quotes/garcia-harfuch-strategic-move', { date }), `PATCH date ${date}: ${why}`)
  }
  t.equal((await app.inject({ url: '/v1/quotes/bad-date' })).statusCode, 404, 'no quote was created')
  await assertNothingWritten(t, app, before)
})

t.test('valid_at reads bounded dates: a role begun on or before January 2025, a measure begun on or after 2025-08-13', async (t) => {
  const { app, authorization } = await writer(t)
  await createRecord(app, authorization, '/v1/actors', {
    id: 'fixture-commissioner',
    kind: 'person',
    name: 'Fixture Commissioner',
    roles: [{ id: 'fixture-commissioner--commissioner', title: 'Commissioner', from: '[..2025-01]', to: null, as_of: '2025-08-13' }],
    citations: cite('according to Security Minister Omar García Harfuch')
  })
  const role = async (query: string) => {
    const { data } = await getOnePage<{ id: string, roles: Array<Record<string, unknown>> }>(t, app, `/v1/actors?${query}&limit=500`)
    return data.find((a) => a.id === 'fixture-commissioner')?.roles[0]
  }
  t.match(await role('name=fixture'), { from: '[..2025-01]', from_precision: null, from_earliest: null, from_latest: '2025-01-31', to: null, to_earliest: null, to_latest: null })
  t.match(await role('valid_at=2025-03-01'), { in_force: 'attested' }, '2025-03-01: between the start (by 2025-01-31) and the report')
  t.match(await role('valid_at=2025-01-31'), { in_force: 'attested' }, '2025-01-31: the start\'s bound itself')
  t.equal(await role('valid_at=2024-06-01'), undefined, '2024-06-01: not attested; the role may have begun later')
  t.match(await role('valid_at=2024-06-01&validity=possible'), { in_force: 'possible' }, '… but nothing rules it out')

  await createRecord(app, authorization, '/v1/cooperation-measures', {
    id: 'fixture-patrols',
    kind: 'surveillance_flight',
    title: 'Test fixture: patrols begun on or after 2025-08-13',
    description: 'A measure made up for this test.',
    start_date: '[2025-08-13..]',
    end_date: null,
    status: 'active',
    citations: cite('a U.S. non-military drone is operating over central Mexico')
  })
  const measure = async (query: string) =>
    (await getOnePage<{ id: string, in_force?: string }>(t, app, `/v1/cooperation-measures?${query}&limit=500`)).data.find((m) => m.id === 'fixture-patrols')
  t.match(await measure('status=active'), { start_date: '[2025-08-13..]', start_date_precision: null, start_date_earliest: '2025-08-13', start_date_latest: null })
  t.match(await measure('valid_at=2025-08-13'), { in_force: 'attested' }, '2025-08-13: its earliest start is attested')
  t.equal(await measure('valid_at=2099-01-01'), undefined, '2099-01-01: not attested')
  t.match(await measure('valid_at=2099-01-01&validity=possible'), { in_force: 'possible' }, '… only possible')
  t.equal(await measure('valid_at=2025-08-12&validity=possible'), undefined, '2025-08-12: ruled out, before it began')
})

interface Chart { keys: Array<string | null>, labels: string[], series: Array<{ name: string, data: number[] }>, totals: Record<string, number> }

t.test('GET /v1/stats/transfers puts a transfer in a year or month only when its bounds fall in the same one', async (t) => {
  const { app, authorization } = await writer(t)
  await createRecord(app, authorization, '/v1/transfers', {
    id: 'fixture-summer-transfer',
    date: '[2025-07..2025-08]',
    from_country: 'MX',
    to_country: 'US',
    mechanism: 'extradition',
    people_count: 3,
    summary: 'A transfer made up for this test, in July or August 2025.',
    citations: cite('Mexico has extradited 26 high-profile cartel leaders to the United States')
  })
  const stats = async (groupBy: string) => {
    const res = await app.inject({ url: `/v1/stats/transfers?group_by=${groupBy}` })
    t.equal(res.statusCode, 200)
    const chart = res.json<Chart>()
    for (const s of chart.series) t.equal(s.data.reduce((a, b) => a + b, 0), chart.totals[s.name], `${groupBy}: the buckets' ${s.name} add up to the total`)
    const bucket = (key: string | null) => Object.fromEntries(chart.series.map((s) => [s.name, s.data[chart.keys.indexOf(key)]]))
    return { chart, bucket }
  }
  const month = await stats('month')
  t.same(month.chart.keys, ['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08', null])
  t.equal(month.chart.labels.at(-1), '(month not known)')
  t.match(month.bucket(null), { occasions: 1, people: 3 }, 'July or August: month not known')
  t.match(month.bucket('2025-08'), { occasions: 1, people: 26 }, 'August holds only the seeded transfer')
  t.match(month.chart.totals, { occasions: 3, people: 58 })

  const year = await stats('year')
  t.same(year.chart.keys, ['2025'], 'both bounds in 2025: no unknown year')
  t.match(year.bucket('2025'), { occasions: 3, people: 58 })
})

t.test('GET /v1/tariff-deadlines.ics spans a deadline over its days; an open bound sits on its known day, tentative', async (t) => {
  const { app, authorization } = await writer(t)
  const TARIFFS = 'us-tariffs-on-mexican-imports-2025'
  /** The unfolded lines of the VEVENT of deadline `id`. */
  const vevent = async (id: string) => {
    const res = await app.inject({ url: '/v1/tariff-deadlines.ics' })
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /^text\/calendar; charset=utf-8/)
    const events = res.body.replace(/\r\n[ \t]/g, '').split('BEGIN:VEVENT\r\n').slice(1).map((e) => e.split('\r\n'))
    return events.find((lines) => lines.includes(`UID:${id}@usmx-security-kb`)) ?? []
  }
  const description = (lines: string[]) => lines.find((l) => l.startsWith('DESCRIPTION:')) ?? ''

  await patchRecord(app, authorization, `/v1/tariff-deadlines/${TARIFFS}`, { deadline: '[..2025-10-28]', deadline_approximate: false })
  const before = await vevent(TARIFFS)
  t.ok(before.includes('DTSTART;VALUE=DATE:20251028'), '[..2025-10-28]: on its known day')
  t.ok(before.includes('DTEND;VALUE=DATE:20251029'), 'DTEND the day after')
  t.ok(before.includes('STATUS:TENTATIVE'), 'tentative: it may fall earlier')
  t.match(description(before), /Status: upcoming \(on or before this day\)\./)

  await patchRecord(app, authorization, `/v1/tariff-deadlines/${TARIFFS}`, { deadline: '2025-10' })
  const month = await vevent(TARIFFS)
  t.ok(month.includes('DTSTART;VALUE=DATE:20251001'), '2025-10: from the first of the month')
  t.ok(month.includes('DTEND;VALUE=DATE:20251101'), 'through its last day')
  t.ok(month.includes('STATUS:CONFIRMED'), 'not approximate, not open: confirmed')
  t.notMatch(description(month), /on or (before|after) this day/)

  await createRecord(app, authorization, '/v1/tariff-deadlines', {
    id: 'fixture-open-deadline',
    measure: 'Test fixture',
    imposing_country: 'MX',
    targeted_country: 'US',
    deadline: '[2026-01-15..]',
    status: 'upcoming',
    citations: cite('Two weeks ago, Sheinbaum and Trump agreed to a 90-day negotiation period to avert the tariffs')
  })
  const after = await vevent('fixture-open-deadline')
  t.ok(after.includes('DTSTART;VALUE=DATE:20260115'), '[2026-01-15..]: on its known day')
  t.ok(after.includes('DTEND;VALUE=DATE:20260116'))
  t.ok(after.includes('STATUS:TENTATIVE'))
  t.match(description(after), /Status: upcoming \(on or after this day\)\./)
})
