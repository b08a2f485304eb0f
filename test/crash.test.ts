import { once } from 'node:events'
import { statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { importNdjson } from '../bench/import-data.js'
import { createDb, migrateDb, type Db } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { runSource } from './helpers.js'

/*
 * `kb import` killed with SIGKILL at random points: the database must open intact (SQLite's and
 * the FTS index's integrity checks pass) and each import be all or nothing. Every import has
 * records of its own (ids `crash-<n>-…`), so that one that committed before the kill and one
 * that did not can be told apart on the same database file.
 */

// Eight CLI processes loading TypeScript, each importing a few thousand records: allow for a slow machine.
t.setTimeout(240_000)

const transfers = 2500
const kills = 6
const seed = 20250812

/** mulberry32: the kill points are the same fractions of the import's phases on every run. */
function fractions (seedValue: number) {
  let a = seedValue >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
}

/** An import file of SYNTHETIC records with ids of their own, and what a whole import of it writes. */
function importFile (dir: string, prefix: string) {
  const { body, records } = importNdjson(transfers, prefix)
  const file = join(dir, `${prefix}.ndjson`)
  writeFileSync(file, body)
  const docs = body.trimEnd().split('\n').map((line) => (JSON.parse(line) as { data: { citations?: unknown[], participants?: unknown[], resources?: unknown[] } }).data)
  const sum = (rows: (d: typeof docs[number]) => unknown[] | undefined) => docs.reduce((n, d) => n + (rows(d)?.length ?? 0), 0)
  const whole: Footprint = {
    records,
    revisions: records,
    recordsWithRevisions: records,
    firstCreates: records,
    searchDocuments: records,
    citations: sum((d) => d.citations),
    participants: sum((d) => d.participants),
    resources: sum((d) => d.resources)
  }
  return { file, prefix, whole }
}

/** What an import with ids `<prefix>-…` left in the database. */
interface Footprint {
  records: number
  revisions: number
  /** Records with any revision, and revisions that are a first create: one each when whole. */
  recordsWithRevisions: number
  firstCreates: number
  searchDocuments: number
  citations: number
  participants: number
  resources: number
}

function footprintOf (db: Db, prefix: string): Footprint {
  const like = { like: `${prefix}-%` }
  const count = (sql: string) => db.sqlite.prepare(sql).pluck().get(like) as number
  return {
    records: count('SELECT (SELECT count(*) FROM sources WHERE id LIKE @like) + (SELECT count(*) FROM actors WHERE id LIKE @like) + (SELECT count(*) FROM transfers WHERE id LIKE @like)'),
    revisions: count('SELECT count(*) FROM revisions WHERE record_id LIKE @like'),
    recordsWithRevisions: count('SELECT count(*) FROM (SELECT DISTINCT record_type, record_id FROM revisions WHERE record_id LIKE @like)'),
    firstCreates: count("SELECT count(*) FROM revisions WHERE record_id LIKE @like AND revision = 1 AND action = 'create'"),
    searchDocuments: count('SELECT count(*) FROM search_documents WHERE record_id LIKE @like'),
    citations: count('SELECT count(*) FROM citations WHERE record_id LIKE @like'),
    participants: count('SELECT count(*) FROM transfer_participants WHERE transfer_id LIKE @like'),
    resources: count('SELECT count(*) FROM transfer_resources WHERE transfer_id LIKE @like')
  }
}

const nothing: Footprint = { records: 0, revisions: 0, recordsWithRevisions: 0, firstCreates: 0, searchDocuments: 0, citations: 0, participants: 0, resources: 0 }

/** When to kill an import: `afterMs` after it starts, after its first progress line, or after its last. */
interface KillPoint { from: 'start' | 'first progress' | 'last progress', afterMs: number }

/** `import: 1,500 of 2,505 records (59%)`, one a tenth at most; the summary stands for the 100 % line. */
const progressLine = /import: ([\d,]+) of ([\d,]+) records \(\d+%\)/g
const count = (digits: string) => Number(digits.replaceAll(',', ''))

/**
 * Runs `kb import` on the database; with `kill`, kills it with SIGKILL at that point (unless it
 * has exited by then). Resolves with how it ended, when it printed its first and last progress
 * lines (the revisions are its transaction's last step, then come the commit, the checkpoint and
 * the close), what it printed last and how large the WAL was when it was killed.
 */
async function kbImport (t: Test, file: string, database: string, kill?: KillPoint) {
  const started = performance.now()
  const run = runSource('cli.ts', ['import', file, '--database', database, '--author', 'crash-test'], {}, t)
  let wal = 0
  let timer: NodeJS.Timeout | undefined
  const killAfter = (ms: number) => {
    timer = setTimeout(() => {
      try {
        wal = statSync(`${database}-wal`).size
      } catch {}
      run.child.kill('SIGKILL')
    }, ms)
  }
  if (kill?.from === 'start') killAfter(kill.afterMs)
  // Its output, read to the end: 'exit' can come before the last of it.
  let stderr = ''
  let firstProgress: number | undefined
  let lastProgress: number | undefined
  run.child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString()
    const lines = [...stderr.matchAll(progressLine)]
    if (lines.length > 0 && firstProgress === undefined) {
      firstProgress = performance.now() - started
      if (kill?.from === 'first progress') killAfter(kill.afterMs)
    }
    // The last line before the summary: the import's last tenth, before its commit.
    if (lines.some((m) => count(m[1]!) >= 0.9 * count(m[2]!)) && lastProgress === undefined) {
      lastProgress = performance.now() - started
      if (kill?.from === 'last progress') killAfter(kill.afterMs)
    }
  })
  const closed = once(run.child.stderr!, 'close')
  const exit = await run.exited
  const ms = performance.now() - started
  clearTimeout(timer)
  await closed
  const progress = [...stderr.matchAll(progressLine)].at(-1)?.[0] ?? 'no progress yet'
  return { code: exit.code, signal: exit.signal, stderr, ms, firstProgress, lastProgress, progress, wal }
}

