import { and, eq, sql, type SQL } from 'drizzle-orm'
import { Type, type Static } from 'typebox'
import type { Orm } from '../../db/client.js'
import { boundColumns, dateOnOrAfter, dateOnOrBefore } from '../../query/dates.js'
import { arrange, chart, type Bucket, type BucketOrder } from '../../repositories/stats.js'
import { Country, PartialDate, StringEnum } from '../../schemas/common.js'
import { chartParts, groupByParam } from '../../schemas/stats.js'
import { actors } from '../actors/table.js'
import type { StatsSource } from '../kind.js'
import { transferMechanisms, transfers } from './table.js'

export const transferGroupings = ['year', 'month', 'organization', 'mechanism'] as const
export type TransferGrouping = typeof transferGroupings[number]

/** The names of the transfer series, in the order they are sent. */
export const transferSeriesNames = ['occasions', 'people', 'occasions_without_count', 'occasions_with_approximate_count', 'occasions_disputed'] as const

export const TransferStats = Type.Object({
  group_by: StringEnum(transferGroupings, { description: 'How the transfers were grouped.', examples: ['year'] }),
  keys: chartParts.keys,
  labels: chartParts.labels,
  series: Type.Array(Type.Ref('StatsSeries'), {
    description: '`occasions` (transfers), `people` (the sum of their `people_count`; a transfer without a count adds nothing), `occasions_without_count` (transfers whose number of people the sources do not give), `occasions_with_approximate_count` (transfers whose count is approximate, e.g. "nearly 30") and `occasions_disputed` (transfers whose sources disagree on a field: the statistic counts their preferred values, and a bucket with any is disputed), in that order.'
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
export type TransferStatsDto = Static<typeof TransferStats>

export const TransferStatsQuery = Type.Object({
  group_by: groupByParam(transferGroupings, 'transfers: by year or month of their date (every year or month from the first to the last, empty ones too; a transfer whose date is known only more coarsely, or is bounded across two, in `(year not known)` or `(month not known)`), by organisation of the people transferred (each person counted in the bucket of the organisation a source says they belong to; the people no source splits by organisation in `(not attributed)`), or by mechanism'),
  from_country: Type.Optional(Country('Only transfers from this country.')),
  to_country: Type.Optional(Country('Only transfers to this country.')),
  date_from: Type.Optional(PartialDate('Only transfers whose date may be on or after this date (month-precise and bounded dates overlap).', '2025-01-01')),
  date_to: Type.Optional(PartialDate('Only transfers whose date may be on or before this date.', '2025-12-31'))
}, { additionalProperties: false })
export type TransferStatsQueryType = Static<typeof TransferStatsQuery>

/** What the bucket of transfers without a grouping value is called. */
const missingLabels: Record<TransferGrouping, string> = {
  year: '(year not known)',
  month: '(month not known)',
  organization: '(not attributed)',
  mechanism: '(no mechanism)'
}

function filtersOf (q: TransferStatsQueryType): SQL[] {
  const where: SQL[] = []
  if (q.from_country !== undefined) where.push(eq(transfers.fromCountry, q.from_country))
  if (q.to_country !== undefined) where.push(eq(transfers.toCountry, q.to_country))
  if (q.date_from !== undefined) where.push(dateOnOrAfter(boundColumns(transfers, 'date'), q.date_from))
  if (q.date_to !== undefined) where.push(dateOnOrBefore(boundColumns(transfers, 'date'), q.date_to))
  return where
}

/** The four transfer series as SQL aggregates, in the order of `transferSeriesNames`. */
const t = transfers
const measures = {
  occasions: sql<number>`count(DISTINCT ${t.id})`,
  people: sql<number>`coalesce(sum(${t.peopleCount}), 0)`,
  withoutCount: sql<number>`coalesce(sum(${t.peopleCount} IS NULL), 0)`,
  approximate: sql<number>`coalesce(sum(${t.peopleCount} IS NOT NULL AND ${t.peopleCountApproximate}), 0)`,
  // Qualified by hand: in a select list Drizzle names columns without their table, and inside the
  // subquery a bare "id" would be the alternative's.
  disputed: sql<number>`count(DISTINCT CASE WHEN EXISTS (SELECT 1 FROM alternatives a WHERE a.record_type = 'transfer' AND a.record_id = "transfers"."id" AND a.rank = 'normal') THEN "transfers"."id" END)`
}
type Measures = { [K in keyof typeof measures]: number }
const valuesOf = (r: Measures) => [r.occasions, r.people, r.withoutCount, r.approximate, r.disputed]

/**
 * A transfer is in the year (month) its date is known to fall in: both bounds in the same one. A
 * date known only to the year, or bounded across two, is in the bucket of those not known.
 */
const within = (length: number) =>
  sql<string | null>`CASE WHEN substr(${t.dateEarliest}, 1, ${length}) = substr(${t.dateLatest}, 1, ${length}) THEN substr(${t.dateEarliest}, 1, ${length}) END`

const keys: Record<Exclude<TransferGrouping, 'organization'>, SQL<string | null>> = {
  year: within(4),
  month: within(7),
  mechanism: sql`${t.mechanism}`
}

const orders: Record<TransferGrouping, BucketOrder> = { year: { time: 'year' }, month: { time: 'month' }, mechanism: { enum: transferMechanisms }, organization: {} }

/**
 * Transfers by organisation, people attributed honestly. A transfer is in the bucket of each
 * organisation it involves (named as the organisation of the people transferred, or of a person
 * transferred); each person transferred who belongs to one counts once, in its bucket; the people
 * the sources do not split by organisation are `(not attributed)`. A transfer without a count adds
 * no people anywhere, as in the totals. So the people of the buckets add up to the totals, while
 * a transfer of members of two cartels is an occasion in both.
 */
function createOrganizationBuckets (orm: Orm) {
  const named = sql`(SELECT count(*) FROM transfer_participants n WHERE n.transfer_id = ${t.id} AND n.role = 'transferred' AND n.organization_id IS NOT NULL)`
  const disputed = sql`EXISTS (SELECT 1 FROM alternatives a WHERE a.record_type = 'transfer' AND a.record_id = ${t.id} AND a.rank = 'normal')`
  const series = (people: SQL) => sql`count(*) AS occasions, coalesce(sum(${people}), 0) AS people,
    coalesce(sum(${t.peopleCount} IS NULL), 0) AS withoutCount, coalesce(sum(${t.peopleCount} IS NOT NULL AND ${t.peopleCountApproximate}), 0) AS approximate,
    coalesce(sum(${disputed}), 0) AS disputed`
  return (where: SQL | undefined): Bucket[] => {
    const filter = where === undefined ? sql`` : sql` WHERE ${where}`
    const organizations = orm.all<Measures & { key: string, name: string | null }>(sql`SELECT o.org AS key, ${actors.name} AS name,
      ${series(sql`CASE WHEN ${t.peopleCount} IS NULL THEN 0 ELSE (SELECT count(*) FROM transfer_participants m WHERE m.transfer_id = ${t.id} AND m.role = 'transferred' AND m.organization_id = o.org) END`)}
      FROM ${t} JOIN (
        SELECT transfer_id, actor_id AS org FROM transfer_participants WHERE role = 'organization_of_transferred'
        UNION SELECT transfer_id, organization_id FROM transfer_participants WHERE role = 'transferred' AND organization_id IS NOT NULL
      ) o ON o.transfer_id = ${t.id} LEFT JOIN ${actors} ON ${actors.id} = o.org${filter} GROUP BY o.org`)
    const involved = sql`EXISTS (SELECT 1 FROM transfer_participants i WHERE i.transfer_id = ${t.id} AND (i.role = 'organization_of_transferred' OR i.organization_id IS NOT NULL))`
    const unattributed = orm.all<Measures>(sql`SELECT ${series(sql`max(coalesce(${t.peopleCount}, 0) - ${named}, 0)`)} FROM ${t}
      WHERE (coalesce(${t.peopleCount}, 0) > ${named} OR NOT ${involved})${where === undefined ? sql`` : sql` AND ${where}`}`)[0]!
    return [
      ...organizations.map((r) => ({ key: r.key, label: r.name ?? r.key, values: valuesOf(r) })),
      ...(unattributed.occasions > 0 ? [{ key: null, label: missingLabels.organization, values: valuesOf(unattributed) }] : [])
    ]
  }
}

function createTransferStats (orm: Orm) {
  const organizationBuckets = createOrganizationBuckets(orm)
  function buckets (groupBy: TransferGrouping, where: SQL | undefined): Bucket[] {
    if (groupBy === 'organization') return organizationBuckets(where)
    const key = keys[groupBy]
    const rows = orm.select({ key, ...measures }).from(t).where(where).groupBy(key).all()
    return rows.map((r) => ({ key: r.key, label: r.key ?? missingLabels[groupBy], values: valuesOf(r) }))
  }

  return (q: TransferStatsQueryType): TransferStatsDto => {
    const groupBy = q.group_by ?? 'year'
    const where = and(...filtersOf(q))
    const arranged = arrange(buckets(groupBy, where), orders[groupBy], transferSeriesNames.length)
    const [occasions, people, withoutCount, approximate, disputed] = valuesOf(orm.select(measures).from(t).where(where).get()!)
    const disputedBuckets = arranged.filter((b) => (b.values[4] ?? 0) > 0).length
    return {
      ...chart(groupBy, arranged, transferSeriesNames),
      group_by: groupBy,
      totals: { occasions: occasions!, people: people!, occasions_without_count: withoutCount!, occasions_with_approximate_count: approximate!, occasions_disputed: disputed!, disputed_buckets: disputedBuckets }
    }
  }
}

export const transferStats: StatsSource<TransferStatsQueryType> = {
  summary: 'Count transfers and people transferred',
  description: 'Transfers (`occasions`) and the people in them, grouped by year or month of the transfer, by organisation of the people transferred, or by mechanism. ' +
    'A transfer without a count of people adds to `occasions` and `occasions_without_count` but not to `people`. ' +
    'For example, `?group_by=year&from_country=MX&to_country=US` answers how many people Mexico handed to the United States each year, and in how many transfers.',
  query: TransferStatsQuery,
  response: 'TransferStats',
  schemas: [TransferStats],
  compute: createTransferStats
}
