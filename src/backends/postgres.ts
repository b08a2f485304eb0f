import { randomBytes } from 'node:crypto'
import { EventEmitter } from 'node:events'
import { journalEntries } from '../db/journal.js'
import type { PgDb } from '../db/pg-client.js'
import { pgTables } from '../db/pg-tables.js'
import { pgReader } from '../db/query.js'
import { AppError } from '../errors.js'
import { pgMigrationsFolder } from '../paths.js'
import { CursorCodec } from '../query/cursor.js'
import type { KindType } from '../kinds/index.js'
import { createReads } from '../repositories/reads.js'
import { chart, rows as tidyRows } from '../repositories/stats.js'
import { exportLines } from '../services/bulk.js'
import type { TimelineKind, TimelineQueryType } from '../schemas/timeline.js'
import type { OperationName } from '../workers/operations.js'
import type { Backend } from './backend.js'

/** What each operation the PostgreSQL backend does not serve yet is, in a problem's words. */
const notYet: Partial<Record<OperationName, string>> = {
  search: 'Search',
  import: 'Importing',
  create: 'Writing',
  createOnce: 'Writing',
  update: 'Writing',
  remove: 'Writing',
  merge: 'Merging'
}

const notImplemented = (what: string) => new AppError('not_implemented',
  `${what} is not served on PostgreSQL yet: this server answers every read of records, lists, history, the change feed, the timeline, ` +
  'statistics, exports, a source\'s citations and the calendar. Serve the knowledge base from SQLite (without DATABASE_URL) for the rest.')

/**
 * The secret this database's cursors are signed with (as databaseCursorSecret for SQLite): made
 * at random the first time and kept in `settings`, so every node over the database signs alike.
 */
export async function pgCursorSecret (db: PgDb): Promise<string> {
  await db.pool.query('INSERT INTO settings (name, value) VALUES (\'cursor_secret\', $1) ON CONFLICT (name) DO NOTHING', [randomBytes(32).toString('base64url')])
  const { rows } = await db.pool.query<{ value: string }>('SELECT value FROM settings WHERE name = \'cursor_secret\'')
  return rows[0]!.value
}

/**
 * The PostgreSQL backend (`DATABASE_URL`): the reads written for both backends run over the pool,
 * each in one REPEATABLE READ transaction, statistics and exports among them. Writes, imports and
 * search are not served on PostgreSQL yet: they answer 501 `not_implemented`, saying so. The pool
 * is the caller's.
 */
export async function postgresBackend (db: PgDb, { cursorSecret }: { cursorSecret?: string | undefined } = {}): Promise<Backend> {
  const codec = new CursorCodec(cursorSecret ?? await pgCursorSecret(db))
  const reader = pgReader(db.pool, pgTables)
  const reads = createReads(reader.dialect, codec)
  const expected = journalEntries(pgMigrationsFolder)
  return {
    name: 'postgres',
    reads,
    read: async (read) => await reader.run(read),
    async run (op, arg) {
      if (op === 'timeline') {
        const { query, types } = arg as { query: TimelineQueryType, types: readonly TimelineKind[] }
        return await reader.run(reads.timeline.list(query, types)) as never
      }
      if (op === 'export') {
        return (await reader.run(exportLines(reads, reader.dialect, arg as { types?: KindType[], since?: string }))).join('') as never
      }
      if (op === 'stats') {
        const { type, query, csv = false } = arg as { type: KindType, query: Record<string, unknown>, csv?: boolean }
        const grouped = await reader.run(reads.stats.get(type)!(query))
        return (csv ? tidyRows(grouped) : chart(grouped)) as never
      }
      throw notImplemented(notYet[op] ?? op)
    },
    changes: new EventEmitter(),
    apiKeys: {
      list: async () => { throw notImplemented('Managing API keys') },
      find: async () => { throw notImplemented('Managing API keys') },
      create: async () => { throw notImplemented('Managing API keys') },
      revoke: async () => { throw notImplemented('Managing API keys') }
    },
    async readiness () {
      try {
        const { rows } = await db.pool.query<{ n: number }>('SELECT count(*) AS n FROM drizzle.__drizzle_migrations')
        return Number(rows[0]?.n ?? 0) >= expected ? undefined : new AppError('unavailable', 'The database has migrations still to apply.')
      } catch (err) {
        return new AppError('unavailable', `The database does not answer: ${(err as Error).message}.`, undefined, { headers: { 'retry-after': '5' } })
      }
    },
    ready: async () => {},
    close: async () => {}
  }
}
