import { and, eq, gt, lt, or, type SQL } from 'drizzle-orm'
import type { CursorKey } from './cursor.js'
import type { SortTerm } from './sort.js'

/**
 * The rows strictly after `key` in the order `terms` define:
 * (a > ka) OR (a = ka AND b > kb) OR … with `<` for descending terms.
 */
export function afterKey<Row> (terms: Array<SortTerm<Row>>, key: CursorKey): SQL {
  const branches: SQL[] = terms.map((term, i) => {
    const equalities = terms.slice(0, i).map((prev, j) => eq(prev.expr, key[j]))
    const step = term.descending ? lt(term.expr, key[i]) : gt(term.expr, key[i])
    return and(...equalities, step)!
  })
  return or(...branches)!
}

export function keyOf<Row> (terms: Array<SortTerm<Row>>, row: Row): CursorKey {
  return terms.map((t) => t.value(row))
}
