import { parse, type EdtfDateNode, type EdtfNode } from 'edtf'
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'

/**
 * Dates. A record's date is written in the Extended Date/Time Format (EDTF, ISO 8601-2), in the
 * forms that say what a source supports: a date exact at a precision (`2025`, `2025-08`,
 * `2025-08-13`), or bounded — `[..2025-08-13]` on or before, `[2025-08-13..]` on or after,
 * `[2025-07-01..2025-08-13]` between (EDTF's "one of a set"). Every date has derived bounds, the
 * first and last day it may be (null where a bound is open), and one rule reads them everywhere:
 * a date is the span of days it may be; filters keep the dates whose span meets the range asked;
 * sorts, statistics and the timeline place a date at its *known start*, its earliest day or, when
 * only an upper bound is known, that bound. Query parameters stay plain partial dates.
 */

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the length says the precision. */
export const partialDatePattern = '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$'

export type DatePrecision = 'year' | 'month' | 'day'

/** The precision of an exact date, from its length; null for no date and for a bounded one. */
export function precisionOf (date: string | null): DatePrecision | null {
  if (date === null || date.startsWith('[')) return null
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day'
}

const partialDateRegExp = new RegExp(partialDatePattern)
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const isLeap = (year: number) => year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
const monthLength = (year: number, month: number) => (month === 2 && !isLeap(year) ? 28 : daysInMonth[month - 1]!)

/** A partial date that exists on the calendar: `2025-02-29` and `2025-13` do not. */
export function isCalendarDate (value: string): boolean {
  if (!partialDateRegExp.test(value)) return false
  if (value.length < 10) return true
  return Number(value.slice(8, 10)) <= monthLength(Number(value.slice(0, 4)), Number(value.slice(5, 7)))
}

/** The first day of a partial date: `2025-02` → `2025-02-01`. */
export const firstDay = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d)

/** The last day of a partial date, on the calendar: `2025-02` → `2025-02-28`, `2024-02` → `2024-02-29`. */
export function lastDay (d: string): string {
  if (d.length === 4) return `${d}-12-31`
  if (d.length === 7) return `${d}-${monthLength(Number(d.slice(0, 4)), Number(d.slice(5, 7)))}`
  return d
}

