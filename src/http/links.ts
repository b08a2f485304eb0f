import type { FastifyRequest } from 'fastify'

declare module 'fastify' {
  interface FastifyInstance {
    /** `PUBLIC_URL` (`https://kb.example.org`), or `''`: links are then relative. */
    publicUrl: string
  }
}

/**
 * The request's own path and query with `changes` applied (`{ cursor: … }` for the next page):
 * under `PUBLIC_URL` when it is set, else relative. Never built from the `Host` header (or an
 * absolute-form request target), which a client controls.
 */
export function linkTo (request: FastifyRequest, changes: Record<string, string | undefined>): string {
  const url = new URL(request.url, 'http://relative.invalid')
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined) url.searchParams.delete(name)
    else url.searchParams.set(name, value)
  }
  return `${request.server.publicUrl}${url.pathname}${url.search}`
}

/**
 * A page's `Link` header (RFC 8288): `rel="first"`, the same query from the start, and
 * `rel="next"` when there is a next page. No `rel="prev"`: keyset cursors only go forward, and a
 * client that wants to go back keeps the cursors it followed.
 */
export function pageLinks (request: FastifyRequest, next: string | null, cursorParameter = 'cursor'): string {
  const first = `<${linkTo(request, { [cursorParameter]: undefined })}>; rel="first"`
  return next === null ? first : `${first}, <${linkTo(request, { [cursorParameter]: next })}>; rel="next"`
}
