import { eq, sql, type SQL } from 'drizzle-orm'
import type { Orm } from '../db/client.js'
import { actors, cooperationMeasures, quotes, tariffDeadlines, transferParticipants, transfers } from '../db/schema/index.js'
import { kinds } from '../kinds.js'
import type { CursorCodec } from '../query/cursor.js'
import { dateOnOrAfter, dateOnOrBefore, precisionOf } from '../query/dates.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import type { CitationDto } from '../schemas/common.js'
import { timelineDateFields, type TimelineEntryDto, type TimelineKind, type TimelineQueryType } from '../schemas/timeline.js'
import { createCitationLoader, inJsonIds } from './related.js'

/** One row of the merged timeline, before its headline and citations are loaded. */
interface EntryRow {
  kind: TimelineKind
  id: string
  date: string
  approximate: number
  date_field: typeof timelineDateFields[number]
}

const column = (name: string) => sql`${sql.identifier(name)}`

/** Date, then kind, then id: (kind, id) is unique across the four tables, so the order is total. */
const pageSpec: PageSpec<EntryRow> = {
  resource: 'timeline',
  defaultSort: 'date,kind,id',
  sortFields: {
    id: { expr: column('id'), value: (r) => r.id },
    kind: { expr: column('kind'), value: (r) => r.kind },
    date: { expr: column('date'), value: (r) => r.date }
  }
}

/**
 * One SELECT per kind, each giving (kind, id, date, approximate, date_field) for its dated records
 * that `actor` (when given) takes part in. Undated records have no place on a timeline.
 */
function branchOf (kind: TimelineKind, actor: string | undefined): SQL {
  switch (kind) {
    case 'transfer': {
      const t = transfers
      const p = transferParticipants
      const who = actor === undefined ? sql`` : sql` AND EXISTS (SELECT 1 FROM ${p} WHERE ${p.transferId} = ${t.id} AND ${p.actorId} = ${actor})`
      return sql`SELECT 'transfer' AS kind, ${t.id} AS id, ${t.date} AS date, ${t.dateApproximate} AS approximate, 'date' AS date_field FROM ${t} WHERE ${t.date} IS NOT NULL${who}`
    }
    case 'quote': {
      const q = quotes
      const who = actor === undefined ? sql`` : sql` AND ${q.speakerId} = ${actor}`
      return sql`SELECT 'quote' AS kind, ${q.id} AS id, ${q.date} AS date, ${q.dateApproximate} AS approximate, 'date' AS date_field FROM ${q} WHERE ${q.date} IS NOT NULL${who}`
    }
    case 'tariff_deadline': {
      const d = tariffDeadlines
      const who = actor === undefined ? sql`` : sql` AND (${d.imposingPartyId} = ${actor} OR ${d.targetedPartyId} = ${actor})`
      return sql`SELECT 'tariff_deadline' AS kind, ${d.id} AS id, ${d.deadline} AS date, ${d.deadlineApproximate} AS approximate, 'deadline' AS date_field FROM ${d} WHERE ${d.deadline} IS NOT NULL${who}`
    }
    case 'cooperation_measure': {
      const m = cooperationMeasures
      const who = actor === undefined
        ? sql``
        : sql` AND (${m.requestingPartyId} = ${actor} OR ${m.providingPartyId} = ${actor} OR ${m.receivingPartyId} = ${actor})`
      // Without a start date, a measure sits at the date the source reports it in force (exactly).
      return sql`SELECT 'cooperation_measure' AS kind, ${m.id} AS id, coalesce(${m.startDate}, ${m.asOf}) AS date,
        CASE WHEN ${m.startDate} IS NULL THEN 0 ELSE ${m.startDateApproximate} END AS approximate,
        CASE WHEN ${m.startDate} IS NULL THEN 'as_of' ELSE 'start_date' END AS date_field
        FROM ${m} WHERE coalesce(${m.startDate}, ${m.asOf}) IS NOT NULL${who}`
    }
  }
}

/** Collapses whitespace and shortens to `max` code points at a word boundary, ending in `…`. */
function oneLine (text: string, max: number): string {
  const flat = text.replace(/\s+/gu, ' ').trim()
  const chars = [...flat]
  if (chars.length <= max) return flat
  const cut = chars.slice(0, max - 1).join('')
  const space = cut.lastIndexOf(' ')
  const word = space > cut.length / 2 ? cut.slice(0, space) : cut
  const clipped = word.replace(/[\s,;:.!?—–-]+$/u, '') + '…'
  // Close a quotation the cut left open: `Joaquín “El…”`.
  return (clipped.split('“').length > clipped.split('”').length) ? `${clipped}”` : clipped
}

const namedMechanisms = new Set(['extradition', 'expulsion', 'deportation'])

