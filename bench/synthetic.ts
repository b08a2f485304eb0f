/**
 * SYNTHETIC benchmark data: one invented source, a few invented actors and N invented transfers
 * (100,000 for the API-vs-baseline scenarios; 10k, 100k and 1M for the scale curve), written to
 * bench/.data/synthetic-<10k|100k|1m>.sqlite (git-ignored), with their search documents. Nothing
 * here describes real events or people, and nothing here touches `seeds/` or the real database.
 *
 *   npx tsx bench/synthetic.ts [--count 100000] [--fresh]
 *
 * The rows are written with raw prepared statements (not through the app's writers); every record
 * then gets its creating revision, with the record as the app's repositories read it back (what a
 * write stores), so reads compute their ETags as on real data; the search documents are built by
 * the app's own document builders (each kind's search.ts, through src/search/indexer.ts) and FTS5
 * indexes them as the triggers of migration 0004 would (see
 * indexSearchDocuments). Generation is deterministic, and every size draws its transfers from the
 * same random sequence: the first N transfers differ between sizes only in which of them carry
 * the search term.
 */
import { createHash } from 'node:crypto'
import { existsSync, rmSync, renameSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { createDb, migrateDb, type Db } from '../src/db/client.js'
import { kindOf } from '../src/kinds/index.js'
import type { TransferDto } from '../src/kinds/transfers/schemas.js'
import { createKnowledgeBase } from '../src/knowledge-base.js'
import { createStatCellsKeeper } from '../src/repositories/stat-cells.js'
import { locateExcerpt } from '../src/provenance/excerpts.js'
import { boundsOf } from '../src/query/dates.js'
import { documentRow } from '../src/search/indexer.js'
import { cleanCapture } from '../src/text/clean-capture.js'
import { countLabel, flag, option, syntheticDbPathFor, syntheticTransferCount } from './config.js'

export const syntheticSourceId = 'synthetic-source'
export const syntheticTransferId = (n: number) => `synthetic-transfer-${String(n).padStart(6, '0')}`

/**
 * Bumped whenever the generated data changes, so that an older file is regenerated rather than
 * reused (kept in the database's `PRAGMA user_version`, which the migrations do not use).
 * 2: search documents; the search term in the charges of `searchTermTransfers` transfers.
 * 3: a creating revision for every record.
 * 4: search documents with keywords and English and Spanish stems (migration 0015).
 * 5: the statistics kept on every write (migration 0016).
 */
const generatorVersion = 5

/**
 * A word in the charges of about this many transfers, spread evenly over the ids, whatever the
 * size of the data set: the search scenarios look for it, so that a search returns the same
 * moderate number of hits at 10k, 100k and 1M records and the scale curve measures the index,
 * not a result set that grows with the data. (Every other word of the synthetic text occurs in a
 * fixed share of the transfers, and ranking all matches of such a word is linear in the data.)
 */
export const syntheticSearchTerm = 'quetzal'
export const searchTermTransfers = 500
const searchTermCharges = 'SYNTHETIC charges for load testing in the synthetic Quetzal case.'

/** A small deterministic PRNG (mulberry32), so that every generation gives the same database. */
function prng (seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6D2B79F5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!
  }
}

interface Span { start: number, end: number }

/** The source text, already in the shape `cleanCapture` produces, and the spans of its sentences. */
function sourceText (): { text: string, sentences: Span[] } {
  const random = prng(2025)
  const agencies = ['the synthetic Fiscalía General de la República', 'the synthetic Department of Justice', 'a synthetic security cabinet', 'a synthetic federal court']
  const verbs = ['reported', 'announced', 'confirmed', 'noted', 'stated']
  const mechanisms = ['extradition', 'expulsion', 'deportation', 'transfer']
  const paragraphs: string[] = ['SYNTHETIC BENCHMARK SOURCE. This text is invented for load testing and describes no real event, person or organisation.']
  for (let p = 1; p <= 8; p++) {
    const sentences: string[] = []
    for (let s = 1; s <= 5; s++) {
      const n = (p - 1) * 5 + s
      sentences.push(`SYNTHETIC sentence ${n}: ${random.pick(agencies)} ${random.pick(verbs)} that ${random.int(1, 60)} synthetic people were handed over in a synthetic ${random.pick(mechanisms)} numbered ${random.int(1000, 9999)}.`)
    }
    paragraphs.push(sentences.join(' '))
  }
  const text = paragraphs.join('\n\n').normalize('NFC')
  const sentences: Span[] = []
  for (const match of text.matchAll(/SYNTHETIC sentence \d+: [^.]*\./g)) {
    sentences.push({ start: match.index, end: match.index + match[0].length })
  }
  return { text, sentences }
}

