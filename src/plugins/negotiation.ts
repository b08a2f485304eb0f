import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { formatNames, negotiate, type FormatName } from '../http/formats.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can answer with, preferred first; JSON only when not given. */
    produces?: readonly string[]
  }
  interface FastifyRequest {
    /** The negotiated media type of the response. */
    responseType: string
  }
}

const jsonOnly = ['application/json'] as const

/**
 * Content negotiation for every API route, before anything else runs: `?format=` or `Accept`
 * picks the media type (`request.responseType`); an `Accept` the route cannot satisfy is a 406.
 */
export default fp(async function negotiationPlugin (app: FastifyInstance) {
  app.decorateRequest('responseType', 'application/json')
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.routeOptions.url
    if (path === undefined || !(path.startsWith('/v1/') || path === '/health' || path === '/ready')) return done()
    const produces = request.routeOptions.config.produces ?? jsonOnly
    const format = (request.query as { format?: unknown }).format
    if (typeof format === 'string' && format in formatNames && produces.includes(formatNames[format as FormatName])) {
      request.responseType = formatNames[format as FormatName]
      return done()
    }
    try {
      request.responseType = negotiate(request.headers.accept, produces)
    } catch (err) {
      return done(err as Error) // 406
    }
    done()
  })
}, { name: 'negotiation' })
