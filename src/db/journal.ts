import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { migrationsFolder } from '../paths.js'

/** How many migrations drizzle-kit has generated (the length of its journal). */
export function journalEntries (folder = migrationsFolder): number {
  const journal = JSON.parse(readFileSync(join(folder, 'meta', '_journal.json'), 'utf8')) as { entries: unknown[] }
  return journal.entries.length
}