const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

const actors = [
  { id: 'synthetic-actor-government-mx', kind: 'government', name: 'SYNTHETIC Government of Mexico', country: 'MX' },
  { id: 'synthetic-actor-government-us', kind: 'government', name: 'SYNTHETIC Government of the United States', country: 'US' },
  { id: 'synthetic-actor-prosecutor-mx', kind: 'government_body', name: 'SYNTHETIC Fiscalía General', country: 'MX' },
  { id: 'synthetic-actor-justice-us', kind: 'government_body', name: 'SYNTHETIC Department of Justice', country: 'US' },
  { id: 'synthetic-actor-group-a', kind: 'criminal_group', name: 'SYNTHETIC Group A', country: 'MX' },
  { id: 'synthetic-actor-group-b', kind: 'criminal_group', name: 'SYNTHETIC Group B', country: 'MX' },
  { id: 'synthetic-actor-person-1', kind: 'person', name: 'SYNTHETIC Person One', country: 'MX' },
  { id: 'synthetic-actor-person-2', kind: 'person', name: 'SYNTHETIC Person Two', country: 'MX' },
  { id: 'synthetic-actor-person-3', kind: 'person', name: 'SYNTHETIC Person Three', country: 'US' }
] as const
const transferredActors = actors.filter((a) => a.kind === 'person' || a.kind === 'criminal_group')
const mechanisms = ['extradition', 'expulsion', 'deportation', 'other', 'unspecified'] as const
const resourceKinds = ['vehicles', 'aircraft', 'officers'] as const
const dayMs = 86_400_000
const firstDay = Date.UTC(2000, 0, 1)
const dayCount = Math.round((Date.UTC(2025, 11, 31) - firstDay) / dayMs) + 1

