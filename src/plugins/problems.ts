import { randomUUID } from 'node:crypto'
import { STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { storageProblem } from '../db/client.js'
import { AppError, problems, problemTypeUri, validationProblem, type SchemaError } from '../errors.js'
import { allowedMethods } from '../http/allow.js'
import { apiSecurityHeaders } from '../http/security-headers.js'
import { maxIdLength } from '../schemas/common.js'

const where = { querystring: 'query', params: 'path', headers: 'header', body: 'body' } as const

/** Maps any error thrown while handling a request onto the catalogue. */
function toAppError (error: FastifyError, request: FastifyRequest): AppError {
  if (error instanceof AppError) return error
  if (error.validation !== undefined) {
    const place = where[(error.validationContext ?? 'querystring') as keyof typeof where] ?? 'query'
    // The query's values, for details that name the bad one (`mechanism=extradition,bogus`).
    return validationProblem(error.validation as SchemaError[], place, place === 'query' ? request.query : undefined)
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', `${error.message}. Send application/json (application/merge-patch+json for PATCH, application/x-ndjson for imports).`)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than this operation accepts (BODY_LIMIT, or IMPORT_BODY_LIMIT for imports); split it or ask for a larger limit.')
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case 'SQLITE_CONSTRAINT_UNIQUE':
      return new AppError('conflict', 'The write uses an id that another record (or a role, relation or resource of one) already has; choose another id.')
    case 'SQLITE_CONSTRAINT_FOREIGNKEY':
      return new AppError('conflict', 'The write would leave a record pointing at one that does not exist (or remove one that others point at); change or delete those first.')
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new AppError('unavailable', 'The database is busy with another writer; retry shortly.', undefined, { headers: { 'retry-after': '1' } })
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new AppError('invalid_body', `The request body is not valid JSON: ${error.message}`)
  }
  const storage = storageProblem(error)
  if (storage !== undefined) return storage
  // Any other constraint (NOT NULL, CHECK…) the schemas did not catch is a conflict with the stored data, not a fault.
  if (typeof error.code === 'string' && error.code.startsWith('SQLITE_CONSTRAINT')) {
    return new AppError('conflict', 'The write conflicts with a constraint of the stored data; nothing was written.')
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('invalid_request', error.message)
  }
  return new AppError('internal', 'An unexpected error occurred. Quote the request_id when reporting it.')
}

/** The RFC 9457 body of a problem. */
export function problemBody (error: AppError, instance: string, requestId: string) {
  return {
    type: problemTypeUri(error.code),
    title: problems[error.code].title,
    status: error.status,
    detail: error.detail,
    instance,
    code: error.code,
    request_id: requestId,
    ...(error.errors !== undefined ? { errors: error.errors } : {}),
    ...error.extra?.members
  }
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.extra?.headers !== undefined) reply.headers(error.extra.headers)
  return reply.code(error.status).type('application/problem+json').send(problemBody(error, request.url, String(request.id)))
}

/**
 * Fastify's router errors (a URL it cannot decode, a path parameter over `maxParamLength`), which
 * bypass the error handler: the same problems as everything else.
 */
export function frameworkError (error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const path = request.url.split('?')[0] ?? request.url
  const problem = error.code === 'FST_ERR_MAX_PARAM_LENGTH'
    ? new AppError('uri_too_long', `A segment of the path ${path.slice(0, 300)} is longer than any id (${maxIdLength} characters).`, [{ in: 'path', name: 'id', detail: `must be at most ${maxIdLength} characters long` }])
    : new AppError('invalid_request', `The URL ${path.slice(0, 300)} is not valid: a percent-encoded sequence does not decode to UTF-8.`)
  // No hook runs for these: the headers every answer has are set here.
  reply.headers({ 'x-request-id': String(request.id), ...apiSecurityHeaders })
  return sendProblem(request, reply, problem)
}

/**
 * Errors node:http meets before Fastify sees a request (malformed request line or headers,
 * headers over the size limit, a request that took too long to arrive): a problem+json written to
 * the socket, with a request id of its own, then the connection is closed, as node does.
 */
export function clientErrorHandler (this: FastifyInstance, err: { code?: string, message: string }, socket: Socket) {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const problem = err.code === 'HPE_HEADER_OVERFLOW'
    ? new AppError('headers_too_large', 'The request\'s headers are larger than this server accepts (16 KiB in all).')
    : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? new AppError('request_timeout', 'The request did not arrive in time (REQUEST_TIMEOUT_MS, HEADERS_TIMEOUT_MS); send it whole, promptly.')
      : new AppError('invalid_request', 'The request is not valid HTTP/1.1.')
  const id = randomUUID()
  this.log.info({ reqId: id, err: { code: err.code, message: err.message } }, `client error: ${problem.code}`)
  if (socket.writable) {
    const body = JSON.stringify(problemBody(problem, '', id))
    socket.write(`HTTP/1.1 ${problem.status} ${STATUS_CODES[problem.status]}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nX-Request-Id: ${id}\r\nConnection: close\r\n\r\n${body}`)
  }
  socket.destroy()
}

/** One error handler for the whole API: everything leaves as RFC 9457 problem+json. */
export default fp(async function problemsPlugin (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toAppError(error, request)
    // A 501 is the backend saying what it does not serve: no fault of the server's to report.
    if (problem.status >= 500 && problem.code !== 'not_implemented') request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, problem)
  })

  // A path that exists, asked with a method it does not have: 405 with the path's own Allow.
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0] ?? request.url
    const allow = allowedMethods(app, path)
    // A route that has this method and still found nothing (a file the static assets lack) is a 404.
    if (allow.length > 0 && !allow.includes(request.method)) {
      reply.header('allow', allow.join(', '))
      return sendProblem(request, reply, new AppError('method_not_allowed', `${path} answers ${allow.join(', ')}; not ${request.method}.`))
    }
    return sendProblem(request, reply, new AppError('route_not_found',
      `No route matches ${request.method} ${path}. The API lives under /v1 (GET /v1 lists it); see /docs for every route.`))
  })
}, { name: 'problems' })
