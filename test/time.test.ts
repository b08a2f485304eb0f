import t, { type Test } from 'tap'
import { assertProblem, buildTestApp, SOURCE, writer, type App, type Page } from './helpers.js'

type Body = Record<string, unknown>
interface Deadline { id: string, deadline: string | null, status: string, current_status: string, days_remaining: number | null, time_zone: string | null }
interface Role { id: string, title: string, from: string | null, to: string | null, in_force?: string }
interface Actor { id: string, roles: Role[] }

const TARIFFS = 'us-tariffs-on-mexican-imports-2025'
const cite = (excerpt: string) => [{ source_id: SOURCE, excerpt }]

async function post (app: App, authorization: string, path: string, payload: Body) {
  const res = await app.inject({ method: 'POST', url: `/v1/${path}`, headers: { authorization }, payload })
  if (res.statusCode !== 201) throw new Error(`POST /v1/${path} answered ${res.statusCode}: ${res.body}`)
  return res.json<Body>()
}

async function patch (app: App, authorization: string, url: string, body: Body) {
  const res = await app.inject({ method: 'PATCH', url, headers: { authorization, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify(body) })
  if (res.statusCode !== 200) throw new Error(`PATCH ${url} answered ${res.statusCode}: ${res.body}`)
  return res.json<Body>()
}

/** `GET url` after checking it answered 200: the page's records. */
async function list<T> (t: Test, app: App, url: string): Promise<T[]> {
  const res = await app.inject({ url })
  t.equal(res.statusCode, 200, `${url}: 200`)
  return res.json<Page<T>>().data
}

/** Today's date in a time zone, as a clock on a wall there reads it. */
const todayIn = (timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date())
const daysBetween = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)

/** A tariff deadline for tests (not a fact of the article), due on `deadline` in `timeZone`. */
const fixtureDeadline = (id: string, deadline: string, timeZone: string | null) => ({
  id,
  measure: 'Test fixture',
  imposing_country: 'US',
  targeted_country: 'MX',
  deadline,
  time_zone: timeZone,
  status: 'upcoming',
  citations: cite('Two weeks ago, Sheinbaum and Trump agreed to a 90-day negotiation period to avert the tariffs')
})

t.test('A tariff deadline computes current_status and days_remaining for ?at=, keeping the recorded status', async (t) => {
  const { app } = await buildTestApp(t)
  const cases = [
    { at: '2025-09-01', current_status: 'upcoming', days_remaining: 57 },
    { at: '2025-10-28', current_status: 'upcoming', days_remaining: 0 },
    { at: '2025-10-29', current_status: 'lapsed', days_remaining: -1 },
    { at: '2025-11-01', current_status: 'lapsed', days_remaining: -4 }
  ]
  for (const { at, current_status: status, days_remaining: days } of cases) {
    const [deadline] = await list<Deadline>(t, app, `/v1/tariff-deadlines?at=${at}`)
    t.match(deadline, { id: TARIFFS, deadline: '2025-10-28', status: 'upcoming', current_status: status, days_remaining: days, time_zone: 'America/New_York' },
      `at ${at}: ${status}, ${days} days remaining; the recorded status stays upcoming`)
    const one = await app.inject({ url: `/v1/tariff-deadlines/${TARIFFS}?at=${at}` })
    t.match(one.json<Deadline>(), { current_status: status, days_remaining: days }, `GET by id with at=${at} agrees`)
  }
})

