import ICAL from 'ical.js'
import t, { type Test } from 'tap'
import { buildTestApp, SOURCE, writer, type App } from './helpers.js'

type Body = Record<string, unknown>

const TARIFFS = 'us-tariffs-on-mexican-imports-2025'
const FEED = '/v1/tariff-deadlines.ics'

interface Event { uid: string, start: ICAL.Time, end: ICAL.Time, status: string, sequence: number, summary: string, description: string, url: string }

async function patch (app: App, authorization: string, id: string, body: Body) {
  const res = await app.inject({
    method: 'PATCH',
    url: `/v1/tariff-deadlines/${id}`,
    headers: { authorization, 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify(body)
  })
  if (res.statusCode !== 200) throw new Error(`PATCH ${id} answered ${res.statusCode}: ${res.body}`)
}

async function create (app: App, authorization: string, body: Body) {
  const res = await app.inject({ method: 'POST', url: '/v1/tariff-deadlines', headers: { authorization }, payload: body })
  if (res.statusCode !== 201) throw new Error(`POST answered ${res.statusCode}: ${res.body}`)
}

/** A tariff deadline made up for a test (not a fact of the article). */
const fixture = (id: string, more: Body = {}) => ({
  id,
  measure: 'Test fixture',
  imposing_country: 'MX',
  targeted_country: 'US',
  deadline: '2026-01-15',
  status: 'upcoming',
  citations: [{ source_id: SOURCE, excerpt: 'Two weeks ago, Sheinbaum and Trump agreed to a 90-day negotiation period to avert the tariffs' }],
  ...more
})

/** Reads the feed the way a calendar app would: with a real iCalendar parser. */
async function feed (t: Test, app: App) {
  const res = await app.inject({ url: FEED })
  t.equal(res.statusCode, 200, 'the feed answers 200')
  t.match(res.headers['content-type'], /^text\/calendar; charset=utf-8/, 'as text/calendar')
  const calendar = new ICAL.Component(ICAL.parse(res.body) as unknown[])
  const events = new Map<string, Event>()
  for (const vevent of calendar.getAllSubcomponents('vevent')) {
    const value = (name: string) => vevent.getFirstPropertyValue(name)
    const event: Event = {
      uid: String(value('uid')),
      start: value('dtstart') as ICAL.Time,
      end: value('dtend') as ICAL.Time,
      status: String(value('status')),
      sequence: Number(value('sequence')),
      summary: String(value('summary')),
      description: String(value('description')),
      url: String(value('url'))
    }
    t.notOk(events.has(event.uid), `${event.uid} appears once`)
    events.set(event.uid, event)
  }
  return { res, calendar, events }
}

const uidOf = (id: string) => `${id}@usmx-security-kb`

t.test('GET /v1/tariff-deadlines.ics is an iCalendar feed with one all-day event a dated deadline', async (t) => {
  // Events link to their records under PUBLIC_URL: iCalendar takes only absolute URLs.
  const { app } = await buildTestApp(t, { config: { publicUrl: 'https://kb.example.org' } })
  const { calendar, events } = await feed(t, app)
  t.equal(calendar.name, 'vcalendar')
  t.equal(calendar.getFirstPropertyValue('version'), '2.0')
  t.ok(calendar.getFirstPropertyValue('prodid'), 'a PRODID')

  const { data } = (await app.inject({ url: '/v1/tariff-deadlines?limit=500' })).json<{ data: Array<{ id: string, deadline: string | null }> }>()
  t.same([...events.keys()].sort(), data.filter((d) => d.deadline !== null).map((d) => uidOf(d.id)).sort(), 'one VEVENT per dated deadline')

  const event = events.get(uidOf(TARIFFS))!
  t.ok(event, `UID ${uidOf(TARIFFS)}`)
  t.ok(event.start.isDate, 'DTSTART is a DATE: an all-day event')
  t.equal(event.start.toString(), '2025-10-28', 'on the deadline day')
  t.equal(event.end.toString(), '2025-10-29', 'ending the next day (DTEND is exclusive)')
  t.equal(event.status, 'TENTATIVE', 'the deadline is approximate, so the event is tentative')
  t.equal(event.sequence, 0, 'never moved: SEQUENCE 0')
  t.match(event.summary, /Tariffs on Mexican imports \(30%\), US → MX/)
  t.equal(event.url, `https://kb.example.org/v1/tariff-deadlines/${TARIFFS}`, 'URL points to the record')
  t.match(event.description, /Status: upcoming \(approximate date\)\./, 'the description states the recorded status')
})

t.test('Moving a deadline raises SEQUENCE and moves DTSTART under the same UID; other edits leave SEQUENCE alone', async (t) => {
  const { app, authorization } = await writer(t)
  const before = (await feed(t, app)).events.get(uidOf(TARIFFS))!

  await patch(app, authorization, TARIFFS, { deadline: '2025-11-27', deadline_approximate: false })
  const moved = (await feed(t, app)).events.get(uidOf(TARIFFS))!
  t.equal(moved.uid, before.uid, 'the same UID, so calendars update the event')
  t.equal(moved.sequence, 1, 'SEQUENCE 1')
  t.equal(moved.start.toString(), '2025-11-27', 'the new date')
  t.equal(moved.status, 'CONFIRMED', 'an exact date is confirmed')

  await patch(app, authorization, TARIFFS, { rate_percent: 25, description: 'A new description, same date.' })
  const edited = (await feed(t, app)).events.get(uidOf(TARIFFS))!
  t.equal(edited.sequence, 1, 'an edit that does not move the date keeps SEQUENCE')
  t.match(edited.summary, /\(25%\)/, 'but the event shows the edit')

  await patch(app, authorization, TARIFFS, { deadline: '2025-10-28' })
  const back = (await feed(t, app)).events.get(uidOf(TARIFFS))!
  t.equal(back.sequence, 2, 'moving it back is another move: SEQUENCE 2')
  t.equal(back.start.toString(), '2025-10-28')
})

t.test('An averted deadline stays in the feed as CANCELLED, so subscribed calendars drop it', async (t) => {
  const { app, authorization } = await writer(t)
  await patch(app, authorization, TARIFFS, { status: 'averted' })
  const event = (await feed(t, app)).events.get(uidOf(TARIFFS))!
  t.equal(event.status, 'CANCELLED')
  t.equal(event.sequence, 0, 'the date did not move')
  t.match(event.description, /Status: averted/)
})

t.test('A deleted deadline stays in the feed as CANCELLED, with its last date', async (t) => {
  const { app, authorization } = await writer(t)
  await create(app, authorization, fixture('fixture-withdrawn-deadline', { deadline_approximate: false }))
  const created = (await feed(t, app)).events.get(uidOf('fixture-withdrawn-deadline'))!
  t.equal(created.status, 'CONFIRMED', 'a new deadline appears, confirmed')

  const res = await app.inject({ method: 'DELETE', url: '/v1/tariff-deadlines/fixture-withdrawn-deadline', headers: { authorization } })
  t.equal(res.statusCode, 204)
  const deleted = (await feed(t, app)).events.get(uidOf('fixture-withdrawn-deadline'))!
  t.ok(deleted, 'still in the feed after DELETE')
  t.equal(deleted.status, 'CANCELLED', 'marked cancelled')
  t.equal(deleted.start.toString(), '2026-01-15', 'on its last date')
  t.match(deleted.summary, /withdrawn/i, 'the summary says it was withdrawn')
})

t.test('Deadlines without a date are left out; a month-only deadline falls on the first of the month', async (t) => {
  const { app, authorization } = await writer(t)
  await create(app, authorization, fixture('fixture-undated-deadline', { deadline: null }))
  await create(app, authorization, fixture('fixture-month-deadline', { deadline: '2026-03' }))
  const { events } = await feed(t, app)
  t.notOk(events.has(uidOf('fixture-undated-deadline')), 'no event without a date')
  const month = events.get(uidOf('fixture-month-deadline'))!
  t.ok(month.start.isDate)
  t.equal(month.start.toString(), '2026-03-01')
})

t.test('Text with commas, semicolons, backslashes, newlines and non-ASCII survives the round trip', async (t) => {
  const { app, authorization } = await writer(t)
  const description = 'Tariffs, quotas; and a "backstop" \\ clause.\nSecond line — with accents: García, Sheinbaum; señor.\nThird line, ' + 'é'.repeat(60)
  const measure = 'Aranceles; cupos, y más — ' + 'ñ'.repeat(40)
  await create(app, authorization, fixture('fixture-awkward-text', { measure, description }))
  const { res, events } = await feed(t, app)
  const event = events.get(uidOf('fixture-awkward-text'))!
  t.ok(event.description.startsWith(`${description}\n`), 'the description comes back exactly, then the status line')
  t.match(event.summary, measure, 'the summary keeps the measure exactly')
  t.ok(res.body.includes('Tariffs\\, quotas\\; and a "backstop" \\\\ clause.\\nSecond line'), 'escaped as RFC 5545 asks: \\, \\; \\\\ \\n')
})

t.test('Lines end with CRLF and are folded at 75 octets, never inside a UTF-8 sequence', async (t) => {
  const { app, authorization } = await writer(t)
  await create(app, authorization, fixture('fixture-long-text', { description: 'Una descripción muy larga — ' + 'acción, '.repeat(40) }))
  const { res, events } = await feed(t, app)
  t.ok(res.body.endsWith('\r\n'), 'the body ends with CRLF')
  t.notMatch(res.body, /[^\r]\n/, 'no bare LF')
  t.notMatch(res.body, /\r[^\n]/, 'no bare CR')
  // Each physical line, on its own bytes, is at most 75 octets and decodes as UTF-8 by itself.
  const utf8 = new TextDecoder('utf-8', { fatal: true })
  const raw = res.rawPayload
  const lines: string[] = []
  const tooLong: string[] = []
  for (let start = 0; start < raw.length;) {
    const end = raw.indexOf('\r\n', start)
    const line = raw.subarray(start, end)
    lines.push(utf8.decode(line))
    if (line.length > 75) tooLong.push(lines.at(-1)!)
    start = end + 2
  }
  t.same(tooLong, [], 'no line is longer than 75 octets')
  t.ok(lines.some((l) => l.startsWith(' ')), 'long lines are continued on lines starting with a space')
  t.match(events.get(uidOf('fixture-long-text'))!.description, /^Una descripción muy larga — (acción, ){40}/, 'and unfolds to the text')
})
