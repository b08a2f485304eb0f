/**
 * SYNTHETIC benchmark data: one invented source, a few invented actors and 100,000 invented
 * transfers, written to bench/.data/synthetic-100k.sqlite (git-ignored). Nothing here describes
 * real events or people, and nothing here touches `seeds/` or the real database.
 *
 *   npx tsx bench/synthetic.ts [--fresh]
 */
import { createHash } from 'node:crypto'
import { existsSync, rmSync, renameSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { createDb, migrateDb } from '../src/db/client.js'
import { locateExcerpt } from '../src/provenance/excerpts.js'
import { cleanCapture } from '../src/text/clean-capture.js'
import { flag, syntheticDbPath, syntheticTransferCount } from './config.js'

export const syntheticSourceId = 'synthetic-source'
export const syntheticTransferId = (n: number) => `synthetic-transfer-${String(n).padStart(6, '0')}`

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
function writeSyntheticData (sqlite: BetterSqlite3.Database): void {
  const random = prng(100_000)
  const { text, sentences } = sourceText()
  if (cleanCapture(text) !== text) throw new Error('the synthetic text is not in cleaned form')
  if (/[\uD800-\uDFFF]/.test(text)) throw new Error('the synthetic text must not contain astral characters (offsets are code points)')

  const insertSource = sqlite.prepare(`INSERT INTO sources (id, title, publisher, url, language, published_on, captured_text, text, text_sha256, created_at, updated_at)
    VALUES (@id, @title, @publisher, NULL, 'en', '2025-01-01', @text, @text, @sha, @at, @at)`)
  const insertActor = sqlite.prepare(`INSERT INTO actors (id, kind, name, country, description, created_at, updated_at)
    VALUES (@id, @kind, @name, @country, 'SYNTHETIC actor for load testing; not a real actor.', @at, @at)`)
  const insertTransfer = sqlite.prepare(`INSERT INTO transfers (id, date, date_approximate, announced_on, from_country, to_country, mechanism,
    people_count, people_count_approximate, summary, purpose, charges, created_at, updated_at)
    VALUES (@id, @date, @dateApproximate, @announcedOn, @from, @to, @mechanism, @peopleCount, @peopleCountApproximate, @summary, @purpose, @charges, @at, @at)`)
  const insertParticipant = sqlite.prepare('INSERT INTO transfer_participants (transfer_id, actor_id, role) VALUES (?, ?, ?)')
  const insertResource = sqlite.prepare(`INSERT INTO transfer_resources (id, transfer_id, kind, quantity, approximate, description)
    VALUES (?, ?, ?, ?, ?, ?)`)
  const insertCitation = sqlite.prepare(`INSERT INTO citations (record_type, record_id, fields, source_id, excerpt, start_offset, end_offset, note)
    VALUES ('transfer', ?, ?, ?, ?, ?, ?, ?)`)

  const cite = (recordId: string, span: Span, fields: string, note: string | null) => {
    const excerpt = text.slice(span.start, span.end)
    insertCitation.run(recordId, fields, syntheticSourceId, excerpt, span.start, span.end, note)
  }

  sqlite.transaction(() => {
    const at = '2025-01-01T00:00:00.000Z'
    insertSource.run({ id: syntheticSourceId, title: 'SYNTHETIC benchmark source (not real data)', publisher: 'SYNTHETIC bench/synthetic.ts', text, sha: sha256(text), at })
    for (const a of actors) insertActor.run({ ...a, at })

    for (let n = 1; n <= syntheticTransferCount; n++) {
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
      insertTransfer.run({
        id,
        date,
        dateApproximate: date !== null && random.next() < 0.1 ? 1 : 0,
        announcedOn,
        from: toUs ? 'MX' : 'US',
        to: toUs ? 'US' : 'MX',
        mechanism,
        peopleCount,
        peopleCountApproximate: peopleCount !== null && random.next() < 0.15 ? 1 : 0,
        summary: `SYNTHETIC transfer ${n}: ${peopleCount ?? 'an unknown number of'} synthetic people handed over from ${toUs ? 'Mexico to the United States' : 'the United States to Mexico'} (${mechanism}). Not a real event.`,
        purpose: random.next() < 0.5 ? 'SYNTHETIC purpose: to face synthetic charges.' : null,
        charges: random.next() < 0.5 ? 'SYNTHETIC charges for load testing.' : null,
        at: stamp
      })
      insertParticipant.run(id, toUs ? 'synthetic-actor-government-mx' : 'synthetic-actor-government-us', 'sent')
      insertParticipant.run(id, transferred.id, transferred.kind === 'person' ? 'transferred' : 'organization_of_transferred')
      const kind = random.pick(resourceKinds)
      const quantity = random.int(1, 120)
      const approximate = random.next() < 0.2
      insertResource.run(`${id}--${kind}`, id, kind, quantity, approximate ? 1 : 0, `${approximate ? 'about ' : ''}${quantity} synthetic ${kind}`)
      const first = random.int(0, sentences.length - 1)
      const second = (first + random.int(1, sentences.length - 1)) % sentences.length
      cite(id, sentences[first]!, '[]', null)
      cite(id, sentences[second]!, '["people_count"]', random.next() < 0.3 ? 'SYNTHETIC note.' : null)
    }
  })()

  // Every excerpt must be the source text between its offsets, as for real data.
  const check = sqlite.prepare('SELECT excerpt, start_offset AS start, end_offset AS "end" FROM citations WHERE source_id = ? LIMIT 1000')
  for (const c of check.all(syntheticSourceId) as Array<{ excerpt: string, start: number, end: number }>) {
    const result = locateExcerpt(text, c.excerpt, c.start, c.end)
    if (!result.ok) throw new Error(`synthetic citation does not match its source: ${result.detail}`)
  }
}

function removeDbFiles (path: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
}

/** True when the file holds the complete synthetic data set (written by this script). */
function isComplete (path: string): boolean {
  if (!existsSync(path)) return false
  try {
    const sqlite = new BetterSqlite3(path, { readonly: true, fileMustExist: true })
    try {
      const row = sqlite.prepare(`SELECT (SELECT count(*) FROM sources WHERE id = ?) AS sources,
        (SELECT count(*) FROM transfers WHERE id LIKE 'synthetic-transfer-%') AS transfers`).get(syntheticSourceId) as { sources: number, transfers: number }
      return row.sources === 1 && row.transfers === syntheticTransferCount
    } finally {
      sqlite.close()
    }
  } catch {
    return false
  }
}

export interface SyntheticDb {
  path: string
  /** True when this call generated the file; false when an existing one was reused. */
  generated: boolean
  /** Generation time in milliseconds (0 when reused). */
  ms: number
}

/**
 * Makes sure the synthetic database exists and is migrated. It is generated into a temporary
 * file and renamed into place, so an interrupted run never leaves a half-written database.
 */
export function ensureSyntheticDb ({ fresh = false, path = syntheticDbPath } = {}): SyntheticDb {
  if (!fresh && isComplete(path)) {
    const db = createDb(path)
    try {
      migrateDb(db) // applies any migration committed since the file was generated
    } finally {
      db.close()
    }
    return { path, generated: false, ms: 0 }
  }
  const started = process.hrtime.bigint()
  const tmp = `${path}.tmp`
  removeDbFiles(tmp)
  const db = createDb(tmp)
  try {
    migrateDb(db)
    writeSyntheticData(db.sqlite)
  } catch (err) {
    db.close()
    removeDbFiles(tmp)
    throw err
  }
  db.sqlite.pragma('optimize')
  db.close()
  removeDbFiles(path)
  renameSync(tmp, path)
  removeDbFiles(tmp) // a leftover empty -wal/-shm, if any
  return { path, generated: true, ms: Number(process.hrtime.bigint() - started) / 1e6 }
}

export function describeSyntheticDb (result: SyntheticDb): string {
  return result.generated
    ? `Generated SYNTHETIC data set (${syntheticTransferCount.toLocaleString('en-US')} transfers) in ${(result.ms / 1000).toFixed(2)} s: ${result.path}`
    : `Reusing SYNTHETIC data set ${result.path} (pass --fresh to regenerate)`
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(describeSyntheticDb(ensureSyntheticDb({ fresh: flag(process.argv.slice(2), 'fresh') })))
}
