import { asc, sql } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { Type } from 'typebox'
import { rows, statement, type Read } from '../../db/query.js'
import { revisions } from '../../db/schema/revisions.js'
import { problemResponses } from '../../http/responses.js'
import { boundsOf } from '../../query/dates.js'
import { calendar, type CalendarEvent } from '../../services/icalendar.js'
import type { TariffDeadlineDto } from './schemas.js'

const history = statement<{ id: string, action: string, at: string, data: string }>(sql`SELECT ${revisions.recordId} AS id, ${revisions.action} AS action,
  ${revisions.at} AS at, ${revisions.data} AS data FROM ${revisions} WHERE ${revisions.recordType} = ${'tariff_deadline'}
  ORDER BY ${asc(revisions.recordId)}, ${asc(revisions.revision)}`)

export type CalendarHistory = Map<string, Array<{ action: string, at: string, record: TariffDeadlineDto }>>

/** Every revision of every tariff deadline, by deadline then revision: what the calendar is built from. */
export function * calendarHistory (): Read<CalendarHistory> {
  const byId: CalendarHistory = new Map()
  for (const row of yield * rows(history)) {
    const list = byId.get(row.id) ?? []
    list.push({ action: row.action, at: row.at, record: JSON.parse(row.data) as TariffDeadlineDto })
    byId.set(row.id, list)
  }
  return byId
}

/**
 * One all-day event a dated deadline. The event moves when the deadline does (`SEQUENCE` counts
 * the changes of its date); averted or deleted deadlines stay, cancelled, so calendars remove them.
 * `base`: the API's public URL, for the events' links; without one ('') an event has no `URL`
 * (iCalendar takes only absolute ones) and its description names the record's path.
 */
export function calendarEvents (history: CalendarHistory, base: string): CalendarEvent[] {
  const events: CalendarEvent[] = []
  for (const [id, revisions] of history) {
    const snapshots = revisions.map((r) => r.record)
    const last = snapshots.at(-1)!
    const lastRevision = revisions.at(-1)!
    if (last.deadline === null) continue
    // Where the deadline may be: a month-precise or bounded one spans its days; an open bound is its one known day.
    const { earliest, latest } = boundsOf(last.deadline)
    const [start, end] = [earliest ?? latest!, latest ?? earliest!]
    const bound = earliest === null ? ' (on or before this day)' : latest === null ? ' (on or after this day)' : ''
    const sequence = snapshots.slice(1).filter((s, i) => s.deadline !== snapshots[i]!.deadline).length
    const deleted = lastRevision.action === 'delete'
    const rate = last.rate_percent === null ? '' : ` (${last.rate_percent}%)`
    events.push({
      uid: `${id}@usmx-security-kb`,
      start,
      end,
      summary: `${deleted ? '[withdrawn] ' : ''}Tariff deadline: ${last.measure}${rate}, ${last.imposing_country} → ${last.targeted_country}`,
      description: [last.description ?? '', `Status: ${last.status}${last.deadline_approximate ? ' (approximate date)' : ''}${bound}.`, `Evidence: ${base}/v1/tariff-deadlines/${id}?include=citations`].filter((l) => l !== '').join('\n'),
      url: base === '' ? undefined : `${base}/v1/tariff-deadlines/${id}`,
      status: deleted || last.status === 'averted' ? 'CANCELLED' : last.deadline_approximate || bound !== '' ? 'TENTATIVE' : 'CONFIRMED',
      sequence,
      stamp: lastRevision.at
    })
  }
  return events
}

const NoQuery = Type.Object({}, { additionalProperties: false })

/** `GET /v1/tariff-deadlines.ics`: the deadlines as an iCalendar feed a calendar app can subscribe to. */
export async function calendarRoutes (app: FastifyInstance) {
  app.get('/v1/tariff-deadlines.ics', {
    config: { produces: ['text/calendar'] },
    schema: {
      operationId: 'getTariffDeadlineCalendar',
      tags: ['tariff-deadlines'],
      summary: 'Subscribe to the tariff deadlines (iCalendar)',
      description: 'Every tariff deadline with a date as an all-day event. UIDs are stable (`<id>@usmx-security-kb`); `SEQUENCE` rises each time a deadline moves; deadlines that were averted or deleted stay in the feed with `STATUS:CANCELLED`, so calendars remove them; approximate and bounded deadlines are `TENTATIVE`; a deadline known to the month spans the month, one known only as a bound (`[..2025-10-28]`) sits on that day.',
      querystring: NoQuery,
      response: {
        200: { description: 'An RFC 5545 calendar.', content: { 'text/calendar': { schema: { type: 'string' } } } },
        ...problemResponses(400)
      }
    }
  }, async (request, reply) => {
    const events = calendarEvents(await app.read(calendarHistory()), app.publicUrl)
    return reply.type('text/calendar; charset=utf-8').send(calendar('U.S.–Mexico tariff deadlines', events))
  })
}
