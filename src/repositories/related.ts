import { asc, sql, type SQL } from 'drizzle-orm'
import type { Orm } from '../db/client.js'
import { alternatives, citations } from '../db/schema/citations.js'
import type { KindType } from '../kinds/index.js'
import { actors } from '../kinds/actors/table.js'
import type { ActorSummaryDto, AlternativeDto, CitationDto } from '../schemas/common.js'

/** `column IN (ids)` as one bound JSON parameter, so the statement can be prepared once. */
export const inJsonIds = (column: Parameters<typeof sql>[1]) =>
  sql`${column} IN (SELECT value FROM json_each(${sql.placeholder('ids')}))`

type Column = Parameters<typeof sql>[1]

/**
 * One query prepared twice, over the rows of one id (`column = ?`) and of many (`inJsonIds`):
 * reading one record (a GET by id) spares SQLite the json_each table, a few µs per related table.
 * `build` makes the prepared statement from the condition it is given.
 */
export function idsQuery<T> (build: (match: (column: Column) => SQL) => { all (params: Record<string, unknown>): T[] }) {
  const one = build((column) => sql`${column} = ${sql.placeholder('id')}`)
  const many = build(inJsonIds)
  return (ids: readonly string[], params: Record<string, unknown> = {}): T[] =>
    ids.length === 1 ? one.all({ ...params, id: ids[0] }) : many.all({ ...params, ids: JSON.stringify(ids) })
}

export function groupBy<T, K> (items: T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group === undefined) groups.set(k, [item])
    else group.push(item)
  }
  return groups
}

/** Loads the evidence of many records in one query. Shared by every resource. */
export function createCitationLoader (orm: Orm) {
  const byRecords = idsQuery((match) => orm.select().from(citations)
    .where(sql`${citations.recordType} = ${sql.placeholder('type')} AND ${match(citations.recordId)} AND ${citations.alternative} IS NULL`)
    .orderBy(asc(citations.recordId), asc(citations.id))
    .prepare())
  return (type: KindType, ids: string[]): Map<string, CitationDto[]> => {
    if (ids.length === 0) return new Map()
    const groups = new Map<string, CitationDto[]>()
    for (const c of byRecords(ids, { type })) {
      const dto = citationDto(c)
      const group = groups.get(c.recordId)
      if (group === undefined) groups.set(c.recordId, [dto])
      else group.push(dto)
    }
    return groups
  }
}

/** What every cited record carries about its own evidence, besides its citations. */
export interface RecordEvidence {
  external_fields: string[]
  alternatives: AlternativeDto[]
  disputed_fields: string[]
}

/** A citation row as the API shows it. */
export const citationDto = (c: typeof citations.$inferSelect): CitationDto => ({
  id: c.id,
  source_id: c.sourceId,
  excerpt: c.excerpt,
  start_offset: c.startOffset,
  end_offset: c.endOffset,
  fields: c.fields,
  support: c.support,
  note: c.note
})

/**
 * The evidence of a page of records in two queries: its own citations, the fields that rest only on `external`
 * citations (flagged in every representation, `external_fields`), the alternative values other
 * sources report with their own citations, and the fields those dispute (`normal` alternatives).
 */
export function createEvidenceLoader (orm: Orm) {
  const citationsOf = idsQuery((match) => orm.select().from(citations)
    .where(sql`${citations.recordType} = ${sql.placeholder('type')} AND ${match(citations.recordId)}`)
    .orderBy(asc(citations.id)).prepare())
  const alternativesOf = idsQuery((match) => orm.select().from(alternatives)
    .where(sql`${alternatives.recordType} = ${sql.placeholder('type')} AND ${match(alternatives.recordId)}`)
    .orderBy(asc(alternatives.recordId), asc(alternatives.position)).prepare())
  return (type: KindType, ids: string[]): { of: (id: string) => RecordEvidence, citations: (id: string) => CitationDto[] } => {
    const external = new Map<string, Set<string>>()
    const supported = new Map<string, Set<string>>()
    const ofAlternative = new Map<string, CitationDto[]>()
    const own = new Map<string, CitationDto[]>()
    for (const c of citationsOf(ids, { type })) {
      if (c.alternative !== null) {
        const key = `${c.recordId}\u0000${c.alternative}`
        ofAlternative.set(key, [...(ofAlternative.get(key) ?? []), citationDto(c)])
        continue
      }
      own.set(c.recordId, [...(own.get(c.recordId) ?? []), citationDto(c)])
      const into = c.support === 'external' ? external : supported
      let set = into.get(c.recordId)
      if (set === undefined) into.set(c.recordId, (set = new Set()))
      for (const field of c.fields) set.add(field)
    }
    const alternativesByRecord = groupBy(alternativesOf(ids, { type }), (a) => a.recordId)
    const of = (id: string): RecordEvidence => {
      const alternativesOfRecord = alternativesByRecord.get(id) ?? []
      return {
        external_fields: [...(external.get(id) ?? [])].filter((f) => !(supported.get(id)?.has(f) ?? false)).sort(),
        alternatives: alternativesOfRecord.map((a) => ({ field: a.field, value: a.value, rank: a.rank, note: a.note, citations: ofAlternative.get(`${id}\u0000${a.position}`) ?? [] })),
        disputed_fields: [...new Set(alternativesOfRecord.filter((a) => a.rank === 'normal').map((a) => a.field))].sort()
      }
    }
    /** The record's own citations (what `include=citations` embeds), from the same read. */
    return { of, citations: (id) => own.get(id) ?? [] }
  }
}

/** Short forms of actors for `include=actors|speaker|parties`. */
export function createActorSummaryLoader (orm: Orm) {
  const byIds = orm.select({ id: actors.id, kind: actors.kind, name: actors.name, country: actors.country })
    .from(actors).where(inJsonIds(actors.id)).prepare()
  return (ids: Iterable<string | null>): Map<string, ActorSummaryDto> => {
    const unique = [...new Set([...ids].filter((id): id is string => id !== null))]
    if (unique.length === 0) return new Map()
    return new Map(byIds.all({ ids: JSON.stringify(unique) }).map((a) => [a.id, a]))
  }
}

/**
 * `include=parties` of records that name their actors in fields of their own (a measure's
 * requesting, providing and receiving party; a deadline's imposing and targeted party): one query
 * for a page's rows, then each row's parties once each, in field order.
 */
export function createPartiesLoader<Row> (orm: Orm, partyIdsOf: (row: Row) => Array<string | null>) {
  const actorsOf = createActorSummaryLoader(orm)
  return (rows: Row[]) => {
    const actors = actorsOf(rows.flatMap(partyIdsOf))
    return (row: Row): ActorSummaryDto[] => [...new Set(partyIdsOf(row))].flatMap((id) => (id === null ? [] : actors.get(id) ?? []))
  }
}