export function createTimelineRepository (orm: Orm, codec: CursorCodec) {
  const citationsOf = createCitationLoader(orm)
  const t = transfers
  const transfersOf = orm.select({
    id: t.id, count: t.peopleCount, approximate: t.peopleCountApproximate, from: t.fromCountry, to: t.toCountry, mechanism: t.mechanism
  }).from(t).where(inJsonIds(t.id)).prepare()
  const quotesOf = orm.select({ id: quotes.id, text: quotes.text, kind: quotes.kind, speakerId: quotes.speakerId, speaker: actors.name })
    .from(quotes).leftJoin(actors, eq(actors.id, quotes.speakerId)).where(inJsonIds(quotes.id)).prepare()
  const deadlinesOf = orm.select({ id: tariffDeadlines.id, measure: tariffDeadlines.measure, rate: tariffDeadlines.ratePercent })
    .from(tariffDeadlines).where(inJsonIds(tariffDeadlines.id)).prepare()
  const measuresOf = orm.select({ id: cooperationMeasures.id, title: cooperationMeasures.title })
    .from(cooperationMeasures).where(inJsonIds(cooperationMeasures.id)).prepare()

  /** Headlines of a page's records of one kind, in one query. */
  function headlinesOf (kind: TimelineKind, ids: string[]): Map<string, string> {
    const json = { ids: JSON.stringify(ids) }
    switch (kind) {
      case 'transfer':
        return new Map(transfersOf.all(json).map((r) => {
          const who = r.count === null ? 'People' : `${r.approximate ? 'About ' : ''}${r.count} ${r.count === 1 ? 'person' : 'people'}`
          const how = namedMechanisms.has(r.mechanism) ? ` (${r.mechanism})` : ''
          return [r.id, `${who} handed over from ${r.from} to ${r.to}${how}`]
        }))
      case 'quote':
        return new Map(quotesOf.all(json).map((r) => {
          const speaker = r.speaker ?? r.speakerId
          // Quotation marks promise the speaker's own words; only direct quotes get them.
          return [r.id, r.kind === 'direct' ? `${speaker}: “${oneLine(r.text, 60)}”` : `${speaker} (reported): ${oneLine(r.text, 60)}`]
        }))
      case 'tariff_deadline':
        return new Map(deadlinesOf.all(json).map((r) =>
          [r.id, `Deadline: ${oneLine(r.measure, 80)}${r.rate === null ? '' : ` (${r.rate}%)`}`]))
      case 'cooperation_measure':
        return new Map(measuresOf.all(json).map((r) => [r.id, oneLine(r.title, 100)]))
    }
  }

  function toDtos (rows: EntryRow[]): TimelineEntryDto[] {
    const headlines = new Map<TimelineKind, Map<string, string>>()
    const citations = new Map<TimelineKind, Map<string, CitationDto[]>>()
    for (const kind of new Set(rows.map((r) => r.kind))) {
      const ids = rows.filter((r) => r.kind === kind).map((r) => r.id)
      headlines.set(kind, headlinesOf(kind, ids))
      citations.set(kind, citationsOf(kind, ids))
    }
    return rows.map((r) => ({
      kind: r.kind,
      id: r.id,
      date: r.date,
      date_precision: precisionOf(r.date)!,
      date_approximate: r.approximate === 1,
      date_field: r.date_field,
      headline: headlines.get(r.kind)?.get(r.id) ?? r.id,
      url: `/v1/${kinds[r.kind].path}/${encodeURIComponent(r.id)}`,
      citations: citations.get(r.kind)?.get(r.id) ?? []
    }))
  }

  return {
    /** One keyset page of the merged timeline: one UNION ALL query, then one query per kind for headlines and one for citations. */
    list (q: TimelineQueryType, types: readonly TimelineKind[]): { data: TimelineEntryDto[], nextCursor: string | null } {
      const { limit = 50, cursor, sort = 'date', ...filters } = q
      const where: SQL[] = []
      if (q.from !== undefined) where.push(dateOnOrAfter(column('date'), q.from))
      if (q.to !== undefined) where.push(dateOnOrBefore(column('date'), q.to))
      const union = sql.join(types.map((kind) => branchOf(kind, q.actor)), sql` UNION ALL `)
      const page = fetchPage(pageSpec, codec, { limit, cursor, sort: sort === '-date' ? '-date,-kind,-id' : 'date,kind,id' }, filters, where,
        (conditions, orderBy, n) => {
          const filter = conditions.length === 0 ? sql`` : sql` WHERE ${sql.join(conditions, sql` AND `)}`
          return orm.all<EntryRow>(sql`SELECT kind, id, date, approximate, date_field FROM (${union}) AS entries${filter} ORDER BY ${sql.join(orderBy, sql`, `)} LIMIT ${n}`)
        })
      return { data: toDtos(page.rows), nextCursor: page.nextCursor }
    }
  }
}

export type TimelineRepository = ReturnType<typeof createTimelineRepository>
