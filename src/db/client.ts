import { mkdirSync, statSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { AppError } from '../errors.js'
import { migrationsFolder } from '../paths.js'
import { fold } from '../text/fold.js'

export type Orm = BetterSQLite3Database & { $client: BetterSqlite3.Database }

export interface Db {
  /** The raw better-sqlite3 handle, for prepared statements on hot paths. */
  sqlite: BetterSqlite3.Database
  orm: Orm
  /** The file it was opened from, or `:memory:`. */
  path: string
  /**
   * False when the file at `path` is no longer the one this connection has open (deleted, or
   * replaced by another file): what it writes then would be lost. Always true in memory.
   */
  fileIntact (): boolean
  /**
   * Runs `fn` in an IMMEDIATE transaction (a savepoint inside another): the one way writes are
   * made. Storage faults become problems: a full disk a 507, a read-only file, a replaced or
   * deleted one, or an I/O error a 503, all with `Retry-After`; nothing is acknowledged that was
   * not stored where the next start will read it.
   */
  write<T> (fn: () => T): T
  /** The storage fault the last write met (or the file's being replaced), until a write succeeds. */
  storageFault (): AppError | undefined
  /** Checkpoints the WAL and closes; returns the checkpoint's error, if it failed, having closed all the same. */
  close (): Error | undefined
}

const fileReplaced = () => new AppError('unavailable', 'The database file was deleted or replaced while the server ran: writes are refused, since they would be lost. Restart the server (it opens DATABASE_PATH again).',
  undefined, { headers: { 'retry-after': '60' } })

/** The problem a storage failure of SQLite is, or undefined for other errors. */
export function storageProblem (err: unknown): AppError | undefined {
  const code = (err as { code?: unknown }).code
  if (typeof code !== 'string') return undefined
  if (code === 'SQLITE_FULL') {
    return new AppError('insufficient_storage', 'The disk holding the database is full; nothing was written. Free space, then retry.', undefined, { headers: { 'retry-after': '60' } })
  }
  if (code.startsWith('SQLITE_READONLY')) {
    return new AppError('unavailable', 'The database is read-only to this server; nothing was written.', undefined, { headers: { 'retry-after': '60' } })
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new AppError('unavailable', 'The database could not be written (an I/O error); nothing was written.', undefined, { headers: { 'retry-after': '30' } })
  }
  return undefined
}

/** The identity of a file: a file replaced under the same name has another. */
function fileIdentity (path: string): string | undefined {
  try {
    const stat = statSync(path)
    return `${stat.dev}:${stat.ino}`
  } catch {
    return undefined
  }
}

/** Every connection gets the same pragmas, here and nowhere else. */
function applyPragmas (sqlite: BetterSqlite3.Database, inMemory: boolean, readonly: boolean): void {
  // The journal mode is the file's; a read-only connection finds it set (the writer opened first).
  if (!inMemory && !readonly) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('cache_size = -65536')
  sqlite.pragma('temp_store = MEMORY')
}

/**
 * Opens (creating its folder if needed) a database file, or `:memory:`. Does not migrate.
 * `readonly`: a connection that only reads (a worker thread's), of a file that exists.
 */
export function createDb (path: string, { readonly = false, verbose }: {
  readonly?: boolean
  /** Called with every statement run (better-sqlite3's `verbose`): for tests that count queries. */
  verbose?: (sql: unknown) => void
} = {}): Db {
  const inMemory = path === ':memory:'
  if (!inMemory && !readonly) mkdirSync(dirname(path), { recursive: true })
  const sqlite = new BetterSqlite3(path, { readonly, fileMustExist: readonly, ...(verbose === undefined ? {} : { verbose }) })
  applyPragmas(sqlite, inMemory, readonly)
  // Diacritic- and case-insensitive comparisons: kb_fold('García') = 'garcia'.
  sqlite.function('kb_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? fold(value) : null)
  const orm = drizzle({ client: sqlite })
  const identity = inMemory ? undefined : fileIdentity(path)
  const fileIntact = () => inMemory || fileIdentity(path) === identity
  let fault: AppError | undefined
  return {
    sqlite,
    orm,
    path,
    fileIntact,
    write (fn) {
      if (sqlite.inTransaction) return sqlite.transaction(fn)()
      if (!fileIntact()) throw (fault = fileReplaced())
      let result
      try {
        result = sqlite.transaction(fn).immediate()
      } catch (err) {
        const problem = storageProblem(err)
        if (problem !== undefined) throw (fault = problem)
        throw err
      }
      // Committed, but to a file the next start will not open: say so rather than acknowledge it.
      if (!fileIntact()) throw (fault = fileReplaced())
      fault = undefined
      return result
    },
    storageFault: () => (fileIntact() ? fault : fileReplaced()),
    close () {
      if (!sqlite.open) return undefined
      let failed: Error | undefined
      try {
        if (!inMemory) sqlite.pragma('wal_checkpoint(TRUNCATE)')
      } catch (err) {
        failed = err as Error // a full disk or a read-only file: the WAL stays, and SQLite replays it on the next open
      }
      sqlite.close()
      return failed
    }
  }
}

/** Applies the committed drizzle-kit migrations that this database has not seen yet. */
export function migrateDb (db: Db): void {
  migrate(db.orm, { migrationsFolder })
}

/** True when every committed migration has been applied. */
export function migrationsApplied (db: Db, expected: number): boolean {
  const row = db.sqlite.prepare(
    "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'"
  ).get() as { n: number }
  if (row.n === 0) return false
  const applied = db.sqlite.prepare('SELECT count(*) AS n FROM __drizzle_migrations').get() as { n: number }
  return applied.n >= expected
}