/** Writes the whole synthetic data set into an open, migrated database, in one transaction. */
function writeSyntheticData (sqlite: BetterSqlite3.Database, count: number, step: (done: string) => void): void {
  const random = prng(100_000)
  const { text, sentences } = sourceText()
  if (cleanCapture(text) !== text) throw new Error('the synthetic text is not in cleaned form')
  if (/[\uD800-\uDFFF]/.test(text)) throw new Error('the synthetic text must not contain astral characters (offsets are code points)')

  const insertSource = sqlite.prepare(`INSERT INTO sources (id, title, publisher, url, language, published_on, published_on_earliest, published_on_latest,
    captured_text, text, text_sha256, created_at, updated_at)
    VALUES (@id, @title, @publisher, NULL, 'en', '2025-01-01', '2025-01-01', '2025-01-01', @text, @text, @sha, @at, @at)`)
  const insertActor = sqlite.prepare(`INSERT INTO actors (id, kind, name, country, description, created_at, updated_at)
    VALUES (@id, @kind, @name, @country, 'SYNTHETIC actor for load testing; not a real actor.', @at, @at)`)
  const insertTransfer = sqlite.prepare(`INSERT INTO transfers (id, date, date_earliest, date_latest, date_approximate, announced_on,
    announced_on_earliest, announced_on_latest, from_country, to_country, mechanism,
    people_count, people_count_approximate, summary, purpose, charges, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
  const insertParticipant = sqlite.prepare('INSERT INTO transfer_participants (transfer_id, actor_id, role) VALUES (?, ?, ?)')
  const insertResource = sqlite.prepare(`INSERT INTO transfer_resources (id, transfer_id, kind, quantity, approximate, description)
    VALUES (?, ?, ?, ?, ?, ?)`)
  const insertCitation = sqlite.prepare(`INSERT INTO citations (record_type, record_id, fields, source_id, excerpt, start_offset, end_offset, note)
    VALUES ('transfer', ?, ?, ?, ?, ?, ?, ?)`)

  // What the app's search indexer writes for each record (FTS5 indexes it afterwards, in one pass).
  const insertDocument = sqlite.prepare(`INSERT INTO search_documents (kind, record_id, date, date_earliest, date_latest, title, body, keywords, stems_en, stems_es)
    VALUES (@kind, @id, @date, @date_earliest, @date_latest, @title, @body, @keywords, @stems_en, @stems_es)`)
  const index = (kind: 'source' | 'actor' | 'transfer', id: string, record: object) => insertDocument.run(documentRow(kind, id, record))

  const cite = (recordId: string, span: Span, fields: string, note: string | null) => {
    const excerpt = text.slice(span.start, span.end)
    insertCitation.run(recordId, fields, syntheticSourceId, excerpt, span.start, span.end, note)
  }

  const stride = Math.max(1, Math.floor(count / searchTermTransfers))
  const hasSearchTerm = (n: number) => n % stride === stride >> 1
  const stepEvery = Math.max(1, Math.round(count / 10))

  sqlite.transaction(() => {
    const at = '2025-01-01T00:00:00.000Z'
    const source = { id: syntheticSourceId, title: 'SYNTHETIC benchmark source (not real data)', publisher: 'SYNTHETIC bench/synthetic.ts', text }
    insertSource.run({ ...source, sha: sha256(text), at })
    index('source', source.id, source)
    for (const a of actors) {
      insertActor.run({ ...a, at })
      index('actor', a.id, { ...a, description: 'SYNTHETIC actor for load testing; not a real actor.', aliases: [], roles: [] })
    }

    for (let n = 1; n <= count; n++) {
      const id = syntheticTransferId(n)
      const day = new Date(firstDay + random.int(0, dayCount - 1) * dayMs).toISOString()
      const shape = random.next()
      // Mostly full dates; some month- or year-only, a few undated.
      const date = shape < 0.82 ? day.slice(0, 10) : shape < 0.94 ? day.slice(0, 7) : shape < 0.98 ? day.slice(0, 4) : null
      const announcedOn = date !== null && date.length === 10 && random.next() < 0.5 ? date : null
      const toUs = random.next() < 0.85
      const mechanism = random.pick(mechanisms)
      const peopleCount = random.next() < 0.95 ? random.int(1, 40) : null
      const transferred = random.pick(transferredActors)
      const stamp = new Date(Date.UTC(2025, 0, 1) + n * 1000).toISOString()
      const dateApproximate = date !== null && random.next() < 0.1
      const peopleCountApproximate = peopleCount !== null && random.next() < 0.15
      const purpose = random.next() < 0.5 ? 'SYNTHETIC purpose: to face synthetic charges.' : null
      const someCharges = random.next() < 0.5 ? 'SYNTHETIC charges for load testing.' : null
      const charges = hasSearchTerm(n) ? searchTermCharges : someCharges
      const summary = `SYNTHETIC transfer ${n}: ${peopleCount ?? 'an unknown number of'} synthetic people handed over from ${toUs ? 'Mexico to the United States' : 'the United States to Mexico'} (${mechanism}). Not a real event.`
      const dateBounds = boundsOf(date)
      const announcedBounds = boundsOf(announcedOn)
      insertTransfer.run(id, date, dateBounds.earliest, dateBounds.latest, dateApproximate ? 1 : 0, announcedOn, announcedBounds.earliest, announcedBounds.latest, toUs ? 'MX' : 'US', toUs ? 'US' : 'MX', mechanism,
        peopleCount, peopleCountApproximate ? 1 : 0, summary, purpose, charges, stamp, stamp)
      const participants = [
        { actor_id: toUs ? 'synthetic-actor-government-mx' : 'synthetic-actor-government-us', role: 'sent' as const },
        { actor_id: transferred.id, role: transferred.kind === 'person' ? 'transferred' as const : 'organization_of_transferred' as const }
      ]
      for (const p of participants) insertParticipant.run(id, p.actor_id, p.role)
      const kind = random.pick(resourceKinds)
      const quantity = random.int(1, 120)
      const approximate = random.next() < 0.2
      const resource = { id: `${id}--${kind}`, kind, quantity, approximate, description: `${approximate ? 'about ' : ''}${quantity} synthetic ${kind}` }
      insertResource.run(resource.id, id, kind, quantity, approximate ? 1 : 0, resource.description)
      const first = random.int(0, sentences.length - 1)
      const second = (first + random.int(1, sentences.length - 1)) % sentences.length
      cite(id, sentences[first]!, '[]', null)
      cite(id, sentences[second]!, '["people_count"]', random.next() < 0.3 ? 'SYNTHETIC note.' : null)

      // The transfer as the API shows it, for the app's document builder.
      const dto: TransferDto = {
        id,
        date,
        date_precision: date === null ? null : date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day',
        date_approximate: dateApproximate,
        date_earliest: dateBounds.earliest,
        date_latest: dateBounds.latest,
        announced_on: announcedOn,
        announced_on_earliest: announcedBounds.earliest,
        announced_on_latest: announcedBounds.latest,
        from_country: toUs ? 'MX' : 'US',
        to_country: toUs ? 'US' : 'MX',
        mechanism,
        people_count: peopleCount,
        people_count_approximate: peopleCountApproximate,
        summary,
        purpose,
        charges,
        participants,
        resources: [resource],
        external_fields: [],
        alternatives: [],
        disputed_fields: [],
        created_at: stamp,
        updated_at: stamp
      }
      index('transfer', id, dto)
      if (n % stepEvery === 0) step(`${n.toLocaleString('en-US')} of ${count.toLocaleString('en-US')} transfers written`)
    }
  })()

  // Every excerpt must be the source text between its offsets, as for real data.
  const check = sqlite.prepare('SELECT excerpt, start_offset AS start, end_offset AS "end" FROM citations WHERE source_id = ? LIMIT 1000')
  for (const c of check.all(syntheticSourceId) as Array<{ excerpt: string, start: number, end: number }>) {
    const result = locateExcerpt(text, c.excerpt, c.start, c.end)
    if (!result.ok) throw new Error(`synthetic citation does not match its source: ${result.detail}`)
  }
}

/**
 * The creating revision of every record (revision 1, author "synthetic", at its `created_at`),
 * with the record as the app's repositories read it, citations included: what a create stores;
 * and what the create adds to the statistics kept on every write.
 */
function writeRevisions (db: Db, step: (done: string) => void): void {
  const { repositories } = createKnowledgeBase(db)
  const insert = db.sqlite.prepare(`INSERT INTO revisions (record_type, record_id, revision, action, author, at, data)
    VALUES (?, ?, 1, 'create', 'synthetic', ?, ?)`)
  const keep = createStatCellsKeeper(db)
  const batch = 500
  db.sqlite.transaction(() => {
    for (const type of ['source', 'actor', 'transfer'] as const) {
      const ids = db.sqlite.prepare(`SELECT id FROM ${kindOf(type).path} ORDER BY id`).pluck().all() as string[]
      const include = new Set(kindOf(type).cited ? ['citations'] : [])
      for (let from = 0; from < ids.length; from += batch) {
        for (const record of repositories[type].getMany(ids.slice(from, from + batch), include) as Array<{ id: string, created_at: string }>) {
          insert.run(type, record.id, record.created_at, JSON.stringify(record))
          keep(type, record.id, 'create', record)
        }
      }
    }
  })()
  step('revisions written')
}

/** The tables written in bulk: their secondary indexes are built after the rows (see withoutIndexes). */
const bulkTables = ['transfers', 'transfer_participants', 'transfer_resources', 'citations', 'search_documents']
const searchInsertTrigger = 'search_documents_after_insert'

/**
 * Runs `write` with the secondary indexes of `bulkTables` and the search index's insert trigger
 * dropped, then creates them again from their own SQL, unchanged: an index built once from all
 * rows is faster than one kept up row by row (in random order, for the dates), and the full-text
 * index is filled in one pass afterwards (indexSearchDocuments). On error the file is thrown away.
 */
function withoutIndexes (sqlite: BetterSqlite3.Database, write: () => void): void {
  const dropped = sqlite.prepare(`SELECT type, name, sql FROM sqlite_master
    WHERE (type = 'index' AND sql IS NOT NULL AND tbl_name IN (SELECT value FROM json_each(?))) OR (type = 'trigger' AND name = ?)
    ORDER BY rowid`).all(JSON.stringify(bulkTables), searchInsertTrigger) as Array<{ type: 'index' | 'trigger', name: string, sql: string }>
  if (!dropped.some((d) => d.name === searchInsertTrigger)) throw new Error(`the migrations define no trigger ${searchInsertTrigger}`)
  for (const d of dropped) sqlite.exec(`DROP ${d.type.toUpperCase()} \`${d.name}\``)
  write()
  for (const d of dropped) sqlite.exec(d.sql)
}

