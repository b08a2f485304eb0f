import type { SQL } from 'drizzle-orm'
import type { Read } from '../db/query.js'
import { CursorCodec, type CursorKey } from './cursor.js'
import { afterKey, keyOf } from './keyset.js'
import { orderByOf, parseSort, type SortField } from './sort.js'

export interface PageRequest {
  limit: number
  cursor?: string | undefined
  sort?: string | undefined
}

export interface Page<Row> {
  rows: Row[]
  nextCursor: string | null
}

export interface PageSpec<Row> {
  /** Names the resource in cursor digests, so a cursor of one list is refused by another. */
  resource: string
  sortFields: Record<string, SortField<Row>> & { id: SortField<Row> }
  defaultSort: string
}

/**
 * One keyset page of any list: parses `sort`, checks the cursor against the query it was issued
 * for, asks `select` for `limit + 1` rows after the cursor's key, and issues the next cursor.
 * `select` also gets the cursor's key itself (undefined on the first page), for queries that
 * narrow their work by it beyond the `where` conditions (the search's ranking). A read
 * (src/db/query.ts): `select` yields the page's statement.
 */
export function * fetchPage<Row> (
  spec: PageSpec<Row>,
  codec: CursorCodec,
  request: PageRequest,
  filters: Record<string, unknown>,
  where: SQL[],
  select: (where: SQL[], orderBy: SQL[], limit: number, after: CursorKey | undefined) => Read<Row[]>
): Read<Page<Row>> {
  const { terms, canonical } = parseSort(request.sort, spec.sortFields, spec.defaultSort)
  const digest = CursorCodec.queryDigest(spec.resource, canonical, filters)
  const conditions = [...where]
  const after = request.cursor === undefined ? undefined : codec.decode(request.cursor, digest, terms.length)
  if (after !== undefined) conditions.push(afterKey(terms, after))
  const rows = yield * select(conditions, orderByOf(terms), request.limit + 1, after)
  if (rows.length <= request.limit) return { rows, nextCursor: null }
  rows.length = request.limit
  return { rows, nextCursor: codec.encode(digest, keyOf(terms, rows[rows.length - 1]!)) }
}
