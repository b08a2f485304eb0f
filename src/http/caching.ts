import { createHash } from 'node:crypto'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import type { KindType } from '../kinds/index.js'

/**
 * HTTP caching, all of it: ETags of representations and of records' revisions, `If-None-Match`
 * (a 304 before the handler runs wherever the validator is known that early), `If-Match` for
 * writes, and the `Cache-Control` and `Vary` headers that go with them.
 */

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
  interface FastifyInstance {
    /** The knowledge base's data version: the sequence of the last change (see versionTtlMs); at once when it is known. */
    dataVersion (): Promise<number> | number
    /** A record's last revision, memoized per data version (for reads' ETags); at once when remembered. */
    currentRevision (type: KindType, id: string): Promise<Revision | undefined> | Revision | undefined
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

let day = ''
let dayEnds = 0
/** Today (UTC) as YYYYMMDD: representations with `days_remaining` change daily. */
export function utcDay (): string {
  const now = Date.now()
  if (now >= dayEnds) {
    const today = new Date(now)
    day = today.toISOString().slice(0, 10).replaceAll('-', '')
    dayEnds = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1)
  }
  return day
}

/** The ETag of a record's revision n, its own representation (with its citations): `"r<n>"`. */
export const etagOf = (revision: number) => `"r${revision}"`

/**
 * The ETag of another representation of revision n, one that also depends on `variant` (other
 * records, the fields picked, the day, an `as_of`): `"r<n>.<digest>"`. It still names revision n,
 * so `If-Match` accepts it.
 */
export const variantEtagOf = (revision: number, variant: string) => `"r${revision}.${shortHash(variant)}"`

/** True when an `If-None-Match` header lists this ETag (weak comparison, as RFC 9110 asks for GET). */
export function noneMatch (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header === etag) return true
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag))
}

/**
 * True when an `If-Match` header value names the current revision. A record's ETags are `"r<n>"`,
 * or `"r<n>.<variant>"` for a representation that also depends on other records or the day: all
 * name revision n. Weak tags never match (strong comparison, RFC 9110).
 */
export function ifMatchAllows (header: string | undefined, revision: number): boolean {
  if (header === undefined) return true
  return header.split(',').map((t) => t.trim()).some((t) => t === '*' || /^"r(\d+)(\.[^"]*)?"$/.exec(t)?.[1] === String(revision))
}

export const cacheControl = 'public, no-cache'

/**
 * Adds `Accept` and `accept-encoding` to the response's `Vary` (which CORS may have set to
 * `Origin`): a cache keeps the JSON apart from the CSV and the gzipped copy apart from the plain
 * one. Lower case as @fastify/compress writes it, which adds its own unless it finds this one.
 */
export function varyAccept (reply: FastifyReply) {
  const current = reply.getHeader('vary')
  const values = current === undefined ? [] : String(current).split(',').map((v) => v.trim()).filter((v) => v !== '')
  for (const header of ['Accept', 'accept-encoding']) if (!values.includes(header)) values.push(header)
  reply.header('vary', values.join(', '))
  return reply
}

/** A body that never changes while the process runs (the document, the index, a problem's page), with its ETag. */
export interface FixedBody { body: string, etag: string }

export function fixedBody (body: string): FixedBody {
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"` }
}

