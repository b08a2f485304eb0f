import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { KnowledgeBase } from '../knowledge-base.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** The knowledge base the app serves (see createKnowledgeBase). */
    kb: KnowledgeBase
  }
}

/** Decorates the app with the knowledge base it was given, and reads the bodies writes take. */
export default fp(async function knowledgeBasePlugin (app: FastifyInstance, opts: { kb: KnowledgeBase }) {
  app.decorate('kb', opts.kb)
  // JSON Merge Patch bodies are JSON; NDJSON imports are read as text and parsed line by line.
  app.addContentTypeParser('application/merge-patch+json', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'))
  // Bodies of other types are refused with 415 rather than read as text.
  app.removeContentTypeParser('text/plain')
}, { name: 'knowledge-base' })
