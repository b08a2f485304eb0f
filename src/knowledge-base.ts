import { randomBytes } from 'node:crypto'
import { createApiKeys } from './auth/api-keys.js'
import type { Db } from './db/client.js'
import { sqliteReader } from './db/query.js'
import { kinds, type KindType } from './kinds/index.js'
import { CursorCodec } from './query/cursor.js'
import { createIdempotencyRepository } from './repositories/idempotency.js'
import { createSearchIndexer } from './search/indexer.js'
import { createSearch } from './search/search.js'
import { createMerges } from './services/merge.js'
import { createRecordWrites, type Repositories } from './services/record-writes.js'
import { createStatCellsKeeper } from './repositories/stat-cells.js'
import type { Grouped } from './repositories/stats.js'
import { runReads } from './repositories/read-repository.js'
import { createReads, type Reads } from './repositories/reads.js'

export interface KnowledgeBaseOptions {
  /** Signs cursors; by default the database's own secret (made on first use and kept in it). */
  cursorSecret?: string | undefined
  /** How long an `Idempotency-Key` is remembered (24 h by default). */
  idempotencyTtlHours?: number
}

/**
 * The secret this database's cursors are signed with: made at random the first time it is asked
 * for and stored in `settings`, so cursors cannot be forged and stay valid across restarts.
 */
export function databaseCursorSecret (db: Db): string {
  db.sqlite.prepare("INSERT INTO settings (name, value) VALUES ('cursor_secret', ?) ON CONFLICT (name) DO NOTHING").run(randomBytes(32).toString('base64url'))
  return db.sqlite.prepare("SELECT value FROM settings WHERE name = 'cursor_secret'").pluck().get() as string
}

/**
 * The domain, wired once over a database: a read repository per kind, history and the change
 * feed, the write service with the search index kept in step, search, the timeline, statistics,
 * idempotency and API keys. The app, the seed loader, the CLI and the OpenAPI script all build
 * theirs here. It only prepares statements (and, without `cursorSecret`, reads the database's
 * secret): migrating and indexing are explicit steps before it.
 */
export function createKnowledgeBase (db: Db, options: KnowledgeBaseOptions = {}) {
  const cursorSecret = options.cursorSecret ?? databaseCursorSecret(db)
  const codec = new CursorCodec(cursorSecret)
  // The reads are written for both backends (src/db/query.ts); over SQLite they run in the calling thread.
  const reader = sqliteReader(db.sqlite)
  const reads = createReads(reader.dialect, codec)
  const repositories = Object.fromEntries(kinds.map((k) => [k.type, runReads(reads.records[k.type], reader)])) as Repositories
  const writes = createRecordWrites(db, repositories, [createSearchIndexer(db), createStatCellsKeeper(db)])
  // The cells and the totals of a statistic are read in one snapshot, as every read is.
  const stats = new Map<KindType, (query: Record<string, unknown>) => Grouped>([...reads.stats].map(([type, compute]) =>
    [type, (query: Record<string, unknown>) => reader.run(compute(query))]))
  return {
    db,
    codec,
    /** Runs reads written for both backends (src/db/query.ts) over this database. */
    reader,
    /** The reads the API serves, for `reader` (and any reader of this dialect). */
    reads,
    /** The secret `codec` signs with: worker threads over the same data sign their cursors alike. */
    cursorSecret,
    repositories,
    writes,
    merges: createMerges(db, writes),
    search: createSearch(db, codec),
    timeline: { list: (...args: Parameters<Reads['timeline']['list']>) => reader.run(reads.timeline.list(...args)) },
    stats,
    idempotency: createIdempotencyRepository(db, options.idempotencyTtlHours ?? 24),
    apiKeys: createApiKeys(db)
  }
}

export type KnowledgeBase = ReturnType<typeof createKnowledgeBase>
