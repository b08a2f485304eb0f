import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { migrationsApplied } from '../db/client.js'
import { AppError } from '../errors.js'
import { problemResponses } from '../http/responses.js'
import { journalEntries } from '../db/journal.js'

const Status = Type.Object({
  status: Type.String({ description: 'Always `ok` or `ready` when the status code is 200.', examples: ['ok'] })
}, { $id: 'Status', description: 'A probe\'s answer.', additionalProperties: false })

const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.addSchema(Status)
  const expected = journalEntries()

  app.get('/health', {
    schema: {
      operationId: 'getHealth',
      tags: ['operations'],
      summary: 'Liveness: the process is up',
      response: { 200: { description: 'The process answers.', content: { 'application/json': { schema: Type.Ref('Status') } } }, ...problemResponses() }
    }
  }, async () => ({ status: 'ok' }))

  app.get('/ready', {
    schema: {
      operationId: 'getReadiness',
      tags: ['operations'],
      summary: 'Readiness: the database is open and migrated',
      response: { 200: { description: 'Ready to serve.', content: { 'application/json': { schema: Type.Ref('Status') } } }, ...problemResponses(503) }
    }
  }, async () => {
    if (!app.db.sqlite.open || !migrationsApplied(app.db, expected)) {
      throw new AppError('unavailable', 'The database is closed or has migrations still to apply.')
    }
    return { status: 'ready' }
  })
}

export default healthRoutes
