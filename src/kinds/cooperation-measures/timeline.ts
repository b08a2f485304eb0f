import { sql } from 'drizzle-orm'
import { rows, statement } from '../../db/query.js'
import { oneLine } from '../../text/one-line.js'
import type { TimelineSource } from '../kind.js'
import { cooperationMeasures } from './table.js'

/**
 * A measure sits on the timeline at its start date or, without one, at the date the source
 * reports it in force (exactly); `actor` is its requesting, providing or receiving party.
 */
export const cooperationMeasureTimeline: TimelineSource = {
  dateFields: ['start_date', 'as_of'],
  entries (actor) {
    const m = cooperationMeasures
    const who = actor === undefined
      ? sql``
      : sql` AND (${m.requestingPartyId} = ${actor} OR ${m.providingPartyId} = ${actor} OR ${m.receivingPartyId} = ${actor})`
    const started = sql`${m.startDate} IS NOT NULL`
    return sql`SELECT ${m.id} AS id, coalesce(${m.startDate}, ${m.asOf}) AS date,
        CASE WHEN ${started} THEN ${m.startDateEarliest} ELSE ${m.asOfEarliest} END AS earliest,
        CASE WHEN ${started} THEN ${m.startDateLatest} ELSE ${m.asOfLatest} END AS latest,
        CASE WHEN ${started} THEN ${m.startDateApproximate} ELSE false END AS approximate,
        CASE WHEN ${m.startDate} IS NULL THEN 'as_of' ELSE 'start_date' END AS date_field
        FROM ${m} WHERE coalesce(${m.startDate}, ${m.asOf}) IS NOT NULL${who}`
  },
  headlines (dialect) {
    const m = cooperationMeasures
    const query = statement<{ id: string, title: string }>(sql`SELECT ${m.id} AS id, ${m.title} AS title FROM ${m} WHERE ${dialect.inPlaceholder(m.id)}`)
    return function * (ids) {
      return new Map((yield * rows(query, { ids: dialect.list(ids) })).map((r) => [r.id, oneLine(r.title, 100)]))
    }
  }
}
