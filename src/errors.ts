/**
 * The error catalogue: every problem the API reports has a stable code, an HTTP status and a
 * title here. The error handler turns these (and validation errors) into RFC 9457
 * `application/problem+json`; the `type` of a problem is `/problems/<code>`, documented in the README.
 */
export const problems = {
  invalid_parameter: { status: 400, title: 'Invalid parameter' },
  unknown_parameter: { status: 400, title: 'Unknown query parameter' },
  invalid_cursor: { status: 400, title: 'Invalid cursor' },
  invalid_request: { status: 400, title: 'Invalid request' },
  invalid_body: { status: 400, title: 'Invalid request body' },
  unauthorized: { status: 401, title: 'Authentication required' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Record not found' },
  route_not_found: { status: 404, title: 'Route not found' },
  not_acceptable: { status: 406, title: 'Not acceptable' },
  request_timeout: { status: 408, title: 'Request timeout' },
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Record deleted' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  uri_too_long: { status: 414, title: 'URI too long' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable record' },
  idempotency_mismatch: { status: 422, title: 'Idempotency key reused' },
  too_many_requests: { status: 429, title: 'Too many requests' },
  headers_too_large: { status: 431, title: 'Request headers too large' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' },
  insufficient_storage: { status: 507, title: 'Insufficient storage' }
} as const satisfies Record<string, { status: number, title: string }>

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

/** A schema error, in words for people reading a 400 over curl. */
function describe (e: SchemaError, place: Place): string {
  const p = e.params
  switch (e.keyword) {
    case 'maximum': return `must be at most ${String(p.limit)}`
    case 'minimum': return `must be at least ${String(p.limit)}`
    case 'enum': return `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`
    case 'type': return `must be ${String(p.type)}`
    case 'pattern': return `must match the pattern ${String(p.pattern)}`
    case 'maxLength': return `must be at most ${String(p.limit)} characters long`
    case 'minLength': return `must be at least ${String(p.limit)} characters long`
    case 'required': return 'is required'
    case 'additionalProperties': return place === 'body' ? 'is not a known field' : 'is not a known parameter of this operation'
    default: return e.message ?? 'is invalid'
  }
}

/**
 * The problem items of schema errors: body fields named by JSON pointer (`/citations/0/excerpt`,
 * the root as `/`), parameters and headers by name (nested ones dotted). The one place where
 * validation errors, of routes and of documents alike, become problems.
 */
export function validationItems (errors: readonly SchemaError[], place: Place): ProblemItem[] {
  return errors.map((e) => {
    const segments = e.instancePath.split('/').filter((s) => s !== '')
    if (e.keyword === 'additionalProperties') segments.push(String(e.params.additionalProperty))
    if (e.keyword === 'required') segments.push(String(e.params.missingProperty))
    const name = place === 'body' ? '/' + segments.join('/') : segments.join('.')
    return { in: place, name, detail: describe(e, place) }
  })
}

/** The 400 of a request that fails its schema: `invalid_body`, `unknown_parameter` or `invalid_parameter`. */
export function validationProblem (errors: readonly SchemaError[], place: Place): AppError {
  const items = validationItems(errors, place)
  if (place === 'body') return new AppError('invalid_body', items.map((i) => `The body field ${i.name} ${i.detail}.`).join(' '), items)
  const unknown = items.filter((i, n) => errors[n]!.keyword === 'additionalProperties')
  const code: ProblemCode = unknown.length > 0 && unknown.length === items.length ? 'unknown_parameter' : 'invalid_parameter'
  const noun = place === 'query' ? 'query parameter' : place === 'path' ? 'path parameter' : place
  return new AppError(code, items.map((i) => `The ${noun} "${i.name}" ${i.detail}.`).join(' '), items)
}
