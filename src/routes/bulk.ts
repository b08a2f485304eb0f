import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../errors.js'
import { jsonResponse, problemResponses } from '../http/responses.js'

const NoQuery = Type.Object({}, { additionalProperties: false })

/** NDJSON import (one transaction, all or nothing) and export of the whole knowledge base. */
export function bulkRoutes (opts: { importBodyLimit: number }): FastifyPluginAsyncTypebox {
  return async (app) => {
    app.addContentTypeParser('application/x-ndjson', { parseAs: 'string', bodyLimit: opts.importBodyLimit }, (_request, body, done) => done(null, body))

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
          `Body limit ${Math.round(opts.importBodyLimit / 1048576)} MiB.`,
        security: [{ bearerAuth: [] }],
        querystring: NoQuery,
        body: { content: { 'application/x-ndjson': { schema: { type: 'string', description: 'NDJSON: one `{"type", "data"}` object per line.' } } } },
        response: { 201: jsonResponse('Everything was written.', 'ImportResult'), ...problemResponses(400, 401, 403, 413, 415, 422, 503, 507) }
      }
    }, async (request, reply) => {
      if (typeof request.body !== 'string' || !/^application\/x-ndjson\b/i.test(request.headers['content-type'] ?? '')) {
        throw new AppError('unsupported_media_type', 'An import body is NDJSON: send it as Content-Type: application/x-ndjson, one {"type", "data"} object per line.')
      }
      return reply.code(201).send(await app.offload.run('import', { text: request.body, author: request.apiKey!.name }))
    })

    app.get('/v1/export', {
      config: { produces: ['application/x-ndjson'] },
      schema: {
        operationId: 'exportRecords',
        tags: ['bulk'],
        summary: 'Export the knowledge base as NDJSON',
        description: 'Every record as `{"type", "data"}` lines, sources first and each kind by id: exactly what `POST /v1/import` takes, so export → import into an empty database → export gives the same bytes.',
        querystring: NoQuery,
        response: {
          200: { description: 'The whole knowledge base.', content: { 'application/x-ndjson': { schema: { type: 'string' } } } },
          ...problemResponses(400, 406, 503)
        }
      }
    }, async (_request, reply) => {
      return reply.type('application/x-ndjson; charset=utf-8')
        .header('content-disposition', 'attachment; filename="kb-export.ndjson"')
        .send(await app.offload.run('export', undefined))
    })
  }
}
