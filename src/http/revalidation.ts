import type { IncomingMessage, ServerResponse } from 'node:http'
import type { FastifyBaseLogger } from 'fastify'

/** What a 304 for one request shape carries, and the data version and day it holds for. */
interface Validator {
  version: number
  day: string
  etag: string
  /** The 304's headers as name/value pairs, the request id's value last (filled per response). */
  headers: string[]
}

/** The headers of a remembered response that a 304 repeats (RFC 9110 §15.4.5), besides the ETag. */
const repeated = ['cache-control', 'vary', 'access-control-allow-origin', 'access-control-expose-headers'] as const

/** The request headers a data-version representation depends on, besides the method and URL. */
const keyOf = (method: string, url: string, headers: IncomingMessage['headers']) =>
  `${method} ${url}\n${headers.accept ?? ''}\n${headers.origin ?? ''}`

/** True when an `If-None-Match` header lists this ETag (weak comparison, as RFC 9110 asks for GET). */
export function noneMatch (header: string | undefined, etag: string): boolean {
  if (header === undefined) return false
  if (header === etag) return true
  const bare = (tag: string) => tag.trim().replace(/^W\//, '')
  return header.split(',').some((tag) => tag.trim() === '*' || bare(tag) === bare(etag))
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

export interface RevalidatorOptions {
  /** The knowledge base's data version, read per request. */
  version: () => number
  /** A request id: the client's `X-Request-Id` when acceptable, else a new one. */
  requestId: (req: IncomingMessage) => string
  log: FastifyBaseLogger
}

/**
 * Conditional GETs answered before routing. When a read under /v1 is answered with an ETag that
 * follows the data version (see plugins/http-cache.ts), its validator headers are remembered under
 * the request's method, URL, `Accept` and `Origin` — everything that representation's ETag and
 * headers depend on. A later request of the same shape whose `If-None-Match` matches is answered
 * 304 here, with the same headers Fastify would send, as long as the data version and the UTC day
 * are still the ones the ETag was made for; anything else (another version, another day, no match,
 * a shape not seen yet) goes through Fastify as usual, which remembers the new validator.
 *
 * This is the revalidation path dashboards poll on, and it runs no routing, hooks or validation: a
 * read of the data version and a map lookup.
 */
export class Revalidator {
  readonly #validators = new Map<string, Validator>()
  readonly #limit: number
  #options: RevalidatorOptions | undefined

  constructor (limit = 10_000) {
    this.#limit = limit
  }

  /** Called once the app can read its data version; until then every request goes to Fastify. */
  attach (options: RevalidatorOptions): void {
    this.#options = options
  }

  /** How many request shapes are remembered. */
  get size (): number {
    return this.#validators.size
  }

  /** Remembers the validator of a response Fastify is sending (a 200 or a 304 with this ETag). */
  remember (req: IncomingMessage, version: number, day: string, etag: string, headers: Record<string, string | number | string[] | undefined>): void {
    const kept: string[] = []
    for (const name of repeated) if (headers[name] !== undefined) kept.push(name, String(headers[name]))
    kept.push('etag', etag, 'x-request-id', '')
    const key = keyOf(req.method ?? 'GET', req.url ?? '', req.headers)
    // Bounded: past the limit the oldest shape is forgotten (Map keeps insertion order).
    if (!this.#validators.delete(key) && this.#validators.size >= this.#limit) {
      this.#validators.delete(this.#validators.keys().next().value!)
    }
    this.#validators.set(key, { version, day, etag, headers: kept })
  }

  /** Answers the request with a 304 and returns true, or returns false for Fastify to handle it. */
  handle (req: IncomingMessage, res: ServerResponse): boolean {
    const options = this.#options
    const ifNoneMatch = req.headers['if-none-match']
    if (options === undefined || ifNoneMatch === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) return false
    const validator = this.#validators.get(keyOf(req.method, req.url ?? '', req.headers))
    if (validator === undefined || !noneMatch(ifNoneMatch, validator.etag)) return false
    if (validator.version !== options.version() || validator.day !== utcDay()) return false
    const id = options.requestId(req)
    const headers = validator.headers.slice()
    headers[headers.length - 1] = id
    res.writeHead(304, headers)
    res.end()
    options.log.info({ reqId: id, req: { method: req.method, url: req.url }, res: { statusCode: 304 } }, 'request revalidated before routing: 304')
    return true
  }
}
