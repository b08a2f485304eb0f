import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { sources, type RevisionRecordType } from '../db/schema/index.js'
import { AppError } from '../errors.js'
import { createRepositories } from '../plugins/repositories.js'
import { CursorCodec } from '../query/cursor.js'
import { importLines, type ImportLine } from '../services/bulk.js'
import type { Doc } from '../services/record-writes.js'
import { createRecordWrites } from '../services/record-writes.js'
import { seedsFolder } from '../paths.js'
import { cleanCapture } from '../text/clean-capture.js'
import type { SeedSet, SeedSourceEntry } from '../writers/types.js'
import { SeedError, verifySeedSet } from './verify.js'
import { revisionListeners } from '../services/revision-listeners.js'

export { SeedError }

function readJson<T> (folder: string, file: string): T {
  const path = join(folder, file)
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    throw new SeedError([`${path}: ${(err as Error).message}`])
  }
}

/** Reads the seed files (and the captures they name) from a folder, `seeds/` by default. */
export function readSeedSet (folder = seedsFolder): SeedSet {
  const sourceMeta = readJson<SeedSourceEntry[]>(folder, 'sources.json')
  return {
    sources: sourceMeta.map(({ capture_file: file, ...s }) => ({ ...s, captured_text: readFileSync(join(folder, file), 'utf8') })),
    actors: readJson(folder, 'actors.json'),
    transfers: readJson(folder, 'transfers.json'),
    quotes: readJson(folder, 'quotes.json'),
    tariffDeadlines: readJson(folder, 'tariff-deadlines.json'),
    cooperationMeasures: readJson(folder, 'cooperation-measures.json')
  }
}

export function isEmpty (db: Db): boolean {
  return db.orm.select({ n: sql<number>`count(*)` }).from(sources).get()!.n === 0
}

/**
 * Verifies every citation (naming the seed file, record and excerpt of any that does not match),
 * then writes the whole seed set as one import: either all of it is in the database afterwards,
 * with a first revision by `seed` for every record, or (on any error) none of it.
 */
export function seedDatabase (db: Db, set: SeedSet = readSeedSet()): { records: number, citations: number } {
  const cleaned = new Map(set.sources.map((s) => [s.id, cleanCapture(s.captured_text)]))
  const verified = verifySeedSet(set, cleaned)
  const writes = createRecordWrites(db, createRepositories(db, new CursorCodec('seed-loader-only-cursors')), revisionListeners(db))
  const groups: Array<[RevisionRecordType, Doc[]]> = [
    ['source', set.sources as unknown as Doc[]],
    ['actor', set.actors as unknown as Doc[]],
    ['transfer', set.transfers as unknown as Doc[]],
    ['quote', set.quotes as unknown as Doc[]],
    ['tariff_deadline', set.tariffDeadlines as unknown as Doc[]],
    ['cooperation_measure', set.cooperationMeasures as unknown as Doc[]]
  ]
  let line = 0
  const lines: ImportLine[] = groups.flatMap(([type, docs]) => docs.map((doc) => ({ line: ++line, type, doc: structuredClone(doc) })))
  try {
    const result = importLines(writes, lines, 'seed')
    return { records: result.records, citations: verified.length }
  } catch (err) {
    if (err instanceof AppError) {
      throw new SeedError((err.errors ?? []).map((p) => `${lines[p.line! - 1]?.type} ${String(lines[p.line! - 1]?.doc.id)}: ${p.name} ${p.detail}`))
    }
    throw err
  }
}
