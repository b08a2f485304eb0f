/**
 * What the two baselines (bench/baseline-server.ts over SQLite, bench/pg-baseline-server.ts over
 * PostgreSQL) share of HTTP: sending, the requests they implement and nothing else, the list's
 * signed `next_cursor` and Link, the bare 304 floor, the server's start and stop.
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { CursorCodec } from '../src/query/cursor.js'
import { listResource, listSort, type TransferRow } from './baseline-dtos.js'
import { benchCursorSecret, readyPrefix, type ReadyMessage } from './config.js'

const codec = new CursorCodec(benchCursorSecret)
// The list takes no filters here, so every cursor belongs to the same query digest.
const listDigest = CursorCodec.queryDigest(listResource, listSort, {})

export function send (res: ServerResponse, status: number, body: string, contentType = 'application/json; charset=utf-8') {
  res.writeHead(status, { 'content-type': contentType, 'content-length': Buffer.byteLength(body) })
  res.end(body)
}

export function problem (res: ServerResponse, status: number, detail: string): undefined {
  send(res, status, JSON.stringify({ status, detail }), 'application/problem+json; charset=utf-8')
}

/** The floor of a 304: a bare handler that compares one header and answers without a body. */
function hello (req: IncomingMessage, res: ServerResponse): undefined {
  if (req.headers['if-none-match'] === '"hello"') {
    res.writeHead(304, { etag: '"hello"' })
    res.end()
    return undefined
  }
  res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': 5, etag: '"hello"' })
  res.end('hello')
  return undefined
}

/** A request a baseline implements, parsed; anything else has been answered (a problem, the 304 floor). */
export type BaselineRequest =
  | { kind: 'list', url: string, limit: number, withCitations: boolean }
  | { kind: 'byId', id: string, withCitations: boolean }
  | { kind: 'search', url: string, params: URLSearchParams }

export function parseRequest (req: IncomingMessage, res: ServerResponse): BaselineRequest | undefined {
  const url = req.url ?? '/'
  if (url === '/hello' && req.method === 'GET') return hello(req, res)
  const q = url.indexOf('?')
  const path = q === -1 ? url : url.slice(0, q)
  const params = new URLSearchParams(q === -1 ? '' : url.slice(q + 1))
  if (req.method !== 'GET') return problem(res, 405, 'only GET is implemented')
  if (path === '/v1/search') return { kind: 'search', url, params }
  for (const key of params.keys()) {
    if (key !== 'limit' && key !== 'include') return problem(res, 400, `unsupported parameter ${key}`)
  }
  const include = params.get('include')
  // `include=citations` or nothing; the baseline implements no other parameter value.
  if (include !== null && include !== 'citations') return problem(res, 400, 'only include=citations is implemented')
  const withCitations = include === 'citations'
  if (path === '/v1/transfers') {
    const limitText = params.get('limit') ?? '50'
    const limit = Number(limitText)
    if (!/^\d+$/.test(limitText) || limit < 1 || limit > 500) return problem(res, 400, 'limit must be 1 to 500')
    return { kind: 'list', url, limit, withCitations }
  }
  if (path.startsWith('/v1/transfers/')) {
    const id = decodeURIComponent(path.slice('/v1/transfers/'.length))
    if (id !== '' && !id.includes('/')) return { kind: 'byId', id, withCitations }
  }
  problem(res, 404, 'not found')
}

/**
 * The first page of the list from its `limit + 1` rows (trimmed to `limit`): its `next_cursor`,
 * signed as the API signs it, and `Link: rel="next"`.
 */
export function firstPageCursor (req: IncomingMessage, res: ServerResponse, url: string, rows: TransferRow[], limit: number): string | null {
  if (rows.length <= limit) return null
  rows.length = limit
  const last = rows[limit - 1]!
  const nextCursor = codec.encode(listDigest, [last.date_earliest ?? last.date_latest ?? '', last.id])
  const next = new URL(url, `http://${req.headers.host ?? '127.0.0.1'}`)
  next.searchParams.set('cursor', nextCursor)
  res.setHeader('link', `<${next.href}>; rel="next"`)
  return nextCursor
}

/**
 * Serves `handle` on 127.0.0.1 (a failure a 500), prints the ready line, and closes on SIGTERM
 * or SIGINT, then `close`.
 */
export function serveBaseline (port: number, handle: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>, close: () => unknown): void {
  const fail = (res: ServerResponse, err: unknown) => {
    console.error(err)
    if (!res.headersSent) problem(res, 500, 'internal error')
    else res.destroy()
  }
  const server = createServer((req, res) => {
    try {
      const done = handle(req, res)
      if (done instanceof Promise) done.catch((err: unknown) => fail(res, err))
    } catch (err) {
      fail(res, err)
    }
  })
  // Same keep-alive window as Fastify's default, so connections behave alike under load.
  server.keepAliveTimeout = 72_000
  let closing = false
  const shutdown = () => {
    if (closing) return
    closing = true
    server.close(() => {
      Promise.resolve(close()).then(() => process.exit(0), () => process.exit(1))
    })
    server.closeAllConnections()
  }
  process.once('SIGTERM', shutdown)
  process.once('SIGINT', shutdown)
  server.listen(port, '127.0.0.1', () => {
    const address = server.address() as AddressInfo
    const ready: ReadyMessage = { server: 'baseline', url: `http://127.0.0.1:${address.port}` }
    console.log(readyPrefix + JSON.stringify(ready))
  })
}
