import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { IncomingMessage } from 'node:http'
import fp from 'fastify-plugin'
import type { RevisionRecordType } from '../db/schema/index.js'
import { noneMatch, utcDay, type Revalidator } from '../http/revalidation.js'

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
    /** The data version and UTC day a data-version ETag was made for. */
    etagVersion: number
    etagDay: string
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

export const cacheControl = 'public, no-cache'

/** Adds `Accept` to the response's `Vary` (which CORS may have set to `Origin`). */
export function varyAccept (reply: FastifyReply) {
  const current = reply.getHeader('vary')
  if (current === undefined) return reply.header('vary', 'Accept')
  const values = String(current).split(',').map((v) => v.trim()).filter((v) => v !== '')
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
 * How long a data version read from the database is trusted (ms) when this process has not
 * written since: writes through this process are seen at once (the write service's `changes`
 * event), writes by another process on the same file (a `kb import` beside the server) within
 * this bound. It spares the revalidation path a database read per request.
 */
export const versionTtlMs = 10

/**
 * Memoizes `compute` for as long as the data version stays the same (every write moves it, and
 * the memo starts over), keeping at most `limit` keys.
 */
export function memoPerVersion<K, V> (dataVersion: () => number, compute: (key: K) => V, limit = 50_000): (key: K) => V {
  const memo = new Map<K, V>()
  let version = -1
  return (key) => {
    const current = dataVersion()
    if (current !== version) {
      memo.clear()
      version = current
    }
    if (memo.has(key)) return memo.get(key)!
    const value = compute(key)
    if (memo.size >= limit) memo.delete(memo.keys().next().value!)
    memo.set(key, value)
    return value
  }
}

/**
 * HTTP caching for reads. Every GET under /v1 carries an ETag derived from the data version (the
 * last change-feed sequence, which every write and import advances) and the representation (URL,
 * media type, day), and `Cache-Control: public, no-cache`, so caches revalidate every time; an
 * `If-None-Match` that matches is a 304, decided before any query of the data tables runs. The
 * validators it sends are remembered by the revalidator (src/http/revalidation.ts), which answers
 * repeats of the same request before routing.
 */
export default fp(async function httpCachePlugin (app: FastifyInstance, opts: { revalidator: Revalidator, requestId: (req: IncomingMessage) => string }) {
  const read = app.db.sqlite.prepare('SELECT coalesce(max(id), 0) FROM revisions').pluck()
  let version = 0
  let readAt = Number.NEGATIVE_INFINITY
  const dataVersion = () => {
    const now = performance.now()
    if (now - readAt >= versionTtlMs) {
      version = read.get() as number
      readAt = now
    }
    return version
  }
  app.writes.changes.on('change', () => { readAt = Number.NEGATIVE_INFINITY })
  const isCached = (request: FastifyRequest) =>
    (request.method === 'GET' || request.method === 'HEAD') && request.routeOptions.url?.startsWith('/v1/') === true

  app.decorate('dataVersion', dataVersion)
  const revisions = memoPerVersion(dataVersion, (key: `${RevisionRecordType}/${string}`) => {
    const slash = key.indexOf('/')
    return app.writes.revisionOf(key.slice(0, slash) as RevisionRecordType, key.slice(slash + 1)) ?? null
  })
  app.decorate('currentRevision', (type: RevisionRecordType, id: string) => revisions(`${type}/${id}`) ?? undefined)
  app.decorateRequest('etag', undefined)
  app.decorateRequest('etagVersion', 0)
  app.decorateRequest('etagDay', '')
  opts.revalidator.attach({ version: dataVersion, requestId: opts.requestId, log: app.log })

  app.addHook('onRequest', (request, reply, done) => {
    if (!isCached(request) || (request.routeOptions.config.cache ?? 'data-version') !== 'data-version') return done()
    request.etagVersion = dataVersion()
    request.etagDay = utcDay()
    request.etag = `"v${request.etagVersion}-${shortHash(`${request.url}|${request.responseType}|${request.etagDay}`)}"`
    if (noneMatch(request.headers['if-none-match'], request.etag)) notModified(reply, request.etag) // answered: done is not called
    else done()
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    const status = reply.statusCode
    if (isCached(request) && (status === 200 || status === 304) && request.routeOptions.config.cache !== 'none') {
      if (status === 200) {
        if (request.etag !== undefined) reply.header('etag', request.etag)
        reply.header('cache-control', cacheControl)
        varyAccept(reply)
      }
      // A data-version representation: its validator is remembered for the revalidator.
      if (request.etag !== undefined && reply.getHeader('etag') === request.etag) {
        opts.revalidator.remember(request.raw, request.etagVersion, request.etagDay, request.etag, reply.getHeaders())
      }
    }
    done(null, payload)
  })
}, { name: 'http-cache', dependencies: ['repositories', 'negotiation', 'writes'] })

declare module 'fastify' {
  interface FastifyInstance {
    /** The knowledge base's data version: the sequence of the last change (see versionTtlMs). */
    dataVersion (): number
    /** A record's last revision, as `writes.revisionOf` reads it, memoized per data version (for reads' ETags). */
    currentRevision (type: RevisionRecordType, id: string): { revision: number, action: 'create' | 'update' | 'delete', at: string } | undefined
  }
}
