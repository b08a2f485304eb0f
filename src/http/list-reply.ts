import type { FastifyReply, FastifyRequest } from 'fastify'
import { parseList } from '../query/csv-param.js'

/** Parses `include=` into a set of names the resource allows. */
export function parseIncludes (raw: string | undefined, allowed: readonly string[]): ReadonlySet<string> {
  return new Set(parseList('include', raw, allowed))
}

/** Parses `fields=`; undefined means every field. */
export function parseFields (raw: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (raw === undefined) return undefined
  return ['id', ...parseList('fields', raw, allowed).filter((f) => f !== 'id')]
}

/** Keeps the named top-level fields of a record, and any embedded (`include=`) relations. */
export function project<T extends object> (record: T, fields: string[] | undefined, includes: ReadonlySet<string>): Partial<T> {
  if (fields === undefined) return record
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(record)) {
    if (fields.includes(key) || includes.has(key)) out[key] = value
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

export function sendRecord<T extends object> (reply: FastifyReply, record: T, fields: string[] | undefined, includes: ReadonlySet<string>) {
  if (fields === undefined) return reply.send(record)
  return sendSparse(reply, project(record, fields, includes))
}

/** Sends a list page: `{ data, next_cursor }` and, when there is a next page, a `Link` header. */
export function sendPage<T extends object> (
  request: FastifyRequest,
  reply: FastifyReply,
  page: { data: T[], nextCursor: string | null },
  fields: string[] | undefined,
  includes: ReadonlySet<string>
) {
  if (page.nextCursor !== null) {
    const url = new URL(request.url, `${request.protocol}://${request.host}`)
    url.searchParams.set('cursor', page.nextCursor)
    reply.header('link', `<${url.href}>; rel="next"`)
  }
  const body = { data: page.data, next_cursor: page.nextCursor }
  if (fields === undefined) return reply.send(body)
  return sendSparse(reply, { data: page.data.map((r) => project(r, fields, includes)), next_cursor: page.nextCursor })
}