/**
 * Fills the FTS5 index `search_index` from `search_documents` in one pass: FTS5's 'rebuild'
 * tokenizes every row of its content table exactly as the insert trigger of migration 0004 would
 * one by one, but about three times faster, which keeps the 1M data set to a couple of minutes.
 * Then 'optimize' merges the index into one b-tree, as a maintained index ends up after its
 * merges. Up to 100k rows, 'integrity-check' also confirms that the index matches its content
 * (at 1M it would add some 15 s).
 */
function indexSearchDocuments (sqlite: BetterSqlite3.Database, count: number): void {
  const command = sqlite.prepare('INSERT INTO search_index (search_index, rank) VALUES (?, ?)')
  command.run('rebuild', null)
  command.run('optimize', null)
  if (count <= 100_000) command.run('integrity-check', 1)
}

function removeDbFiles (path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
}

/** True when the file holds the complete synthetic data set of this size, as this version of the script writes it. */
function isComplete (path: string, count: number): boolean {
  if (!existsSync(path)) return false
  try {
    const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
    try {
      if (sqlite.pragma('user_version', { simple: true }) !== generatorVersion) return false
      const row = sqlite.prepare(`SELECT (SELECT count(*) FROM sources WHERE id = ?) AS sources,
        (SELECT count(*) FROM transfers WHERE id LIKE 'synthetic-transfer-%') AS transfers,
        (SELECT count(*) FROM search_documents WHERE kind = 'transfer') AS documents`).get(syntheticSourceId) as { sources: number, transfers: number, documents: number }
      return row.sources === 1 && row.transfers === count && row.documents === count
    } finally {
      sqlite.close()
    }
  } catch {
    return false
  }
}

