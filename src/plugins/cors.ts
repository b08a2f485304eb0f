import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import { AppError } from '../errors.js'
import { allowedMethods } from '../http/allow.js'

const readMethods = ['GET', 'HEAD']
const writeMethods = ['POST', 'PATCH', 'DELETE']
const exposed = 'ETag, Link, Location, X-Request-Id, X-Total-Count, Retry-After, Idempotent-Replayed'
const readHeaders = 'Accept, If-None-Match, Last-Event-ID, X-Request-Id'
const writeHeaders = 'Accept, Authorization, Content-Type, If-Match, Idempotency-Key, X-Request-Id'

/**
 * CORS for dashboards: reads are open to the configured origins (any origin by default); writes
 * only to origins named in CORS_WRITE_ORIGINS (none by default), since they carry API keys.
 */
export default fp(async function corsPlugin (app: FastifyInstance, opts: { cors: Pick<Config, 'corsReadOrigins' | 'corsWriteOrigins'> }) {
  const { corsReadOrigins: reads, corsWriteOrigins: writes } = opts.cors
  const allows = (list: readonly string[], origin: string) => list.includes('*') || list.includes(origin)
  const allowOrigin = (list: readonly string[], origin: string, reply: FastifyReply) => {
    if (list.includes('*') && list === reads) {
      reply.header('access-control-allow-origin', '*')
    } else {
      reply.header('access-control-allow-origin', origin)
      reply.header('vary', 'Origin')
    }
  }

  app.addHook('onRequest', (request: FastifyRequest, reply, done) => {
    const origin = request.headers.origin
    if (origin !== undefined && request.method !== 'OPTIONS') {
      const list = readMethods.includes(request.method) ? reads : writes
      if (allows(list, origin)) {
        allowOrigin(list, origin, reply)
        reply.header('access-control-expose-headers', exposed)
      }
    }
    done()
  })

  // OPTIONS: the path's own Allow (a 404 for a path no route has); for a preflight, the methods
  // and headers this origin may use.
  app.options('/*', { schema: { hide: true } }, async (request, reply) => {
    const path = request.url.split('?')[0] ?? request.url
    const allow = allowedMethods(app, path)
    if (allow.length === 0) throw new AppError('route_not_found', `No route matches ${path}. The API lives under /v1 (GET /v1 lists it); see /docs for every route.`)
    const origin = request.headers.origin
    const method = String(request.headers['access-control-request-method'] ?? '').toUpperCase()
    reply.code(204).header('allow', allow.join(', '))
    if (origin === undefined || method === '') return reply.send()
    if (readMethods.includes(method) && allows(reads, origin)) {
      allowOrigin(reads, origin, reply)
      reply.headers({ 'access-control-allow-methods': readMethods.join(', '), 'access-control-allow-headers': readHeaders, 'access-control-max-age': '600' })
    } else if (writeMethods.includes(method) && allows(writes, origin)) {
      allowOrigin(writes, origin, reply)
      reply.headers({ 'access-control-allow-methods': [...readMethods, ...writeMethods].join(', '), 'access-control-allow-headers': writeHeaders, 'access-control-max-age': '600' })
    }
    return reply.send()
  })
}, { name: 'cors' })
