import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { migrationsApplied } from '../db/client.js'
import { AppError } from '../errors.js'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { journalEntries } from '../db/journal.js'

const Status = Type.Object({
  status: Type.String({ description: 'Always `ok` or `ready` when the status code is 200.', examples: ['ok'] })
}, { $id: 'Status', description: 'A probe\'s answer.', additionalProperties: false })

const NoQuery = Type.Object({}, { additionalProperties: false })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Status)
  const expected = journalEntries()

  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['operations'],
      summary: 'Liveness: the process is up',
      querystring: NoQuery,
      response: { 200: jsonResponse('The process answers.', 'Status'), ...problemResponses(400) }
    }
  }, async () => ({ status: 'ok' }))

  app.get('/ready', {
    schema: {
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'Readiness: the database is open and migrated',
      querystring: NoQuery,
      response: { 200: jsonResponse('Ready to serve.', 'Status'), ...problemResponses(400, 503) }
    }
  }, async () => {
    if (!app.kb.db.sqlite.open || !migrationsApplied(app.kb.db, expected)) {
      throw new AppError('unavailable', 'The database is closed or has migrations still to apply.')
    }
    return { status: 'ready' }
  })
}

export default healthRoutes