/** Sends a fixed body with its ETag, or a 304 when `If-None-Match` names it. */
export function sendFixed (request: FastifyRequest, reply: FastifyReply, fixed: FixedBody, type: string) {
  reply.header('etag', fixed.etag).header('cache-control', cacheControl)
  if (noneMatch(request.headers['if-none-match'], fixed.etag)) return reply.code(304).send()
  return reply.type(type).send(fixed.body)
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

interface Revision { revision: number, action: 'create' | 'update' | 'delete', at: string }

/**
 * Memoizes `compute` for as long as the data version stays the same (every write moves it, and
 * the memo starts over), keeping at most `limit` keys. What is at hand (a remembered value, a
 * version known without a read) is answered at once, without a promise: this is every read's path.
 */
export function memoPerVersion<K, V> (dataVersion: () => Promise<number> | number, compute: (key: K) => Promise<V> | V, limit = 50_000): (key: K) => Promise<V> | V {
  const memo = new Map<K, V>()
  let version = -1
  const lookup = (key: K, current: number): Promise<V> | V => {
    if (current !== version) {
      memo.clear()
      version = current
    }
    if (memo.has(key)) return memo.get(key)!
    const keep = (value: V) => {
      // Kept only while the version it was read at is still the latest seen.
      if (version !== current) return value
      if (memo.size >= limit) memo.delete(memo.keys().next().value!)
      memo.set(key, value)
      return value
    }
    const value = compute(key)
    return value instanceof Promise ? value.then(keep) : keep(value)
  }
  return (key) => {
    const current = dataVersion()
    return typeof current === 'number' ? lookup(key, current) : current.then((known) => lookup(key, known))
  }
}

/**
 * Every GET under /v1 carries an ETag and `Cache-Control: public, no-cache`, so caches revalidate
 * every time. For most routes the ETag follows the data version (the last change-feed sequence,
 * which every write and import advances) and the representation (URL, media type, day): it is
 * known in `onRequest`, so a matching `If-None-Match` is a 304 before any query of the data tables
 * runs. Routes of one record (`cache: 'record'`) make their ETag from the record's revision.
 */
export default fp(async function httpCachePlugin (app: FastifyInstance) {
  const lastSeq = () => app.reads.revisions.lastSeq()
  let version = 0
  let readAt = Number.NEGATIVE_INFINITY
  const dataVersion = (): Promise<number> | number => {
    const now = performance.now()
    if (now - readAt < versionTtlMs) return version
    readAt = now
    // The feed only grows: a read that started before a later one finished never moves it back.
    return app.read(lastSeq()).then((last) => (version = Math.max(version, last)))
  }
  app.backend.changes.on('change', () => { readAt = Number.NEGATIVE_INFINITY })
  const isCached = (request: FastifyRequest) =>
    (request.method === 'GET' || request.method === 'HEAD') && request.routeOptions.url?.startsWith('/v1/') === true

  app.decorate('dataVersion', dataVersion)
  const revisions = memoPerVersion(dataVersion, async (key: `${KindType}/${string}`) => {
    const slash = key.indexOf('/')
    return await app.read(app.reads.revisions.current(key.slice(0, slash) as KindType, key.slice(slash + 1))) ?? null
  })
  app.decorate('currentRevision', (type: KindType, id: string) => {
    const found = revisions(`${type}/${id}`)
    return found instanceof Promise ? found.then((r) => r ?? undefined) : found ?? undefined
  })
  app.decorateRequest('etag', undefined)

  app.addHook('onRequest', (request, reply, done) => {
    if (!isCached(request) || (request.routeOptions.config.cache ?? 'data-version') !== 'data-version') return done()
    const tag = (version: number) => {
      request.etag = `"v${version}-${shortHash(`${request.url}|${request.responseType}|${utcDay()}`)}"`
      if (noneMatch(request.headers['if-none-match'], request.etag)) notModified(reply, request.etag) // answered: done is not called
      else done()
    }
    const version = dataVersion()
    if (typeof version === 'number') tag(version)
    else version.then(tag, done)
  })

  app.addHook('onSend', (request, reply, payload, done) => {
    if (isCached(request) && reply.statusCode === 200 && request.routeOptions.config.cache !== 'none') {
      if (request.etag !== undefined) reply.header('etag', request.etag)
      reply.header('cache-control', cacheControl)
      varyAccept(reply)
    }
    done(null, payload)
  })
}, { name: 'http-cache', dependencies: ['knowledge-base', 'negotiation'] })

/**
 * The ETag of a record's representation, from its revision alone (so a 304 never reads the data
 * tables): the record's own ETag when it is the record itself with at most its citations;
 * otherwise (embedded records, picked fields, a time-dependent kind) a variant of it, which also
 * follows the data version and the day.
 */
export function recordEtag (app: FastifyInstance, request: FastifyRequest, revision: number, own: boolean): Promise<string> | string {
  if (own) return etagOf(revision)
  const variant = (version: number) => variantEtagOf(revision, `${version}|${request.url}|${request.responseType}|${utcDay()}`)
  const version = app.dataVersion()
  return typeof version === 'number' ? variant(version) : version.then(variant)
}
