import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Backend } from '../backends/backend.js'
import type { SqliteBackend } from '../backends/sqlite.js'
import type { Read } from '../db/query.js'
import type { KnowledgeBase } from '../knowledge-base.js'
import type { Reads } from '../repositories/reads.js'
import type { Offload } from '../workers/offload.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The database the app serves, SQLite or PostgreSQL (src/backends/). */
    backend: Backend
    /** The reads the API serves (src/repositories/reads.ts), to run with `read`. */
    reads: Reads
    /** Runs a read (src/db/query.ts) on the app's backend. */
    read: <T>(read: Read<T>) => Promise<T>
    /** SQLite only, for tests and tools (routes use `backend`): the knowledge base (see createKnowledgeBase). */
    kb: KnowledgeBase
    /** SQLite only, for tests and tools: the worker threads heavy work runs in (see createOffload). */
    offload: Offload
  }
}

/**
 * Decorates the app with the backend it serves (closed with the app), once it is ready, and reads
 * the bodies writes take.
 */
export default fp(async function knowledgeBasePlugin (app: FastifyInstance, opts: { backend: Backend, kb?: KnowledgeBase }) {
  const { backend } = opts
  app.decorate('backend', backend)
  app.decorate('reads', backend.reads)
  app.decorate('read', backend.read)
  if (opts.kb !== undefined) {
    app.decorate('kb', opts.kb)
    app.decorate('offload', (backend as SqliteBackend).offload)
  }
  app.addHook('onClose', async () => { await backend.close() })
  try {
    await backend.ready()
  } catch (err) {
    await backend.close()
    throw new Error(`the worker threads could not start: ${(err as Error).message}`, { cause: err })
  }
  // JSON Merge Patch bodies are JSON; NDJSON imports are read as text and parsed line by line.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  // Bodies of other types are refused with 415 rather than read as text.
  app.removeContentTypeParser('text/plain')
}, { name: 'knowledge-base' })
