import { and, eq, sql, type SQL } from 'drizzle-orm'
import type { Orm } from '../db/client.js'
import { actors, cooperationMeasures, quotes, tariffDeadlines, transferParticipants, transfers } from '../db/schema/index.js'
import { dateOnOrAfter, dateOnOrBefore } from '../query/dates.js'
import { cooperationMeasureKinds, cooperationMeasureStatuses } from '../schemas/cooperation-measures.js'
import { transferSeriesNames, type StatsDto, type TransferGrouping, type TransferStatsDto, type TransferStatsQueryType } from '../schemas/stats.js'
import { tariffDeadlineStatuses } from '../schemas/tariff-deadlines.js'
import { transferMechanisms } from '../schemas/transfers.js'

/** One bar of a chart: the value it stands for, its label, and one number a series. */
interface Bucket { key: string | null, label: string, values: number[] }

/** What the bucket of records without a grouping value is called. */
const missingLabels: Record<string, string> = {
  year: '(no date)',
  month: '(no month)',
  organization: '(no organization)'
}

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

/**
 * Puts buckets in chart order: time axes chronologically with the gaps filled by zeros, enums in
 * their declared (lifecycle) order, anything else by the first series, largest first, then label.
 * The bucket of records without a value, if any, comes last.
 */
function arrange (buckets: Bucket[], order: { time?: 'year' | 'month', enum?: readonly string[] }, width: number): Bucket[] {
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

function chart (groupBy: string, buckets: Bucket[], names: readonly string[]) {
  return {
    keys: buckets.map((b) => b.key),
    labels: buckets.map((b) => b.label),
    series: names.map((name, i) => ({ name, data: buckets.map((b) => b.values[i]!) })),
    group_by: groupBy
  }
}

function transferFilters (q: TransferStatsQueryType): SQL[] {
  const where: SQL[] = []
  if (q.from_country !== undefined) where.push(eq(transfers.fromCountry, q.from_country))
  if (q.to_country !== undefined) where.push(eq(transfers.toCountry, q.to_country))
  if (q.date_from !== undefined) where.push(dateOnOrAfter(transfers.date, q.date_from))
  if (q.date_to !== undefined) where.push(dateOnOrBefore(transfers.date, q.date_to))
  return where
}

/** The four transfer series as SQL aggregates, in the order of `transferSeriesNames`. */
const t = transfers
const transferMeasures = {
  occasions: sql<number>`count(DISTINCT ${t.id})`,
  people: sql<number>`coalesce(sum(${t.peopleCount}), 0)`,
  withoutCount: sql<number>`coalesce(sum(${t.peopleCount} IS NULL), 0)`,
  approximate: sql<number>`coalesce(sum(${t.peopleCount} IS NOT NULL AND ${t.peopleCountApproximate}), 0)`
}
type TransferMeasures = { [K in keyof typeof transferMeasures]: number }
const valuesOf = (r: TransferMeasures) => [r.occasions, r.people, r.withoutCount, r.approximate]

const transferKeys: Record<Exclude<TransferGrouping, 'organization'>, SQL<string | null>> = {
  year: sql`substr(${t.date}, 1, 4)`,
  month: sql`CASE WHEN length(${t.date}) >= 7 THEN substr(${t.date}, 1, 7) END`,
  mechanism: sql`${t.mechanism}`
}

/** Aggregates for charts. Queries only; the routes validate the groupings. */
export function createStatsRepository (orm: Orm) {
  function transferBuckets (groupBy: TransferGrouping, where: SQL | undefined): Bucket[] {
    if (groupBy === 'organization') {
      // One row a (transfer, organisation of the people transferred); a transfer without one is in the null bucket.
      const p = transferParticipants
      const rows = orm.select({ key: p.actorId, name: actors.name, ...transferMeasures }).from(t)
        .leftJoin(p, and(eq(p.transferId, t.id), eq(p.role, 'organization_of_transferred')))
        .leftJoin(actors, eq(actors.id, p.actorId))
        .where(where).groupBy(p.actorId).all()
      return rows.map((r) => ({ key: r.key, label: r.key === null ? missingLabels.organization! : r.name ?? r.key, values: valuesOf(r) }))
    }
    const key = transferKeys[groupBy]
    const rows = orm.select({ key, ...transferMeasures }).from(t).where(where).groupBy(key).all()
    return rows.map((r) => ({ key: r.key, label: r.key ?? missingLabels[groupBy]!, values: valuesOf(r) }))
  }

  function counted (groupBy: string, rows: Array<{ key: string, label?: string | null, count: number }>, order: { enum?: readonly string[] }): StatsDto {
    const buckets = arrange(rows.map((r) => ({ key: r.key, label: r.label ?? r.key, values: [r.count] })), order, 1)
    return { ...chart(groupBy, buckets, ['count']), totals: { count: rows.reduce((sum, r) => sum + r.count, 0) } }
  }

  const count = sql<number>`count(*)`

  return {
    transfers (q: TransferStatsQueryType): TransferStatsDto {
      const groupBy = q.group_by ?? 'year'
      const where = and(...transferFilters(q))
      const order = groupBy === 'year' || groupBy === 'month' ? { time: groupBy } : groupBy === 'mechanism' ? { enum: transferMechanisms } : {}
      const buckets = arrange(transferBuckets(groupBy, where), order, transferSeriesNames.length)
      const totals = orm.select(transferMeasures).from(t).where(where).get()!
      const [occasions, people, withoutCount, approximate] = valuesOf(totals)
      return {
        ...chart(groupBy, buckets, transferSeriesNames),
        group_by: groupBy,
        totals: { occasions: occasions!, people: people!, occasions_without_count: withoutCount!, occasions_with_approximate_count: approximate! }
      }
    },

    quotes (groupBy: 'speaker'): StatsDto {
      const rows = orm.select({ key: quotes.speakerId, label: actors.name, count }).from(quotes)
        .leftJoin(actors, eq(actors.id, quotes.speakerId)).groupBy(quotes.speakerId).all()
      return counted(groupBy, rows, {})
    },

    cooperationMeasures (groupBy: 'kind' | 'status'): StatsDto {
      const m = cooperationMeasures
      const key = groupBy === 'kind' ? m.kind : m.status
      const rows = orm.select({ key, count }).from(m).groupBy(key).all()
      return counted(groupBy, rows, { enum: groupBy === 'kind' ? cooperationMeasureKinds : cooperationMeasureStatuses })
    },

    tariffDeadlines (groupBy: 'status'): StatsDto {
      const rows = orm.select({ key: tariffDeadlines.status, count }).from(tariffDeadlines).groupBy(tariffDeadlines.status).all()
      return counted(groupBy, rows, { enum: tariffDeadlineStatuses })
    }
  }
}

export type StatsRepository = ReturnType<typeof createStatsRepository>
