import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError, gone, invalidParameter, notFound } from '../errors.js'
import { cacheHeaders, noneMatch, notModified, recordEtag, variantEtagOf } from '../http/caching.js'
import { listMediaTypes } from '../http/formats.js'
import { parseFields, parseIncludes, sendPage, sendRecord } from '../http/list-reply.js'
import { CsvFormulasParam, FormatParam, jsonResponse, listResponse, problemResponses } from '../http/responses.js'
import { withArticle, type KindDefinition, type KindType } from '../kinds/index.js'
import { isCalendarDate } from '../query/dates.js'
import type { ListQuery } from '../repositories/read-repository.js'
import { IdParams } from '../schemas/common.js'

const AsOf = Type.String({
  description: 'Return the record as the knowledge base held it at this time (ISO 8601 timestamp, or a date meaning the end of that day, UTC), with its citations.',
  pattern: '^\\d{4}-\\d{2}-\\d{2}(T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,3})?)?(Z|[+-]\\d{2}:\\d{2}))?$',
  examples: ['2025-08-14T00:00:00Z']
})

/** `2025-08-13` → the end of that day; a timestamp → itself in UTC, as the revisions store it. */
function instantOf (asOf: string): string {
  if (!isCalendarDate(asOf.slice(0, 10))) throw invalidParameter('as_of', 'is not a date on the calendar')
  const date = new Date(asOf.length === 10 ? `${asOf}T23:59:59.999Z` : asOf)
  if (Number.isNaN(date.getTime())) throw invalidParameter('as_of', 'is not a valid date or timestamp')
  return date.toISOString()
}

/** `GET /v1/<path>` and `GET /v1/<path>/{id}`, the same for every kind. */
export function readRoutes (kind: KindDefinition): FastifyPluginAsyncTypebox {
  const type = kind.type as KindType
  return async (app) => {
    const repo = app.kb.repositories[type]

    app.get(`/v1/${kind.path}`, {
      config: { produces: listMediaTypes },
      schema: {
        operationId: `list${kind.plural}`,
        tags: [kind.path],
        summary: `List ${kind.noun}s`,
        description: kind.listDescription,
        querystring: Type.Object({ ...kind.listQuery.properties, format: Type.Optional(FormatParam), csv_formulas: Type.Optional(CsvFormulasParam) }, { additionalProperties: false }),
        response: {
          200: listResponse(`A page of ${kind.noun}s: JSON, or CSV or NDJSON (one record per row or line) when \`Accept\` or \`format\` asks for them.`, `${kind.singular}List`),
          ...problemResponses(400, 406)
        }
      }
    }, async (request, reply) => {
      const query = request.query as ListQuery
      const include = parseIncludes(query.include, kind.includes)
      const fields = parseFields(query.fields, kind.fields)
      return sendPage(request, reply, repo.list(query, include), fields, kind.fields)
    })

    app.get(`/v1/${kind.path}/:id`, {
      config: { cache: 'record' },
      schema: {
        operationId: `get${kind.singular}`,
        tags: [kind.path],
        summary: `Get ${withArticle(kind.noun)}`,
        params: IdParams(kind.exampleId),
        querystring: Type.Object({ ...kind.getQuery.properties, as_of: Type.Optional(AsOf) }, { additionalProperties: false }),
        response: {
          200: jsonResponse(`The ${kind.noun}.`, kind.singular, { headers: { ETag: { type: 'string', description: 'The record\'s revision, for `If-Match` on PATCH and DELETE.' } } }),
          ...problemResponses(400, 404, 406, 410, 414)
        }
      }
    }, async (request, reply) => {
      const { id } = request.params as { id: string }
      const query = request.query as ListQuery & { as_of?: string }
      const include = parseIncludes(query.include, kind.includes)
      const fields = parseFields(query.fields, kind.fields)
      if (query.as_of !== undefined) {
        if ([...include].some((i) => i !== 'citations')) {
          throw invalidParameter('include', 'cannot embed related records with as_of, which returns the record as stored then (with its citations)')
        }
        const then = app.kb.revisions.asOf(type, id, instantOf(query.as_of))
        if (then === undefined) throw new AppError('not_found', `No ${kind.noun} had the id "${id}" at ${query.as_of}.`)
        if (then.action === 'delete') throw gone(kind, id, then.at)
        reply.header('etag', variantEtagOf(then.revision, request.url))
        return sendRecord(reply, JSON.parse(then.data) as object, fields, kind.fields)
      }
      // The validator comes from the revisions alone, so a 304 never reads the data tables.
      const revision = app.currentRevision(type, id)
      const own = [...include].every((i) => i === 'citations') && fields === undefined && kind.timeDependent !== true
      const etag = revision === undefined || revision.action === 'delete' ? undefined : recordEtag(app, request, revision.revision, own)
      if (etag !== undefined && noneMatch(request.headers['if-none-match'], etag)) return notModified(reply, etag)
      const record = repo.get(id, include, query)
      if (record === undefined) {
        if (revision?.action === 'delete') throw gone(kind, id, revision.at)
        throw notFound(kind.noun, id)
      }
      if (etag !== undefined) cacheHeaders(reply, etag)
      return sendRecord(reply, record, fields, kind.fields)
    })
  }
}
