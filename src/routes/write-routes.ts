import { createHash } from 'node:crypto'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../errors.js'
import { etagOf } from '../http/caching.js'
import { pageLinks } from '../http/links.js'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { withArticle, type KindDefinition, type KindType } from '../kinds/index.js'
import { CommentQuery, IdParams, pageParams } from '../schemas/common.js'
import type { Doc } from '../services/record-writes.js'

const security = [{ bearerAuth: [] }]

const WriteHeaders = Type.Object({
  'if-match': Type.Optional(Type.String({ description: 'Apply only if the record is still at this revision (its `ETag`); otherwise 412.', examples: ['"r1"'] }))
})

const CreateHeaders = Type.Object({
  'idempotency-key': Type.Optional(Type.String({
    description: 'Makes a retry safe: the same key with the same body returns the original response without a second record; with another body it is a 422. Keys are kept per API key.',
    minLength: 1,
    maxLength: 255,
    examples: ['5d1f6c1e-2b1a-4c0e-9d1b-8e6a3b2c1d00']
  }))
})

const RevisionsQuery = Type.Partial(Type.Object(pageParams), { additionalProperties: false })

/** POST, PATCH, DELETE and the revision history of one kind of record. */
export function writeRoutes (info: KindDefinition): FastifyPluginAsyncTypebox {
  const type = info.type as KindType
  const base = `/v1/${info.path}`
  return async (app) => {
    const { revisions } = app.reads
    const { backend } = app
    const write = app.requireScope('write')

    app.post(base, {
      onRequest: write,
      schema: {
        operationId: `create${info.singular}`,
        tags: [info.path],
        summary: `Create ${withArticle(info.noun)}`,
        description: 'Validates the record, checks that every linked record exists and that every citation matches its source (filling in offsets when the excerpt occurs exactly once), then writes it and its first revision in one transaction.',
        security,
        headers: CreateHeaders,
        querystring: CommentQuery,
        body: Type.Ref(info.schemas.input),
        response: {
          201: jsonResponse(`The created ${info.noun}.`, info.singular, { headers: { Location: { type: 'string', description: 'URL of the new record.' }, ETag: { type: 'string', description: 'Its revision.' } } }),
          ...problemResponses(400, 401, 403, 409, 413, 415, 422, 503, 507)
        }
      }
    }, async (request, reply) => {
      const key = request.headers['idempotency-key']
      const author = request.apiKey!.name
      const { comment } = request.query
      if (key === undefined) {
        const result = await backend.run('create', { type, body: request.body as Doc, author, comment })
        const id = (result.record as { id: string }).id
        return reply.code(201).header('location', `${base}/${id}`).header('etag', result.etag).send(result.record)
      }
      const requestHash = createHash('sha256').update(`POST ${base}${comment === undefined ? '' : `?comment=${comment}`}\n${JSON.stringify(request.body)}`).digest('hex')
      const outcome = await backend.run('createOnce', { type, body: request.body as Doc, author, comment, apiKeyId: request.apiKey!.id, key, requestHash, location: base })
      if (outcome.kind === 'mismatch') {
        throw new AppError('idempotency_mismatch', `The Idempotency-Key "${key}" was used with a different request body; use a new key for a new request.`,
          [{ in: 'header', name: 'idempotency-key', detail: 'was used with another body' }])
      }
      const { response } = outcome
      if (response.location !== null) reply.header('location', response.location)
      if (response.etag !== null) reply.header('etag', response.etag)
      if (outcome.kind === 'replayed') reply.header('idempotent-replayed', 'true')
      return reply.code(response.statusCode as 201).type('application/json; charset=utf-8').send(response.responseBody)
    })

    app.patch(`${base}/:id`, {
      onRequest: write,
      schema: {
        operationId: `update${info.singular}`,
        tags: [info.path],
        summary: `Update ${withArticle(info.noun)}`,
        description: 'A JSON Merge Patch (RFC 7396, `application/merge-patch+json` or `application/json`): fields given replace the record\'s, `null` resets a field, arrays are replaced whole. The merged record is validated and its citations verified as on create; the change is a new revision.',
        security,
        params: IdParams(info.exampleId),
        headers: WriteHeaders,
        querystring: CommentQuery,
        body: Type.Ref(info.schemas.patch),
        response: {
          200: jsonResponse(`The ${info.noun} after the change.`, info.singular, { headers: { ETag: { type: 'string', description: 'Its new revision.' } } }),
          ...problemResponses(400, 401, 403, 404, 410, 412, 413, 414, 415, 422, 503, 507)
        }
      }
    }, async (request, reply) => {
      const { id } = request.params
      const result = await backend.run('update', { type, id, patch: request.body as Doc, ifMatch: request.headers['if-match'], author: request.apiKey!.name, comment: request.query.comment })
      return reply.header('etag', result.etag).send(result.record)
    })

    app.delete(`${base}/:id`, {
      onRequest: write,
      schema: {
        operationId: `delete${info.singular}`,
        tags: [info.path],
        summary: `Delete ${withArticle(info.noun)}`,
        description: 'Deletes the record (409 while other records point at it). It stays in its history: a GET then answers 410 Gone with the time of deletion.',
        security,
        params: IdParams(info.exampleId),
        headers: WriteHeaders,
        querystring: CommentQuery,
        response: { 204: { description: 'Deleted.', type: 'null' }, ...problemResponses(400, 401, 403, 404, 409, 410, 412, 413, 414, 415, 503, 507) }
      }
    }, async (request, reply) => {
      await backend.run('remove', { type, id: request.params.id, ifMatch: request.headers['if-match'], author: request.apiKey!.name, comment: request.query.comment })
      return reply.code(204).send(null)
    })

    if (info.merge !== undefined) {
      app.post(`${base}/:id/merge`, {
        onRequest: write,
        schema: {
          operationId: `merge${info.singular}`,
          tags: [info.path],
          summary: `Merge a duplicate ${info.noun} into another`,
          description: `Folds the ${info.noun} \`{id}\` into \`into\`, in one transaction: every record pointing at it is rewritten to point at \`into\` (a revision each), \`into\` takes its name (as an alias), aliases, roles, relations, identifiers and citations (a revision), and \`{id}\` is deleted (a revision) and from then on answers \`GET\` with 308 Permanent Redirect to \`into\`. Both histories stay at their \`/revisions\`; the change feed shows every step, each with the merge's \`comment\`. \`If-Match\` applies to \`{id}\`.`,
          security,
          params: IdParams(info.exampleId),
          headers: WriteHeaders,
          querystring: CommentQuery,
          body: Type.Ref('MergeInput'),
          response: {
            200: jsonResponse('The merge: the survivor after it, and the records rewritten.', `${info.singular}Merge`, { headers: { ETag: { type: 'string', description: 'The survivor\'s new revision.' } } }),
            ...problemResponses(400, 401, 403, 404, 410, 412, 413, 414, 415, 422, 503, 507)
          }
        }
      }, async (request, reply) => {
        const { id } = request.params
        const { into } = request.body as { into: string }
        const result = await backend.run('merge', { type, id, into, ifMatch: request.headers['if-match'], author: request.apiKey!.name, comment: request.query.comment })
        return reply.header('etag', result.etag).header('content-location', `${base}/${into}`).send({ merged: id, into, record: result.record, rewritten: result.rewritten })
      })
    }

    app.get(`${base}/:id/revisions`, {
      schema: {
        operationId: `list${info.singular}Revisions`,
        tags: [info.path],
        summary: `List the revisions of ${withArticle(info.noun)}`,
        description: 'Every create, update and delete of the record, oldest first, each with its time, the name of the API key that made it, and the full record after the change (as it was, for a delete).',
        params: IdParams(info.exampleId),
        querystring: RevisionsQuery,
        response: { 200: jsonResponse('A page of revisions.', `${info.singular}RevisionList`, { paged: true }), ...problemResponses(400, 404, 414) }
      }
    }, async (request, reply) => {
      const { id } = request.params
      const { limit = 50, cursor } = request.query
      const page = await app.read(revisions.ofRecord(type, id, limit, cursor))
      if (page.rows.length === 0 && cursor === undefined) throw new AppError('not_found', `No ${info.noun} has ever had the id "${id}".`)
      reply.header('link', pageLinks(request, page.nextCursor))
      const data = page.rows.map((r) => `{"revision":${r.revision},"action":"${r.action}","at":"${r.at}","author":${JSON.stringify(r.author)},"comment":${JSON.stringify(r.comment)},"etag":${JSON.stringify(etagOf(r.revision))},"record":${r.data}}`)
      return reply.type('application/json; charset=utf-8').send(`{"data":[${data.join(',')}],"next_cursor":${JSON.stringify(page.nextCursor)}}`)
    })
  }
}
