import { createDb, migrateDb } from '../db/client.js'
import type { PgDb } from '../db/pg-client.js'
import { copySqliteToPg } from '../services/copy.js'
import { seedDatabase, type SeedSet } from './load.js'

/** The advisory lock seeding runs under ("kbseed"): nodes starting together seed once. */
const seedLock = 0x6b62736565

/**
 * Seeds an empty PostgreSQL knowledge base, as `npm start` seeds an empty SQLite file: the seed set
 * is written into a database in memory (verified, as ever) and copied over with `kb copy`'s
 * service, every citation re-verified in PostgreSQL, in one transaction. Returns what was
 * seeded, or undefined when the knowledge base was not empty.
 */
export async function seedPgIfEmpty (db: PgDb, set?: SeedSet): Promise<{ records: number, citations: number } | undefined> {
  const client = await db.pool.connect()
  try {
    await client.query('SELECT pg_advisory_lock($1)', [seedLock])
    try {
      const { rows } = await client.query<{ n: number }>('SELECT count(*) AS n FROM (SELECT 1 FROM revisions LIMIT 1) AS any_revision')
      if (Number(rows[0]?.n) > 0) return undefined
      const staging = createDb(':memory:')
      try {
        migrateDb(staging)
        const seeded = seedDatabase(staging, set) // the seed files are read only now, when needed
        await copySqliteToPg(staging, db.pool)
        return seeded
      } finally {
        staging.close()
      }
    } finally {
      await client.query('SELECT pg_advisory_unlock($1)', [seedLock])
    }
  } finally {
    client.release()
  }
}
