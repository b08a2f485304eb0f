import type { EventEmitter } from 'node:events'
import type { ApiKeyInfo } from '../auth/api-keys.js'
import type { ApiKeyScope } from '../db/schema/api-keys.js'
import type { DialectName, Read } from '../db/query.js'
import type { AppError } from '../errors.js'
import type { Reads } from '../repositories/reads.js'
import type { OperationName, Operations } from '../workers/operations.js'

/** API keys as an admin manages them (`/v1/keys`, `kb keys`). */
export interface ApiKeyAdmin {
  list (): Promise<ApiKeyInfo[]>
  find (nameOrId: string): Promise<ApiKeyInfo | undefined>
  create (name: string, scope: ApiKeyScope, expiresInHours?: number): Promise<{ key: string, info: ApiKeyInfo }>
  revoke (nameOrId: string): Promise<ApiKeyInfo | undefined>
}

/**
 * What the routes need of the database the app serves, the same for SQLite and PostgreSQL:
 * reads written once for both (src/db/query.ts, src/repositories/reads.ts), the operations that
 * write or whose cost grows with the data (src/workers/operations.ts), the news of a write, key
 * management and readiness. src/backends/sqlite.ts and src/backends/postgres.ts make one.
 */
export interface Backend {
  name: DialectName
  reads: Reads
  /** Runs a read on this backend. */
  read<T> (read: Read<T>): Promise<T>
  /** Search, the timeline, statistics, exports, and every write. */
  run<K extends OperationName> (op: K, arg: Parameters<Operations[K]>[0]): Promise<ReturnType<Operations[K]>>
  /** Emits `change` when a write through this process has committed: streams and the data version learn of it at once. */
  changes: EventEmitter
  apiKeys: ApiKeyAdmin
  /** Undefined when ready to serve; otherwise the problem `/ready` answers with. */
  readiness (): Promise<AppError | undefined>
  /** Resolves once the backend can serve (worker threads up); rejects, with the reason, when it cannot. */
  ready (): Promise<void>
  /** Releases what the backend holds for the app (threads, connections it opened itself). */
  close (): Promise<void>
}
