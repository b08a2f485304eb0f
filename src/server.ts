import closeWithGrace from 'close-with-grace'
import { buildApp } from './app.js'
import { ConfigError, loadConfig, withoutPassword, type Config } from './config.js'
import { createDb, migrateDb } from './db/client.js'
import { openPgDb, PgSetupError } from './db/pg-client.js'
import { rebuildStatCells } from './repositories/stat-cells.js'
import { rebuildSearchIndex } from './search/indexer.js'
import { isEmpty, SeedError, seedDatabase } from './seed/load.js'
import { seedPgIfEmpty } from './seed/postgres.js'

/** Opens the database the configuration names, migrated and, when empty, seeded. */
async function openDatabase (config: Config) {
  if (config.databaseUrl !== undefined) {
    const db = await openPgDb(config.databaseUrl)
    try {
      return { db, seeded: await seedPgIfEmpty(db), close: async () => { await db.close() } }
    } catch (err) {
      await db.close()
      throw err
    }
  }
  const db = createDb(config.databasePath)
  migrateDb(db)
  // Only when they are still empty but the knowledge base is not (a database from before them).
  rebuildSearchIndex(db)
  rebuildStatCells(db)
  const seeded = isEmpty(db) ? seedDatabase(db) : undefined
  // Checkpoints the WAL; nothing is lost when that fails: SQLite replays the WAL on the next open.
  return { db, seeded, close: async () => db.close() }
}

/** Listens and shuts down; everything else is built by `buildApp`. */
async function main () {
  const config = loadConfig()
  const { db, seeded, close } = await openDatabase(config)

  const app = await buildApp({ db, config, logger: { level: config.logLevel } })
  app.log.info({ backend: app.backend.name }, config.databaseUrl === undefined ? `serving ${config.databasePath}` : `serving ${withoutPassword(config.databaseUrl)}`)
  if (seeded !== undefined) app.log.info(seeded, 'seeded an empty database')

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err !== undefined) app.log.error({ err }, 'shutting down after an error')
    else app.log.info({ signal }, 'shutting down: finishing in-flight requests')
    await app.close() // stops accepting connections, waits for in-flight requests
    const failed = await close()
    // The exit code stays 0.
    if (failed !== undefined) app.log.error({ err: failed }, 'the WAL checkpoint at shutdown failed; the next start replays the WAL')
  })

  await app.listen({ port: config.port, host: config.host })
}

main().catch((err: unknown) => {
  if (err instanceof ConfigError || err instanceof SeedError || err instanceof PgSetupError) {
    console.error(err.message)
  } else {
    console.error('The server could not start:', err)
  }
  process.exit(1)
})
