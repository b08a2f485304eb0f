import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import type { Filters } from '../query/filters.js'
import { countAll, defineStatistic, dimensionsOf, type Dimension, type Measure } from '../repositories/stats.js'
import { StatsQuery } from '../schemas/stats.js'
import type { StatsSource } from './kind.js'

/**
 * A kind's statistic (`GET /v1/stats/<path>`): its records counted — or measured by the kind's own
 * `measures` — grouped by one or two of the dimensions its list's field filters give (and any of
 * its own), under those same filters.
 */
export function kindStatistic (spec: {
  /** The record type. */
  type: string
  /** The noun in descriptions: `quotes`. */
  plural: string
  table: SQLiteTable
  filters: Filters
  /** `group_by` when none is given, and a pair for its description's example. */
  groupBy: { default: string, pair: string }
  summary: string
  description: string
  /** Dimensions of its own, over relations (transfers by organisation). */
  dimensions?: Dimension[]
  /** The series; `count` by default, with the response schema `Stats`. */
  measures?: Measure[]
  response?: string
  schemas?: StatsSource['schemas']
  bucketTotals?: Record<string, string>
}): StatsSource {
  const dimensions = [...dimensionsOf(spec.filters), ...(spec.dimensions ?? [])]
  return {
    summary: spec.summary,
    description: spec.description,
    query: StatsQuery(spec.plural, dimensions, spec.groupBy, spec.filters.parameters),
    response: spec.response ?? 'Stats',
    ...(spec.schemas === undefined ? {} : { schemas: spec.schemas }),
    ...defineStatistic({
      kind: spec.type,
      table: spec.table,
      filters: spec.filters,
      dimensions,
      measures: spec.measures ?? [{ name: 'count', sql: countAll, of: () => 1 }],
      defaultGroupBy: spec.groupBy.default,
      ...(spec.bucketTotals === undefined ? {} : { bucketTotals: spec.bucketTotals })
    })
  }
}
