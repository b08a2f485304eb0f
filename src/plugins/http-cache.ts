import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * `data-version` (default for GETs under /v1): the ETag follows the knowledge base's data
     * version; `record`: the route sets a per-record ETag itself; `none`: no validator (streams).
     */
    cache?: 'data-version' | 'record' | 'none'
  }
  interface FastifyRequest {
    /** The ETag this response will carry, when known before the handler runs. */
    etag?: string
  }
}

/** FNV-1a, 32 bits: a short, stable digest of a representation's key. */
export function shortHash (text: string): string {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return (h >>> 0).toString(36)
}

/** Today (UTC) as YYYYMMDD: representations with `days_remaining` change daily. */
export const utcDay = () => new Date().toISOString().slice(0, 10).replaceAll('-', '')

/** True when an `If-None-Match` header lists this ETag (weak comparison, as RFC 9110 asks for GET). */
export function noneMatch (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag))
}

export const cacheControl = 'public, no-cache'

/** Adds `Accept` to the response's `Vary` (which CORS may have set to `Origin`). */
export function varyAccept (reply: FastifyReply) {
  const current = String(reply.getHeader('vary') ?? '')
  const values = current.split(',').map((v) => v.trim()).filter((v) => v !== '')
  if (!values.includes('Accept')) values.push('Accept')
  reply.header('vary', values.join(', '))
  return reply
}

/** Answers 304 with the validator headers; the body and the data tables are never touched. */
export function notModified (reply: FastifyReply, etag: string) {
  return varyAccept(reply.code(304).headers({ etag, 'cache-control': cacheControl })).send()
}

/** The validator headers of a 200. */
export function cacheHeaders (reply: FastifyReply, etag: string) {
  return varyAccept(reply.header('etag', etag).header('cache-control', cacheControl))
}

/**
 * HTTP caching for reads. Every GET under /v1 carries an ETag derived from the data version (the
 * last change-feed sequence, which every write and import advances) and the representation (URL,
 * media type, day), and `Cache-Control: public, no-cache`, so caches revalidate every time; an
 * `If-None-Match` that matches is a 304, decided before any query of the data tables runs.
 */
export default fp(async function httpCachePlugin (app: FastifyInstance) {
  const version = app.db.sqlite.prepare('SELECT coalesce(max(id), 0) FROM revisions').pluck()
  const isCached = (request: FastifyRequest) =>
    (request.method === 'GET' || request.method === 'HEAD') && request.routeOptions.url?.startsWith('/v1/') === true

  app.decorate('dataVersion', () => version.get() as number)

  app.addHook('onRequest', async (request, reply) => {
    if (!isCached(request) || (request.routeOptions.config.cache ?? 'data-version') !== 'data-version') return
    const etag = `"v${String(version.get())}-${shortHash(`${request.url}|${request.responseType}|${utcDay()}`)}"`
    request.etag = etag
    if (noneMatch(request.headers['if-none-match'], etag)) return notModified(reply, etag)
  })

  app.addHook('onSend', async (request, reply) => {
    if (!isCached(request) || reply.statusCode !== 200 || request.routeOptions.config.cache === 'none') return
    if (request.etag !== undefined) reply.header('etag', request.etag)
    reply.header('cache-control', cacheControl)
    varyAccept(reply)
  })
}, { name: 'http-cache', dependencies: ['repositories', 'negotiation'] })

declare module 'fastify' {
  interface FastifyInstance {
    /** The knowledge base's data version: the sequence of the last change. */
    dataVersion (): number
  }
}
