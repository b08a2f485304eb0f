import { and, eq, gt, gte, lt, lte, or, type SQL } from 'drizzle-orm'
import type { CursorKey } from './cursor.js'
import type { SortTerm } from './sort.js'

/**
 * The rows strictly after `key` in the order `terms` define:
 *   a ≥ ka AND ((a > ka) OR (a = ka AND b > kb) OR …)   (`≤`, `<` for descending terms)
 * The leading bound is implied by the rest but lets SQLite start an index range scan at the
 * cursor instead of scanning from the first row (row-value comparisons on expression indexes,
 * such as coalesce(date, ''), are not used for ranges).
 */
export function afterKey<Row> (terms: Array<SortTerm<Row>>, key: CursorKey): SQL {
  const branches: SQL[] = terms.map((term, i) => {
    const equalities = terms.slice(0, i).map((prev, j) => eq(prev.expr, key[j]))
    const step = term.descending ? lt(term.expr, key[i]) : gt(term.expr, key[i])
    return and(...equalities, step)!
  })
  const first = terms[0]!
  const lead = first.descending ? lte(first.expr, key[0]) : gte(first.expr, key[0])
  return and(lead, or(...branches))!
}

export function keyOf<Row> (terms: Array<SortTerm<Row>>, row: Row): CursorKey {
  return terms.map((t) => t.value(row))
}
