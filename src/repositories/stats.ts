import { and, eq, inArray, sql, type SQL } from 'drizzle-orm'
import type { SQLiteTable } from 'drizzle-orm/sqlite-core'
import { rows as rowsOf, statement, type Dialect, type Read } from '../db/query.js'
import { statCells } from '../db/schema/stat-cells.js'
import { invalidParameter } from '../errors.js'
import { actors } from '../kinds/actors/table.js'
import type { BoundColumns } from '../query/dates.js'
import type { FieldFilter, Filters } from '../query/filters.js'

/**
 * Statistics for any chart: a kind's records grouped by one or two dimensions — any categorical
 * field its list filters on, any of its dates by day, week, month, quarter or year, or a
 * dimension of its own over a relation (transfers by organisation) — under the same field
 * filters as its list, with one series a measure (`count`, or the kind's own).
 */

/** The units a date is bucketed by, coarsest first. */
export const timeUnits = ['year', 'quarter', 'month', 'week', 'day'] as const
export type TimeUnit = typeof timeUnits[number]

/** How a dimension's buckets are ordered: along a time axis, in an enum's (lifecycle) order, or by size. */
interface BucketOrder { time?: TimeUnit, enum?: readonly string[] }

/** The value of a record on a dimension's axis, and on the other's (`other`, in two dimensions). */
export interface Cell { key: string | null, other: string | null, values: number[] }

export interface Dimension {
  name: string
  /** What its buckets are, for the `group_by` description. */
  description: string
  order: BucketOrder
  /** The label of the bucket of records without a value. */
  missing: string
  /** Its keys are actor ids, labelled with the actors' names. */
  actors?: boolean
  /** The SQL of a record's bucket (null: none), in a dialect. */
  key?: (dialect: Dialect) => SQL<string | null>
  /**
   * A dimension over a relation, a record in several buckets: its cells under the filter `where`,
   * grouped also by the other dimension's key when there is one.
   */
  cells?: (dialect: Dialect, where: SQL | undefined, other: SQL<string | null> | undefined) => Read<Cell[]>
  /**
   * Kept on every write (src/repositories/stat-cells.ts): the name it has in a kept cell (`month`
   * is `date:month`'s), and a record's bucket, from the record as the API shows it — the same
   * value `key` computes from its row.
   */
  kept?: { name: string, of: (record: Record<string, unknown>) => string | null }
}

export interface Measure {
  name: string
  /** An aggregate over the grouped records. */
  sql: SQL<number>
  /** What one record adds to it, from the record as the API shows it: kept statistics sum these. */
  of?: (record: Record<string, unknown>) => number
}

/** One bar of a chart: the value it stands for, its label, and one number a series. */
export interface Bucket { key: string | null, label: string, values: number[] }

const pad = (n: number, width = 2) => String(n).padStart(width, '0')
const isoDay = (d: Date) => d.toISOString().slice(0, 10)

