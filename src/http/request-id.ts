import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'

const requestIdPattern = /^[\w.:-]{1,128}$/

/** The client's `X-Request-Id` when it is a short token, else a new UUID (Fastify's and the revalidator's). */
export function requestIdOf (req: IncomingMessage): string {
  const given = req.headers['x-request-id']
  return typeof given === 'string' && requestIdPattern.test(given) ? given : randomUUID()
}
