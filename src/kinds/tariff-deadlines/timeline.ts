import { sql } from 'drizzle-orm'
import { rows, statement } from '../../db/query.js'
import { oneLine } from '../../text/one-line.js'
import type { TimelineSource } from '../kind.js'
import { tariffDeadlines } from './table.js'

/** A tariff deadline sits on the timeline at its deadline; `actor` is its imposing or targeted party. */
export const tariffDeadlineTimeline: TimelineSource = {
  dateFields: ['deadline'],
  entries (actor) {
    const d = tariffDeadlines
    const who = actor === undefined ? sql`` : sql` AND (${d.imposingPartyId} = ${actor} OR ${d.targetedPartyId} = ${actor})`
    return sql`SELECT ${d.id} AS id, ${d.deadline} AS date, ${d.deadlineEarliest} AS earliest, ${d.deadlineLatest} AS latest, ${d.deadlineApproximate} AS approximate, 'deadline' AS date_field FROM ${d} WHERE ${d.deadline} IS NOT NULL${who}`
  },
  headlines (dialect) {
    const d = tariffDeadlines
    const query = statement<{ id: string, measure: string, rate: number | null }>(sql`SELECT ${d.id} AS id, ${d.measure} AS measure, ${d.ratePercent} AS rate
      FROM ${d} WHERE ${dialect.inPlaceholder(d.id)}`)
    return function * (ids) {
      return new Map((yield * rows(query, { ids: dialect.list(ids) })).map((r) =>
        [r.id, `Deadline: ${oneLine(r.measure, 80)}${r.rate === null ? '' : ` (${r.rate}%)`}`]))
    }
  }
}
