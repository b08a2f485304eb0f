import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { problemResponses } from '../http/responses.js'
import { calendar, type CalendarEvent } from '../services/icalendar.js'

interface DeadlineSnapshot {
  id: string
  measure: string
  rate_percent: number | null
  imposing_country: string
  targeted_country: string
  deadline: string | null
  deadline_approximate: boolean
  status: string
  description: string | null
}

const NoQuery = Type.Object({}, { additionalProperties: false })

/** `GET /v1/tariff-deadlines.ics`: the deadlines as an iCalendar feed a calendar app can subscribe to. */
const calendarRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const history = app.db.sqlite.prepare(`SELECT record_id AS id, revision, action, at, data FROM revisions
    WHERE record_type = 'tariff_deadline' ORDER BY record_id, revision`)

  app.get('/v1/tariff-deadlines.ics', {
    config: { produces: ['text/calendar'] },
    schema: {
      operationId: 'getTariffDeadlineCalendar',
      tags: ['tariff-deadlines'],
      summary: 'Subscribe to the tariff deadlines (iCalendar)',
      description: 'Every tariff deadline with a date as an all-day event. UIDs are stable (`<id>@usmx-security-kb`); `SEQUENCE` rises each time a deadline moves; deadlines that were averted or deleted stay in the feed with `STATUS:CANCELLED`, so calendars remove them; approximate deadlines are `TENTATIVE`.',
      querystring: NoQuery,
      response: {
        200: { description: 'An RFC 5545 calendar.', content: { 'text/calendar': { schema: { type: 'string' } } } },
        ...problemResponses(400)
      }
    }
  }, async (request, reply) => {
    const rows = history.all() as Array<{ id: string, revision: number, action: string, at: string, data: string }>
    const byId = new Map<string, typeof rows>()
    for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row])
    const base = `${request.protocol}://${request.host}`
    const events: CalendarEvent[] = []
    for (const [id, revisions] of byId) {
      const snapshots = revisions.map((r) => JSON.parse(r.data) as DeadlineSnapshot)
      const last = snapshots.at(-1)!
      const lastRevision = revisions.at(-1)!
      if (last.deadline === null) continue
      // The event moves when the deadline does: count the changes of its date.
      const sequence = snapshots.slice(1).filter((s, i) => s.deadline !== snapshots[i]!.deadline).length
      const deleted = lastRevision.action === 'delete'
      const rate = last.rate_percent === null ? '' : ` (${last.rate_percent}%)`
      events.push({
        uid: `${id}@usmx-security-kb`,
        date: last.deadline,
        summary: `${deleted ? '[withdrawn] ' : ''}Tariff deadline: ${last.measure}${rate}, ${last.imposing_country} → ${last.targeted_country}`,
        description: [last.description ?? '', `Status: ${last.status}${last.deadline_approximate ? ' (approximate date)' : ''}.`, `Evidence: ${base}/v1/tariff-deadlines/${id}?include=citations`].filter((l) => l !== '').join('\n'),
        url: `${base}/v1/tariff-deadlines/${id}`,
        status: deleted || last.status === 'averted' ? 'CANCELLED' : last.deadline_approximate ? 'TENTATIVE' : 'CONFIRMED',
        sequence,
        stamp: lastRevision.at
      })
    }
    return reply.type('text/calendar; charset=utf-8').send(calendar('U.S.–Mexico tariff deadlines', events))
  })
}

export default calendarRoutes