/** The ISO 8601 week (`2025-W07`) of a UTC day. */
function isoWeek (d: Date): string {
  const thursday = new Date(d)
  thursday.setUTCDate(d.getUTCDate() + 3 - ((d.getUTCDay() + 6) % 7))
  const year = thursday.getUTCFullYear()
  const week = 1 + Math.floor((thursday.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 / 7)
  return `${pad(year, 4)}-W${pad(week)}`
}

/** The first day of a bucket key. */
function startOf (unit: TimeUnit, key: string): Date {
  switch (unit) {
    case 'year': return new Date(Date.UTC(Number(key), 0, 1))
    case 'quarter': return new Date(Date.UTC(Number(key.slice(0, 4)), (Number(key.slice(6)) - 1) * 3, 1))
    case 'month': return new Date(Date.UTC(Number(key.slice(0, 4)), Number(key.slice(5, 7)) - 1, 1))
    case 'day': return new Date(`${key}T00:00:00Z`)
    case 'week': {
      // Week 1 holds 4 January; its Monday, then the weeks after.
      const jan4 = new Date(Date.UTC(Number(key.slice(0, 4)), 0, 4))
      jan4.setUTCDate(jan4.getUTCDate() - ((jan4.getUTCDay() + 6) % 7) + (Number(key.slice(6)) - 1) * 7)
      return jan4
    }
  }
}

const keyOf: Record<TimeUnit, (d: Date) => string> = {
  year: (d) => pad(d.getUTCFullYear(), 4),
  quarter: (d) => `${pad(d.getUTCFullYear(), 4)}-Q${Math.floor(d.getUTCMonth() / 3) + 1}`,
  month: (d) => `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}`,
  week: isoWeek,
  day: isoDay
}

function next (unit: TimeUnit, d: Date): Date {
  const n = new Date(d)
  if (unit === 'year') n.setUTCFullYear(n.getUTCFullYear() + 1)
  else if (unit === 'quarter') n.setUTCMonth(n.getUTCMonth() + 3)
  else if (unit === 'month') n.setUTCMonth(n.getUTCMonth() + 1)
  else n.setUTCDate(n.getUTCDate() + (unit === 'week' ? 7 : 1))
  return n
}

/** How many buckets a time axis may have once its gaps are filled, and a statistic in all (the product of its axes). */
const maxTimeBuckets = 5000
const maxBuckets = 20_000

/** Every bucket from the first to the last, so a time axis shows the empty ones. */
function axisBetween (unit: TimeUnit, first: string, last: string, name: string): string[] {
  const keys: string[] = []
  for (let d = startOf(unit, first); keyOf[unit](d) <= last; d = next(unit, d)) {
    keys.push(keyOf[unit](d))
    if (keys.length > maxTimeBuckets) {
      throw invalidParameter('group_by', `asks for more than ${maxTimeBuckets} buckets of "${name}" (from ${first} to ${last}); narrow the dates or take a longer unit`)
    }
  }
  return keys
}

/**
 * Puts buckets in chart order: time axes chronologically with the gaps filled by zeros, enums in
 * their declared (lifecycle) order, anything else by the first series, largest first, then label.
 * The bucket of records without a value, if any, comes last.
 */
function arrange (buckets: Bucket[], order: BucketOrder, width: number, name = 'date'): Bucket[] {
  const known = buckets.filter((b) => b.key !== null)
  const missing = buckets.filter((b) => b.key === null)
  let sorted: Bucket[]
  if (order.time !== undefined && known.length > 0) {
    const keys = known.map((b) => b.key!).sort()
    const byKey = new Map(known.map((b) => [b.key, b]))
    sorted = axisBetween(order.time, keys[0]!, keys.at(-1)!, name).map((key) => byKey.get(key) ?? { key, label: key, values: new Array<number>(width).fill(0) })
  } else if (order.enum !== undefined) {
    const rank = (key: string | null) => order.enum!.indexOf(key ?? '')
    sorted = [...known].sort((a, b) => rank(a.key) - rank(b.key))
  } else {
    sorted = [...known].sort((a, b) => b.values[0]! - a.values[0]! || a.label.localeCompare(b.label) || a.key!.localeCompare(b.key!))
  }
  return [...sorted, ...missing]
}

/** SQL: the bucket of `unit` a date is known to fall in — both its bounds in the same one — or null. */
function dateBucket (bounds: BoundColumns, unit: TimeUnit): (dialect: Dialect) => SQL<string | null> {
  const of = (d: SQL, dialect: Dialect): SQL => {
    switch (unit) {
      case 'year': return sql`substr(${d}, 1, 4)`
      case 'month': return sql`substr(${d}, 1, 7)`
      case 'day': return sql`${d}`
      case 'quarter': return sql`substr(${d}, 1, 4) || '-Q' || ((CAST(substr(${d}, 6, 2) AS INTEGER) + 2) / 3)`
      case 'week': return dialect.isoWeek(d)
    }
  }
  return (dialect) => sql<string | null>`CASE WHEN ${of(sql`${bounds.earliest}`, dialect)} = ${of(sql`${bounds.latest}`, dialect)} THEN ${of(sql`${bounds.earliest}`, dialect)} END`
}

/** The same bucket from a record's bounds, for the kept statistics (year, quarter and month only: days and weeks would be as many cells as records). */
const keptUnits: Partial<Record<TimeUnit, (d: string) => string>> = {
  year: (d) => d.slice(0, 4),
  quarter: (d) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) + 2) / 3)}`,
  month: (d) => d.slice(0, 7)
}
function keptBucket (name: string, unit: TimeUnit) {
  const of = keptUnits[unit]
  if (of === undefined) return undefined
  return (record: Record<string, unknown>) => {
    const [earliest, latest] = [record[`${name}_earliest`], record[`${name}_latest`]]
    if (typeof earliest !== 'string' || typeof latest !== 'string') return null
    return of(earliest) === of(latest) ? of(earliest) : null
  }
}

/** A record's value of a field a list filters by value: `speaker` is held as `speaker_id`. */
const valueOf = (record: Record<string, unknown>, name: string): unknown => record[name] !== undefined ? record[name] : record[`${name}_id`]

/**
 * The dimensions a kind's list filters give: every field matched against a list of values (ids,
 * enumerations, codes) and every boolean is a categorical dimension; every date is one a unit
 * (`published_on:month`), the first date also under the unit's bare name (`month`).
 */
export function dimensionsOf (filters: Filters): Dimension[] {
  const dimensions: Dimension[] = []
  let mainDate = true
  for (const [name, f] of Object.entries(filters.fields) as Array<[string, FieldFilter]>) {
    if (f.type === 'any-of') {
      const allowed = (f.item as { enum?: unknown[] }).enum?.filter((v): v is string => typeof v === 'string')
      const fold = f.caseInsensitive === true
      dimensions.push({
        name,
        description: `by \`${name}\`${f.actor === true ? ' (labelled with the actors\' names)' : ''}`,
        key: () => (fold ? sql`lower(${f.column})` : sql`${f.column}`),
        order: allowed === undefined ? {} : { enum: allowed },
        missing: `(no ${name.replaceAll('_', ' ')})`,
        ...(f.actor === true ? { actors: true } : {}),
        kept: {
          name,
          of: (record) => {
            const value = valueOf(record, name)
            return typeof value === 'string' ? (fold ? value.toLowerCase() : value) : null
          }
        }
      })
    } else if (f.type === 'boolean') {
      dimensions.push({
        name,
        description: `by \`${name}\` (\`true\`, \`false\`, and not known)`,
        key: () => sql`CASE WHEN ${f.column} THEN 'true' WHEN NOT ${f.column} THEN 'false' END`,
        order: { enum: ['true', 'false'] },
        missing: `(${name.replaceAll('_', ' ')} not known)`,
        kept: { name, of: (record) => (typeof record[name] === 'boolean' ? String(record[name]) : null) }
      })
    } else if (f.type === 'date') {
      for (const unit of timeUnits) {
        const of = keptBucket(name, unit)
        const dimension = {
          description: '',
          key: dateBucket(f.bounds, unit),
          order: { time: unit },
          missing: `(${unit} not known)`,
          ...(of === undefined ? {} : { kept: { name: `${name}:${unit}`, of } })
        }
        if (mainDate) dimensions.push({ ...dimension, name: unit, description: `by ${unit} of \`${name}\` (also \`${name}:${unit}\`)` })
        dimensions.push({ ...dimension, name: `${name}:${unit}`, description: `by ${unit} of \`${name}\`` })
      }
      mainDate = false
    }
  }
  return dimensions
}

