import type { KindType } from '../kinds/index.js'
import type { KnowledgeBase } from '../knowledge-base.js'
import type { TimelineKind, TimelineQueryType } from '../schemas/timeline.js'
import type { SearchQueryType } from '../schemas/search.js'
import { chart, rows } from '../repositories/stats.js'
import { exportLines, importLines, parseNdjson } from '../services/bulk.js'
import type { Doc } from '../services/record-writes.js'

/**
 * What may run off the event loop, over a knowledge base: the reads whose cost grows with the
 * data (search, the timeline, statistics) and every write. The same functions run in the
 * server's own thread (an in-memory database, or with worker threads turned off) and in a worker
 * thread with a connection of its own (src/workers/worker.ts): arguments and results are plain
 * data, so that they cross between threads.
 */
export function operations (kb: KnowledgeBase) {
  return {
    search: (query: SearchQueryType) => kb.search.search(query),
    timeline: ({ query, types }: { query: TimelineQueryType, types: readonly TimelineKind[] }) => kb.timeline.list(query, types),
    /** A statistic as a chart (JSON), or as tidy rows (CSV). */
    stats: ({ type, query, csv = false }: { type: KindType, query: Record<string, unknown>, csv?: boolean }) => {
      const grouped = kb.stats.get(type)!(query)
      return csv ? rows(grouped) : chart(grouped)
    },
    /** The whole knowledge base as NDJSON, read in one transaction: a consistent snapshot. */
    export: (only: { types?: KindType[], since?: string } = {}) => kb.reader.run(exportLines(kb.reads, kb.reader.dialect, only)).join(''),

    create: ({ type, body, author, comment }: { type: KindType, body: Doc, author: string, comment?: string }) => kb.writes.create(type, body, author, comment),
    /** A create under an `Idempotency-Key`: the response is kept (or replayed) in the create's transaction. */
    createOnce: ({ type, body, author, comment, apiKeyId, key, requestHash, location }: {
      type: KindType, body: Doc, author: string, comment?: string, apiKeyId: number, key: string, requestHash: string, location: string
    }) => kb.idempotency.once(apiKeyId, key, requestHash, () => {
      const result = kb.writes.create(type, body, author, comment)
      const id = (result.record as { id: string }).id
      return { statusCode: 201, responseBody: JSON.stringify(result.record), location: `${location}/${id}`, etag: result.etag }
    }),
    update: ({ type, id, patch, ifMatch, author, comment }: { type: KindType, id: string, patch: Doc, ifMatch: string | undefined, author: string, comment?: string }) =>
      kb.writes.update(type, id, patch, { ifMatch, author, comment }),
    remove: ({ type, id, ifMatch, author, comment }: { type: KindType, id: string, ifMatch: string | undefined, author: string, comment?: string }) =>
      kb.writes.remove(type, id, { ifMatch, author, comment }),
    merge: ({ type, id, into, ifMatch, author, comment }: { type: KindType, id: string, into: string, ifMatch: string | undefined, author: string, comment?: string }) =>
      kb.merges.merge(type, id, into, { ifMatch, author, comment }),
    /** An NDJSON import, parsed where it runs: a large body is read off the event loop too. */
    import: ({ text, author, comment }: { text: string, author: string, comment?: string }) => {
      const { lines, problems } = parseNdjson(text)
      return importLines(kb.writes, lines, author, problems, undefined, comment)
    }
  }
}

export type Operations = ReturnType<typeof operations>
export type OperationName = keyof Operations

/** Operations with no time budget: an export takes as long as the knowledge base is large. */
export const unbudgetedOperations: ReadonlySet<OperationName> = new Set(['export'])

/** The operations that write: they run in the writer thread, one at a time, and wake the change feed. */
export const writeOperations: ReadonlySet<OperationName> = new Set(['create', 'createOnce', 'update', 'remove', 'merge', 'import'])
