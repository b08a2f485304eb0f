import { and, eq, getTableName, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import { first, numberOf, rows, selectFrom, statement, type Dialect, type Read, type SqliteReader, type Statement } from '../db/query.js'
import { alternatives } from '../db/schema/citations.js'
import type { CursorCodec } from '../query/cursor.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import { sources } from '../kinds/sources/table.js'
import { exactCountLimit, type CitationDto } from '../schemas/common.js'

/** The sample `count=estimated` counts beyond `exactCountLimit`: this many stretches of rowids, this wide. */
const sampleStretches = 20
const sampleWidth = 500

/** The query parameters every list takes besides its filters. */
export interface ListQuery {
  limit?: number
  cursor?: string
  sort?: string
  include?: string
  fields?: string
  count?: 'true' | 'false' | 'exact' | 'estimated'
}

/** A page of a list, with its count when asked for. */
export interface ListPage<Dto> { data: Dto[], nextCursor: string | null, count?: number, countEstimated?: boolean }

/**
 * A kind's reads, written once for both backends (src/db/query.ts): run them with a reader.
 * `Filters`: the kind's own query parameters (filters and representation parameters such as `at`).
 */
export interface ReadPrograms<Dto, Filters extends object = object> {
  /** `query` carries parameters that shape the representation (`at`, `valid_at`). */
  get (id: string, include: ReadonlySet<string>, query?: Filters): Read<Dto | undefined>
  /** Many records by id, in one query per table, in the order of their ids (unknown ids are left out). */
  getMany (ids: string[], include: ReadonlySet<string>): Read<Dto[]>
  list (q: ListQuery & Filters, include: ReadonlySet<string>): Read<ListPage<Dto>>
}

/** A kind's reads over SQLite, run in the calling thread, each in one read transaction. */
export interface ReadRepository<Dto, Filters extends object = object> {
  get (id: string, include: ReadonlySet<string>, query?: Filters): Dto | undefined
  getMany (ids: string[], include: ReadonlySet<string>): Dto[]
  list (q: ListQuery & Filters, include: ReadonlySet<string>): ListPage<Dto>
}

/** The reads of `programs`, run by `reader` (SQLite's, synchronous). */
export function runReads<Dto, Filters extends object> (programs: ReadPrograms<Dto, Filters>, reader: SqliteReader): ReadRepository<Dto, Filters> {
  return {
    get: (id, include, query) => reader.run(programs.get(id, include, query)),
    getMany: (ids, include) => reader.run(programs.getMany(ids, include)),
    list: (q, include) => reader.run(programs.list(q, include))
  }
}

/**
 * How many rows of `table` meet `condition`, estimated at a cost bounded whatever the table's
 * size; `exact` when the estimate is in fact a count. SQLite: the matches among twenty stretches
 * of rowids spread over the table (500 rowids each, read by the rowid's b-tree), scaled from the
 * rowids sampled to all of the table's; a table no larger than the sample is read whole.
 * Clustered data (rowids follow insertion, and so often dates) skews it, which is why it is only
 * ever sent marked as an estimate. PostgreSQL: a table no larger than that sample is counted, a
 * larger one estimated by the planner from its statistics (as PostgREST's `count=estimated`).
 */
function * estimate (dialect: Dialect, table: SQLiteTable, condition: SQL): Read<{ count: number, exact: boolean }> {
  const sampleSize = sampleStretches * sampleWidth
  if (dialect.name === 'postgres') {
    const size = yield * first(statement<{ n: unknown }>(sql`SELECT reltuples AS n FROM pg_class WHERE oid = ${getTableName(table)}::regclass`))
    if (numberOf(size?.n ?? -1) <= sampleSize) {
      const counted = yield * first(statement<{ n: unknown }>(sql`SELECT count(*) AS n FROM ${table} WHERE ${condition}`))
      return { count: numberOf(counted?.n ?? 0), exact: true }
    }
    const plan = yield * first(statement<{ 'QUERY PLAN': Array<{ Plan: { 'Plan Rows': number } }> }>(sql`EXPLAIN (FORMAT JSON) SELECT 1 FROM ${table} WHERE ${condition}`))
    return { count: Math.round(plan?.['QUERY PLAN'][0]?.Plan['Plan Rows'] ?? 0), exact: false }
  }
  // Apart: SQLite reads min() or max() alone from the b-tree's ends, but both together by a scan.
  const ends = yield * first(statement<{ lo: number | null, hi: number | null }>(sql`SELECT (SELECT min(rowid) FROM ${table}) AS lo, (SELECT max(rowid) FROM ${table}) AS hi`))
  const { lo, hi } = ends ?? { lo: null, hi: null }
  if (lo === null || hi === null) return { count: 0, exact: true }
  const span = hi - lo + 1
  const width = Math.min(sampleWidth, Math.ceil(span / sampleStretches))
  const starts = Array.from({ length: sampleStretches }, (_, i) => lo + Math.floor(i * (span - width) / Math.max(1, sampleStretches - 1)))
  const stretches = sql.join([...new Set(starts)].map((a) => sql`(rowid BETWEEN ${a} AND ${a + width - 1})`), sql` OR `)
  // The condition in the select list, not the WHERE: the rowid ranges must choose the plan, not an index of the filters.
  const sampled = yield * first(statement<{ hits: number | null }>(sql`SELECT sum(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS hits FROM ${table} WHERE ${stretches}`))
  // Matches a rowid in the sample, times the rowids of the table (gaps left by deletes count alike
  // in both); a table no larger than the sample is read whole, and its count is exact.
  const read = Math.min(new Set(starts).size * width, span)
  return { count: Math.round((sampled?.hits ?? 0) * span / read), exact: read >= span }
}

/**
 * The get-by-id and keyset-list behaviour every resource shares. A resource supplies its table,
 * sort fields, how its filters become SQL, and how a page of rows becomes DTOs (one query per
 * related table for the whole page, never one per row). Each read's queries run in one read
 * transaction (see the readers), so they see one snapshot even while another process writes.
 */
export function createReadRepository<Row, Dto, Filters extends object> (dialect: Dialect, codec: CursorCodec, spec: {
  table: SQLiteTable
  id: SQLiteColumn
  page: PageSpec<Row>
  filters: (q: Filters) => SQL[]
  /** For a cited kind, its record type: the list takes `disputed`. */
  cited?: string
  toDtos: (rows: Row[], include: ReadonlySet<string>, query: Filters) => Read<Dto[]>
}): ReadPrograms<Dto, Filters> {
  const disputedFilter = (q: { disputed?: boolean }): SQL[] => {
    if (q.disputed === undefined || spec.cited === undefined) return []
    const a = alternatives
    const exists = sql`EXISTS (SELECT 1 FROM ${a} WHERE ${a.recordType} = ${spec.cited} AND ${a.recordId} = ${spec.id} AND ${a.rank} = 'normal')`
    return [q.disputed ? exists : sql`NOT ${exists}`]
  }

  /**
   * `include=citations.source`: the record's citations (those of its alternatives too), each with
   * its source in short, the sources of a page read in one query.
   */
  const sourcesByIds = statement<NonNullable<CitationDto['source']> & { id: string }>(sql`SELECT ${sources.id} AS id, ${sources.title} AS title, ${sources.publisher} AS publisher,
    ${sources.url} AS url, ${sources.language} AS language, ${sources.publishedOn} AS published_on FROM ${sources} WHERE ${dialect.inPlaceholder(sources.id)}`)
  const nested = (include: ReadonlySet<string>) => (include.has('citations.source') ? new Set([...include, 'citations']) : include)
  function * toDtos (found: Row[], include: ReadonlySet<string>, query: Filters): Read<Dto[]> {
    const dtos = yield * spec.toDtos(found, nested(include), query)
    if (!include.has('citations.source')) return dtos
    type Cited = { citations?: CitationDto[], alternatives?: Array<{ citations: CitationDto[] }> }
    const cited = (dtos as Cited[]).flatMap((d) => [...(d.citations ?? []), ...(d.alternatives ?? []).flatMap((a) => a.citations)])
    const ids = [...new Set(cited.map((c) => c.source_id))]
    const byId = new Map(ids.length === 0 ? [] : (yield * rows(sourcesByIds, { ids: dialect.list(ids) })).map(({ id, ...s }) => [id, { id, ...s }]))
    for (const c of cited) c.source = byId.get(c.source_id)
    return dtos
  }

  const byId = selectFrom(spec.table, sql`WHERE ${eq(spec.id, sql.placeholder('id'))}`) as Statement<Row>
  const byIds = selectFrom(spec.table, sql`WHERE ${dialect.inPlaceholder(spec.id)} ORDER BY ${spec.id}`) as Statement<Row>
  return {
    * getMany (ids, include) {
      return ids.length === 0 ? [] : yield * toDtos(yield * rows(byIds, { ids: dialect.list(ids) }), include, {} as Filters)
    },
    * get (id, include, query = {} as Filters) {
      const row = yield * first(byId, { id })
      return row === undefined ? undefined : (yield * toDtos([row], include, query))[0]
    },
    * list (q, include) {
      const { limit = 50, cursor, sort, include: _include, fields: _fields, count, ...filters } = q
      const where = [...spec.filters(q), ...disputedFilter(q as { disputed?: boolean })]
      const page = yield * fetchPage(spec.page, codec, { limit, cursor, sort }, filters, where,
        (conditions, orderBy, n) => rows(selectFrom(spec.table, sql`WHERE ${and(...conditions) ?? sql`1 = 1`} ORDER BY ${sql.join(orderBy, sql`, `)} LIMIT ${n}`) as Statement<Row>))
      const data = yield * toDtos(page.rows, include, q)
      if (count === undefined || count === 'false') return { data, nextCursor: page.nextCursor }
      // In the same read transaction as the page: the count and the rows agree.
      const condition = and(...where) ?? sql`1 = 1`
      const countOf = function * (query: SQL) { return numberOf((yield * first(statement<{ n: unknown }>(query)))?.n ?? 0) }
      if (count !== 'estimated') return { data, nextCursor: page.nextCursor, count: yield * countOf(sql`SELECT count(*) AS n FROM ${spec.table} WHERE ${condition}`) }
      // The sample first: when it finds many matches, counting even the first thousand would cost more.
      const { count: estimated, exact: whole } = yield * estimate(dialect, spec.table, condition)
      if (whole || estimated > 2 * exactCountLimit) return { data, nextCursor: page.nextCursor, count: estimated, countEstimated: !whole }
      const exact = yield * countOf(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${spec.table} WHERE ${condition} LIMIT ${exactCountLimit + 1}) AS matches`)
      if (exact <= exactCountLimit) return { data, nextCursor: page.nextCursor, count: exact, countEstimated: false }
      return { data, nextCursor: page.nextCursor, count: Math.max(exactCountLimit + 1, estimated), countEstimated: true }
    }
  }
}