t.test('Without ?at=, days are counted from today in the issuing authority\'s time zone', async (t) => {
  const { app, authorization } = await writer(t)
  const today = todayIn('America/New_York')
  const [seeded] = await list<Deadline>(t, app, '/v1/tariff-deadlines?fields=deadline,time_zone,current_status,days_remaining')
  t.equal(seeded!.time_zone, 'America/New_York', 'the issuing authority\'s time zone is part of the record')
  t.equal(seeded!.days_remaining, daysBetween(today, '2025-10-28'), `days from ${today} in New York to 2025-10-28`)
  t.equal(seeded!.current_status, today > '2025-10-28' ? 'lapsed' : 'upcoming', 'lapsed once the day has passed in New York')

  // UTC+14 and UTC−11 are always on different days: the same deadline is nearer in Kiritimati.
  await post(app, authorization, 'tariff-deadlines', fixtureDeadline('fixture-kiritimati', '2030-01-01', 'Pacific/Kiritimati'))
  await post(app, authorization, 'tariff-deadlines', fixtureDeadline('fixture-pago-pago', '2030-01-01', 'Pacific/Pago_Pago'))
  await post(app, authorization, 'tariff-deadlines', fixtureDeadline('fixture-no-zone', '2030-01-01', null))
  const east = (await app.inject({ url: '/v1/tariff-deadlines/fixture-kiritimati' })).json<Deadline>()
  const west = (await app.inject({ url: '/v1/tariff-deadlines/fixture-pago-pago' })).json<Deadline>()
  const utc = (await app.inject({ url: '/v1/tariff-deadlines/fixture-no-zone' })).json<Deadline>()
  t.equal(east.days_remaining, daysBetween(todayIn('Pacific/Kiritimati'), '2030-01-01'), 'counted from today in Kiritimati')
  t.equal(west.days_remaining, daysBetween(todayIn('Pacific/Pago_Pago'), '2030-01-01'), 'counted from today in Pago Pago')
  t.ok(west.days_remaining! > east.days_remaining!, 'a day or two more remain in Pago Pago')
  t.equal(utc.days_remaining, daysBetween(todayIn('UTC'), '2030-01-01'), 'without a time zone, from today in UTC')
})

t.test('days_remaining needs a day: a deadline known to the month has none, and lapses once the month has passed', async (t) => {
  const { app, authorization } = await writer(t)
  await post(app, authorization, 'tariff-deadlines', fixtureDeadline('fixture-month', '2025-11', 'America/New_York'))
  const at = async (day: string) => (await app.inject({ url: `/v1/tariff-deadlines/fixture-month?at=${day}` })).json<Deadline>()
  t.match(await at('2025-11-30'), { current_status: 'upcoming', days_remaining: null }, 'still upcoming within its month')
  t.match(await at('2025-12-01'), { current_status: 'lapsed', days_remaining: null }, 'lapsed the month after')
})

t.test('A deadline recorded as averted stays averted, whatever the day', async (t) => {
  const { app, authorization } = await writer(t)
  const patched = await patch(app, authorization, `/v1/tariff-deadlines/${TARIFFS}`, { status: 'averted' })
  t.equal(patched.status, 'averted')
  for (const at of ['2025-09-01', '2025-11-01']) {
    const [deadline] = await list<Deadline>(t, app, `/v1/tariff-deadlines?at=${at}`)
    t.match(deadline, { status: 'averted', current_status: 'averted' }, `at ${at}: averted, not upcoming or lapsed`)
    t.type(deadline!.days_remaining, 'number', 'the days are still counted')
  }
  t.same(await list(t, app, '/v1/tariff-deadlines?valid_at=2025-09-01'), [], 'and it is no longer pending on any date')
})

t.test('valid_at on tariff deadlines lists those pending on that date: window open, deadline not passed', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = async (date: string) => (await list<Deadline>(t, app, `/v1/tariff-deadlines?valid_at=${date}`)).map((d) => d.id)
  t.same(await ids('2025-09-01'), [TARIFFS], '2025-09-01: within the 90-day window')
  t.same(await ids('2025-10-28'), [TARIFFS], '2025-10-28: the deadline day itself')
  t.same(await ids('2025-10'), [TARIFFS], '2025-10: a month overlapping the window')
  t.same(await ids('2025-07-01'), [], '2025-07-01: before the window opened')
  t.same(await ids('2025-12-01'), [], '2025-12-01: after the deadline')
})

