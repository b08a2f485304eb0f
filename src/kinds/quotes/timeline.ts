import { eq, sql } from 'drizzle-orm'
import { inJsonIds } from '../../repositories/related.js'
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
  headlines (orm) {
    const query = orm.select({ id: quotes.id, text: quotes.text, kind: quotes.kind, speakerId: quotes.speakerId, speaker: actors.name })
      .from(quotes).leftJoin(actors, eq(actors.id, quotes.speakerId)).where(inJsonIds(quotes.id)).prepare()
    return (ids) => new Map(query.all({ ids: JSON.stringify(ids) }).map((r) => {
      const speaker = r.speaker ?? r.speakerId
      // Quotation marks promise the speaker's own words; only direct quotes get them.
      return [r.id, r.kind === 'direct' ? `${speaker}: “${oneLine(r.text, 60)}”` : `${speaker} (reported): ${oneLine(r.text, 60)}`]
    }))
  }
}
