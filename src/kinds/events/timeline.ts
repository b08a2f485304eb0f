import { sql } from 'drizzle-orm'
import { inJsonIds } from '../../repositories/related.js'
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
  headlines (orm) {
    const e = events
    const query = orm.select({ id: e.id, title: e.title }).from(e).where(inJsonIds(e.id)).prepare()
    return (ids) => new Map(query.all({ ids: JSON.stringify(ids) }).map((r) => [r.id, oneLine(r.title, 100)]))
  }
}
