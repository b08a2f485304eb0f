import { journalEntries } from '../db/journal.js'
import { migrationsApplied } from '../db/client.js'
import { AppError } from '../errors.js'
import type { KnowledgeBase } from '../knowledge-base.js'
import { createOffload, type Offload, type OffloadOptions } from '../workers/offload.js'
import type { Backend } from './backend.js'

export interface SqliteBackend extends Backend {
  /** Where heavy reads and writes run (worker threads over a file): for tests and tools. */
  offload: Offload
}

/**
 * The SQLite backend: the knowledge base over a database file (or in memory), its reads run in
 * the server's thread, its heavy reads and writes in worker threads over a file (src/workers/).
 */
export function sqliteBackend (kb: KnowledgeBase, options: OffloadOptions): SqliteBackend {
  const offload = createOffload(kb, options)
  const expected = journalEntries()
  const { db, reader, apiKeys } = kb
  return {
    name: 'sqlite',
    reads: kb.reads,
    read: async (read) => reader.run(read),
    run: async (op, arg) => await offload.run(op, arg),
    changes: kb.writes.changes,
    apiKeys: {
      list: async () => apiKeys.list(),
      find: async (nameOrId) => apiKeys.find(nameOrId),
      create: async (name, scope, hours) => apiKeys.create(name, scope, hours),
      revoke: async (nameOrId) => apiKeys.revoke(nameOrId)
    },
    async readiness () {
      if (!db.sqlite.open || !migrationsApplied(db, expected)) return new AppError('unavailable', 'The database is closed or has migrations still to apply.')
      const fault = db.storageFault() ?? offload.storageFault()
      return fault === undefined ? undefined : new AppError('unavailable', `Not ready: ${fault.detail}`, undefined, fault.extra)
    },
    ready: offload.ready,
    close: offload.close,
    offload
  }
}
