/** A statistic (`/v1/stats/<kind>`) as rows, one a bucket (and group) and measure: what Plot and tables take. */
import type { Schemas } from './api/client'

/** Any kind's statistic: the transfers' have their own totals (people, occasions…). */
export type Stats = Omit<Schemas['Stats'], 'totals'> & { totals: Record<string, number> }

export interface Cell { key: string, label: string, group: string, groupLabel: string, measure: string, value: number }

export function cells (stats: Stats): Cell[] {
  const out: Cell[] = []
  for (const series of stats.series) {
    series.data.forEach((value, i) => {
      out.push({
        key: String(stats.keys[i] ?? ''),
        label: stats.labels[i] ?? String(stats.keys[i]),
        group: String(series.group ?? ''),
        groupLabel: series.group_label ?? String(series.group ?? ''),
        measure: series.name,
        value: value ?? 0
      })
    })
  }
  return out
}

/** One measure's values by bucket (rows) and group (columns), for a table. */
export function crossTable (stats: Stats, measure: string, first: string): { columns: string[], rows: Array<Array<string | number>> } {
  const of = cells(stats).filter((cell) => cell.measure === measure)
  const groups = [...new Map(of.map((cell) => [cell.group, cell.groupLabel])).values()]
  const rows = stats.labels.map((label, i) => [label, ...groups.map((group) => of.find((cell) => cell.key === String(stats.keys[i]) && cell.groupLabel === group)?.value ?? 0)])
  return { columns: [first, ...groups], rows }
}
