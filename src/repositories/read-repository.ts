import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Orm } from '../db/client.js'
import { alternatives } from '../db/schema/citations.js'
import type { CursorCodec } from '../query/cursor.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import { inJsonIds } from './related.js'
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

/** `Filters`: the kind's own query parameters (filters and representation parameters such as `at`). */
export interface ReadRepository<Dto, Filters extends object = object> {
  /** `query` carries parameters that shape the representation (`at`, `valid_at`). */
  get (id: string, include: ReadonlySet<string>, query?: Filters): Dto | undefined
  /** Many records by id, in one query per table (unknown ids are left out). */
  getMany (ids: string[], include: ReadonlySet<string>): Dto[]
  list (q: ListQuery & Filters, include: ReadonlySet<string>): { data: Dto[], nextCursor: string | null, count?: number, countEstimated?: boolean }
}

/**
 * The get-by-id and keyset-list behaviour every resource shares. A resource supplies its table,
 * sort fields, how its filters become SQL, and how a page of rows becomes DTOs (one query per
 * related table for the whole page, never one per row).
 */
export function createReadRepository<Row, Dto, Filters extends object> (orm: Orm, codec: CursorCodec, spec: {
  table: SQLiteTable
  id: SQLiteColumn
  page: PageSpec<Row>
  filters: (q: Filters) => SQL[]
  /** For a cited kind, its record type: the list takes `disputed`. */
  cited?: string
  toDtos: (rows: Row[], include: ReadonlySet<string>, query: Filters) => Dto[]
}): ReadRepository<Dto, Filters> {
  /**
   * A read runs its queries (the rows, then one per related table) in one read transaction: they
   * see one snapshot even while another process writes, and SQLite takes its WAL read lock once
   * rather than per query. Inside a write's transaction it is a savepoint, as better-sqlite3 nests.
   */
  const snapshot = <A extends unknown[], R> (read: (...args: A) => R): (...args: A) => R => {
    const inTransaction = orm.$client.transaction(read)
    return (...args) => orm.$client.inTransaction ? read(...args) : inTransaction(...args)
  }
  const disputedFilter = (q: { disputed?: boolean }): SQL[] => {
    if (q.disputed === undefined || spec.cited === undefined) return []
    const a = alternatives
    const exists = sql`EXISTS (SELECT 1 FROM ${a} WHERE ${a.recordType} = ${spec.cited} AND ${a.recordId} = ${spec.id} AND ${a.rank} = 'normal')`
    return [q.disputed ? exists : sql`NOT ${exists}`]
  }
  /**
   * How many records meet `condition`, estimated from a sample: the matches among twenty
   * stretches of rowids spread over the table (500 rowids each, read by the rowid's b-tree),
   * scaled from the rowids sampled to all of the table's. Its cost is
   * bounded whatever the table's size; clustered data (rowids follow insertion, and so often
   * dates) skews it, which is why it is only ever sent marked as an estimate.
   */
  function estimate (condition: SQL): { count: number, exact: boolean } {
    // Apart: SQLite reads min() or max() alone from the b-tree's ends, but both together by a scan.
    const { lo, hi } = orm.get<{ lo: number | null, hi: number | null }>(sql`SELECT (SELECT min(rowid) FROM ${spec.table}) AS lo, (SELECT max(rowid) FROM ${spec.table}) AS hi`)
    if (lo === null || hi === null) return { count: 0, exact: true }
    const span = hi - lo + 1
    const width = Math.min(sampleWidth, Math.ceil(span / sampleStretches))
    const starts = Array.from({ length: sampleStretches }, (_, i) => lo + Math.floor(i * (span - width) / Math.max(1, sampleStretches - 1)))
    const stretches = sql.join([...new Set(starts)].map((a) => sql`(rowid BETWEEN ${a} AND ${a + width - 1})`), sql` OR `)
    // The condition in the select list, not the WHERE: the rowid ranges must choose the plan, not an index of the filters.
    const { hits } = orm.get<{ hits: number | null }>(sql`SELECT sum(CASE WHEN ${condition} THEN 1 ELSE 0 END) AS hits FROM ${spec.table} WHERE ${stretches}`)
    // Matches a rowid in the sample, times the rowids of the table (gaps left by deletes count alike
    // in both); a table no larger than the sample is read whole, and its count is exact.
    const sampled = Math.min(new Set(starts).size * width, span)
    return { count: Math.round((hits ?? 0) * span / sampled), exact: sampled >= span }
  }

  /**
   * `include=citations.source`: the record's citations (those of its alternatives too), each with
   * its source in short, the sources of a page read in one query.
   */
  const sourcesByIds = orm.select({ id: sources.id, title: sources.title, publisher: sources.publisher, url: sources.url, language: sources.language, published_on: sources.publishedOn })
    .from(sources).where(inJsonIds(sources.id)).prepare()
  const nested = (include: ReadonlySet<string>) => (include.has('citations.source') ? new Set([...include, 'citations']) : include)
  function toDtos (rows: Row[], include: ReadonlySet<string>, query: Filters): Dto[] {
    const dtos = spec.toDtos(rows, nested(include), query)
    if (!include.has('citations.source')) return dtos
    type Cited = { citations?: CitationDto[], alternatives?: Array<{ citations: CitationDto[] }> }
    const cited = (dtos as Cited[]).flatMap((d) => [...(d.citations ?? []), ...(d.alternatives ?? []).flatMap((a) => a.citations)])
    const ids = [...new Set(cited.map((c) => c.source_id))]
    const byId = new Map(ids.length === 0 ? [] : sourcesByIds.all({ ids: JSON.stringify(ids) }).map((s) => [s.id, s]))
    for (const c of cited) c.source = byId.get(c.source_id)
    return dtos
  }

  const byId = orm.select().from(spec.table).where(eq(spec.id, sql.placeholder('id'))).prepare()
  const byIds = orm.select().from(spec.table).where(inJsonIds(spec.id)).prepare()
  return {
    getMany: snapshot((ids, include) => {
      return ids.length === 0 ? [] : toDtos(byIds.all({ ids: JSON.stringify(ids) }) as Row[], include, {} as Filters)
    }),
    get: snapshot((id, include, query = {} as Filters) => {
      const row = byId.get({ id }) as Row | undefined
      return row === undefined ? undefined : toDtos([row], include, query)[0]
    }),
    list: snapshot((q, include) => {
      const { limit = 50, cursor, sort, include: _include, fields: _fields, count, ...filters } = q
      const where = [...spec.filters(q), ...disputedFilter(q as { disputed?: boolean })]
      const page = fetchPage(spec.page, codec, { limit, cursor, sort }, filters, where,
        (conditions, orderBy, n) => orm.select().from(spec.table).where(and(...conditions)).orderBy(...orderBy).limit(n).all() as Row[])
      const data = toDtos(page.rows, include, q)
      if (count === undefined || count === 'false') return { data, nextCursor: page.nextCursor }
      // In the same read transaction as the page: the count and the rows agree.
      const condition = and(...where) ?? sql`1`
      if (count !== 'estimated') return { data, nextCursor: page.nextCursor, count: orm.get<{ n: number }>(sql`SELECT count(*) AS n FROM ${spec.table} WHERE ${condition}`).n }
      // The sample first: when it finds many matches, counting even the first thousand would cost more.
      const { count: estimated, exact: whole } = estimate(condition)
      if (whole || estimated > 2 * exactCountLimit) return { data, nextCursor: page.nextCursor, count: estimated, countEstimated: !whole }
      const exact = orm.get<{ n: number }>(sql`SELECT count(*) AS n FROM (SELECT 1 FROM ${spec.table} WHERE ${condition} LIMIT ${exactCountLimit + 1})`).n
      if (exact <= exactCountLimit) return { data, nextCursor: page.nextCursor, count: exact, countEstimated: false }
      return { data, nextCursor: page.nextCursor, count: Math.max(exactCountLimit + 1, estimated), countEstimated: true }
    })
  }
}
