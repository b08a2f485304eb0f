import { asc, sql, type SQL } from 'drizzle-orm'
import { rows, selectFrom, statement, type Dialect, type Read, type Statement } from '../db/query.js'
import { alternatives, citations } from '../db/schema/citations.js'
import type { KindType } from '../kinds/index.js'
import { actors } from '../kinds/actors/table.js'
import type { ActorSummaryDto, AlternativeDto, CitationDto } from '../schemas/common.js'

type Column = Parameters<typeof sql>[1]

/**
 * One statement built twice, over the rows of one id (`column = ?`) and of many (the dialect's
 * list of ids, one bound parameter): reading one record (a GET by id) spares the database the
 * list, a few µs per related table. `build` makes the statement from the condition it is given.
 */
export function idsQuery<T> (dialect: Dialect, build: (match: (column: Column) => SQL) => Statement<T>) {
  const one = build((column) => sql`${column} = ${sql.placeholder('id')}`)
  const many = build((column) => dialect.inPlaceholder(column))
  return (ids: readonly string[], params: Record<string, unknown> = {}): Read<T[]> =>
    ids.length === 1 ? rows(one, { ...params, id: ids[0] }) : rows(many, { ...params, ids: dialect.list(ids) })
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
export function createCitationLoader (dialect: Dialect) {
  const byRecords = idsQuery(dialect, (match) => selectFrom(citations,
    sql`WHERE ${citations.recordType} = ${sql.placeholder('type')} AND ${match(citations.recordId)} AND ${citations.alternative} IS NULL ORDER BY ${asc(citations.recordId)}, ${asc(citations.id)}`))
  return function * (type: KindType, ids: string[]): Read<Map<string, CitationDto[]>> {
    if (ids.length === 0) return new Map()
    const groups = new Map<string, CitationDto[]>()
    for (const c of yield * byRecords(ids, { type })) {
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
export function createEvidenceLoader (dialect: Dialect) {
  const citationsOf = idsQuery(dialect, (match) => selectFrom(citations,
    sql`WHERE ${citations.recordType} = ${sql.placeholder('type')} AND ${match(citations.recordId)} ORDER BY ${asc(citations.id)}`))
  const alternativesOf = idsQuery(dialect, (match) => selectFrom(alternatives,
    sql`WHERE ${alternatives.recordType} = ${sql.placeholder('type')} AND ${match(alternatives.recordId)} ORDER BY ${asc(alternatives.recordId)}, ${asc(alternatives.position)}`))
  return function * (type: KindType, ids: string[]): Read<{ of: (id: string) => RecordEvidence, citations: (id: string) => CitationDto[] }> {
    const external = new Map<string, Set<string>>()
    const supported = new Map<string, Set<string>>()
    const ofAlternative = new Map<string, CitationDto[]>()
    const own = new Map<string, CitationDto[]>()
    for (const c of yield * citationsOf(ids, { type })) {
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
    const alternativesByRecord = groupBy(yield * alternativesOf(ids, { type }), (a) => a.recordId)
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
export function createActorSummaryLoader (dialect: Dialect) {
  const byIds = statement<ActorSummaryDto>(sql`SELECT ${actors.id} AS id, ${actors.kind} AS kind, ${actors.name} AS name, ${actors.country} AS country
    FROM ${actors} WHERE ${dialect.inPlaceholder(actors.id)}`)
  return function * (ids: Iterable<string | null>): Read<Map<string, ActorSummaryDto>> {
    const unique = [...new Set([...ids].filter((id): id is string => id !== null))]
    if (unique.length === 0) return new Map()
    return new Map((yield * rows(byIds, { ids: dialect.list(unique) })).map((a) => [a.id, a]))
  }
}

/**
 * `include=parties` of records that name their actors in fields of their own (a measure's
 * requesting, providing and receiving party; a deadline's imposing and targeted party): one query
 * for a page's rows, then each row's parties once each, in field order.
 */
export function createPartiesLoader<Row> (dialect: Dialect, partyIdsOf: (row: Row) => Array<string | null>) {
  const actorsOf = createActorSummaryLoader(dialect)
  return function * (rows: Row[]): Read<(row: Row) => ActorSummaryDto[]> {
    const actors = yield * actorsOf(rows.flatMap(partyIdsOf))
    return (row: Row): ActorSummaryDto[] => [...new Set(partyIdsOf(row))].flatMap((id) => (id === null ? [] : actors.get(id) ?? []))
  }
}
