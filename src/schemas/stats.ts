import { Type, type Static } from 'typebox'
import { Nullable, StringEnum } from './common.js'

export const StatsSeries = Type.Object({
  name: Type.String({ description: 'What the series counts; the same name keys `totals`.', examples: ['people'] }),
  data: Type.Array(Type.Integer(), { description: 'One value a bucket, in the order of `labels`.', examples: [[29, 0, 0, 0, 0, 0, 26]] })
}, { $id: 'StatsSeries', description: 'One labelled series of a chart: a value for each bucket.', additionalProperties: false })

/** The parts every chart-shaped statistic shares: bucket keys, their labels, the series. */
export const chartParts = {
  keys: Type.Array(Nullable(Type.String()), {
    description: 'The value each bucket stands for, in the order of `labels`: a year, a month, an actor id, an enum value; null for the bucket of records without one (undated, no organisation).',
    examples: [['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']]
  }),
  labels: Type.Array(Type.String(), {
    description: 'A label for each bucket, for an axis or a legend: the key itself, or the actor\'s name for actors.',
    examples: [['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']]
  }),
  series: Type.Array(Type.Ref('StatsSeries'), { description: 'The series, each with one value a bucket.' })
}

export const Stats = Type.Object({
  group_by: Type.String({ description: 'How the records were grouped.', examples: ['speaker'] }),
  ...chartParts,
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

/** The `group_by` parameter: one of `values`, the first by default. */
export const groupByParam = <T extends string> (values: readonly T[], what: string) => Type.Optional(Type.Unsafe<T>({
  ...StringEnum([...values], { description: `How to group the ${what}; one of ${values.map((v) => `\`${v}\``).join(', ')}. Default \`${values[0]!}\`.`, examples: [values[0]!] }),
  default: values[0]
}))

/** The query of a statistic that only counts records, grouped one of `values` ways. */
export const CountQuery = <T extends string> (values: readonly T[], what: string) => Type.Object({
  group_by: groupByParam(values, what)
}, { additionalProperties: false })