/** The first and last day a date may be; null where the date is open on that side, or absent. */
export interface DateBounds {
  earliest: string | null
  latest: string | null
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0')

/** A plain EDTF date node as a partial date (`2025-08`), or undefined when it is more than that. */
function plainDate (node: EdtfNode | undefined): string | undefined {
  if (node?.type !== 'Date') return undefined
  const { values, approximate, uncertain, unspecified } = node as EdtfDateNode
  if (approximate !== undefined || uncertain !== undefined || unspecified !== undefined) return undefined
  if (values.length > 3 || values[0]! < 0 || values[0]! > 9999) return undefined
  return [pad(values[0]!, 4), ...values.slice(1).map((v, i) => pad(i === 0 ? v + 1 : v))].join('-')
}

export const edtfForms = 'an EDTF date (ISO 8601-2): `2025`, `2025-08` or `2025-08-13`, or a bound: `[..2025-08-13]` (on or before), `[2025-08-13..]` (on or after), `[2025-07-01..2025-08-13]` (between, both ends at the same precision); an approximate date is said with the `_approximate` field beside it'

/**
 * Reads a record's date: its bounds, or why it is not a date this API stores. The `edtf` package
 * parses it; only the forms above are taken (a qualifier such as `~`, a season, unspecified digits
 * or a set of several dates is EDTF this API does not store: the answer says so).
 */
export function readDate (value: string): DateBounds | { problem: string } {
  if (partialDateRegExp.test(value)) {
    return isCalendarDate(value) ? { earliest: firstDay(value), latest: lastDay(value) } : { problem: 'is not a day on the calendar' }
  }
  let node: EdtfNode
  try {
    node = parse(value)
  } catch {
    return { problem: `is not ${edtfForms}` }
  }
  if (node.type === 'Set' && Array.isArray(node.values) && node.values.length === 1) {
    const set = node as Extract<EdtfNode, { type: 'Set' | 'List' }>
    const only = set.values[0]!
    if (Array.isArray(only)) {
      const [from, to] = [plainDate(only[0]), plainDate(only[1])]
      if (from !== undefined && to !== undefined) {
        return firstDay(from) <= lastDay(to)
          ? { earliest: firstDay(from), latest: lastDay(to) }
          : { problem: `is a bound whose start ${from} is after its end ${to}` }
      }
    } else {
      const bound = plainDate(only)
      if (bound !== undefined && set.earlier === true) return { earliest: null, latest: lastDay(bound) }
      if (bound !== undefined && set.later === true) return { earliest: firstDay(bound), latest: null }
    }
  }
  return { problem: `is EDTF, but not a form this API stores: write ${edtfForms}` }
}

/** The bounds of a stored date (one that passed `readDate`); both null without a date. */
export function boundsOf (value: string | null | undefined): DateBounds {
  if (value === null || value === undefined) return { earliest: null, latest: null }
  const read = readDate(value)
  if ('problem' in read) throw new Error(`stored date "${value}" ${read.problem}`)
  return read
}

/** The stored bounds of a date column (`date_earliest`, `date_latest`). */
export interface BoundColumns {
  earliest: SQLWrapper
  latest: SQLWrapper
}

/**
 * SQL: the date may be on or after `from` (a partial date: its first day). A date open after
 * (`[2025-08-13..]`) may be; a date without bounds (none) never matches.
 */
export function dateOnOrAfter (d: BoundColumns, from: string): SQL {
  return sql`(${d.latest} >= ${firstDay(from)} OR (${d.latest} IS NULL AND ${d.earliest} IS NOT NULL))`
}

/** SQL: the date may be on or before `to` (a partial date: its last day). */
export function dateOnOrBefore (d: BoundColumns, to: string): SQL {
  return sql`(${d.earliest} <= ${lastDay(to)} OR (${d.earliest} IS NULL AND ${d.latest} IS NOT NULL))`
}

/** SQL: where a date is placed (its known start), '' without a date: the sort key and its index. */
export const dateSortKey = (d: BoundColumns): SQL => sql`coalesce(${d.earliest}, ${d.latest}, '')`

/** The same placement in JavaScript, for keyset cursors. */
export const placeOf = (earliest: string | null, latest: string | null) => earliest ?? latest ?? ''

/** IANA time zones this runtime knows (`America/New_York`), and `UTC`. */
const timeZones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])

/**
 * Registers the API's own formats with an Ajv instance (the routes' and the document validator's):
 * `partial-date` (a date on the calendar, to the day, month or year), `edtf-date` (a record's date,
 * see `readDate`) and `time-zone`.
 */
export function addFormats<A extends { addFormat: (name: string, format: { type: 'string', validate: (v: string) => boolean }) => unknown }> (ajv: A): A {
  ajv.addFormat('partial-date', { type: 'string', validate: isCalendarDate })
  ajv.addFormat('edtf-date', { type: 'string', validate: (value) => !('problem' in readDate(value)) })
  ajv.addFormat('time-zone', { type: 'string', validate: (value) => timeZones.has(value) })
  return ajv
}

/** The bound columns of a date of a table: `boundColumns(quotes, 'date')` → date_earliest, date_latest. */
export const boundColumns = <K extends string> (table: { [P in `${K}Earliest` | `${K}Latest`]: SQLWrapper }, key: K): BoundColumns =>
  ({ earliest: table[`${key}Earliest`], latest: table[`${key}Latest`] })

/** A keyset sort field on a table's date: its placement, in SQL and for the cursor. */
export function dateSortField<K extends string> (table: { [P in `${K}Earliest` | `${K}Latest`]: SQLWrapper }, key: K) {
  return {
    expr: dateSortKey(boundColumns(table, key)),
    value: (r: { [P in `${K}Earliest` | `${K}Latest`]: string | null }) => placeOf(r[`${key}Earliest`], r[`${key}Latest`])
  }
}

/** The bounds of a date of a row: `rowBounds(row, 'date')` → its dateEarliest and dateLatest. */
export const rowBounds = <K extends string> (row: { [P in `${K}Earliest` | `${K}Latest`]: string | null }, key: K): DateBounds =>
  ({ earliest: row[`${key}Earliest`], latest: row[`${key}Latest`] })
