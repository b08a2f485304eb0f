import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Db } from '../db/client.js'
import { AppError } from '../errors.js'
import { kinds, kindTypes, type KindType } from '../kinds/index.js'
import { createKnowledgeBase } from '../knowledge-base.js'
import { seedsFolder } from '../paths.js'
import { importLines, type ImportLine } from '../services/bulk.js'
import type { Doc } from '../services/record-writes.js'
import { SeedError, verifySeedSet, type SeedSet } from './verify.js'

export { SeedError, type SeedSet }

function readJson<T> (folder: string, file: string): T {
  const path = join(folder, file)
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T
  } catch (err) {
    throw new SeedError([`${path}: ${(err as Error).message}`])
  }
}

/** Reads every kind's seed file (and the files its entries name) from a folder, `seeds/` by default. */
export function readSeedSet (folder = seedsFolder): SeedSet {
  return Object.fromEntries(kinds.map((k) => {
    const entries = readJson<Array<Record<string, unknown>>>(folder, k.seedFile)
    return [k.type, entries.map((entry) => (k.fromSeed?.(entry, folder) ?? entry) as Doc & { id: string })]
  })) as SeedSet
}

export function isEmpty (db: Db): boolean {
  return db.sqlite.prepare('SELECT 1 FROM revisions LIMIT 1').get() === undefined
}

/**
 * Verifies every citation (naming the seed file, record and excerpt of any that does not match),
 * then writes the whole seed set as one import: either all of it is in the database afterwards,
 * with a first revision by `seed` for every record, or (on any error) none of it.
 */
export function seedDatabase (db: Db, set: SeedSet = readSeedSet()): { records: number, citations: number } {
  const citations = verifySeedSet(set)
  const kb = createKnowledgeBase(db)
  let line = 0
  const lines: ImportLine[] = kindTypes.flatMap((type: KindType) => set[type].map((doc) => ({ line: ++line, type, doc: structuredClone(doc) })))
  try {
    const result = importLines(kb.writes, lines, 'seed')
    return { records: result.records, citations }
  } catch (err) {
    if (err instanceof AppError) {
      throw new SeedError((err.errors ?? []).map((p) => `${lines[p.line! - 1]?.type} ${String(lines[p.line! - 1]?.doc.id)}: ${p.name} ${p.detail}`))
    }
    throw err
  }
}
