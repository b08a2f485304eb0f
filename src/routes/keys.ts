import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError } from '../errors.js'
import { jsonResponse, problemResponses } from '../http/responses.js'

const security = [{ bearerAuth: [] }]
const KeyParams = Type.Object({ id: Type.Integer({ description: 'The key id.', minimum: 1, examples: [2] }) }, { additionalProperties: false })
const NoQuery = Type.Object({}, { additionalProperties: false })

/** `/v1/keys`: API keys managed over HTTP, by `admin` keys only. A `write` key cannot see or touch them. */
const keysRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const admin = app.requireScope('admin')
  const { apiKeys } = app.backend
  // Keys are an admin's business: never kept by a shared cache.
  const privately = { cache: 'none' as const }

  app.get('/v1/keys', {
    onRequest: admin,
    config: privately,
    schema: {
      operationId: 'listApiKeys',
      tags: ['keys'],
      summary: 'List the API keys',
      security,
      querystring: NoQuery,
      response: { 200: jsonResponse('Every key, without the keys themselves.', 'ApiKeyList'), ...problemResponses(400, 401, 403) }
    }
  }, async (_request, reply) => {
    reply.header('cache-control', 'no-store')
    return { data: await apiKeys.list() }
  })

  app.post('/v1/keys', {
    onRequest: admin,
    schema: {
      operationId: 'createApiKey',
      tags: ['keys'],
      summary: 'Make an API key',
      description: 'The answer holds the key itself, this once: store it then. Only its sha256 is kept.',
      security,
      querystring: NoQuery,
      body: Type.Ref('ApiKeyInput'),
      response: { 201: jsonResponse('The new key, with the key itself.', 'NewApiKey', { headers: { Location: { type: 'string', description: 'The key\'s URL.' } } }), ...problemResponses(400, 401, 403, 409, 413, 415, 503, 507) }
    }
  }, async (request, reply) => {
    const { name, scope, expires_in_hours: hours } = request.body as { name: string, scope: 'write' | 'admin', expires_in_hours?: number }
    if (await apiKeys.find(name) !== undefined) {
      throw new AppError('conflict', `A key named "${name}" exists already; choose another name, or revoke that key first.`, [{ in: 'body', name: '/name', detail: 'is taken' }])
    }
    const { key, info } = await apiKeys.create(name, scope, hours)
    return reply.code(201).header('location', `/v1/keys/${info.id}`).header('cache-control', 'no-store').send({ ...info, key })
  })

  app.delete('/v1/keys/:id', {
    onRequest: admin,
    schema: {
      operationId: 'revokeApiKey',
      tags: ['keys'],
      summary: 'Revoke an API key',
      description: 'The key stops working at once; it stays listed, with `revoked_at`. Revoking a revoked key changes nothing.',
      security,
      params: KeyParams,
      querystring: NoQuery,
      response: { 200: jsonResponse('The key as it is now.', 'ApiKey'), ...problemResponses(400, 401, 403, 404, 413, 415, 503, 507) }
    }
  }, async (request) => {
    const { id } = request.params as { id: number }
    const key = await apiKeys.revoke(String(id))
    if (key === undefined) throw new AppError('not_found', `No API key has the id ${id}.`)
    return key
  })
}

export default keysRoutes