export interface StatisticSpec {
  /** The record type, as the kept statistics name it. */
  kind: string
  table: SQLiteTable
  filters: Filters
  dimensions: Dimension[]
  measures: Measure[]
  defaultGroupBy: string
  /** Totals counting the buckets in which a measure is not zero (`disputed_buckets`). */
  bucketTotals?: Record<string, string>
}

/** The answer of a statistic, before it is a chart. */
export interface Grouped {
  groupBy: string
  axes: Bucket[][]
  cells: Map<string, number[]>
  measures: string[]
  totals: Record<string, number>
}

/** How many dimensions a statistic groups by at once. */
export const maxDimensions = 2

const cellKey = (a: string | null, b: string | null) => JSON.stringify([a, b])

/** The names of `group_by`, checked: at most two, known, different. */
function parseGroupBy (raw: string, dimensions: Map<string, Dimension>): Dimension[] {
  const names = raw.split(',')
  if (names.length > maxDimensions) throw invalidParameter('group_by', `names ${names.length} dimensions; a statistic groups by at most ${maxDimensions}`)
  const picked = names.map((name) => {
    const dimension = dimensions.get(name)
    if (dimension === undefined) throw invalidParameter('group_by', `has an unknown value "${name}"; allowed values are ${[...dimensions.keys()].join(', ')}`)
    return dimension
  })
  if (picked.length === 2 && (picked[0] === picked[1] || (picked[0]!.key !== undefined && picked[0]!.key === picked[1]!.key))) {
    throw invalidParameter('group_by', `names the same dimension twice ("${raw}")`)
  }
  return picked
}

