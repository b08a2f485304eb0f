import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { createRecordWrites, type RecordWrites } from '../services/record-writes.js'
import { revisionListeners } from '../services/revision-listeners.js'

declare module 'fastify' {
  interface FastifyInstance {
    writes: RecordWrites
  }
}

/** Decorates the app with the write service; its `changes` emitter wakes change-feed streams. */
export default fp(async function writesPlugin (app: FastifyInstance) {
  app.decorate('writes', createRecordWrites(app.db, app.repositories, revisionListeners(app.db)))
  // JSON Merge Patch bodies are JSON; NDJSON imports are read as text and parsed line by line.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  // Bodies of other types are refused with 415 rather than read as text.
  app.removeContentTypeParser('text/plain')
}, { name: 'writes', dependencies: ['repositories'] })
