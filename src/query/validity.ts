import { sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { Type } from 'typebox'
import { invalidParameter } from '../errors.js'
import { firstDay, lastDay, type BoundColumns, type DateBounds } from './dates.js'

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

/** A period's dates, each as its bounds: columns in SQL, values in JavaScript. */
export interface Period<T> {
  start: T
  end: T
  /** The day a source reported it in force. */
  asOf: T
}

/**
 * The attested period: from where its start is placed (its earliest day or, open before, its
 * bound; unknown, the report, or else the end) to where its end is (its latest day or, open
 * after, its bound; unknown, the report, or else the start). A start "on or before 2025-01" is
 * attested from 2025-01; a partial date overlaps, as in every date filter.
 */
function attestedSpan<T> (p: Period<{ earliest: T, latest: T }>): { from: T[], to: T[] } {
  return {
    from: [p.start.earliest, p.start.latest, p.asOf.earliest, p.asOf.latest, p.end.earliest, p.end.latest],
    to: [p.end.latest, p.end.earliest, p.asOf.latest, p.asOf.earliest, p.start.latest, p.start.earliest]
  }
}

/** SQL: attested in force on `day`. */
export function attestedOn (p: Period<BoundColumns>, day: string): SQL {
  const { from, to } = attestedSpan<SQLWrapper>(p)
  const first = sql`coalesce(${sql.join(from, sql`, `)})`
  const last = sql`coalesce(${sql.join(to, sql`, `)})`
  return sql`(${first} <= ${lastDay(day)} AND ${last} >= ${firstDay(day)})`
}

/** SQL: not ruled out on `day`: not begun after it, not ended before it. */
export function possibleOn (p: Pick<Period<BoundColumns>, 'start' | 'end'>, day: string): SQL {
  return sql`((${p.start.earliest} IS NULL OR ${p.start.earliest} <= ${lastDay(day)}) AND (${p.end.latest} IS NULL OR ${p.end.latest} >= ${firstDay(day)}))`
}

/** SQL for `valid_at=day` under a mode (`possible` includes the attested). */
export function inForceOn (p: Period<BoundColumns>, day: string, validity: Validity = 'attested'): SQL {
  return validity === 'attested' ? attestedOn(p, day) : sql`(${attestedOn(p, day)} OR ${possibleOn(p, day)})`
}

/** `validity` means nothing without `valid_at`: a 400 rather than a parameter silently ignored. */
export function checkValidity (q: { valid_at?: string, validity?: Validity }): void {
  if (q.validity !== undefined && q.valid_at === undefined) throw invalidParameter('validity', 'applies to valid_at; give valid_at too')
}

/** The same rules in JavaScript, for a record's child rows (an actor's roles): undefined when not in force. */
export function inForce (p: Period<DateBounds>, day: string, validity: Validity = 'attested'): Validity | undefined {
  const known = (values: Array<string | null>) => values.find((v) => v !== null) ?? null
  const span = attestedSpan(p)
  const [from, to] = [known(span.from), known(span.to)]
  if (from !== null && to !== null && from <= lastDay(day) && to >= firstDay(day)) return 'attested'
  const possible = (p.start.earliest === null || p.start.earliest <= lastDay(day)) && (p.end.latest === null || p.end.latest >= firstDay(day))
  return validity === 'possible' && possible ? 'possible' : undefined
}