/** Opens the database as a server would after the crash, and checks it and the import of `expected`. */
function assertIntactAndAllOrNothing (t: Test, database: string, expected: ReturnType<typeof importFile>, label: string) {
  const db = createDb(database)
  try {
    migrateDb(db)
    t.equal(db.sqlite.prepare('PRAGMA integrity_check').pluck().get(), 'ok', `${label}: PRAGMA integrity_check is ok`)
    t.same(db.sqlite.prepare('PRAGMA foreign_key_check').all(), [], `${label}: no row points at a missing one`)
    t.doesNotThrow(() => db.sqlite.prepare("INSERT INTO search_index (search_index, rank) VALUES ('integrity-check', 1)").run(),
      `${label}: the FTS index passes its integrity check`)
    const found = footprintOf(db, expected.prefix)
    const outcome = found.records === 0 ? 'nothing' : 'everything'
    t.same(found, found.records === 0 ? nothing : expected.whole, `${label}: the import wrote ${outcome} (${found.records} of ${expected.whole.records} records)`)
    return { whole: found.records > 0, revisions: db.sqlite.prepare('SELECT count(*) FROM revisions').pluck().get() as number }
  } finally {
    db.close()
  }
}

t.test(`kb import killed with SIGKILL at ${kills} points leaves the database intact and each import all or nothing`, async (t) => {
  const dir = t.testdir()
  const database = join(dir, 'kb.sqlite')
  const db = createDb(database)
  migrateDb(db)
  const seeded = seedDatabase(db).records
  db.close()
  let committed = 0 // the records of the imports that committed, for the count of revisions

  // Once, not killed: how long an import takes here, and when its last steps begin.
  const measured = importFile(dir, 'crash-measure')
  const first = await kbImport(t, measured.file, database)
  t.equal(first.code, 0, `an import that is not killed succeeds (${Math.round(first.ms)} ms)`)
  committed += assertIntactAndAllOrNothing(t, database, measured, 'the measured import').whole ? measured.whole.records : 0
  const duration = first.ms
  const revising = (first.lastProgress ?? duration) - (first.firstProgress ?? 0)
  const closing = duration - (first.lastProgress ?? 0)
  t.comment(`the measured import: ${Math.round(duration)} ms; its first progress line (500 revisions written) at ` +
    `${Math.round(first.firstProgress ?? NaN)} ms, its last (then the commit, checkpoint and close) at ${Math.round(first.lastProgress ?? NaN)} ms`)

  // Two kills between 50 ms and the import's usual duration; as the CLI's start takes most of that
  // (and varies with the machine's load), the others count from the import's own progress: one
  // while it writes its revisions, three while it commits, checkpoints and closes.
  const next = fractions(seed)
  const at = (from: KillPoint['from'], ms: number): KillPoint => ({ from, afterMs: Math.round(ms) })
  const points = [
    at('start', 50 + next() * (duration - 50)),
    at('start', 50 + next() * (duration - 50)),
    at('first progress', next() * revising),
    ...Array.from({ length: kills - 3 }, () => at('last progress', next() * closing))
  ]
  const outcomes: string[] = []
  for (const [i, point] of points.entries()) {
    const label = `kill ${i + 1}, ${point.afterMs} ms after its ${point.from === 'start' ? 'start' : point.from + ' line'}`
    const file = importFile(dir, `crash-${i}`)
    const run = await kbImport(t, file.file, database, point)
    t.ok(run.signal === 'SIGKILL' || run.code === 0, `${label}: ${run.signal ?? `exit ${run.code}`} at ${Math.round(run.ms)} ms (${run.progress})`)
    const { whole, revisions } = assertIntactAndAllOrNothing(t, database, file, label)
    if (whole) committed += file.whole.records
    t.equal(revisions, seeded + committed, `${label}: the history holds the seed and the committed imports, nothing else`)
    outcomes.push(`${label} → ${run.signal ?? `exit ${run.code}`} at ${Math.round(run.ms)} ms, ${run.progress}, WAL ${run.wal} bytes, ${whole ? 'all' : 'none'}`)
  }
  t.comment(`kills: ${outcomes.join('; ')}`)

  // And the database the kills left takes a whole import.
  const final = importFile(dir, 'crash-final')
  const last = await kbImport(t, final.file, database)
  t.equal(last.code, 0, 'an import after the kills succeeds')
  t.match(last.stderr, `imported ${final.whole.records.toLocaleString('en-US')} records`, 'and says how many records it imported')
  const after = assertIntactAndAllOrNothing(t, database, final, 'the last import')
  t.ok(after.whole, 'and wrote everything')
  t.equal(after.revisions, seeded + committed + final.whole.records, 'the history holds the seed and every committed import')
})
