import { Type } from 'typebox'
import { invalidParameter } from '../errors.js'
import { isCalendarDate } from './dates.js'

/** An ISO 8601 timestamp, or a date standing for a moment of that day (UTC). */
export const timePattern = '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$'
const timeRegExp = new RegExp(timePattern)

export const isTime = (value: string) => timeRegExp.test(value)

/** A query parameter naming a time. */
export const TimeParam = (description: string) => Type.String({ description, pattern: timePattern, examples: ['2025-08-13T00:00:00Z'] })

function instant (name: string, value: string, day: 'start' | 'end'): string {
  if (!isCalendarDate(value.slice(0, 10))) throw invalidParameter(name, 'is not a date on the calendar')
  const date = new Date(value.length === 10 ? `${value}T${day === 'start' ? '00:00:00.000' : '23:59:59.999'}Z` : value)
  if (Number.isNaN(date.getTime())) throw invalidParameter(name, 'is not a valid date or timestamp')
  return date.toISOString()
}

/** A time as the revisions store it (ISO, UTC, milliseconds); a date means the start of that day. */
export const startOf = (name: string, value: string) => instant(name, value, 'start')

/** The same, a date meaning the end of that day (`as_of=2025-08-13`: as the day ended). */
export const endOf = (name: string, value: string) => instant(name, value, 'end')
