/** The commands that look after the database file itself: migrate, seed, reindex. */
import type { Command } from './command.js'
import { withDb } from './database.js'

export const migrate: Command = {
  name: 'migrate',
  operands: [],
  options: ['database', 'json'],
  summary: 'apply pending migrations',
  description: [
    'Creates the database file (and its folder) if it is missing and applies the migrations it has not seen yet; running it again is harmless. The server does the same at start-up.',
    'With --json: {"database", "applied" (migrations applied now), "migrations" (applied in all)}.'
  ],
  examples: ['kb migrate', 'kb migrate --database /srv/kb/kb.sqlite --json'],
  run: ({ databasePath }) => withDb(databasePath(), (db, { before, after }) => ({
    json: { database: db.path, applied: after - before, migrations: after },
    stdout: [`${db.path}: migrations applied`]
  }))
}

export const seed: Command = {
  name: 'seed',
  operands: [],
  options: ['database', 'json'],
  summary: 'migrate, then load seeds/ into an empty database',
  description: [
    'Loads the seed data (seeds/) into an empty database, checking every citation against its source first: all of it is written, or (on any problem) none. Refused on a database that holds records; use import to add records to one.',
    'With --json: {"database", "records", "citations"}.'
  ],
  examples: ['kb seed', 'kb seed --database ./data/demo.sqlite'],
  run: ({ databasePath }) => withDb(databasePath(), async (db) => {
    const { isEmpty, seedDatabase } = await import('../seed/load.js')
    if (!isEmpty(db)) throw new Error(`${db.path} already holds records; seeding is only for an empty database (use import to add records)`)
    const result = seedDatabase(db)
    return {
      json: { database: db.path, records: result.records, citations: result.citations },
      stdout: [`${db.path}: seeded ${result.records} records with ${result.citations} verified citations`]
    }
  })
}

export const reindex: Command = {
  name: 'reindex',
  operands: [],
  options: ['database', 'json'],
  summary: 'rebuild the search index and the kept statistics from every record\'s latest revision',
  description: [
    'Rebuilds the search index and the statistics kept on every write, each in one transaction, from every record\'s latest revision: after restoring an old file, or if they ever disagree with the records. A running server keeps answering reads; its writes wait for it (or answer 503 with Retry-After after 5 s).',
    'With --json: {"database", "records"}.'
  ],
  examples: ['kb reindex', 'kb reindex --database /srv/kb/kb.sqlite --json'],
  run: ({ databasePath }) => withDb(databasePath(), async (db) => {
    const [{ rebuildSearchIndex }, { rebuildStatCells }] = await Promise.all([import('../search/indexer.js'), import('../repositories/stat-cells.js')])
    const records = rebuildSearchIndex(db, { force: true })
    rebuildStatCells(db, { force: true })
    return {
      json: { database: db.path, records },
      stdout: [`${db.path}: search index and statistics rebuilt from ${records} records`]
    }
  })
}