/** Names of the actors among `keys`, for labels. */
function * actorNames (keys: string[]): Read<Map<string, string>> {
  if (keys.length === 0) return new Map()
  const named = yield * rowsOf(statement<{ id: string, name: string }>(sql`SELECT ${actors.id} AS id, ${actors.name} AS name FROM ${actors} WHERE ${inArray(actors.id, keys)}`))
  return new Map(named.map((r) => [r.id, r.name]))
}

/** Sums cells into the buckets of one axis (for its order), labelled. */
function * axisOf (dimension: Dimension, cells: Cell[], pick: (c: Cell) => string | null, width: number): Read<Bucket[]> {
  const sums = new Map<string | null, number[]>()
  for (const cell of cells) {
    const key = pick(cell)
    const sum = sums.get(key) ?? new Array<number>(width).fill(0)
    cell.values.forEach((v, i) => { sum[i]! += v })
    sums.set(key, sum)
  }
  const names = dimension.actors === true ? yield * actorNames([...sums.keys()].filter((k): k is string => k !== null)) : new Map<string, string>()
  const buckets = [...sums].map(([key, values]) => ({ key, label: key === null ? dimension.missing : names.get(key) ?? key, values }))
  return arrange(buckets, dimension.order, width, dimension.name)
}

/**
 * A kind's statistic: for a query (`group_by` and the list's field filters), its records grouped
 * by one or two dimensions, every measure a cell, and the totals over every matching record.
 */
