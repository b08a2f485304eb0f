import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { jsonResponse, probeProblemResponses } from '../http/responses.js'
import { version } from '../paths.js'

const Status = Type.Object({
  status: Type.String({ description: 'Always `ok` or `ready` when the status code is 200.', examples: ['ok'] }),
  version: Type.String({ description: 'The server\'s version (also in every answer\'s `Server-Version` header).', examples: [version] })
}, { $id: 'Status', description: 'A probe\'s answer.', additionalProperties: false })

const NoQuery = Type.Object({}, { additionalProperties: false })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Status)

  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['operations'],
      summary: 'Liveness: the process is up',
      querystring: NoQuery,
      response: { 200: jsonResponse('The process answers.', 'Status', { limited: false }), ...probeProblemResponses() }
    }
  }, async () => ({ status: 'ok', version }))

  app.get('/ready', {
    schema: {
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'Readiness: the database is open, migrated and writable',
      description: 'A 503 while the database is closed or has migrations to apply, once its file was deleted or replaced under the server, and after a write met a full disk (507 to the writer), a read-only file or an I/O error, until a write succeeds again.',
      querystring: NoQuery,
      response: { 200: jsonResponse('Ready to serve.', 'Status', { limited: false }), ...probeProblemResponses(503) }
    }
  }, async () => {
    const problem = await app.backend.readiness()
    if (problem !== undefined) throw problem
    return { status: 'ready', version }
  })
}

export default healthRoutes
