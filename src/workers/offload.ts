import type { AppError } from '../errors.js'
import type { KnowledgeBase } from '../knowledge-base.js'
import { operations, writeOperations, type OperationName, type Operations } from './operations.js'
import { createWorkerPool, type WorkerPool } from './pool.js'

export interface OffloadOptions {
  /** Threads for heavy reads; 0 runs them (and writes) in the server's own thread. */
  readers: number
  /** A read running longer than this is cut off with a 503. */
  readTimeoutMs: number
  idempotencyTtlHours: number
  onError?: (err: Error) => void
}

/**
 * Where the operations that could hold the event loop run (src/workers/operations.ts). Over a
 * database file, with `readers` > 0: heavy reads in a pool of reading threads, each with a
 * read-only connection, cut off past `readTimeoutMs`; writes and imports in one writing thread,
 * which alone waits for SQLite's write lock. The event loop then only routes and serialises, so no
 * request, import or lock wait holds up another. In memory (tests) everything runs in place.
 */
export function createOffload (kb: KnowledgeBase, options: OffloadOptions) {
  const local = operations(kb)
  const threaded = options.readers > 0 && kb.db.path !== ':memory:'
  let writerFault: AppError | undefined
  const settings = { databasePath: kb.db.path, cursorSecret: kb.cursorSecret, idempotencyTtlHours: options.idempotencyTtlHours }
  const readers: WorkerPool | undefined = threaded
    ? createWorkerPool({ size: options.readers, settings: { ...settings, readonly: true }, timeoutMs: options.readTimeoutMs, maxQueue: 64 * options.readers, onError: options.onError })
    : undefined
  const writer: WorkerPool | undefined = threaded
    ? createWorkerPool({ size: 1, settings: { ...settings, readonly: false }, maxQueue: 1000, onError: options.onError })
    : undefined

  return {
    threaded,

    async run<K extends OperationName> (op: K, arg: Parameters<Operations[K]>[0]): Promise<ReturnType<Operations[K]>> {
      const writes = writeOperations.has(op)
      const pool = writes ? writer : readers
      if (pool === undefined) return (local[op] as (a: typeof arg) => ReturnType<Operations[K]>)(arg)
      try {
        const result = await pool.run(op, arg)
        if (writes) writerFault = undefined
        return result
      } catch (err) {
        // What the writing thread's storage met (a full disk…) is this server's readiness too.
        if (writes && (err as { storageFault?: boolean }).storageFault === true) writerFault = err as AppError
        throw err
      } finally {
        // Another thread wrote: the data version and the change streams of this one learn of it now.
        if (writes) kb.writes.changes.emit('change')
      }
    },

    /** Resolves once the threads are up; rejects, with the reason, when one cannot start. */
    ready: async () => { await Promise.all([readers?.ready(), writer?.ready()]) },

    /** A storage fault the writing thread met on its last write, until one succeeds. */
    storageFault: () => writerFault,

    async close () {
      await Promise.all([readers?.close(), writer?.close()])
    }
  }
}

export type Offload = ReturnType<typeof createOffload>
