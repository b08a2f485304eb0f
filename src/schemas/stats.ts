import { Type, type Static, type TSchema } from 'typebox'
import { Country, Nullable, PartialDate, StringEnum } from './common.js'

export const transferGroupings = ['year', 'month', 'organization', 'mechanism'] as const
export type TransferGrouping = typeof transferGroupings[number]
export const quoteGroupings = ['speaker'] as const
export const cooperationMeasureGroupings = ['kind', 'status'] as const
export const tariffDeadlineGroupings = ['status'] as const

/** The names of the transfer series, in the order they are sent. */
export const transferSeriesNames = ['occasions', 'people', 'occasions_without_count', 'occasions_with_approximate_count'] as const

export const StatsSeries = Type.Object({
  name: Type.String({ description: 'What the series counts; the same name keys `totals`.', examples: ['people'] }),
  data: Type.Array(Type.Integer(), { description: 'One value a bucket, in the order of `labels`.', examples: [[29, 0, 0, 0, 0, 0, 26]] })
}, { $id: 'StatsSeries', description: 'One labelled series of a chart: a value for each bucket.', additionalProperties: false })

const keys = Type.Array(Nullable(Type.String()), {
  description: 'The value each bucket stands for, in the order of `labels`: a year, a month, an actor id, an enum value; null for the bucket of records without one (undated, no organisation).',
  examples: [['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']]
})
const labels = Type.Array(Type.String(), {
  description: 'A label for each bucket, for an axis or a legend: the key itself, or the actor\'s name for actors.',
  examples: [['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']]
})
const series = Type.Array(Type.Ref('StatsSeries'), { description: 'The series, each with one value a bucket.' })

export const TransferStats = Type.Object({
  group_by: StringEnum([...transferGroupings], { description: 'How the transfers were grouped.', examples: ['year'] }),
  keys,
  labels,
  series: Type.Array(Type.Ref('StatsSeries'), {
    description: '`occasions` (transfers), `people` (the sum of their `people_count`; a transfer without a count adds nothing), `occasions_without_count` (transfers whose number of people the sources do not give) and `occasions_with_approximate_count` (transfers whose count is approximate, e.g. "nearly 30"), in that order.'
  }),
  totals: Type.Object({
    occasions: Type.Integer({ description: 'Transfers matching the filters, each counted once.', examples: [2] }),
    people: Type.Integer({ description: 'People in those transfers, where the count is known.', examples: [55] }),
    occasions_without_count: Type.Integer({ description: 'Of those transfers, the ones without a count of people.', examples: [0] }),
    occasions_with_approximate_count: Type.Integer({ description: 'Of those transfers, the ones whose count is approximate.', examples: [0] })
  }, { description: 'The series over all matching transfers, each counted once (with `group_by=organization` a transfer of members of two organisations is in two buckets).', additionalProperties: false })
}, {
  $id: 'TransferStats',
  description: 'Transfers and the people transferred, grouped for a chart: `labels` for the axis and one series a measure.',
  additionalProperties: false,
  examples: [{
    group_by: 'year',
    keys: ['2025'],
    labels: ['2025'],
    series: [{ name: 'occasions', data: [2] }, { name: 'people', data: [55] }, { name: 'occasions_without_count', data: [0] }, { name: 'occasions_with_approximate_count', data: [0] }],
    totals: { occasions: 2, people: 55, occasions_without_count: 0, occasions_with_approximate_count: 0 }
  }]
})
export type TransferStatsDto = Static<typeof TransferStats>

export const Stats = Type.Object({
  group_by: Type.String({ description: 'How the records were grouped.', examples: ['speaker'] }),
  keys,
  labels,
  series,
  totals: Type.Object({
    count: Type.Integer({ description: 'Records counted.', examples: [8] })
  }, { description: 'The series summed over every bucket.', additionalProperties: false })
}, {
  $id: 'Stats',
  description: 'Records counted by group, for a chart: `labels` for the axis and one series, `count`.',
  additionalProperties: false,
  examples: [{
    group_by: 'speaker',
    keys: ['david-saucedo', 'omar-garcia-harfuch'],
    labels: ['David Saucedo', 'Omar García Harfuch'],
    series: [{ name: 'count', data: [3, 2] }],
    totals: { count: 5 }
  }]
})
export type StatsDto = Static<typeof Stats>

const groupBy = <T extends string> (values: readonly T[], what: string) =>
  StringEnum([...values], { description: `How to group the ${what}; one of ${values.map((v) => `\`${v}\``).join(', ')}. Default \`${values[0]!}\`.`, examples: [values[0]!] })

export const TransferStatsQuery = Type.Object({
  group_by: Type.Optional(Type.Unsafe<TransferGrouping>({
    ...groupBy(transferGroupings, 'transfers: by year or month of their date (every year or month from the first to the last, empty ones too), by organisation of the people transferred, or by mechanism'),
    default: 'year'
  })),
  from_country: Type.Optional(Country('Only transfers from this country.')),
  to_country: Type.Optional(Country('Only transfers to this country.')),
  date_from: Type.Optional(PartialDate('Only transfers on or after this date (partial dates overlap).', '2025-01-01')),
  date_to: Type.Optional(PartialDate('Only transfers on or before this date (partial dates overlap).', '2025-12-31'))
}, { additionalProperties: false })
export type TransferStatsQueryType = Static<typeof TransferStatsQuery>

const CountQuery = <T extends string> (values: readonly T[], what: string) => Type.Object({
  group_by: Type.Optional(Type.Unsafe<T>({ ...groupBy(values, what), default: values[0] }))
}, { additionalProperties: false })

export const QuoteStatsQuery = CountQuery(quoteGroupings, 'quotes')
export const CooperationMeasureStatsQuery = CountQuery(cooperationMeasureGroupings, 'cooperation measures')
export const TariffDeadlineStatsQuery = CountQuery(tariffDeadlineGroupings, 'tariff deadlines')

export const statsSchemas: TSchema[] = [StatsSeries, TransferStats, Stats]
