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
  conflict: { status: 409, title: 'Conflict' },
  gone: { status: 410, title: 'Record deleted' },
  precondition_failed: { status: 412, title: 'Precondition failed' },
  payload_too_large: { status: 413, title: 'Payload too large' },
  unsupported_media_type: { status: 415, title: 'Unsupported media type' },
  unprocessable: { status: 422, title: 'Unprocessable record' },
  idempotency_mismatch: { status: 422, title: 'Idempotency key reused' },
  internal: { status: 500, title: 'Internal server error' },
  unavailable: { status: 503, title: 'Service unavailable' }
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

export function notFound (kind: string, id: string): AppError {
  return new AppError('not_found', `No ${kind} has the id "${id}".`)
}

export function invalidParameter (name: string, detail: string): AppError {
  return new AppError('invalid_parameter', `The query parameter "${name}" ${detail}.`, [{ in: 'query', name, detail }])
}
