import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD`: the length says the precision. */
export const partialDatePattern = '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$'

export type DatePrecision = 'year' | 'month' | 'day'

export function precisionOf (date: string | null): DatePrecision | null {
  if (date === null) return null
  return date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day'
}

/**
 * Range filters over partial dates keep every record whose date *overlaps* the range: a record
 * dated `2025-02` matches `date_from=2025-02-15`, since the source does not say which day it was.
 * Records without a date never match a date filter.
 */
export function dateOnOrAfter (column: SQLWrapper, from: string): SQL {
  const start = from.length === 4 ? `${from}-01-01` : from.length === 7 ? `${from}-01` : from
  return sql`${column} >= substr(${start}, 1, length(${column}))`
}

export function dateOnOrBefore (column: SQLWrapper, to: string): SQL {
  const end = to.length === 4 ? `${to}-12-31` : to.length === 7 ? `${to}-31` : to
  return sql`${column} <= ${end}`
}

/** A partial date that exists on the calendar: `2025-02-29` and `2025-13` do not. */
const partialDateRegExp = new RegExp(partialDatePattern)
const daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export function isCalendarDate (value: string): boolean {
  if (!partialDateRegExp.test(value)) return false
  if (value.length < 10) return true
  const year = Number(value.slice(0, 4))
  const month = Number(value.slice(5, 7))
  const day = Number(value.slice(8, 10))
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 && !leap ? 28 : daysInMonth[month - 1]!)
}

/** IANA time zones this runtime knows (`America/New_York`), and `UTC`. */
const timeZones = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC'])

/**
 * Registers the API's own formats with an Ajv instance (the routes' and the document validator's):
 * `partial-date` (a date on the calendar, to the day, month or year) and `time-zone`.
 */
export function addFormats<A extends { addFormat: (name: string, format: { type: 'string', validate: (v: string) => boolean }) => unknown }> (ajv: A): A {
  ajv.addFormat('partial-date', { type: 'string', validate: isCalendarDate })
  ajv.addFormat('time-zone', { type: 'string', validate: (value) => timeZones.has(value) })
  return ajv
}
