import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { Type } from 'typebox'
import { invalidParameter } from '../errors.js'
import { dateOnOrAfter, dateOnOrBefore } from './dates.js'

/**
 * What `valid_at` answers. A role, measure or deadline is **attested** in force on a day the
 * sources put inside its known period: from its start (or, unknown, the day a source reported it
 * in force, `as_of`) to its end (or that report). It **might** be in force on a day nothing rules
 * out: not before a known start, not after a known end. Unknown is not "always": `valid_at` keeps
 * what is attested, `validity=possible` adds what merely might be, each result saying which.
 */
export const validityModes = ['attested', 'possible'] as const
export type Validity = typeof validityModes[number]

export const ValidityParam = Type.Enum(validityModes, {
  type: 'string',
  description: 'With `valid_at`: `attested` (the default) keeps what the sources put in force on that day, inside its known period or on the day a source reported it; `possible` adds what nothing rules out (an unknown start or end), each result\'s `in_force` saying which.',
  examples: ['attested']
})

export const InForce = Type.Enum(validityModes, {
  type: 'string',
  description: 'With `valid_at`: `attested` when the sources put it in force on that day, `possible` when they only do not rule it out (with `validity=possible`).'
})

export interface Period<T> {
  start: T
  end: T
  /** The day a source reported it in force. */
  asOf: T
}

/** The attested period's bounds: each end known, or else the report, or else the other end. */
export function attestedPeriod (p: Period<string | null>): { from: string | null, to: string | null } {
  return { from: p.start ?? p.asOf ?? p.end, to: p.end ?? p.asOf ?? p.start }
}

/** SQL: attested in force on `day` (partial dates overlap). */
export function attestedOn (p: Period<SQLWrapper>, day: string): SQL {
  const from = sql`coalesce(${p.start}, ${p.asOf}, ${p.end})`
  const to = sql`coalesce(${p.end}, ${p.asOf}, ${p.start})`
  return sql`(${from} IS NOT NULL AND ${dateOnOrBefore(from, day)} AND ${dateOnOrAfter(to, day)})`
}

/** SQL: not ruled out on `day`: not begun after it, not ended before it. */
export function possibleOn (p: Pick<Period<SQLWrapper>, 'start' | 'end'>, day: string): SQL {
  return sql`((${p.start} IS NULL OR ${dateOnOrBefore(p.start, day)}) AND (${p.end} IS NULL OR ${dateOnOrAfter(p.end, day)}))`
}

/** SQL for `valid_at=day` under a mode (`possible` includes the attested). */
export function inForceOn (p: Period<SQLWrapper>, day: string, validity: Validity = 'attested'): SQL {
  return validity === 'attested' ? attestedOn(p, day) : sql`(${attestedOn(p, day)} OR ${possibleOn(p, day)})`
}

/** `validity` means nothing without `valid_at`: a 400 rather than a parameter silently ignored. */
export function checkValidity (q: { valid_at?: string, validity?: Validity }): void {
  if (q.validity !== undefined && q.valid_at === undefined) throw invalidParameter('validity', 'applies to valid_at; give valid_at too')
}

/** The first and last day a partial date spans: `2025-02` → 2025-02-01 … 2025-02-31 (compares right). */
const firstDay = (d: string) => (d.length === 4 ? `${d}-01-01` : d.length === 7 ? `${d}-01` : d)
const lastDay = (d: string) => (d.length === 4 ? `${d}-12-31` : d.length === 7 ? `${d}-31` : d)

/** The same rules in JavaScript, for a record's child rows (an actor's roles): undefined when not in force. */
export function inForce (p: Period<string | null>, day: string, validity: Validity = 'attested'): Validity | undefined {
  const overlaps = (from: string | null, to: string | null) =>
    (from === null || from <= lastDay(day)) && (to === null || to >= firstDay(day).slice(0, to.length))
  const { from, to } = attestedPeriod(p)
  if (from !== null && to !== null && overlaps(from, to)) return 'attested'
  if (validity === 'possible' && overlaps(p.start, p.end)) return 'possible'
  return undefined
}
