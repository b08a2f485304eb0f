import rateLimit from '@fastify/rate-limit'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { RateLimits } from '../config.js'
import { AppError } from '../errors.js'

/** Which limit a request counts against: searches and writes cost more than other reads. */
export function rateGroupOf (request: FastifyRequest): keyof RateLimits {
  if (request.method !== 'GET' && request.method !== 'HEAD' && request.method !== 'OPTIONS') return 'writes'
  return request.routeOptions.url === '/v1/search' ? 'searches' : 'reads'
}

/** Probes stay answerable whatever a client does: a load balancer polls them. */
const probes = new Set(['/health', '/ready'])

/**
 * Per-client rate limits (by IP, as `trustProxy` reads it), a fixed window of one minute, with
 * `RateLimit-Limit`, `RateLimit-Remaining` and `RateLimit-Reset` on every limited answer and a 429
 * problem with `Retry-After` past the limit. A hook of the whole app, registered before the
 * caching one, so that no request (a 304 included) skips it.
 */
export default fp(async function rateLimitsPlugin (app: FastifyInstance, opts: { limits: RateLimits | false }) {
  if (opts.limits === false) return
  const limits = opts.limits
  await app.register(rateLimit, {
    global: false,
    enableDraftSpec: true,
    errorResponseBuilder: (request, context) => {
      const group = rateGroupOf(request)
      const seconds = Math.max(1, Math.ceil(context.ttl / 1000))
      return new AppError('too_many_requests', `This client made more than ${context.max} ${group === 'reads' ? 'reads' : group} in a minute; retry in ${seconds} s.`,
        undefined, { headers: { 'retry-after': String(seconds) }, members: { limit: `rate_limit_${group}` } })
    }
  })
  app.addHook('onRequest', app.rateLimit({
    timeWindow: 60_000,
    max: (request) => limits[rateGroupOf(request)],
    keyGenerator: (request) => `${rateGroupOf(request)}|${request.ip}`,
    allowList: (request) => probes.has(request.routeOptions.url ?? '')
  }))
}, { name: 'rate-limits' })
