import { Type, type TProperties } from 'typebox'
import { maxDimensions, type Dimension } from '../repositories/stats.js'
import { Nullable } from './common.js'

export const StatsSeries = Type.Object({
  name: Type.String({ description: 'What the series counts; the same name keys `totals`.', examples: ['people'] }),
  group: Type.Optional(Nullable(Type.String({ description: 'Grouped by two dimensions: the bucket of the second this series is for (one of `groups`; null for the records without a value).', examples: ['extradition'] }))),
  group_label: Type.Optional(Type.String({ description: 'Grouped by two dimensions: the label of `group`, for a legend.', examples: ['extradition'] })),
  data: Type.Array(Type.Integer(), { description: 'One value a bucket, in the order of `labels`.', examples: [[29, 0, 0, 0, 0, 0, 26]] })
}, { $id: 'StatsSeries', description: 'One labelled series of a chart: a value for each bucket.', additionalProperties: false })

/** The parts every chart-shaped statistic shares: bucket keys, their labels, the series. */
export const chartParts = {
  group_by: Type.String({ description: 'How the records were grouped: one dimension, or two separated by a comma (as asked, with `month` written out as `date:month` where the kind has other dates).', examples: ['year'] }),
  keys: Type.Array(Nullable(Type.String()), {
    description: 'The value each bucket of the first dimension stands for, in the order of `labels`: a year (`2025`), quarter (`2025-Q3`), month (`2025-08`), ISO week (`2025-W33`) or day, an actor id, an enum value, `true`/`false`; null for the bucket of records without one (undated, no organisation).',
    examples: [['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']]
  }),
  labels: Type.Array(Type.String(), {
    description: 'A label for each bucket, for an axis or a legend: the key itself, or the actor\'s name for actors.',
    examples: [['2025-02', '2025-03', '2025-04', '2025-05', '2025-06', '2025-07', '2025-08']]
  }),
  groups: Type.Optional(Type.Array(Nullable(Type.String()), { description: 'Grouped by two dimensions: the buckets of the second, in order, as `keys` are of the first.', examples: [['extradition', 'unspecified']] })),
  group_labels: Type.Optional(Type.Array(Type.String(), { description: 'Grouped by two dimensions: a label for each of `groups`.', examples: [['extradition', 'unspecified']] })),
  series: Type.Array(Type.Ref('StatsSeries'), { description: 'One series a measure; grouped by two dimensions, one a measure and bucket of the second (with `group`), measures first.' })
}

export const Stats = Type.Object({
  ...chartParts,
  totals: Type.Object({
    count: Type.Integer({ description: 'Records counted.', examples: [8] })
  }, { description: 'The series summed over every bucket.', additionalProperties: false })
}, {
  $id: 'Stats',
  description: 'Records counted by group, for a chart: `labels` for the axis and one series, `count` (one a bucket of the second dimension, grouped by two).',
  additionalProperties: false,
  examples: [{
    group_by: 'speaker',
    keys: ['david-saucedo', 'omar-garcia-harfuch'],
    labels: ['David Saucedo', 'Omar García Harfuch'],
    series: [{ name: 'count', data: [3, 2] }],
    totals: { count: 5 }
  }]
})

/** The query of a kind's statistic: `group_by` over its dimensions, and its list's field filters. */
export function StatsQuery (plural: string, dimensions: Dimension[], groupBy: { default: string, pair: string }, filters: TProperties) {
  const names = dimensions.map((d) => d.name)
  const one = names.map((n) => n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
  return Type.Partial(Type.Object({
    group_by: Type.String({
      description: `How to group the ${plural}: one dimension, or two separated by a comma (\`${groupBy.pair}\`), at most ${maxDimensions}. ` +
        `${dimensions.map((d) => `\`${d.name}\`: ${d.description}`).join('; ')}. ` +
        'A date is in the bucket its bounds both fall in; one known less precisely, or bounded across two buckets, is in the bucket of those not known. ' +
        `Default \`${groupBy.default}\`.`,
      pattern: `^(${one})(,(${one}))?$`,
      default: groupBy.default,
      examples: [groupBy.default]
    }),
    ...filters
  }), { additionalProperties: false })
}