export function defineStatistic (spec: StatisticSpec) {
  const dimensions = new Map(spec.dimensions.map((d) => [d.name, d]))
  const measureSql = Object.fromEntries(spec.measures.map((m, i) => [`m${i}`, m.sql]))
  const valuesOf = (row: Record<string, unknown>) => spec.measures.map((_, i) => Number(row[`m${i}`] ?? 0))

  // Kept on every write: the dimensions a cell holds (each once: `month` is `date:month`), when
  // every measure says what a record adds to it.
  const keptDimensions = [...new Map(spec.dimensions.flatMap((d) => (d.kept === undefined ? [] : [[d.kept.name, d.kept] as const]))).values()]
  const keeps = spec.measures.every((m) => m.of !== undefined) && spec.measures.length <= keptMeasures
  /** A record's cell and what it adds to each measure, from the record as the API shows it. */
  const cellOf = (record: Record<string, unknown>) => ({
    cell: JSON.stringify(Object.fromEntries(keptDimensions.map((d) => [d.name, d.of(record)]))),
    values: spec.measures.map((m) => m.of!(record))
  })
  const keptSums = Object.fromEntries(spec.measures.map((_, i) => [`m${i}`, sql<number>`sum(${sql.identifier(`m${i}`)})`]))
  /** Whether the kept cells answer the query: dimensions they hold, filters on the values they hold. */
  const servedByKept = (picked: Dimension[], q: Record<string, unknown>) => keeps &&
    picked.every((d) => d.kept !== undefined) &&
    Object.keys(q).every((param) => param === 'group_by' || spec.filters.valueParameters.has(param))
  type Row = Record<string, unknown> & { key: string | null, other?: string | null }
  /**
   * `SELECT keys, measures FROM … GROUP BY` the keys, by their places in the select list: a key's
   * expression repeated in GROUP BY would bind its parameters again, and PostgreSQL would not see
   * the two as one expression.
   */
  const grouped = (keys: Record<string, SQL>, measures: Record<string, SQL>, from: SQL) => rowsOf(statement<Row>(sql`SELECT ${sql.join(
    [...Object.entries(keys), ...Object.entries(measures)].map(([name, expr]) => sql`${expr} AS ${sql.identifier(name)}`), sql`, `)}
    FROM ${from} GROUP BY ${sql.raw(Object.keys(keys).map((_, i) => String(i + 1)).join(', '))}`))
  const cellsOf = (found: Row[]): Cell[] => found.map((r) => ({ key: r.key, other: r.other ?? null, values: valuesOf(r) }))

  /** `kept: false` reads the records even where the kept cells would answer: to check them against, and to measure. */
  const compute = (dialect: Dialect, { kept = true } = {}) => function * (q: Record<string, unknown>): Read<Grouped> {
    const keptColumn = (name: string) => dialect.jsonMember(statCells.cell, name)
    const groupBy = typeof q.group_by === 'string' ? q.group_by : spec.defaultGroupBy
    const picked = parseGroupBy(groupBy, dimensions)
    const where = and(...spec.filters.where(q))
    const matching = sql`${spec.table} WHERE ${where ?? sql`1 = 1`}`
    let cells: Cell[]
    const custom = picked.findIndex((d) => d.cells !== undefined)
    if (kept && servedByKept(picked, q)) {
      const [first, second] = picked
      const keys = { key: keptColumn(first!.kept!.name), ...(second === undefined ? {} : { other: keptColumn(second.kept!.name) }) }
      cells = cellsOf(yield * grouped(keys, keptSums, sql`${statCells} WHERE ${and(eq(statCells.kind, spec.kind), ...spec.filters.whereOn(q, keptColumn))}`))
    } else if (custom >= 0) {
      const other = picked[1 - custom]
      const found = yield * picked[custom]!.cells!(dialect, where, other?.key?.(dialect))
      cells = custom === 0 ? found : found.map((c) => ({ key: c.other, other: c.key, values: c.values }))
    } else {
      const [first, second] = picked
      const keys = { key: first!.key!(dialect), ...(second === undefined ? {} : { other: second.key!(dialect) }) }
      cells = cellsOf(yield * grouped(keys, measureSql, matching))
    }
    const width = spec.measures.length
    // Paired with a dimension over a relation, a record is in several of the other's cells: that
    // axis is ordered by its own buckets, counted once each, not by the cells' sums.
    const axes: Bucket[][] = []
    for (const [i, d] of picked.entries()) {
      axes.push(custom >= 0 && i !== custom
        ? yield * axisOf(d, cellsOf(yield * grouped({ key: d.key!(dialect) }, measureSql, matching)), (c) => c.key, width)
        : yield * axisOf(d, cells, (c) => (i === 0 ? c.key : c.other), width))
    }
    const size = axes.reduce((n, axis) => n * axis.length, 1)
    if (size > maxBuckets) {
      throw invalidParameter('group_by', `asks for ${size} buckets (${axes.map((a) => a.length).join(' × ')}); a statistic has at most ${maxBuckets}: narrow the filters or take a longer unit`)
    }
    const byCell = new Map(cells.map((c) => [cellKey(c.key, c.other), c.values]))
    // Grouped by fields of the record alone, each record is in one cell: the totals are their sums.
    // Over a relation a record is in several, and the totals are counted apart.
    const totalsRow = custom < 0
      ? spec.measures.map((_, i) => cells.reduce((sum, c) => sum + c.values[i]!, 0))
      : valuesOf((yield * rowsOf(statement<Record<string, unknown>>(sql`SELECT ${sql.join(Object.entries(measureSql).map(([name, expr]) => sql`${expr} AS ${sql.identifier(name)}`), sql`, `)} FROM ${matching}`)))[0] ?? {})
    const totals = Object.fromEntries(spec.measures.map((m, i) => [m.name, totalsRow[i]!]))
    for (const [total, measure] of Object.entries(spec.bucketTotals ?? {})) {
      const i = spec.measures.findIndex((m) => m.name === measure)
      totals[total] = cells.filter((c) => (c.values[i] ?? 0) > 0).length
    }
    return { groupBy: picked.map((d) => d.name).join(','), axes, cells: byCell, measures: spec.measures.map((m) => m.name), totals }
  }
  return { compute, ...(keeps ? { cellOf } : {}) }
}