export interface SyntheticDb {
  path: string
  count: number
  /** True when this call generated the file; false when an existing one was reused. */
  generated: boolean
  /** Generation time in milliseconds (0 when reused). */
  ms: number
}

/** Files generated by this process: `fresh` regenerates each file once per run, not once per call. */
const generatedThisRun = new Set<string>()

/**
 * Makes sure the synthetic database exists and is migrated. It is generated into a temporary
 * file and renamed into place, so an interrupted run never leaves a half-written database.
 */
export function ensureSyntheticDb ({
  fresh = false,
  count = syntheticTransferCount,
  path = syntheticDbPathFor(count),
  progress = (line: string) => console.log(line)
}: { fresh?: boolean, count?: number, path?: string, progress?: (line: string) => void } = {}): SyntheticDb {
  if ((!fresh || generatedThisRun.has(path)) && isComplete(path, count)) {
    const db = createDb(path)
    try {
      migrateDb(db) // applies any migration committed since the file was generated
    } finally {
      db.close()
    }
    return { path, count, generated: false, ms: 0 }
  }
  const started = process.hrtime.bigint()
  const tmp = `${path}.tmp`
  removeDbFiles(tmp)
  const db = createDb(tmp)
  try {
    migrateDb(db)
    // A throw-away file until it is renamed into place: no journal, no syncs, a large page cache.
    db.sqlite.pragma('journal_mode = OFF')
    db.sqlite.pragma('synchronous = OFF')
    db.sqlite.pragma('cache_size = -1048576')
    // Progress lines for the large sizes, with the seconds since the start.
    const step = count < 200_000 ? () => {} : (done: string) => progress(`  ${countLabel(count)}: ${done} (${(Number(process.hrtime.bigint() - started) / 1e9).toFixed(0)} s)`)
    if (count >= 200_000) progress(`Generating SYNTHETIC data set (${count.toLocaleString('en-US')} transfers): ${path}`)
    withoutIndexes(db.sqlite, () => writeSyntheticData(db.sqlite, count, step))
    step('indexes built')
    writeRevisions(db, step)
    indexSearchDocuments(db.sqlite, count)
    step('search index built')
    db.sqlite.pragma('optimize')
    step('analyzed')
    db.sqlite.pragma(`user_version = ${generatorVersion}`)
    db.sqlite.pragma('journal_mode = WAL')
  } catch (err) {
    db.close()
    removeDbFiles(tmp)
    throw err
  }
  db.close()
  removeDbFiles(path)
  renameSync(tmp, path)
  removeDbFiles(tmp) // a leftover empty -wal/-shm, if any
  generatedThisRun.add(path)
  return { path, count, generated: true, ms: Number(process.hrtime.bigint() - started) / 1e6 }
}

export function describeSyntheticDb (result: SyntheticDb): string {
  return result.generated
    ? `Generated SYNTHETIC data set (${result.count.toLocaleString('en-US')} transfers) in ${(result.ms / 1000).toFixed(2)} s: ${result.path}`
    : `Reusing SYNTHETIC data set ${result.path} (--fresh regenerates it)`
}

/** `10k generated in 1.7 s`, `1m reused`: for the summary. */
export const summarizeSyntheticDb = (result: SyntheticDb) =>
  `${countLabel(result.count)} ${result.generated ? `generated in ${(result.ms / 1000).toFixed(1)} s` : 'reused'}`

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const argv = process.argv.slice(2)
  const count = Number(option(argv, 'count') ?? syntheticTransferCount)
  if (!Number.isInteger(count) || count < 1) throw new Error('--count must be a positive integer')
  console.log(describeSyntheticDb(ensureSyntheticDb({ fresh: flag(argv, 'fresh'), count })))
}
