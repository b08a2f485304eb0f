import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Orm } from '../db/client.js'
import { alternatives } from '../db/schema/citations.js'
import type { CursorCodec } from '../query/cursor.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import { inJsonIds } from './related.js'

/** The query parameters every list takes besides its filters. */
export interface ListQuery {
  limit?: number
  cursor?: string
  sort?: string
  include?: string
  fields?: string
  count?: boolean
}

/** `Filters`: the kind's own query parameters (filters and representation parameters such as `at`). */
export interface ReadRepository<Dto, Filters extends object = object> {
  /** `query` carries parameters that shape the representation (`at`, `valid_at`). */
  get (id: string, include: ReadonlySet<string>, query?: Filters): Dto | undefined
  /** Many records by id, in one query per table (unknown ids are left out). */
  getMany (ids: string[], include: ReadonlySet<string>): Dto[]
  list (q: ListQuery & Filters, include: ReadonlySet<string>): { data: Dto[], nextCursor: string | null, count?: number }
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
  const byId = orm.select().from(spec.table).where(eq(spec.id, sql.placeholder('id'))).prepare()
  const byIds = orm.select().from(spec.table).where(inJsonIds(spec.id)).prepare()
  return {
    getMany: snapshot((ids, include) => {
      return ids.length === 0 ? [] : spec.toDtos(byIds.all({ ids: JSON.stringify(ids) }) as Row[], include, {} as Filters)
    }),
    get: snapshot((id, include, query = {} as Filters) => {
      const row = byId.get({ id }) as Row | undefined
      return row === undefined ? undefined : spec.toDtos([row], include, query)[0]
    }),
    list: snapshot((q, include) => {
      const { limit = 50, cursor, sort, include: _include, fields: _fields, count, ...filters } = q
      const where = [...spec.filters(q), ...disputedFilter(q as { disputed?: boolean })]
      const page = fetchPage(spec.page, codec, { limit, cursor, sort }, filters, where,
        (conditions, orderBy, n) => orm.select().from(spec.table).where(and(...conditions)).orderBy(...orderBy).limit(n).all() as Row[])
      const data = spec.toDtos(page.rows, include, q)
      if (count !== true) return { data, nextCursor: page.nextCursor }
      // In the same read transaction as the page: the count and the rows agree.
      return { data, nextCursor: page.nextCursor, count: orm.select({ n: sql<number>`count(*)` }).from(spec.table).where(and(...where)).get()!.n }
    })
  }
}
