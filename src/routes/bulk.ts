import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../errors.js'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { ExportBody, ImportBody } from '../schemas/bulk.js'
import { kindTypes, type KindType } from '../kinds/index.js'
import { parseList } from '../query/csv-param.js'
import { startOf, TimeParam } from '../query/instants.js'
import { CommentQuery, listParam } from '../schemas/common.js'

const ExportQuery = Type.Partial(Type.Object({
  types: listParam('Only records of these kinds (an import of them needs what they point at).', kindTypes, 'transfer,quote'),
  since: TimeParam('Only records created or changed at or after this time: an ISO 8601 timestamp, or a date for the start of that day (UTC).')
}), { additionalProperties: false })

/**
 * The media types an import is taken as, both read as NDJSON: `application/x-ndjson`, its own, and
 * `text/plain`, the one clients generated from the document send a string body as-is with (the
 * document lists it first: src/schemas/bulk.ts). Either in UTF-8, the only charset read.
 */
const importMediaTypes = ['application/x-ndjson', 'text/plain']

/** The 415's detail for a request whose Content-Type an import is not taken as; undefined for one it is. */
function unacceptedImportType (contentType: string | undefined): string | undefined {
  const [essence = '', ...parameters] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase())
  if (!importMediaTypes.includes(essence)) {
    return `An import is NDJSON, one {"type", "data"} object per line: send it as Content-Type: application/x-ndjson or text/plain, ${contentType === undefined ? 'not without a Content-Type' : `not ${JSON.stringify(contentType)}`}.`
  }
  const charset = parameters.find((parameter) => parameter.startsWith('charset='))?.slice('charset='.length).replace(/^"(.*)"$/, '$1')
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    return `An import is read as UTF-8: send it with charset=utf-8 or no charset, not charset=${charset}.`
  }
  return undefined
}

/** NDJSON import (one transaction, all or nothing) and export of the whole knowledge base. */
export function bulkRoutes (opts: { importBodyLimit: number }): FastifyPluginAsyncTypebox {
  return async (app) => {
    // Only in this plugin's scope: elsewhere a text/plain body stays a 415 (src/plugins/knowledge-base.ts).
    app.addContentTypeParser(importMediaTypes, { parseAs: 'string', bodyLimit: opts.importBodyLimit }, (_request, body, done) => done(null, body))

    app.post('/v1/import', {
      onRequest: app.requireScope('write'),
      bodyLimit: opts.importBodyLimit,
      schema: {
        operationId: 'importRecords',
        tags: ['bulk'],
        summary: 'Import records from NDJSON',
        description: 'One record per line, `{"type": "<kind>", "data": {…}}` with `data` as the create body of that kind plus its `id` (required here). ' +
          'Lines may come in any order and point at each other; cited sources must be in the import or already present. ' +
          'Everything is validated and every citation verified before anything is written, in one transaction: on any problem nothing is written, and the 422 lists every bad line with its line number, field and problem. ' +
          'Send it as `application/x-ndjson` or `text/plain` (both read as NDJSON, in UTF-8); any other Content-Type is a 415. ' +
          `Body limit ${Math.round(opts.importBodyLimit / 1048576)} MiB.`,
        security: [{ bearerAuth: [] }],
        querystring: CommentQuery,
        // text/plain first: the media type generated clients pick (see ImportBody).
        body: { content: { 'text/plain': { schema: ImportBody }, 'application/x-ndjson': { schema: ImportBody } } },
        response: { 201: jsonResponse('Everything was written.', 'ImportResult'), ...problemResponses(400, 401, 403, 413, 415, 422, 503, 507) }
      },
      // Before the body is read, so that any other type is this 415 (not the generic one, nor a JSON body's 400).
      preParsing: async (request) => {
        const problem = unacceptedImportType(request.headers['content-type'])
        if (problem !== undefined) throw new AppError('unsupported_media_type', problem)
      }
    }, async (request, reply) => {
      if (typeof request.body !== 'string') throw new AppError('unsupported_media_type', unacceptedImportType(undefined)!) // only a parser above makes a body
      return reply.code(201).send(await app.backend.run('import', { text: request.body, author: request.apiKey!.name, comment: request.query.comment }))
    })

    app.get('/v1/export', {
      config: { produces: ['application/x-ndjson'] },
      schema: {
        operationId: 'exportRecords',
        tags: ['bulk'],
        summary: 'Export the knowledge base as NDJSON',
        description: 'Every record as `{"type", "data"}` lines, sources first and each kind by id: exactly what `POST /v1/import` takes, so export → import into an empty database → export gives the same bytes. `types` keeps some kinds; `since` keeps the records created or changed from a time on (deletions are in the change feed, `GET /v1/changes?action=delete`).',
        querystring: ExportQuery,
        response: {
          200: { description: 'The whole knowledge base.', content: { 'application/x-ndjson': { schema: ExportBody } } },
          ...problemResponses(400, 406, 503)
        }
      }
    }, async (request, reply) => {
      const { types, since } = request.query
      const only = {
        ...(types === undefined ? {} : { types: parseList('types', types, kindTypes) as KindType[] }),
        ...(since === undefined ? {} : { since: startOf('since', since) })
      }
      return reply.type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="kb-export.ndjson"')
        .send(await app.backend.run('export', only))
    })
  }
}