t.test('valid_at on cooperation measures lists those in force on that date', async (t) => {
  const { app, authorization } = await writer(t)
  await post(app, authorization, 'cooperation-measures', {
    id: 'fixture-drone-flights-autumn-2025',
    kind: 'surveillance_flight',
    title: 'Test fixture: drone flights in September and October 2025',
    description: 'A measure made up for this test, dated to the month.',
    requesting_party_id: 'government-of-mexico',
    providing_party_id: 'government-of-the-united-states',
    start_date: '2025-09',
    end_date: '2025-10',
    military: false,
    status: 'active',
    citations: cite('a U.S. non-military drone is operating over central Mexico')
  })
  const inForce = async (date: string) =>
    (await list<{ id: string }>(t, app, `/v1/cooperation-measures?valid_at=${date}&limit=500`)).some((m) => m.id === 'fixture-drone-flights-autumn-2025')
  t.ok(await inForce('2025-09-15'), 'in force mid-September')
  t.ok(await inForce('2025-09-01'), 'from the first day of its start month')
  t.ok(await inForce('2025-10-31'), 'to the last day of its end month')
  t.notOk(await inForce('2025-08-31'), 'not before it started')
  t.notOk(await inForce('2025-11-01'), 'not after it ended')

  await patch(app, authorization, '/v1/cooperation-measures/fixture-drone-flights-autumn-2025', { status: 'cancelled' })
  t.notOk(await inForce('2025-09-15'), 'a cancelled measure is in force on no date')
})

t.test('valid_at on actors lists those holding a role on that date, with only the roles in force then', async (t) => {
  const { app, authorization } = await writer(t)
  await post(app, authorization, 'actors', {
    id: 'fixture-official',
    kind: 'person',
    name: 'Fixture Official',
    country: 'MX',
    roles: [
      { id: 'fixture-official--undersecretary', title: 'Undersecretary', organization_id: 'government-of-mexico', from: '2020', to: '2022' },
      { id: 'fixture-official--minister', title: 'Minister', organization_id: 'government-of-mexico', from: '2023' }
    ],
    citations: cite('according to Security Minister Omar García Harfuch')
  })
  await post(app, authorization, 'actors', {
    id: 'fixture-former-official',
    kind: 'person',
    name: 'Fixture Former Official',
    country: 'MX',
    roles: [{ id: 'fixture-former-official--minister', title: 'Minister', from: '2010', to: '2015' }],
    citations: cite('according to Security Minister Omar García Harfuch')
  })
  const on = async (date: string) => {
    const actors = await list<Actor>(t, app, `/v1/actors?valid_at=${date}&limit=500`)
    return {
      roles: actors.find((a) => a.id === 'fixture-official')?.roles.map((r) => r.title),
      former: actors.some((a) => a.id === 'fixture-former-official')
    }
  }
  t.same(await on('2021-06-01'), { roles: ['Undersecretary'], former: false }, '2021-06-01: only the first role; the former official is left out')
  t.same(await on('2022-12-31'), { roles: ['Undersecretary'], former: false }, '2022-12-31: a role ending in 2022 is held all that year')
  t.same(await on('2023-07-01'), { roles: ['Minister'], former: false }, '2023-07-01: the second role, begun in 2023')
  t.same(await on('2024-01-01'), { roles: undefined, former: false }, '2024-01-01: an open end is not attested after what the sources say')
  const possible = await list<Actor>(t, app, '/v1/actors?valid_at=2024-01-01&validity=possible&limit=500')
  t.same(possible.find((a) => a.id === 'fixture-official')?.roles.map((r) => [r.title, r.in_force]), [['Minister', 'possible']], '… though it might be held then, and says so')
  t.same(await on('2012'), { roles: undefined, former: true }, '2012: only the former official, then in office')

  const all = await list<Actor>(t, app, '/v1/actors?limit=500')
  t.same(all.find((a) => a.id === 'fixture-official')?.roles.map((r) => r.title), ['Undersecretary', 'Minister'], 'without valid_at, every role')
  const seeded = await list<Actor>(t, app, '/v1/actors?valid_at=2025-08-13&limit=500')
  t.ok(seeded.some((a) => a.id === 'omar-garcia-harfuch'), 'a role without dates is attested on the day a source reported it (as_of)')
  t.match(seeded.find((a) => a.id === 'omar-garcia-harfuch')?.roles, [{ in_force: 'attested' }])
})

