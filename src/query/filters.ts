import { inArray, notInArray, sql, type SQL, type SQLWrapper } from 'drizzle-orm'
import { Type, type TProperties, type TSchema } from 'typebox'
import { invalidParameter } from '../errors.js'
import { type BoundColumns, dateOnOrAfter, dateOnOrBefore } from './dates.js'

/**
 * The one filter syntax of every list, written with double underscores so that it reads in curl
 * without quoting and gives generated SDKs a typed parameter each:
 *
 * - `field=a,b` — any of these values (ids and enumerations; one value is a list of one);
 * - `field__not=a,b` — none of these (a record without a value is none of them);
 * - `field__gt`, `__gte`, `__lt`, `__lte` — ranges on numbers; dates take `<from>`/`<to>`, whose
 *   bounds overlap as every date filter does (src/query/dates.ts);
 * - `field__null=true|false` — whether a nullable field has a value.
 *
 * A kind declares its filters with the helpers below; `defineFilters` derives the query
 * parameters (typed and described, for the OpenAPI document) and the SQL, so no list parses its
 * filters by hand. A value the API cannot read is a 400 naming the parameter, never an empty 200.
 */

/** SQL: the column (or expression) is one of the values. */
export const isAnyOf = (column: SQLWrapper, values: string[]): SQL => inArray(column as never, values)

/** How many values an any-of list takes. */
export const maxListValues = 100

interface Described {
  /** More on what the field holds, appended to the parameters' descriptions. */
  note?: string
  /**
   * Whether the filter's parameter shows its item's example. "Try it out" sends every example of
   * a list at once, and they must find something together on the seed data.
   */
  example?: boolean
}

/** A string field matched against a list of values: ids, enumerations, codes. */
export interface AnyOfFilter extends Described {
  type: 'any-of'
  column: SQLWrapper
  /** One value's schema: its `enum`, `pattern` and `maxLength` check each item of a list. */
  item: TSchema
  nullable?: boolean
  /** Compare lower-cased (BCP 47 language tags ignore case). */
  caseInsensitive?: boolean
  /** The values are actor ids (statistics label them with the actors' names). */
  actor?: boolean
}

/** Any of a list of values, matched by a condition of the kind's own (a participant, a role held). */
export interface AnyOfExistsFilter extends Described {
  type: 'exists'
  item: TSchema
  /** What a record that matches has, and one that matches none: `with a participant who is one of these actors`. */
  matches: string
  excludes: string
  /** The condition a record meets for any of `values` (given the whole query, for filters that combine). */
  where: (values: string[], q: FilterQuery) => SQL
}

export interface NumberFilter extends Omit<Described, 'example'> {
  type: 'number'
  column: SQLWrapper
  integer?: boolean
  nullable?: boolean
  /** The example of `__gte`. */
  example: number
}

export interface BooleanFilter extends Described {
  type: 'boolean'
  column: SQLWrapper
  nullable?: boolean
}

/** A date field: `<from>` and `<to>` keep the dates that may fall in the range. */
export interface DateFilter extends Described {
  type: 'date'
  bounds: BoundColumns
  /** The date column itself, for `__null`. */
  column: SQLWrapper
  from: string
  to: string
  nullable?: boolean
}

export type FieldFilter = AnyOfFilter | AnyOfExistsFilter | NumberFilter | BooleanFilter | DateFilter

type Options<F> = Partial<Omit<F, 'type'>>

export const anyOf = (column: SQLWrapper, item: TSchema, options: Options<AnyOfFilter> = {}): AnyOfFilter =>
  ({ type: 'any-of', column, item, ...options })

export const anyOfExists = (item: TSchema, phrases: { matches: string, excludes: string, note?: string, example?: boolean }, where: (values: string[], q: FilterQuery) => SQL): AnyOfExistsFilter =>
  ({ type: 'exists', item, where, ...phrases })

export const numberRange = (column: SQLWrapper, example: number, options: Options<NumberFilter> = {}): NumberFilter =>
  ({ type: 'number', column, example, ...options })

export const booleanFilter = (column: SQLWrapper, options: Options<BooleanFilter> = {}): BooleanFilter =>
  ({ type: 'boolean', column, ...options })

export const dateRange = (column: SQLWrapper, bounds: BoundColumns, options: { from: string, to: string, nullable?: boolean, note?: string, example?: boolean }): DateFilter =>
  ({ type: 'date', column, bounds, ...options })

const PartialDateParam = (description: string, example: string | undefined) => Type.String({
  description: `${description} ISO 8601 date; \`YYYY-MM\` or \`YYYY\` stand for their first (with a lower bound) or last day (with an upper one).`,
  pattern: '^\\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?)?$',
  format: 'partial-date',
  ...(example === undefined ? {} : { examples: [example] })
})

