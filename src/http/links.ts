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
export function linkTo (request: FastifyRequest, changes: Record<string, string>): string {
  const url = new URL(request.url, 'http://relative.invalid')
  for (const [name, value] of Object.entries(changes)) url.searchParams.set(name, value)
  return `${request.server.publicUrl}${url.pathname}${url.search}`
}
