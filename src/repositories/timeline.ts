import { sql, type SQL } from 'drizzle-orm'
import { booleanOf, first, numberOf, rows, statement, type Dialect, type Read } from '../db/query.js'
import { kindOf } from '../kinds/index.js'
import type { CursorCodec } from '../query/cursor.js'
import { dateOnOrAfter, dateOnOrBefore, dateSortKey, precisionOf } from '../query/dates.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import type { CitationDto } from '../schemas/common.js'
import { timelineKinds, type TimelineEntryDto, type TimelineKind, type TimelineQueryType } from '../schemas/timeline.js'
import { createCitationLoader } from './related.js'

/** One row of the merged timeline, before its headline and citations are loaded. */
interface EntryRow {
  kind: TimelineKind
  id: string
  date: string
  earliest: string | null
  latest: string | null
  /** Where the date is placed: its earliest day, or its bound when only the latest is known. */
  place: string
  /** SQLite's 0 or 1, PostgreSQL's boolean. */
  approximate: unknown
  date_field: TimelineEntryDto['date_field']
}

const column = (name: string) => sql`${sql.identifier(name)}`
const entryBounds = { earliest: column('earliest'), latest: column('latest') }
const placeSql = dateSortKey(entryBounds)

/** Date, then kind, then id: (kind, id) is unique across the kinds' tables, so the order is total. */
const pageSpec: PageSpec<EntryRow> = {
  resource: 'timeline',
  defaultSort: 'date,kind,id',
  sortFields: {
    id: { expr: column('id'), value: (r) => r.id },
    kind: { expr: column('kind'), value: (r) => r.kind },
    date: { expr: column('place'), value: (r) => r.place }
  }
}

/** The timeline of every kind that has dated records (see `timeline` in a kind's definition). */
export function createTimelineRepository (dialect: Dialect, codec: CursorCodec) {
  const citationsOf = createCitationLoader(dialect)
  const sourcesOf = new Map(timelineKinds.map((type) => [type, kindOf(type).timeline!]))
  const headlinesOf = new Map(timelineKinds.map((type) => [type, sourcesOf.get(type)!.headlines(dialect)]))

  /** One SELECT per kind, each giving (kind, id, date, its bounds and place, approximate, date_field); undated records have no place. */
  const branchOf = (type: TimelineKind, actor: string | undefined): SQL =>
    sql`SELECT ${sql.raw(`'${type}'`)} AS kind, id, date, earliest, latest, ${placeSql} AS place, approximate, date_field FROM (${sourcesOf.get(type)!.entries(actor)}) AS ${sql.identifier(type)}`

  function * toDtos (entries: EntryRow[]): Read<TimelineEntryDto[]> {
    const headlines = new Map<TimelineKind, Map<string, string>>()
    const citations = new Map<TimelineKind, Map<string, CitationDto[]>>()
    for (const kind of new Set(entries.map((r) => r.kind))) {
      const ids = entries.filter((r) => r.kind === kind).map((r) => r.id)
      headlines.set(kind, yield * headlinesOf.get(kind)!(ids))
      citations.set(kind, yield * citationsOf(kind, ids))
    }
    return entries.map((r) => ({
      kind: r.kind,
      id: r.id,
      date: r.date,
      date_precision: precisionOf(r.date),
      date_approximate: booleanOf(r.approximate),
      date_earliest: r.earliest,
      date_latest: r.latest,
      date_field: r.date_field,
      headline: headlines.get(r.kind)?.get(r.id) ?? r.id,
      url: `/v1/${kindOf(r.kind).path}/${encodeURIComponent(r.id)}`,
      citations: citations.get(r.kind)?.get(r.id) ?? []
    }))
  }

  /** One keyset page of the merged timeline: one UNION ALL query, then one query per kind for headlines and one for citations. */
  function * list (q: TimelineQueryType, types: readonly TimelineKind[]): Read<{ data: TimelineEntryDto[], nextCursor: string | null, count?: number }> {
    const { limit = 50, cursor, sort = 'date', count, ...filters } = q
    const where: SQL[] = []
    if (q.from !== undefined) where.push(dateOnOrAfter(entryBounds, q.from))
    if (q.to !== undefined) where.push(dateOnOrBefore(entryBounds, q.to))
    const union = sql.join(types.map((kind) => branchOf(kind, q.actor)), sql` UNION ALL `)
    const page = yield * fetchPage(pageSpec, codec, { limit, cursor, sort: sort === '-date' ? '-date,-kind,-id' : 'date,kind,id' }, filters, where,
      (conditions, orderBy, n) => {
        const filter = conditions.length === 0 ? sql`` : sql` WHERE ${sql.join(conditions, sql` AND `)}`
        return rows(statement<EntryRow>(sql`SELECT kind, id, date, earliest, latest, place, approximate, date_field FROM (${union}) AS entries${filter} ORDER BY ${sql.join(orderBy, sql`, `)} LIMIT ${n}`))
      })
    const data = yield * toDtos(page.rows)
    if (count !== true) return { data, nextCursor: page.nextCursor }
    const filter = where.length === 0 ? sql`` : sql` WHERE ${sql.join(where, sql` AND `)}`
    const counted = yield * first(statement<{ n: unknown }>(sql`SELECT count(*) AS n FROM (${union}) AS entries${filter}`))
    return { data, nextCursor: page.nextCursor, count: numberOf(counted?.n) }
  }

  return { list }
}

export type TimelineRepository = ReturnType<typeof createTimelineRepository>
