import { sql } from 'drizzle-orm'
import type { StatsDto } from '../schemas/stats.js'

/** One bar of a chart: the value it stands for, its label, and one number a series. */
export interface Bucket { key: string | null, label: string, values: number[] }

/** Every year from the first to the last, so a time axis shows the empty ones. */
function yearsBetween (first: string, last: string): string[] {
  const years: string[] = []
  for (let y = Number(first); y <= Number(last); y++) years.push(String(y).padStart(4, '0'))
  return years
}

function monthsBetween (first: string, last: string): string[] {
  const months: string[] = []
  let [y, m] = [Number(first.slice(0, 4)), Number(first.slice(5, 7))]
  const end = Number(last.slice(0, 4)) * 12 + Number(last.slice(5, 7))
  while (y * 12 + m <= end) {
    months.push(`${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`)
    if (++m > 12) [y, m] = [y + 1, 1]
  }
  return months
}

/** How a chart's buckets are ordered: along a time axis, in an enum's (lifecycle) order, or by size. */
export interface BucketOrder { time?: 'year' | 'month', enum?: readonly string[] }

/**
 * Puts buckets in chart order: time axes chronologically with the gaps filled by zeros, enums in
 * their declared (lifecycle) order, anything else by the first series, largest first, then label.
 * The bucket of records without a value, if any, comes last.
 */
export function arrange (buckets: Bucket[], order: BucketOrder, width: number): Bucket[] {
  const known = buckets.filter((b) => b.key !== null)
  const missing = buckets.filter((b) => b.key === null)
  let sorted: Bucket[]
  if (order.time !== undefined && known.length > 0) {
    const keys = known.map((b) => b.key!).sort()
    const byKey = new Map(known.map((b) => [b.key, b]))
    const axis = (order.time === 'year' ? yearsBetween : monthsBetween)(keys[0]!, keys.at(-1)!)
    sorted = axis.map((key) => byKey.get(key) ?? { key, label: key, values: new Array<number>(width).fill(0) })
  } else if (order.enum !== undefined) {
    const rank = (key: string | null) => order.enum!.indexOf(key ?? '')
    sorted = [...known].sort((a, b) => rank(a.key) - rank(b.key))
  } else {
    sorted = [...known].sort((a, b) => b.values[0]! - a.values[0]! || a.label.localeCompare(b.label) || a.key!.localeCompare(b.key!))
  }
  return [...sorted, ...missing]
}

/** The chart-shaped part of a statistic: keys, labels and one named series a measure. */
export function chart (groupBy: string, buckets: Bucket[], names: readonly string[]) {
  return {
    group_by: groupBy,
    keys: buckets.map((b) => b.key),
    labels: buckets.map((b) => b.label),
    series: names.map((name, i) => ({ name, data: buckets.map((b) => b.values[i]!) }))
  }
}

/** A statistic that only counts records: one `count` series over the grouped rows. */
export function counted (groupBy: string, rows: Array<{ key: string | null, label?: string | null, count: number }>, order: BucketOrder): StatsDto {
  const buckets = arrange(rows.map((r) => ({ key: r.key, label: r.label ?? r.key ?? '(none)', values: [r.count] })), order, 1)
  return { ...chart(groupBy, buckets, ['count']), totals: { count: rows.reduce((sum, r) => sum + r.count, 0) } }
}

/** `count(*)`, typed. */
export const countAll = sql<number>`count(*)`
