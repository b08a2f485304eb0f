import { sql } from 'drizzle-orm'
import { booleanOf, rows, statement } from '../../db/query.js'
import type { TimelineSource } from '../kind.js'
import { transferParticipants, transfers } from './table.js'

const namedMechanisms = new Set(['extradition', 'expulsion', 'deportation'])

/** A transfer sits on the timeline at its date; `actor` is any participant. */
export const transferTimeline: TimelineSource = {
  dateFields: ['date'],
  entries (actor) {
    const t = transfers
    const p = transferParticipants
    const who = actor === undefined ? sql`` : sql` AND EXISTS (SELECT 1 FROM ${p} WHERE ${p.transferId} = ${t.id} AND (${p.actorId} = ${actor} OR ${p.organizationId} = ${actor}))`
    return sql`SELECT ${t.id} AS id, ${t.date} AS date, ${t.dateEarliest} AS earliest, ${t.dateLatest} AS latest, ${t.dateApproximate} AS approximate, 'date' AS date_field FROM ${t} WHERE ${t.date} IS NOT NULL${who}`
  },
  headlines (dialect) {
    const t = transfers
    const query = statement<{ id: string, count: number | null, approximate: unknown, from: string, to: string, mechanism: string }>(sql`SELECT ${t.id} AS id,
      ${t.peopleCount} AS count, ${t.peopleCountApproximate} AS approximate, ${t.fromCountry} AS "from", ${t.toCountry} AS "to", ${t.mechanism} AS mechanism
      FROM ${t} WHERE ${dialect.inPlaceholder(t.id)}`)
    return function * (ids) {
      return new Map((yield * rows(query, { ids: dialect.list(ids) })).map((r) => {
        const who = r.count === null ? 'People' : `${booleanOf(r.approximate) ? 'About ' : ''}${r.count} ${r.count === 1 ? 'person' : 'people'}`
        const how = namedMechanisms.has(r.mechanism) ? ` (${r.mechanism})` : ''
        return [r.id, `${who} handed over from ${r.from} to ${r.to}${how}`]
      }))
    }
  }
}