const allowedOf = (item: TSchema) => (item as { enum?: unknown[] }).enum?.filter((v): v is string => typeof v === 'string')
const exampleOf = (item: TSchema) => (item as { examples?: unknown[] }).examples?.[0]

/**
 * The pattern of a comma-separated list of an item's values (`^(a|b)(,(a|b))*$`), so that the
 * schema checks every value and a bad one is reported with the request's other bad parameters.
 */
export function listPattern (item: TSchema): string | undefined {
  const allowed = allowedOf(item)
  const pattern = (item as { pattern?: string }).pattern
  const one = allowed !== undefined
    ? allowed.map((a) => a.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')
    : pattern?.replace(/^\^/, '').replace(/\$$/, '')
  return one === undefined ? undefined : `^(${one})(,(${one}))*$`
}

/** The query parameter of an any-of list, described from its item (with its example, or none). */
function listParameter (item: TSchema, description: string, withExample: boolean) {
  const allowed = allowedOf(item)
  const example = withExample ? exampleOf(item) : undefined
  const pattern = listPattern(item)
  return Type.String({
    description: `${description} Comma-separated${allowed === undefined ? '' : `; each one of ${allowed.map((a) => `\`${a}\``).join(', ')}`}.`,
    ...(pattern === undefined ? {} : { pattern }),
    minLength: 1,
    maxLength: 2000,
    ...(typeof example === 'string' ? { examples: [example] } : {})
  })
}

/** The query parameters a filter takes, by name, described for `plural` (`quotes`). */
function parametersOf (plural: string, name: string, f: FieldFilter): TProperties {
  const note = f.note === undefined ? '' : ` ${f.note}`
  const field = `\`${name}\``
  const nullParameter = { [`${name}__null`]: Type.Boolean({ description: `\`true\`: only ${plural} whose ${field} is not known (null); \`false\`: only those whose ${field} is.` }) }
  switch (f.type) {
    case 'any-of':
      return {
        [name]: listParameter(f.item, `Only ${plural} whose ${field} is any of these.${note}`, f.example !== false),
        [`${name}__not`]: listParameter(f.item, `Only ${plural} whose ${field} is none of these${f.nullable === true ? ' (or not known)' : ''}.`, false),
        ...(f.nullable === true ? nullParameter : {})
      }
    case 'exists':
      return {
        [name]: listParameter(f.item, `Only ${plural} ${f.matches}.${note}`, f.example !== false),
        [`${name}__not`]: listParameter(f.item, `Only ${plural} ${f.excludes}.`, false)
      }
    case 'number': {
      // Only `__gte` shows the example: the others with it would find nothing together.
      const N = (description: string, example?: number) => (f.integer === true ? Type.Integer : Type.Number)({ description, ...(example === undefined ? {} : { examples: [example] }) })
      return {
        [name]: N(`Only ${plural} whose ${field} is exactly this.${note}`),
        [`${name}__gt`]: N(`Only ${plural} whose ${field} is greater than this.`),
        [`${name}__gte`]: N(`Only ${plural} whose ${field} is at least this.`, f.example),
        [`${name}__lt`]: N(`Only ${plural} whose ${field} is less than this.`),
        [`${name}__lte`]: N(`Only ${plural} whose ${field} is at most this.`),
        ...(f.nullable === true ? nullParameter : {})
      }
    }
    case 'boolean':
      return {
        [name]: Type.Boolean({ description: `Only ${plural} whose ${field} is \`true\`, or \`false\`.${note}` }),
        ...(f.nullable === true ? nullParameter : {})
      }
    case 'date':
      return {
        [f.from]: PartialDateParam(`Only ${plural} whose ${field} may be on or after this date (month-precise and bounded dates overlap the range).${note}`, f.example === false ? undefined : '2025-01-01'),
        [f.to]: PartialDateParam(`Only ${plural} whose ${field} may be on or before this date.`, f.example === false ? undefined : '2025-12-31'),
        ...(f.nullable === true ? nullParameter : {})
      }
  }
}

/** The values of an any-of parameter, each checked against the item's schema: a 400 naming the parameter otherwise. */
export function listValues (name: string, raw: string, item: TSchema): string[] {
  const values = raw.split(',')
  if (values.length > maxListValues) throw invalidParameter(name, `lists ${values.length} values; at most ${maxListValues}`)
  const { enum: allowed, pattern, maxLength } = item as { enum?: unknown[], pattern?: string, maxLength?: number }
  const matches = pattern === undefined ? undefined : new RegExp(pattern)
  for (const value of values) {
    if (value === '') throw invalidParameter(name, 'has an empty value; separate values with single commas')
    if (allowed !== undefined && !allowed.includes(value)) {
      throw invalidParameter(name, `has an unknown value "${value}"; allowed values are ${allowed.filter((a) => a !== null).join(', ')}`)
    }
    if (matches !== undefined && !matches.test(value)) throw invalidParameter(name, `has a value "${value}" that does not match ${pattern!}`)
    if (maxLength !== undefined && value.length > maxLength) throw invalidParameter(name, `has a value longer than ${maxLength} characters`)
  }
  return [...new Set(values)]
}

/**
 * The SQL of a filter's parameters present in `q`; `on`, the column to test instead of the
 * filter's own (the kept statistics' cells, src/repositories/stat-cells.ts, where a boolean is
 * the text `true` or `false`).
 */
function conditionsOf (name: string, f: FieldFilter, q: Record<string, unknown>, on?: SQLWrapper): SQL[] {
  if (on !== undefined && (f.type === 'any-of' || f.type === 'boolean')) f = { ...f, column: on }
  const where: SQL[] = []
  const given = (param: string) => q[param] !== undefined
  if (f.type === 'any-of' || f.type === 'exists') {
    const fold = (values: string[]) => (f.type === 'any-of' && f.caseInsensitive === true ? values.map((v) => v.toLowerCase()) : values)
    const column = f.type === 'any-of' && f.caseInsensitive === true ? sql`lower(${f.column})` : f.type === 'any-of' ? f.column : undefined
    for (const [param, negate] of [[name, false], [`${name}__not`, true]] as const) {
      if (!given(param)) continue
      const values = fold(listValues(param, q[param] as string, f.item))
      if (f.type === 'exists') where.push(negate ? sql`NOT ${f.where(values, {})}` : f.where(values, q))
      else where.push(negate ? sql`(${column!} IS NULL OR ${notInArray(column! as never, values)})` : isAnyOf(column!, values))
    }
  }
  if (f.type === 'number') {
    const ops = { '': '=', __gt: '>', __gte: '>=', __lt: '<', __lte: '<=' } as const
    for (const [suffix, op] of Object.entries(ops)) {
      if (given(`${name}${suffix}`)) where.push(sql`${f.column} ${sql.raw(op)} ${q[`${name}${suffix}`] as number}`)
    }
  }
  // The column itself, or NOT it: true in SQLite's 0/1 and PostgreSQL's boolean alike (NULL matches neither).
  if (f.type === 'boolean' && given(name)) where.push(on === undefined ? (q[name] === true ? sql`${f.column}` : sql`NOT ${f.column}`) : sql`${f.column} = ${q[name] === true ? 'true' : 'false'}`)
  if (f.type === 'date') {
    if (given(f.from)) where.push(dateOnOrAfter(f.bounds, q[f.from] as string))
    if (given(f.to)) where.push(dateOnOrBefore(f.bounds, q[f.to] as string))
  }
  const column = f.type === 'exists' ? undefined : f.column
  if (column !== undefined && given(`${name}__null`)) where.push(q[`${name}__null`] === true ? sql`${column} IS NULL` : sql`${column} IS NOT NULL`)
  return where
}

/** A list's query as the filters read it. */
export type FilterQuery = Record<string, unknown>

export interface Filters {
  /** Every query parameter of the filters, for the list's query schema. */
  parameters: TProperties
  /** The SQL conditions of the filter parameters a query gives. */
  where (q: Record<string, unknown>): SQL[]
  /** The same conditions tested on other columns (`on` a field's name), for the fields matched by value only. */
  whereOn (q: Record<string, unknown>, on: (name: string) => SQLWrapper): SQL[]
  /** The query parameters of the fields matched by value (any-of lists and booleans, with `__not` and `__null`). */
  valueParameters: ReadonlySet<string>
  /** The filters by field name, for the cross-cutting tests. */
  fields: Readonly<Record<string, FieldFilter>>
}

/** The filters of a kind's list (`plural`: its noun in the parameters' descriptions). */
export function defineFilters (plural: string, fields: Record<string, FieldFilter>): Filters {
  const entries = Object.entries(fields)
  return {
    parameters: Object.assign({}, ...entries.map(([name, f]) => parametersOf(plural, name, f))),
    where: (q) => entries.flatMap(([name, f]) => conditionsOf(name, f, q)),
    whereOn: (q, on) => entries.filter(([, f]) => f.type === 'any-of' || f.type === 'boolean').flatMap(([name, f]) => conditionsOf(name, f, q, on(name))),
    valueParameters: new Set(entries.filter(([, f]) => f.type === 'any-of' || f.type === 'boolean').flatMap(([name]) => [name, `${name}__not`, `${name}__null`])),
    fields
  }
}
