import { edtfForms } from './query/dates.js'

/**
 * The error catalogue: every problem the API reports has a stable code, an HTTP status and a
 * title here. The error handler turns these (and validation errors) into RFC 9457
 * `application/problem+json`; the `type` of a problem is `/problems/<code>`, a page made from
 * this catalogue (src/routes/problems.ts), whose `when` the README's table repeats word for word.
 */
export const problems = {
  invalid_parameter: {
    status: 400,
    title: 'Invalid parameter',
    when: 'a parameter has a bad value (`limit=501`, `limit=Infinity`, `mechanism=teleport`, `sort=colour`)'
  },
  unknown_parameter: {
    status: 400,
    title: 'Unknown query parameter',
    when: 'every bad parameter is one the operation does not know'
  },
  invalid_cursor: {
    status: 400,
    title: 'Invalid cursor',
    when: 'a cursor that was edited, truncated, or issued for another query'
  },
  invalid_request: {
    status: 400,
    title: 'Invalid request',
    when: 'a malformed request: a URL that does not decode, a body shorter than its `Content-Length`, bytes that are not HTTP'
  },
  invalid_body: {
    status: 400,
    title: 'Invalid request body',
    when: 'malformed JSON, unknown fields, wrong types or out-of-range values (each field named by JSON pointer)'
  },
  unauthorized: {
    status: 401,
    title: 'Authentication required',
    when: 'a write without a key, or with a malformed, unknown or expired one (with `WWW-Authenticate`)'
  },
  forbidden: {
    status: 403,
    title: 'Forbidden',
    when: 'a revoked key, or one without the needed scope (`admin` for `/v1/keys`)'
  },
  not_found: {
    status: 404,
    title: 'Record not found',
    when: 'no record has this id'
  },
  route_not_found: {
    status: 404,
    title: 'Route not found',
    when: 'no route has this path'
  },
  method_not_allowed: {
    status: 405,
    title: 'Method not allowed',
    when: 'the path exists but not with this method (`Allow` lists the ones it has)'
  },
  not_acceptable: {
    status: 406,
    title: 'Not acceptable',
    when: 'the `Accept` header allows none of the formats the endpoint answers in'
  },
  request_timeout: {
    status: 408,
    title: 'Request timeout',
    when: 'the request\'s headers or body did not arrive in time (`HEADERS_TIMEOUT_MS`, `REQUEST_TIMEOUT_MS`)'
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    when: 'a create with an id that exists; a delete of a record others point at; any write that breaks a constraint of the stored data'
  },
  gone: {
    status: 410,
    title: 'Record deleted',
    when: 'the record was deleted (`deleted_at` says when)'
  },
  precondition_failed: {
    status: 412,
    title: 'Precondition failed',
    when: '`If-Match` names an older revision (`current_etag` gives the current one)'
  },
  payload_too_large: {
    status: 413,
    title: 'Payload too large',
    when: 'a body over `BODY_LIMIT` (`IMPORT_BODY_LIMIT` for imports)'
  },
  uri_too_long: {
    status: 414,
    title: 'URI too long',
    when: 'a path segment longer than any id (200 characters)'
  },
  unsupported_media_type: {
    status: 415,
    title: 'Unsupported media type',
    when: 'a body that is not JSON (NDJSON for imports)'
  },
  unprocessable: {
    status: 422,
    title: 'Unprocessable record',
    when: 'a link to a missing record, a citation that does not match its source, a bad import line'
  },
  idempotency_mismatch: {
    status: 422,
    title: 'Idempotency key reused',
    when: 'an `Idempotency-Key` reused with another body'
  },
  too_many_requests: {
    status: 429,
    title: 'Too many requests',
    when: 'a client past its rate limit, or with too many change streams open (`limit` names which; retry after `Retry-After` seconds)'
  },
  headers_too_large: {
    status: 431,
    title: 'Request headers too large',
    when: 'request headers over 16 KiB'
  },
  internal: {
    status: 500,
    title: 'Internal server error',
    when: 'an unexpected failure; quote the `request_id` when reporting it'
  },
  not_implemented: {
    status: 501,
    title: 'Not implemented',
    when: 'an operation the PostgreSQL backend does not serve yet: writes, imports, search, API keys over HTTP'
  },
  unavailable: {
    status: 503,
    title: 'Service unavailable',
    when: '`/ready` while the database is closed, not migrated, read-only, or its file was replaced; a write then; a write that found the database busy for over 5 s; the server\'s change streams all taken (always with `Retry-After`)'
  },
  insufficient_storage: {
    status: 507,
    title: 'Insufficient storage',
    when: 'a write to a database whose disk is full (nothing was written; with `Retry-After`)'
  }
} as const satisfies Record<string, { status: number, title: string, when: string }>

export type ProblemCode = keyof typeof problems

/** One item of a problem's `errors` array: which input was wrong, and how. */
export interface ProblemItem {
  /** Where the input was: `query`, `path`, `header` or `body`. */
  in: 'query' | 'path' | 'header' | 'body'
  /** The parameter or field name (a JSON pointer for body fields). */
  name: string
  detail: string
  /** For bulk imports: the 1-based line of the body the problem is on. */
  line?: number
}

export class AppError extends Error {
  readonly status: number
  readonly title: string
  constructor (
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: ProblemItem[],
    /** Extra members of the problem body (e.g. `deleted_at` on a 410) and headers to send. */
    readonly extra?: { members?: Record<string, unknown>, headers?: Record<string, string> }
  ) {
    super(detail)
    this.name = 'AppError'
    this.status = problems[code].status
    this.title = problems[code].title
  }
}

