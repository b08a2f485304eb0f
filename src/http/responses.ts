import { Type } from 'typebox'
import { problems, type ProblemCode } from '../errors.js'

const statusText: Record<number, string> = {
  400: 'The request has a bad or unknown parameter.',
  404: 'No record has this id.',
  406: 'None of the accepted media types can be produced.',
  500: 'An unexpected failure; the body carries no internals.',
  503: 'The service is not ready.'
}

/** Response entries for the problem statuses an operation can return; 500 is always possible. */
export function problemResponses (...statuses: number[]) {
  const entries = [...new Set([...statuses, 500])].map((status) => [status, {
    description: statusText[status] ?? Object.values(problems).find((p) => p.status === status)?.title ?? 'Problem',
    content: { 'application/problem+json': { schema: Type.Ref('Problem') } }
  }])
  return Object.fromEntries(entries) as Record<number, unknown>
}

const requestIdHeader = {
  'X-Request-Id': { type: 'string', description: 'The request id: the incoming `X-Request-Id` when it is a safe token, otherwise a new UUID. It appears in the logs and in problem bodies.' }
}

const linkHeader = {
  Link: { type: 'string', description: 'RFC 8288 link to the next page, `<url>; rel="next"`; absent on the last page.' }
}

export function jsonResponse (description: string, ref: string, { paged = false } = {}) {
  return {
    description,
    headers: paged ? { ...linkHeader, ...requestIdHeader } : requestIdHeader,
    content: { 'application/json': { schema: Type.Ref(ref) } }
  }
}

export type { ProblemCode }
