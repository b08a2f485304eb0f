import { asc, desc, type SQL, type SQLWrapper } from 'drizzle-orm'
import { parseList } from './csv-param.js'

/** A field a list can be sorted by: the SQL expression and how to read the same value off a row. */
export interface SortField<Row> {
  /** Never NULL, so that keyset comparisons are total (wrap nullable columns in `coalesce`). */
  expr: SQLWrapper
  value: (row: Row) => string | number
}

export interface SortTerm<Row> extends SortField<Row> {
  name: string
  descending: boolean
}

/**
 * Parses `sort=-date,id`. The record id is always the last key, so the order is total and a keyset
 * cursor is exact; unless given, it runs in the direction of the last key before it, so that a
 * one-direction order is a plain (forward or backward) scan of an index on (key, id).
 */
export function parseSort<Row> (
  raw: string | undefined,
  fields: Record<string, SortField<Row>> & { id: SortField<Row> },
  defaultSort: string
): { terms: Array<SortTerm<Row>>, canonical: string } {
  const items = parseList('sort', raw ?? defaultSort, Object.keys(fields), (item) => item.replace(/^-/, ''))
  const terms = items.map((item) => {
    const name = item.replace(/^-/, '')
    return { ...fields[name]!, name, descending: item.startsWith('-') }
  })
  if (!terms.some((t) => t.name === 'id')) {
    terms.push({ ...fields.id, name: 'id', descending: terms.at(-1)?.descending ?? false })
  }
  const canonical = terms.map((t) => (t.descending ? '-' : '') + t.name).join(',')
  return { terms, canonical }
}

export function orderByOf<Row> (terms: Array<SortTerm<Row>>): SQL[] {
  return terms.map((t) => (t.descending ? desc(t.expr) : asc(t.expr)))
}
