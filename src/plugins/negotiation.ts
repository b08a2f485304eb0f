import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { AppError } from '../errors.js'
import { negotiate } from '../http/formats.js'

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Media types the route can answer with, preferred first; JSON only when not given. */
    produces?: readonly string[]
    /** Where the same resource is in other media types (`text/csv` → `/v1/transfers.csv`), named in a 406. */
    alternates?: Readonly<Record<string, string>>
  }
  interface FastifyRequest {
    /** The negotiated media type of the response. */
    responseType: string
  }
}

const jsonOnly = ['application/json'] as const

/**
 * Content negotiation for every API route, before anything else runs: `Accept` picks the media
 * type (`request.responseType`) among the route's; one it cannot satisfy is a 406, which names the
 * operation that answers in the type asked for when there is one (a list's `.csv` and `.ndjson`).
 */
export default fp(async function negotiationPlugin (app: FastifyInstance) {
  app.decorateRequest('responseType', 'application/json')
  app.addHook('onRequest', (request, reply, done) => {
    const path = request.routeOptions.url
    if (path === undefined || !(path.startsWith('/v1/') || path === '/health' || path === '/ready')) return done()
    const produces = request.routeOptions.config.produces ?? jsonOnly
    try {
      request.responseType = negotiate(request.headers.accept, produces)
    } catch (err) {
      const { alternates } = request.routeOptions.config
      const elsewhere = alternates === undefined ? undefined : negotiateOrUndefined(request.headers.accept, Object.keys(alternates))
      if (elsewhere === undefined || !(err instanceof AppError)) return done(err as Error) // 406
      return done(new AppError('not_acceptable', `${err.detail} ${elsewhere} is at ${alternates![elsewhere]}.`, err.errors))
    }
    done()
  })
}, { name: 'negotiation' })

function negotiateOrUndefined (accept: string | undefined, produces: readonly string[]): string | undefined {
  try {
    return negotiate(accept, produces)
  } catch {
    return undefined
  }
}