export const problemTypeUri = (code: ProblemCode) => `/problems/${code.replaceAll('_', '-')}`

/** A record that does not exist (and never did, or the caller would get `gone`). */
export function notFound (noun: string, id: string): AppError {
  return new AppError('not_found', `No ${noun} has the id "${id}".`)
}

/** A record that was deleted: its history stays. */
export function gone (kind: { noun: string, path: string }, id: string, at: string): AppError {
  return new AppError('gone', `The ${kind.noun} "${id}" was deleted at ${at}; its history stays at /v1/${kind.path}/${id}/revisions.`,
    undefined, { members: { deleted_at: at } })
}

export function invalidParameter (name: string, detail: string): AppError {
  return new AppError('invalid_parameter', `The query parameter "${name}" ${detail}.`, [{ in: 'query', name, detail }])
}

/** What a JSON Schema validator reports: Ajv's error objects, as the routes and the document validator get them. */
export interface SchemaError {
  keyword: string
  instancePath: string
  params: Record<string, unknown>
  message?: string
}

type Place = ProblemItem['in']

/**
 * A pattern in words: a list of values (`^(a|b)(,(a|b))*$`, src/query/filters.ts; with `?` for
 * `*`, a list of one or two, as `group_by` takes) names what it takes; any other pattern is shown
 * as it is.
 */
function describePattern (pattern: string, value: unknown): string {
  const list = /^\^\((.+)\)\(,\(\1\)\)([*?])\$$/.exec(pattern)
  if (list === null) return `must match the pattern ${pattern}`
  const one = list[1]!
  const atMostTwo = list[2] === '?'
  const words = one.split('|').every((w) => /^[\w:-]+$/.test(w)) ? one.split('|') : undefined
  const values = typeof value === 'string' ? value.split(',') : undefined
  // The value a list holds that is not one of its values, when the request's value is known.
  const bad = values?.find((v) => !new RegExp(`^(${one})$`).test(v))
  if (bad === '') return 'has an empty value; separate values with single commas'
  if (bad !== undefined) {
    return words !== undefined ? `has an unknown value "${bad}"; allowed values are ${words.join(', ')}` : `has a value "${bad}" that does not match ^${one}$`
  }
  if (atMostTwo && values !== undefined && values.length > 2) return `names ${values.length} values; it takes one, or two separated by a comma`
  const count = atMostTwo ? 'one or two' : 'one or more'
  return words !== undefined ? `must be ${count} of: ${words.join(', ')} (comma-separated)` : `must be a comma-separated list of ${count} values, each matching ^${one}$`
}

/** A schema error, in words for people reading a 400 over curl (`value`: what was sent, when known). */
function describe (e: SchemaError, place: Place, value?: unknown): string {
  const p = e.params
  switch (e.keyword) {
    case 'maximum': return `must be at most ${String(p.limit)}`
    case 'minimum': return `must be at least ${String(p.limit)}`
    case 'enum': return `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`
    case 'type': return `must be ${String(p.type)}`
    case 'pattern': return describePattern(String(p.pattern), value)
    case 'maxLength': return `must be at most ${String(p.limit)} characters long`
    case 'minLength': return `must be at least ${String(p.limit)} characters long`
    case 'required': return 'is required'
    case 'format': return p.format === 'edtf-date' ? `must be ${edtfForms}` : e.message ?? 'is invalid'
    case 'additionalProperties': return place === 'body' ? 'is not a known field' : 'is not a known parameter of this operation'
    default: return e.message ?? 'is invalid'
  }
}

/**
 * The problem items of schema errors: body fields named by JSON pointer (`/citations/0/excerpt`,
 * the root as `/`), parameters and headers by name (nested ones dotted). The one place where
 * validation errors, of routes and of documents alike, become problems.
 */
export function validationItems (errors: readonly SchemaError[], place: Place, data?: unknown): ProblemItem[] {
  return errors.map((e) => {
    const segments = e.instancePath.split('/').filter((s) => s !== '')
    if (e.keyword === 'additionalProperties') segments.push(String(e.params.additionalProperty))
    if (e.keyword === 'required') segments.push(String(e.params.missingProperty))
    const name = place === 'body' ? '/' + segments.join('/') : segments.join('.')
    const value = segments.reduce<unknown>((v, key) => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined), data)
    return { in: place, name, detail: describe(e, place, value) }
  })
}

/** The 400 of a request that fails its schema: `invalid_body`, `unknown_parameter` or `invalid_parameter`. */
export function validationProblem (errors: readonly SchemaError[], place: Place, data?: unknown): AppError {
  const items = validationItems(errors, place, data)
  if (place === 'body') return new AppError('invalid_body', items.map((i) => `The body field ${i.name} ${i.detail}.`).join(' '), items)
  const unknown = items.filter((i, n) => errors[n]!.keyword === 'additionalProperties')
  const code: ProblemCode = unknown.length > 0 && unknown.length === items.length ? 'unknown_parameter' : 'invalid_parameter'
  const noun = place === 'query' ? 'query parameter' : place === 'path' ? 'path parameter' : place
  return new AppError(code, items.map((i) => `The ${noun} "${i.name}" ${i.detail}.`).join(' '), items)
}
