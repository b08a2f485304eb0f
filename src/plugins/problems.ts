import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { AppError, problems, problemTypeUri, type ProblemCode, type ProblemItem } from '../errors.js'

type AjvError = NonNullable<FastifyError['validation']>[number]

const unknownParameter = 'is not a known parameter of this operation'

/** Body fields are named by JSON pointer (`/citations/0/excerpt`), the root as `/`. */
const pointerOf = (dotted: string) => '/' + dotted.replaceAll('.', '/')

const where = { querystring: 'query', params: 'path', headers: 'header', body: 'body' } as const

/** Ajv's messages, reworded for people reading a 400 over curl. */
function describe (e: AjvError): string {
  const p = e.params as Record<string, unknown>
  switch (e.keyword) {
    case 'maximum': return `must be at most ${String(p.limit)}`
    case 'minimum': return `must be at least ${String(p.limit)}`
    case 'enum': return `must be one of: ${(p.allowedValues as unknown[]).join(', ')}`
    case 'type': return `must be ${String(p.type)}`
    case 'pattern': return `must match the pattern ${String(p.pattern)}`
    case 'maxLength': return `must be at most ${String(p.limit)} characters long`
    case 'minLength': return `must be at least ${String(p.limit)} characters long`
    case 'additionalProperties': return unknownParameter
    default: return e.message ?? 'is invalid'
  }
}

function validationProblem (error: FastifyError): AppError {
  const place = where[(error.validationContext ?? 'querystring') as keyof typeof where] ?? 'query'
  const items: ProblemItem[] = (error.validation ?? []).map((e) => {
    const p = e.params as Record<string, unknown>
    const parent = e.instancePath.replace(/^\//, '').replaceAll('/', '.')
    const name = e.keyword === 'additionalProperties'
      ? [parent, String(p.additionalProperty)].filter((x) => x !== '').join('.')
      : e.keyword === 'required' ? [e.instancePath.replace(/^\//, '').replaceAll('/', '.'), String(p.missingProperty)].filter((x) => x !== '').join('.') : e.instancePath.replace(/^\//, '').replaceAll('/', '.')
    return { in: place, name, detail: describe(e) }
  })
  if (place === 'body') {
    const fields = items.map((i) => ({ ...i, name: pointerOf(i.name), detail: i.detail === unknownParameter ? 'is not a known field' : i.detail }))
    return new AppError('invalid_body', fields.map((i) => `The body field ${i.name} ${i.detail}.`).join(' '), fields)
  }
  const unknown = items.filter((i) => i.detail === unknownParameter)
  const code: ProblemCode = unknown.length > 0 && unknown.length === items.length ? 'unknown_parameter' : 'invalid_parameter'
  const noun = place === 'query' ? 'query parameter' : place === 'path' ? 'path parameter' : place
  const detail = items.map((i) => `The ${noun} "${i.name}" ${i.detail}.`).join(' ')
  return new AppError(code, detail, items)
}

/** Maps any error thrown while handling a request onto the catalogue. */
function toAppError (error: FastifyError): AppError {
  if (error instanceof AppError) return error
  if (error.validation !== undefined) return validationProblem(error)
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new AppError('unsupported_media_type', `${error.message}. Send application/json (application/merge-patch+json for PATCH, application/x-ndjson for imports).`)
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('payload_too_large', 'The request body is larger than this operation accepts (BODY_LIMIT, or IMPORT_BODY_LIMIT for imports); split it or ask for a larger limit.')
    case 'SQLITE_CONSTRAINT_PRIMARYKEY':
    case 'SQLITE_CONSTRAINT_UNIQUE':
      return new AppError('conflict', 'The write uses an id that another record (or a role, relation or resource of one) already has; choose another id.')
    case 'SQLITE_BUSY':
    case 'SQLITE_LOCKED':
      return new AppError('unavailable', 'The database is busy with another writer; retry shortly.', undefined, { headers: { 'retry-after': '1' } })
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY': return new AppError('invalid_body', `The request body is not valid JSON: ${error.message}`)
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
