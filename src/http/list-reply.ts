import { Readable } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { parseList } from '../query/csv-param.js'
import { csvLines, ndjsonLines } from './formats.js'
import { pageLinks } from './links.js'

/** Parses `include=` into a set of names the resource allows. */
export function parseIncludes (raw: string | undefined, allowed: readonly string[]): ReadonlySet<string> {
  return new Set(parseList('include', raw, allowed))
}

/** Parses `fields=`; undefined means every field. */
export function parseFields (raw: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (raw === undefined) return undefined
  return ['id', ...parseList('fields', raw, allowed).filter((f) => f !== 'id')]
}

/**
 * Keeps the named top-level fields of a record, and whatever `include=` embedded (the keys that
 * are not among the resource's own fields).
 */
export function project<T extends object> (record: T, fields: string[] | undefined, ownFields: readonly string[]): Partial<T> {
  if (fields === undefined) return record
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (fields.includes(key) || !ownFields.includes(key)) out[key] = value
  }
  return out as Partial<T>
}

/**
 * Sends a sparse record (fields=) as pre-serialised JSON: the response schema describes whole
 * records, and a sparse one would not pass through its serializer.
 */
function sendSparse (reply: FastifyReply, body: unknown) {
  return reply.type('application/json; charset=utf-8').send(JSON.stringify(body))
}

export function sendRecord<T extends object> (reply: FastifyReply, record: T, fields: string[] | undefined, ownFields: readonly string[]) {
  if (fields === undefined) return reply.send(record)
  return sendSparse(reply, project(record, fields, ownFields))
}

/** `attachment; filename="transfers.csv"`: the list's own name, for a browser that saves it. */
function attachment (request: FastifyRequest, extension: string): string {
  const path = request.routeOptions.url ?? ''
  const name = path.slice(path.lastIndexOf('/') + 1).replace(/\.[a-z]+$/, '')
  return `attachment; filename="${name}.${extension}"`
}

/**
 * Sends a list page: `{ data, next_cursor }` and a `Link` header (first, and next when there is one). As
 * CSV (a header row, then one row a record) or NDJSON (one record a line) when negotiated; both
 * are streamed, and page with the same `Link` header.
 */
export function sendPage<T extends object> (
  request: FastifyRequest,
  reply: FastifyReply,
  /**
   * `count` with `count=true` (`countEstimated` with `count=estimated`: whether it is an
   * estimate); `facets`, a search's counts by kind, go in the JSON body only.
   */
  page: { data: T[], nextCursor: string | null, count?: number | undefined, countEstimated?: boolean | undefined, facets?: object | undefined },
  fields: string[] | undefined,
  /** The resource's own top-level fields: a CSV row's columns when `fields=` is not given. */
  ownFields: readonly string[]
) {
  reply.header('link', pageLinks(request, page.nextCursor))
  if (page.count !== undefined) reply.header(page.countEstimated === true ? 'x-total-count-estimate' : 'x-total-count', page.count)
  if (request.responseType === 'text/csv') {
    const embedded = Object.keys(page.data[0] ?? {}).filter((k) => !ownFields.includes(k))
    const columns = [...(fields ?? ownFields), ...embedded]
    const rows = page.data.map((r) => project(r, fields, ownFields) as Record<string, unknown>)
    const { csv_formulas: formulas, bom } = request.query as { csv_formulas?: string, bom?: boolean }
    const lines = csvLines(columns, rows, formulas === 'raw', bom === true)
    return reply.type('text/csv; charset=utf-8; header=present').header('content-disposition', attachment(request, 'csv')).send(Readable.from(lines))
  }
  if (request.responseType === 'application/x-ndjson') {
    return reply.type('application/x-ndjson; charset=utf-8').header('content-disposition', attachment(request, 'ndjson'))
      .send(Readable.from(ndjsonLines(page.data.map((r) => project(r, fields, ownFields)))))
  }
  const counted = { ...(page.count === undefined ? {} : { count: page.count }), ...(page.countEstimated === undefined ? {} : { count_estimated: page.countEstimated }), ...(page.facets === undefined ? {} : { facets: page.facets }) }
  if (fields === undefined) return reply.send({ data: page.data, next_cursor: page.nextCursor, ...counted })
  return sendSparse(reply, { data: page.data.map((r) => project(r, fields, ownFields)), next_cursor: page.nextCursor, ...counted })
}