/** How many measures a kept cell holds (`m0`…`m5`). */
export const keptMeasures = 6

/**
 * A grouped statistic as a chart: `keys` and `labels` of the first dimension's axis, one series a
 * measure — and, grouped by two, one a measure and bucket of the second (`group`, `group_label`),
 * as a stacked or grouped chart draws them — with the second axis in `groups`, `group_labels`.
 */
export function chart (grouped: Grouped) {
  const [first, second] = grouped.axes
  const zeros = new Array<number>(grouped.measures.length).fill(0)
  const at = (a: string | null, b: string | null) => grouped.cells.get(cellKey(a, b)) ?? zeros
  const series = second === undefined
    ? grouped.measures.map((name, i) => ({ name, data: first!.map((b) => b.values[i]!) }))
    : grouped.measures.flatMap((name, i) => second.map((g) => ({ name, group: g.key, group_label: g.label, data: first!.map((b) => at(b.key, g.key)[i]!) })))
  return {
    group_by: grouped.groupBy,
    keys: first!.map((b) => b.key),
    labels: first!.map((b) => b.label),
    ...(second === undefined ? {} : { groups: second.map((g) => g.key), group_labels: second.map((g) => g.label) }),
    series,
    totals: grouped.totals
  }
}

/**
 * A grouped statistic as tidy rows, one a bucket (a pair of buckets in two dimensions), empty
 * ones too: the dimension's key and label, then each measure. For CSV.
 */
export function rows (grouped: Grouped): { columns: string[], rows: Array<Record<string, unknown>> } {
  const names = grouped.groupBy.split(',').map((n) => n.replace(':', '_'))
  const columns = [...names.flatMap((n) => [n, `${n}_label`]), ...grouped.measures]
  const [first, second] = grouped.axes
  const zeros = new Array<number>(grouped.measures.length).fill(0)
  const row = (buckets: Bucket[], values: number[]) => Object.fromEntries([
    ...buckets.flatMap((b, i) => [[names[i]!, b.key], [`${names[i]!}_label`, b.label]]),
    ...grouped.measures.map((m, i) => [m, values[i]])
  ])
  const out = second === undefined
    ? first!.map((b) => row([b], b.values))
    : first!.flatMap((b) => second.map((g) => row([b, g], grouped.cells.get(cellKey(b.key, g.key)) ?? zeros)))
  return { columns, rows: out }
}

/** `count(*)`, typed. */
export const countAll = sql<number>`count(*)`
