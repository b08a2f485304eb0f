import { sql } from 'drizzle-orm'
import { rows, statement } from '../../db/query.js'
import { oneLine } from '../../text/one-line.js'
import { actors } from '../actors/table.js'
import type { TimelineSource } from '../kind.js'
import { quotes } from './table.js'

/** A quote sits on the timeline at its date; `actor` is its speaker. */
export const quoteTimeline: TimelineSource = {
  dateFields: ['date'],
  entries (actor) {
    const q = quotes
    const who = actor === undefined ? sql`` : sql` AND ${q.speakerId} = ${actor}`
    return sql`SELECT ${q.id} AS id, ${q.date} AS date, ${q.dateEarliest} AS earliest, ${q.dateLatest} AS latest, ${q.dateApproximate} AS approximate, 'date' AS date_field FROM ${q} WHERE ${q.date} IS NOT NULL${who}`
  },
  headlines (dialect) {
    const query = statement<{ id: string, text: string, kind: string, speakerId: string, speaker: string | null }>(sql`SELECT ${quotes.id} AS id, ${quotes.text} AS text,
      ${quotes.kind} AS kind, ${quotes.speakerId} AS "speakerId", ${actors.name} AS speaker
      FROM ${quotes} LEFT JOIN ${actors} ON ${actors.id} = ${quotes.speakerId} WHERE ${dialect.inPlaceholder(quotes.id)}`)
    return function * (ids) {
      return new Map((yield * rows(query, { ids: dialect.list(ids) })).map((r) => {
        const speaker = r.speaker ?? r.speakerId
        // Quotation marks promise the speaker's own words; only direct quotes get them.
        return [r.id, r.kind === 'direct' ? `${speaker}: “${oneLine(r.text, 60)}”` : `${speaker} (reported): ${oneLine(r.text, 60)}`]
      }))
    }
  }
}
