import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Read } from '../db/query.js'
import type { KnowledgeBase } from '../knowledge-base.js'
import type { Reads } from '../repositories/reads.js'
import { createOffload, type Offload, type OffloadOptions } from '../workers/offload.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The knowledge base the app serves (see createKnowledgeBase). */
    kb: KnowledgeBase
    /** Where heavy reads and every write run: worker threads over a database file (see createOffload). */
    offload: Offload
    /** The reads the API serves (src/repositories/reads.ts), to run with `read`. */
    reads: Reads
    /** Runs a read (src/db/query.ts) on the backend the app serves. */
    read: <T>(read: Read<T>) => Promise<T>
  }
}

/**
 * Decorates the app with the knowledge base it was given and the threads its heavy work runs in
 * (closed with the app), and reads the bodies writes take.
 */
export default fp(async function knowledgeBasePlugin (app: FastifyInstance, opts: { kb: KnowledgeBase, offload: Omit<OffloadOptions, 'onError'> }) {
  app.decorate('kb', opts.kb)
  app.decorate('reads', opts.kb.reads)
  const { reader } = opts.kb
  app.decorate('read', async <T>(read: Read<T>) => reader.run(read))
  const offload = createOffload(opts.kb, { ...opts.offload, onError: (err) => app.log.error({ err }, 'a worker thread failed') })
  app.decorate('offload', offload)
  app.addHook('onClose', async () => { await offload.close() })
  try {
    await offload.ready()
  } catch (err) {
    await offload.close()
    throw new Error(`the worker threads could not start: ${(err as Error).message}`, { cause: err })
  }
  // JSON Merge Patch bodies are JSON; NDJSON imports are read as text and parsed line by line.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  // Bodies of other types are refused with 415 rather than read as text.
  app.removeContentTypeParser('text/plain')
}, { name: 'knowledge-base' })
