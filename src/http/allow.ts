import type { FastifyInstance } from 'fastify'

const methods = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const

/**
 * The methods a path answers (with OPTIONS, which every path answers), from the router itself:
 * `/v1/transfers/x` → GET, HEAD, PATCH, DELETE, OPTIONS; none for a path no route matches.
 */
export function allowedMethods (app: FastifyInstance, path: string): string[] {
  const allowed = methods.filter((method) => app.findRoute({ method, url: path }) !== null)
  return allowed.length === 0 ? [] : [...allowed, 'OPTIONS']
}
