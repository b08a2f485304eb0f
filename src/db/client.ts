import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import BetterSqlite3 from 'better-sqlite3'
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3'
import { migrate } from 'drizzle-orm/better-sqlite3/migrator'
import { migrationsFolder } from '../paths.js'
import { fold } from '../text/fold.js'

export type Orm = BetterSQLite3Database & { $client: BetterSqlite3.Database }

export interface Db {
  /** The raw better-sqlite3 handle, for prepared statements on hot paths. */
  sqlite: BetterSqlite3.Database
  orm: Orm
  close (): void
}

/** Every connection gets the same pragmas, here and nowhere else. */
function applyPragmas (sqlite: BetterSqlite3.Database, inMemory: boolean): void {
  if (!inMemory) sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('foreign_keys = ON')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('cache_size = -65536')
  sqlite.pragma('temp_store = MEMORY')
}

/** Opens (creating its folder if needed) a database file, or `:memory:`. Does not migrate. */
export function createDb (path: string): Db {
  const inMemory = path === ':memory:'
  if (!inMemory) mkdirSync(dirname(path), { recursive: true })
  const sqlite = new BetterSqlite3(path)
  applyPragmas(sqlite, inMemory)
  // Diacritic- and case-insensitive comparisons: kb_fold('García') = 'garcia'.
  sqlite.function('kb_fold', { deterministic: true }, (value: unknown) =>
    typeof value === 'string' ? fold(value) : null)
  const orm = drizzle({ client: sqlite })
  return {
    sqlite,
    orm,
    close () {
      if (!sqlite.open) return
      if (!inMemory) sqlite.pragma('wal_checkpoint(TRUNCATE)')
      sqlite.close()
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
