/**
 * A PostgreSQL knowledge base's connection, for the second backend (issue #17; the server does not
 * use it yet): a node-postgres pool under Drizzle, checked before use and migrated once however
 * many API nodes start at the same moment.
 *
 * The checks are what keep answers equal to SQLite's: PostgreSQL 15 or later, UTF-8, and a database
 * whose text sorts by code point as SQLite's does (libc's C or C.UTF-8 collation), since keyset
 * pages, sorts and cursors compare text. A database that fails them is refused with how to make
 * one that passes.
 */
import { drizzle, type NodePgDatabase } from 'drizzle-orm/node-postgres'
import { migrate } from 'drizzle-orm/node-postgres/migrator'
import pg from 'pg'
import { withoutPassword } from '../config.js'
import { pgMigrationsFolder } from '../paths.js'

export interface PgDb {
  pool: pg.Pool
  orm: NodePgDatabase
  close: () => Promise<void>
}

/** A database this knowledge base cannot run on as it is (the message says what to do). */
export class PgSetupError extends Error {
  override name = 'PgSetupError'
}

/** Collations (libc) that order text by code point, as SQLite does. */
const codePointCollations = new Set(['C', 'POSIX', 'C.UTF-8', 'C.utf8'])

/** The advisory lock migrations run under: any fixed number, the same on every node ("kbmig"). */
export const migrationLock = 0x6b626d6967

const createHint = 'Create the database with: CREATE DATABASE kb TEMPLATE template0 ENCODING \'UTF8\' LOCALE_PROVIDER libc LC_COLLATE \'C\' LC_CTYPE \'C\''

/** Refuses a server or database the knowledge base would answer differently on. */
export async function checkPgDatabase (pool: pg.Pool): Promise<void> {
  const { rows } = await pool.query<{ version: number, name: string, encoding: string, collate: string, provider: string }>(
    'SELECT current_setting(\'server_version_num\')::int AS version, datname AS name, pg_encoding_to_char(encoding) AS encoding, ' +
    'datcollate AS collate, datlocprovider AS provider FROM pg_database WHERE datname = current_database()')
  const db = rows[0]
  if (db === undefined) throw new PgSetupError('Could not read the current database\'s settings from pg_database.')
  if (db.version < 150000) throw new PgSetupError(`PostgreSQL ${Math.floor(db.version / 10000)} is too old: the knowledge base needs PostgreSQL 15 or later.`)
  if (db.encoding !== 'UTF8') throw new PgSetupError(`Database "${db.name}" is encoded ${db.encoding}; the knowledge base needs UTF8. ${createHint}.`)
  if (db.provider !== 'c' || !codePointCollations.has(db.collate)) {
    const collation = db.provider === 'c' ? db.collate : `${db.collate} (ICU)`
    throw new PgSetupError(`Database "${db.name}" sorts text by the collation ${collation}, so lists and cursors would order differently ` +
      `from the SQLite backend; the knowledge base needs the C collation (code-point order). ${createHint}.`)
  }
}

/**
 * Applies migrations/pg that are not applied yet, holding a session advisory lock: nodes starting
 * together wait for the first, then find nothing left to do.
 */
export async function migratePg (pool: pg.Pool, migrationsFolder = pgMigrationsFolder): Promise<void> {
  const client = await pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [migrationLock])
    try {
      await migrate(drizzle(client), { migrationsFolder })
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [migrationLock])
    }
  } finally {
    client.release()
  }
}

/** bigint (counts, the change feed's sequence) as a number, as SQLite gives it: exact below 2^53. */
export const pgTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => (oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format as 'text'))) as typeof pg.types.getTypeParser
}

/** Connects to `url` (`postgres://…`), checks the database and, unless told not to, migrates it. */
export async function openPgDb (url: string, { migrate: migrating = true, max = 10 }: { migrate?: boolean, max?: number } = {}): Promise<PgDb> {
  const pool = new pg.Pool({ connectionString: url, max, types: pgTypes })
  try {
    await pool.query('SELECT 1').catch((err: Error) => {
      throw new PgSetupError(`Could not connect to ${withoutPassword(url)}: ${err.message}.`)
    })
    await checkPgDatabase(pool)
    if (migrating) await migratePg(pool)
  } catch (err) {
    await pool.end()
    throw err
  }
  return { pool, orm: drizzle(pool), close: async () => await pool.end() }
}
