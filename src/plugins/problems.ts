import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, problems, problemTypeUri, validationProblem, type SchemaError } from '../errors.js'

const where = { querystring: 'query', params: 'path', headers: 'header', body: 'body' } as const

/** Maps any error thrown while handling a request onto the catalogue. */
function toAppError (error: FastifyError): AppError {
  if (error instanceof AppError) return error
  if (error.validation !== undefined) {
    return validationProblem(error.validation as SchemaError[], where[(error.validationContext ?? 'querystring') as keyof typeof where] ?? 'query')
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
  // Any other constraint (NOT NULL, CHECK…) the schemas did not catch is a conflict with the stored data, not a fault.
  if (typeof error.code === 'string' && error.code.startsWith('SQLITE_CONSTRAINT')) {
    return new AppError('conflict', 'The write conflicts with a constraint of the stored data; nothing was written.')
  }
  if (error.statusCode !== undefined && error.statusCode >= 400 && error.statusCode < 500) {
    return new AppError('invalid_request', error.message)
  }
  return new AppError('internal', 'An unexpected error occurred. Quote the request_id when reporting it.')
}

export function sendProblem (request: FastifyRequest, reply: FastifyReply, error: AppError) {
  if (error.extra?.headers !== undefined) reply.headers(error.extra.headers)
  return reply
    .code(error.status)
    .type('application/problem+json')
    .send({
      type: problemTypeUri(error.code),
      title: problems[error.code].title,
      status: error.status,
      detail: error.detail,
      instance: request.url,
      code: error.code,
      request_id: String(request.id),
      ...(error.errors !== undefined ? { errors: error.errors } : {}),
      ...error.extra?.members
    })
}

/** One error handler for the whole API: everything leaves as RFC 9457 problem+json. */
export default fp(async function problemsPlugin (app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError, request, reply) => {
    const problem = toAppError(error)
    if (problem.status >= 500) request.log.error({ err: error }, 'request failed')
    return sendProblem(request, reply, problem)
  })

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, new AppError('route_not_found',
      `No route matches ${request.method} ${request.url.split('?')[0]}. The API lives under /v1; see /docs for every route.`)))
}, { name: 'problems' })
