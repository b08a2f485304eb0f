/**
 * Import throughput: POST /v1/import of SYNTHETIC NDJSON (bench/import-data.ts) to the real API
 * over a fresh database file, every citation verified. Records per second = NDJSON lines written
 * divided by the wall time of the request, as a client sees it.
 */
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import { createApiKeys } from '../src/auth/api-keys.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { benchDataFolder } from './config.js'
import { importNdjson } from './import-data.js'

export const importTarget = 50_000

export interface ImportMeasurement {
  records: number
  bytes: number
  seconds: number[]
  recordsPerSecond: number
}

/** A fresh, migrated database with a write key; the API server is started on it by the caller. */
export function prepareImportDb (): { path: string, key: string } {
  const path = join(benchDataFolder, 'import-bench.sqlite')
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
  const db = createDb(path)
  migrateDb(db)
  const { key } = createApiKeys(db).create('bench-import', 'write')
  db.close()
  return { path, key }
}

/** `runs` imports of `transfers` transfers each (plus a source and a few actors), ids distinct per run. */
export async function measureImport (url: string, key: string, transfers: number, runs: number): Promise<ImportMeasurement> {
  const seconds: number[] = []
  let records = 0
  let bytes = 0
  for (let run = 1; run <= runs; run++) {
    const { body, records: n } = importNdjson(transfers, `synthetic-import-run-${run}`)
    const started = process.hrtime.bigint()
    const response = await fetch(`${url}/v1/import`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' },
      body
    })
    const text = await response.text()
    const elapsed = Number(process.hrtime.bigint() - started) / 1e9
    if (response.status !== 201) throw new Error(`import run ${run} answered ${response.status}: ${text.slice(0, 500)}`)
    const written = (JSON.parse(text) as { records: number }).records
    if (written !== n) throw new Error(`import run ${run} wrote ${written} records, expected ${n}`)
    seconds.push(elapsed)
    records = n
    bytes = Buffer.byteLength(body)
    console.log(`import run ${run}: ${n} records (${(bytes / 1048576).toFixed(1)} MiB) in ${elapsed.toFixed(2)} s = ${Math.round(n / elapsed)} records/s`)
  }
  const median = [...seconds].sort((a, b) => a - b)[Math.floor(seconds.length / 2)]!
  return { records, bytes, seconds, recordsPerSecond: records / median }
}
