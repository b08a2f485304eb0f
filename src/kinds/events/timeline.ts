import { sql } from 'drizzle-orm'
import { rows, statement } from '../../db/query.js'
import { oneLine } from '../../text/one-line.js'
import type { TimelineSource } from '../kind.js'
import { eventParties, events } from './table.js'

/** An event sits on the timeline at its date; `actor` is any party. */
export const eventTimeline: TimelineSource = {
  dateFields: ['date'],
  entries (actor) {
    const e = events
    const p = eventParties
    const who = actor === undefined ? sql`` : sql` AND EXISTS (SELECT 1 FROM ${p} WHERE ${p.eventId} = ${e.id} AND ${p.actorId} = ${actor})`
    return sql`SELECT ${e.id} AS id, ${e.date} AS date, ${e.dateEarliest} AS earliest, ${e.dateLatest} AS latest, ${e.dateApproximate} AS approximate, 'date' AS date_field FROM ${e} WHERE ${e.date} IS NOT NULL${who}`
  },
  headlines (dialect) {
    const e = events
    const query = statement<{ id: string, title: string }>(sql`SELECT ${e.id} AS id, ${e.title} AS title FROM ${e} WHERE ${dialect.inPlaceholder(e.id)}`)
    return function * (ids) {
      return new Map((yield * rows(query, { ids: dialect.list(ids) })).map((r) => [r.id, oneLine(r.title, 100)]))
    }
  }
}
