import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { TObject } from 'typebox'
import { notFound } from '../errors.js'
import { parseFields, parseIncludes, sendPage, sendRecord } from '../http/list-reply.js'
import { jsonResponse, problemResponses } from '../http/responses.js'
import type { ListQuery, ReadRepository } from '../repositories/read-repository.js'
import { IdParams } from '../schemas/common.js'

export interface ReadRoutesSpec {
  /** URL segment and OpenAPI tag, e.g. `tariff-deadlines`. */
  path: string
  /** Singular and plural names for operation ids and summaries: `TariffDeadline`, `TariffDeadlines`. */
  singular: string
  plural: string
  /** Human noun for messages: `tariff deadline`. */
  noun: string
  listDescription: string
  exampleId: string
  listQuery: TObject
  getQuery: TObject
  includes: readonly string[]
  fields: readonly string[]
  repository: (app: Parameters<FastifyPluginAsyncTypebox>[0]) => ReadRepository<object, ListQuery>
}

/** `GET /v1/<path>` and `GET /v1/<path>/{id}`, the same for every resource. */
export function readRoutes (spec: ReadRoutesSpec): FastifyPluginAsyncTypebox {
  return async (app) => {
    const repo = spec.repository(app)

    app.get(`/v1/${spec.path}`, {
      schema: {
        operationId: `list${spec.plural}`,
        tags: [spec.path],
        summary: `List ${spec.noun}s`,
        description: spec.listDescription,
        querystring: spec.listQuery,
        response: { 200: jsonResponse(`A page of ${spec.noun}s.`, `${spec.singular}List`, { paged: true }), ...problemResponses(400) }
      }
    }, async (request, reply) => {
      const query = request.query as ListQuery
      const include = parseIncludes(query.include, spec.includes)
      const fields = parseFields(query.fields, spec.fields)
      return sendPage(request, reply, repo.list(query, include), fields, include)
    })

    app.get(`/v1/${spec.path}/:id`, {
      schema: {
        operationId: `get${spec.singular}`,
        tags: [spec.path],
        summary: `Get a ${spec.noun}`,
        params: IdParams(spec.exampleId),
        querystring: spec.getQuery,
        response: { 200: jsonResponse(`The ${spec.noun}.`, spec.singular), ...problemResponses(400, 404) }
      }
    }, async (request, reply) => {
      const { id } = request.params as { id: string }
      const query = request.query as ListQuery
      const include = parseIncludes(query.include, spec.includes)
      const fields = parseFields(query.fields, spec.fields)
      const record = repo.get(id, include)
      if (record === undefined) throw notFound(spec.noun, id)
      return sendRecord(reply, record, fields, include)
    })
  }
}