t.test('valid_at keeps what is attested, not what merely might be: unknown is not "always"', async (t) => {
  const { app } = await buildTestApp(t)
  const ids = async (url: string) => (await list<{ id: string }>(t, app, url)).map((r) => r.id).sort()
  const officeHolders = ['claudia-sheinbaum-pardo', 'david-saucedo', 'donald-trump', 'omar-garcia-harfuch', 'pam-bondi']
  const measures = ['mexico-cartel-and-migration-enforcement', 'us-drone-over-central-mexico-2025', 'us-no-death-penalty-assurance-2025']
  t.same(await ids('/v1/actors?valid_at=1990-01-01'), [], '1990: no 2025 office holder')
  t.same(await ids('/v1/actors?valid_at=2025-08-13'), officeHolders, 'the day the source reports them in office')
  t.same(await ids('/v1/actors?valid_at=1990-01-01&validity=possible'), officeHolders, 'with validity=possible, what nothing rules out')
  t.same(await ids('/v1/cooperation-measures?valid_at=1990-01-01'), [], '1990: no measure')
  t.same(await ids('/v1/cooperation-measures?valid_at=2099-01-01'), [], '2099: nothing says the drone still flies')
  t.same(await ids('/v1/cooperation-measures?valid_at=2025-08-13'), measures, 'all three, on the day they were reported')
  const attested = await list<{ id: string, in_force: string }>(t, app, '/v1/cooperation-measures?valid_at=2025-08-13')
  t.same(attested.map((m) => m.in_force), ['attested', 'attested', 'attested'], 'each saying so')
  const possible = await list<{ id: string, in_force: string }>(t, app, '/v1/cooperation-measures?valid_at=2099-01-01&validity=possible')
  t.same(possible.map((m) => [m.id, m.in_force]).sort(), measures.map((id) => [id, 'possible']), '2099 with validity=possible: possible, not attested')
  t.notOk('in_force' in (await list<object>(t, app, '/v1/cooperation-measures'))[0]!, 'in_force only answers valid_at')
  for (const url of ['/v1/actors?validity=possible', '/v1/cooperation-measures?validity=attested', '/v1/tariff-deadlines?validity=possible']) {
    const problem = assertProblem(t, await app.inject({ url }), 400, 'invalid_parameter')
    t.match(problem.errors, [{ in: 'query', name: 'validity', detail: /valid_at/ }], `${url}: validity needs valid_at`)
  }
  assertProblem(t, await app.inject({ url: '/v1/actors?valid_at=2025&validity=maybe' }), 400, 'invalid_parameter')
})

t.test('valid_at as a partial date keeps the roles that overlap it, as the filter does', async (t) => {
  const { app, authorization } = await writer(t)
  await post(app, authorization, 'actors', {
    id: 'fixture-appointee',
    kind: 'person',
    name: 'Fixture Appointee',
    roles: [{ id: 'fixture-appointee--director', title: 'Director', from: '2022-06-15' }],
    citations: cite('according to Security Minister Omar García Harfuch')
  })
  const actors = await list<Actor>(t, app, '/v1/actors?valid_at=2022&limit=500')
  const appointee = actors.find((a) => a.id === 'fixture-appointee')
  t.ok(appointee, 'listed for 2022: appointed during that year')
  t.same(appointee?.roles.map((r) => r.title), ['Director'], 'with the role that made it match')
})

t.test('A bad valid_at or at is a 400 naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  const bad = [
    '/v1/tariff-deadlines?valid_at=2025-02-30',
    '/v1/tariff-deadlines?valid_at=yesterday',
    '/v1/cooperation-measures?valid_at=2025-13',
    '/v1/actors?valid_at=2025-9-1',
    '/v1/tariff-deadlines?at=2025-09',
    '/v1/tariff-deadlines?at=tomorrow'
  ]
  for (const url of bad) {
    const problem = assertProblem(t, await app.inject({ url }), 400, 'invalid_parameter')
    const name = /\?(\w+)=/.exec(url)![1]
    t.same([...new Set(problem.errors?.map((e) => `${e.in} ${e.name}`))], [`query ${name}`], `${url}: names ${name}`)
  }
})
