import { sql, type SQL } from 'drizzle-orm'
import { Type } from 'typebox'
import { rows, statement, type Dialect, type Read } from '../../db/query.js'
import type { Cell, Dimension, Measure } from '../../repositories/stats.js'
import { chartParts } from '../../schemas/stats.js'
import { kindStatistic } from '../stats.js'
import { transferFilters } from './repository.js'
import { transfers } from './table.js'

/** The names of the transfer series, in the order they are sent. */
export const transferSeriesNames = ['occasions', 'people', 'occasions_without_count', 'occasions_with_approximate_count', 'occasions_disputed'] as const

export const TransferStats = Type.Object({
  ...chartParts,
  series: Type.Array(Type.Ref('StatsSeries'), {
    description: '`occasions` (transfers), `people` (the sum of their `people_count`; a transfer without a count adds nothing), `occasions_without_count` (transfers whose number of people the sources do not give), `occasions_with_approximate_count` (transfers whose count is approximate, e.g. "nearly 30") and `occasions_disputed` (transfers whose sources disagree on a field: the statistic counts their preferred values, and a bucket with any is disputed), in that order; grouped by two dimensions, those five for each bucket of the second.'
  }),
  totals: Type.Object({
    occasions: Type.Integer({ description: 'Transfers matching the filters, each counted once.', examples: [2] }),
    people: Type.Integer({ description: 'People in those transfers, where the count is known.', examples: [55] }),
    occasions_without_count: Type.Integer({ description: 'Of those transfers, the ones without a count of people.', examples: [0] }),
    occasions_with_approximate_count: Type.Integer({ description: 'Of those transfers, the ones whose count is approximate.', examples: [0] }),
    occasions_disputed: Type.Integer({ description: 'Of those transfers, the ones with a disputed field (`disputed_fields`): counted at their preferred values.', examples: [0] }),
    disputed_buckets: Type.Integer({ description: 'How many buckets hold a disputed transfer.', examples: [0] })
  }, { description: 'The series over all matching transfers, each counted once. The buckets\' `people` always add up to these; their `occasions` may not: with `group_by=organization` a transfer of members of two organisations is an occasion in both.', additionalProperties: false })
}, {
  $id: 'TransferStats',
  description: 'Transfers and the people transferred, grouped for a chart: `labels` for the axis and one series a measure.',
  additionalProperties: false,
  examples: [{
    group_by: 'year',
    keys: ['2025'],
    labels: ['2025'],
    series: [{ name: 'occasions', data: [2] }, { name: 'people', data: [55] }, { name: 'occasions_without_count', data: [0] }, { name: 'occasions_with_approximate_count', data: [0] }, { name: 'occasions_disputed', data: [0] }],
    totals: { occasions: 2, people: 55, occasions_without_count: 0, occasions_with_approximate_count: 0, occasions_disputed: 0, disputed_buckets: 0 }
  }]
})

const t = transfers
/**
 * Whether a transfer's sources disagree on a field: its id among those with a `normal`
 * alternative, a list SQLite builds once a statement rather than probing it for every transfer
 * (qualified by hand: inside a subquery a bare "id" would be the alternative's).
 */
const disputed = sql`"transfers"."id" IN (SELECT a.record_id FROM alternatives a WHERE a.record_type = 'transfer' AND a.rank = 'normal')`

/** The transfer series as SQL aggregates over the grouped transfers, `people` given. */
const seriesOf = (people: SQL): Measure[] => [
  { name: 'occasions', sql: sql<number>`count(*)` },
  { name: 'people', sql: sql<number>`coalesce(sum(${people}), 0)` },
  { name: 'occasions_without_count', sql: sql<number>`count(*) FILTER (WHERE ${t.peopleCount} IS NULL)` },
  { name: 'occasions_with_approximate_count', sql: sql<number>`count(*) FILTER (WHERE ${t.peopleCount} IS NOT NULL AND ${t.peopleCountApproximate})` },
  { name: 'occasions_disputed', sql: sql<number>`count(*) FILTER (WHERE ${disputed})` }
]
/** What one transfer adds to each series, from the transfer as the API shows it: the kept statistics' twin of the SQL above. */
const contributions: Array<(r: Record<string, unknown>) => number> = [
  () => 1,
  (r) => (typeof r.people_count === 'number' ? r.people_count : 0),
  (r) => (r.people_count === null ? 1 : 0),
  (r) => (r.people_count !== null && r.people_count_approximate === true ? 1 : 0),
  (r) => (Array.isArray(r.disputed_fields) && r.disputed_fields.length > 0 ? 1 : 0)
]
const measures = seriesOf(sql`${t.peopleCount}`).map((m, i) => ({ ...m, of: contributions[i]! }))

