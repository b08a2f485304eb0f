import t from 'tap'
import { locateExcerpt } from '../src/provenance/excerpts.js'
import { readSeedSet, SeedError, seedDatabase } from '../src/seed/load.js'
import { freshDb } from './helpers.js'

t.test('every seeded citation equals the cleaned source text between its offsets', async (t) => {
  const db = freshDb()
  t.teardown(() => db.close())
  const texts = new Map(db.sqlite.prepare('SELECT id, text FROM sources').all().map((r) => {
    const row = r as { id: string, text: string }
    return [row.id, row.text]
  }))
  const rows = db.sqlite.prepare('SELECT record_type, record_id, source_id, excerpt, start_offset, end_offset FROM citations').all() as
    Array<{ record_type: string, record_id: string, source_id: string, excerpt: string, start_offset: number, end_offset: number }>
  t.ok(rows.length > 40, `${rows.length} citations`)
  for (const c of rows) {
    t.equal([...texts.get(c.source_id)!].slice(c.start_offset, c.end_offset).join(''), c.excerpt, `${c.record_type} ${c.record_id}`)
  }
})

t.test('the loader rejects a mismatched citation, naming the record and excerpt, and writes nothing', async (t) => {
  const set = readSeedSet()
  set.transfer[0]!.citations!.push({ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'Mexico extradited 27 people' })
  set.quote[0]!.citations![0]!.start_offset = 0
  set.quote[0]!.citations![0]!.end_offset = 5
  const db = freshDb({ seed: false })
  t.teardown(() => db.close())
  const err = t.throws(() => seedDatabase(db, set)) as SeedError
  t.type(err, SeedError)
  t.match(err.message, /transfers\.json › transfer-2025-08-12 › citation \d+ \("Mexico extradited 27 people"\): the excerpt does not occur/)
  t.match(err.message, /quotes\.json › garcia-harfuch-strategic-move › citation 1 .*: the source text at 0\.\.5 is "Mexic"/)
  t.equal((db.sqlite.prepare('SELECT count(*) AS n FROM sources').get() as { n: number }).n, 0, 'nothing written')
})

t.test('locateExcerpt counts code points and refuses ambiguity', async (t) => {
  t.same(locateExcerpt('a😀b😀c', 'b'), { ok: true, start: 2, end: 3 })
  t.same(locateExcerpt('a😀b😀c', '😀c', 3, 5), { ok: true, start: 3, end: 5 })
  t.match(locateExcerpt('abab', 'ab'), { ok: false, problem: 'ambiguous' })
  t.match(locateExcerpt('abc', 'b', 1), { ok: false, problem: 'bad_offsets' })
  t.match(locateExcerpt('abc', 'b', 2, 9), { ok: false, problem: 'bad_offsets' })
  t.match(locateExcerpt('abc', ''), { ok: false, problem: 'not_found' })
})
