import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type, type TObject } from 'typebox'
import type { RevisionRecordType } from '../db/schema/index.js'
import { AppError, invalidParameter, notFound } from '../errors.js'
import { parseFields, parseIncludes, sendPage, sendRecord } from '../http/list-reply.js'
import { listMediaTypes } from '../http/formats.js'
import { FormatParam, jsonResponse, listResponse, problemResponses } from '../http/responses.js'
import type { ListQuery, ReadRepository } from '../repositories/read-repository.js'
import { IdParams } from '../schemas/common.js'
import { withArticle } from '../kinds.js'
import { isCalendarDate } from '../query/dates.js'
import { noneMatch, utcDay } from '../http/revalidation.js'
import { cacheHeaders, notModified, shortHash } from '../plugins/http-cache.js'
import { etagOf, gone } from '../services/record-writes.js'

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

export interface ReadRoutesSpec {
  type: RevisionRecordType
  /** Its representation changes with the date (computed fields such as `days_remaining`). */
  timeDependent?: boolean
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
    /**
     * `"r<n>"` for the record's own representation (with its citations), which changes only with
     * its revision; a representation that embeds other records, picks fields, or (tariff
     * deadlines) counts days from today gets a variant: `"r<n>.<digest>"`.
     */
    const recordEtag = (revision: number, url: string, type: string, include: ReadonlySet<string>, fields: string[] | undefined) => {
      const own = [...include].every((i) => i === 'citations') && fields === undefined && !spec.timeDependent
      return own ? etagOf(revision) : `"r${revision}.${shortHash(`${app.dataVersion()}|${url}|${type}|${utcDay()}`)}"`
    }

    app.get(`/v1/${spec.path}`, {
      config: { produces: listMediaTypes },
      schema: {
        operationId: `list${spec.plural}`,
        tags: [spec.path],
        summary: `List ${spec.noun}s`,
        description: spec.listDescription,
        querystring: Type.Object({ ...spec.listQuery.properties, format: Type.Optional(FormatParam) }, { additionalProperties: false }),
        response: {
          200: listResponse(`A page of ${spec.noun}s: JSON, or CSV or NDJSON (one record per row or line) when \`Accept\` or \`format\` asks for them.`, `${spec.singular}List`),
          ...problemResponses(400, 406)
        }
      }
    }, async (request, reply) => {
      const query = request.query as ListQuery
      const include = parseIncludes(query.include, spec.includes)
      const fields = parseFields(query.fields, spec.fields)
      return sendPage(request, reply, repo.list(query, include), fields, spec.fields)
    })

    app.get(`/v1/${spec.path}/:id`, {
      config: { cache: 'record' },
      schema: {
        operationId: `get${spec.singular}`,
        tags: [spec.path],
        summary: `Get ${withArticle(spec.noun)}`,
        params: IdParams(spec.exampleId),
        querystring: Type.Object({ ...spec.getQuery.properties, as_of: Type.Optional(AsOf) }, { additionalProperties: false }),
        response: {
          200: { ...jsonResponse(`The ${spec.noun}.`, spec.singular), headers: { ETag: { type: 'string', description: 'The record\'s revision, for `If-Match` on PATCH and DELETE.' } } },
          ...problemResponses(400, 404, 406, 410)
        }
      }
    }, async (request, reply) => {
      const { id } = request.params as { id: string }
      const query = request.query as ListQuery & { as_of?: string }
      const include = parseIncludes(query.include, spec.includes)
      const fields = parseFields(query.fields, spec.fields)
      if (query.as_of !== undefined) {
        if ([...include].some((i) => i !== 'citations')) {
          throw invalidParameter('include', 'cannot embed related records with as_of, which returns the record as stored then (with its citations)')
        }
        const then = app.revisions.asOf(spec.type, id, instantOf(query.as_of))
        if (then === undefined) throw new AppError('not_found', `No ${spec.noun} had the id "${id}" at ${query.as_of}.`)
        if (then.action === 'delete') throw gone(spec.type, id, then.at)
        reply.header('etag', `"r${then.revision}.${shortHash(request.url)}"`)
        return sendRecord(reply, JSON.parse(then.data) as object, fields, spec.fields)
      }
      // The validator comes from the revisions alone, so a 304 never reads the data tables.
      const revision = app.currentRevision(spec.type, id)
      const etag = revision === undefined || revision.action === 'delete'
        ? undefined
        : recordEtag(revision.revision, request.url, request.responseType, include, fields)
      if (etag !== undefined && noneMatch(request.headers['if-none-match'], etag)) return notModified(reply, etag)
      const record = repo.get(id, include, query)
      if (record === undefined) {
        if (revision?.action === 'delete') throw gone(spec.type, id, revision.at)
        throw notFound(spec.noun, id)
      }
      if (etag !== undefined) cacheHeaders(reply, etag)
      return sendRecord(reply, record, fields, spec.fields)
    })
  }
}