/** `m0, m1…` AS the series, for a hand-written statement. */
const selectSeries = (series: Measure[]) => sql.join(series.map((m, i) => sql`${m.sql} AS ${sql.raw(`m${i}`)}`), sql`, `)
const valuesOf = (r: Record<string, unknown>) => measures.map((_, i) => Number(r[`m${i}`] ?? 0))

/**
 * Transfers by organisation, people attributed honestly. A transfer is in the bucket of each
 * organisation it involves (named as the organisation of the people transferred, or of a person
 * transferred); each person transferred who belongs to one counts once, in its bucket; the people
 * the sources do not split by organisation are `(not attributed)`. A transfer without a count adds
 * no people anywhere, as in the totals. So the people of the buckets add up to the totals, while
 * a transfer of members of two cartels is an occasion in both.
 */
const organization: Dimension = {
  name: 'organization',
  description: 'by organisation of the people transferred, labelled with its name (each person counted in the bucket of the organisation a source says they belong to; a transfer is an occasion in the bucket of every organisation it involves; the people no source splits by organisation in `(not attributed)`, so the buckets\' people add up to the totals)',
  order: {},
  missing: '(not attributed)',
  actors: true,
  * cells (dialect: Dialect, where: SQL | undefined, other: SQL<string | null> | undefined): Read<Cell[]> {
    const named = sql`(SELECT count(*) FROM transfer_participants n WHERE n.transfer_id = ${t.id} AND n.role = 'transferred' AND n.organization_id IS NOT NULL)`
    const attributed = sql`CASE WHEN ${t.peopleCount} IS NULL THEN 0 ELSE (SELECT count(*) FROM transfer_participants m WHERE m.transfer_id = ${t.id} AND m.role = 'transferred' AND m.organization_id = o.org) END`
    const otherKey = other ?? sql`NULL`
    const groupOther = other === undefined ? sql`` : sql`, other`
    const organizations = yield * rows(statement<Record<string, unknown> & { key: string, other: string | null }>(sql`SELECT o.org AS key, ${otherKey} AS other, ${selectSeries(seriesOf(attributed))}
      FROM ${t} JOIN (
        SELECT transfer_id, actor_id AS org FROM transfer_participants WHERE role = 'organization_of_transferred'
        UNION SELECT transfer_id, organization_id FROM transfer_participants WHERE role = 'transferred' AND organization_id IS NOT NULL
      ) o ON o.transfer_id = ${t.id}${where === undefined ? sql`` : sql` WHERE ${where}`} GROUP BY o.org${groupOther}`))
    const involved = sql`EXISTS (SELECT 1 FROM transfer_participants i WHERE i.transfer_id = ${t.id} AND (i.role = 'organization_of_transferred' OR i.organization_id IS NOT NULL))`
    const unattributed = yield * rows(statement<Record<string, unknown> & { other: string | null }>(sql`SELECT ${otherKey} AS other, ${selectSeries(seriesOf(dialect.greatest(sql`coalesce(${t.peopleCount}, 0) - ${named}`, sql`0`)))} FROM ${t}
      WHERE (coalesce(${t.peopleCount}, 0) > ${named} OR NOT ${involved})${where === undefined ? sql`` : sql` AND ${where}`}${other === undefined ? sql`` : sql` GROUP BY 1`}`))
    return [
      ...organizations.map((r) => ({ key: r.key, other: r.other, values: valuesOf(r) })),
      ...unattributed.filter((r) => Number(r.m0) > 0).map((r) => ({ key: null, other: r.other, values: valuesOf(r) }))
    ]
  }
}

export const transferStats = kindStatistic({
  type: 'transfer',
  plural: 'transfers',
  table: transfers,
  filters: transferFilters,
  groupBy: { default: 'year', pair: 'month,mechanism' },
  dimensions: [organization],
  measures,
  bucketTotals: { disputed_buckets: 'occasions_disputed' },
  response: 'TransferStats',
  schemas: [TransferStats],
  summary: 'Count transfers and people transferred',
  description: 'Transfers (`occasions`) and the people in them, grouped by one or two of: a unit of their date, the organisation of the people transferred, mechanism, country of origin or destination; with the filters of the transfer list. ' +
    'A transfer without a count of people adds to `occasions` and `occasions_without_count` but not to `people`. ' +
    'For example, `?group_by=year&from_country=MX&to_country=US` answers how many people Mexico handed to the United States each year, and in how many transfers.'
})
