/**
 * The database as the command line opens it: as the server does at start-up, and always closed.
 * The domain's modules are imported when a command runs, not before: --help, --version and usage
 * errors answer without loading them, and a command loads only what it uses.
 */
import { existsSync } from 'node:fs'
import type { Db } from '../db/client.js'

export interface OpenOptions {
  /** Apply the migrations it has not seen yet (default: yes). */
  migrate?: boolean
  /** Build the search index if it is empty, as the server does at start-up (default: yes). */
  index?: boolean
  /** Refuse a path where there is no database, rather than create one there (default: no). */
  existing?: boolean
}

/** The migrations a database has applied (0 before the first). */
export function migrationsOf (db: Db): number {
  const table = db.sqlite.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '__drizzle_migrations'").get()
  return table === undefined ? 0 : db.sqlite.prepare('SELECT count(*) FROM __drizzle_migrations').pluck().get() as number
}

/** Opens the file (migrating and indexing it as `options` say), runs `fn`, and closes it. */
export async function withDb<T> (
  path: string,
  fn: (db: Db, migrations: { before: number, after: number }) => T | Promise<T>,
  { migrate = true, index = true, existing = false }: OpenOptions = {}
): Promise<T> {
  if (existing && !existsSync(path)) throw new Error(`there is no database at ${path} (give another with --database, or set DATABASE_PATH)`)
  const { createDb, migrateDb } = await import('../db/client.js')
  const db = createDb(path)
  try {
    const before = migrationsOf(db)
    if (migrate) migrateDb(db)
    if (index) {
      (await import('../search/indexer.js')).rebuildSearchIndex(db)
      ;(await import('../repositories/stat-cells.js')).rebuildStatCells(db)
    }
    return await fn(db, { before, after: migrationsOf(db) })
  } finally {
    db.close()
  }
}
