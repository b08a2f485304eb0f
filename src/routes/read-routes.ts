import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import { AppError, gone, invalidParameter, notFound } from '../errors.js'
import { cacheHeaders, noneMatch, notModified, recordEtag, variantEtagOf } from '../http/caching.js'
import { parseFields, parseIncludes, sendPage, sendRecord } from '../http/list-reply.js'
import { csvPageRoute, jsonResponse, problemResponses, textListResponse } from '../http/responses.js'
import { withArticle, type KindDefinition, type KindType } from '../kinds/index.js'
import { endOf, timePattern } from '../query/instants.js'
import type { ListQuery } from '../repositories/read-repository.js'
import { mergedInto } from '../repositories/reads.js'
import { IdParams } from '../schemas/common.js'

const AsOf = Type.String({
  description: 'Return the record as the knowledge base held it at this time (ISO 8601 timestamp, or a date meaning the end of that day, UTC), with its citations.',
  pattern: timePattern
  // No example: history starts when the knowledge base was made, so no fixed time fits every
  // server, and "Try it out" would send it with the example `include`, which as_of refuses.
})

/** `GET /v1/<path>` and `GET /v1/<path>/{id}`, the same for every kind. */
export function readRoutes (kind: KindDefinition): FastifyPluginAsyncTypebox {
  const type = kind.type as KindType
  return async (app) => {
    const repo = app.reads.records[type]

    const list = async (request: FastifyRequest, reply: FastifyReply) => {
      const query = request.query as ListQuery
      const include = parseIncludes(query.include, kind.includes)
      const fields = parseFields(query.fields, kind.fields)
      return sendPage(request, reply, await app.read(repo.list(query, include)), fields, kind.fields)
    }
    // One operation a representation, each with one media type, so that every generated client
    // types each answer right: the JSON page, and the same page (same filters, cursor and Link) as
    // CSV or NDJSON. An Accept of either on the JSON list is a 406 that names where it is.
    const alternates = { 'text/csv': `/v1/${kind.path}.csv`, 'application/x-ndjson': `/v1/${kind.path}.ndjson` }
    app.get(`/v1/${kind.path}`, {
      config: { alternates },
      schema: {
        operationId: `list${kind.plural}`,
        tags: [kind.path],
        summary: `List ${kind.noun}s`,
        description: `${kind.listDescription} The same page as CSV or NDJSON: \`${alternates['text/csv']}\`, \`${alternates['application/x-ndjson']}\`.`,
        querystring: kind.listQuery,
        response: { 200: jsonResponse(`A page of ${kind.noun}s.`, `${kind.singular}List`, { paged: true, counted: true }), ...problemResponses(400, 406) }
      }
    }, list)

    app.get(alternates['text/csv'], csvPageRoute({
      operationId: `list${kind.plural}Csv`,
      tags: [kind.path],
      summary: `List ${kind.noun}s as CSV`,
      description: `The page \`/v1/${kind.path}\` answers, as RFC 4180 CSV: a header row (the record's fields, or those of \`fields=\`, then any \`include=\`), then one row a record, nested values as JSON. Page with \`Link: rel="next"\` as for JSON.`,
      querystring: kind.listQuery,
      what: `${kind.noun}s`
    }), list)

    app.get(alternates['application/x-ndjson'], {
      config: { produces: ['application/x-ndjson'] },
      schema: {
        operationId: `list${kind.plural}Ndjson`,
        tags: [kind.path],
        summary: `List ${kind.noun}s as NDJSON`,
        description: `The page \`/v1/${kind.path}\` answers, as newline-delimited JSON: one record a line. Page with \`Link: rel="next"\` as for JSON.`,
        querystring: kind.listQuery,
        response: { 200: textListResponse(`A page of ${kind.noun}s, one JSON record a line.`, 'application/x-ndjson', 'One record (JSON) per line.', 'binary'), ...problemResponses(400, 406) }
      }
    }, list)

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
          ...(kind.merge !== undefined
            ? {
                308: {
                  description: `The ${kind.noun} was merged into another: \`Location\` names it (the query kept). The body says which.`,
                  headers: { Location: { type: 'string', description: 'The record it was merged into.' } },
                  content: { 'application/json': { schema: Type.Object({ merged: Type.String(), into: Type.String() }, { additionalProperties: false }) } }
                }
              }
            : {}),
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
        const then = await app.read(app.reads.revisions.asOf(type, id, endOf('as_of', query.as_of)))
        if (then === undefined) throw new AppError('not_found', `No ${kind.noun} had the id "${id}" at ${query.as_of}.`)
        if (then.action === 'delete') throw gone(kind, id, then.at)
        reply.header('etag', variantEtagOf(then.revision, request.url))
        return sendRecord(reply, JSON.parse(then.data) as object, fields, kind.fields)
      }
      // The validator comes from the revisions alone, so a 304 never reads the data tables.
      const revision = await app.currentRevision(type, id)
      const own = [...include].every((i) => i === 'citations') && fields === undefined && kind.timeDependent !== true
      const etag = revision === undefined || revision.action === 'delete' ? undefined : await recordEtag(app, request, revision.revision, own)
      if (etag !== undefined && noneMatch(request.headers['if-none-match'], etag)) return notModified(reply, etag)
      const record = await app.read(repo.get(id, include, query))
      if (record === undefined) {
        const into = revision?.action === 'delete' && kind.merge !== undefined ? await app.read(mergedInto(type, id)) : undefined
        if (into !== undefined) {
          const query = request.url.indexOf('?')
          return reply.code(308).header('location', `/v1/${kind.path}/${encodeURIComponent(into)}${query === -1 ? '' : request.url.slice(query)}`)
            .type('application/json; charset=utf-8').send(JSON.stringify({ merged: id, into }))
        }
        if (revision?.action === 'delete') throw gone(kind, id, revision.at)
        throw notFound(kind.noun, id)
      }
      if (etag !== undefined) cacheHeaders(reply, etag)
      return sendRecord(reply, record, fields, kind.fields)
    })
  }
}
