/**
 * The real API (buildApp, logger off) over the SYNTHETIC benchmark database, on 127.0.0.1 only:
 * the SQLite file, or with `--database-url` its copy in PostgreSQL.
 *
 *   npx tsx bench/api-server.ts --db bench/.data/synthetic-100k.sqlite --port 0
 *   npx tsx bench/api-server.ts --database-url postgres://… --port 0
 *
 * Prints `BENCH_READY {"server":"api","url":…}` once listening; closes the database on SIGTERM/SIGINT.
 */
import type { AddressInfo } from 'node:net'
import { buildApp } from '../src/app.js'
import { createDb } from '../src/db/client.js'
import { openPgDb } from '../src/db/pg-client.js'
import { benchCursorSecret, option, readyPrefix, serverOptions, type ReadyMessage } from './config.js'

const argv = process.argv.slice(2)
const { dbPath, port } = serverOptions(argv)
const url = option(argv, 'database-url', 'BENCH_DATABASE_URL')
// The database is generated and migrated (and copied into PostgreSQL) before any server starts.
const db = url === undefined ? createDb(dbPath) : await openPgDb(url, { migrate: false })
// The server's defaults, but rate limits so high that the load generator is never refused: the
// limiter's cost per request is measured, its 429s are not.
const unlimited = 1_000_000_000
const app = await buildApp({ db, config: { cursorSecret: benchCursorSecret, rateLimits: { reads: unlimited, searches: unlimited, writes: unlimited } }, logger: false })

let closing = false
async function shutdown () {
  if (closing) return
  closing = true
  try {
    await app.close()
  } finally {
    await db.close()
    process.exit(0)
  }
}
const onSignal = () => {
  shutdown().catch((err: unknown) => {
    console.error(err)
    process.exit(1)
  })
}
process.once('SIGTERM', onSignal)
process.once('SIGINT', onSignal)

await app.listen({ host: '127.0.0.1', port })
const address = app.server.address() as AddressInfo
const ready: ReadyMessage = { server: 'api', url: `http://127.0.0.1:${address.port}` }
console.log(readyPrefix + JSON.stringify(ready))
