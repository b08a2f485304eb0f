import { writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t from 'tap'
import { buildApp } from '../src/app.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { readFeed, runSource, supportedQuote as quote, testConfig } from './helpers.js'

// The CLI import is a second process loading TypeScript: allow for a slow machine.
t.setTimeout(240_000)

const SEEDED = 31

/** `kb import <file>` in its own process, on the same database file as the server. */
async function kbImport (file: string, database: string) {
  const { code, stdout, stderr } = await runSource('cli.ts', ['import', file, '--database', database, '--author', 'cli-import']).exited
  return { code, output: stdout + stderr }
}

t.test('concurrent writers, readers and a second writing process on one database file: no errors, nothing lost', async (t) => {
  const dir = t.testdir()
  const database = join(dir, 'kb.sqlite')
  const db = createDb(database) // a file, so WAL: readers do not wait for writers
  migrateDb(db)
  seedDatabase(db)
  const app = await buildApp({ db, config: testConfig })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const authorization = `Bearer ${app.kb.apiKeys.create('load', 'write').key}`

  const importFile = join(dir, 'import.ndjson')
  const imported = Array.from({ length: 1000 }, (_, i) => `cli-${i}`)
  writeFileSync(importFile, imported.map((id) => JSON.stringify({ type: 'quote', data: quote(id) })).join('\n'))

  const statuses: Array<{ request: string, status: number }> = []
  const created: string[] = []
  let importDone = false

  /** One client: POSTs quotes one after another, at least 25, and on until 5 after the import has finished. */
  async function writer (client: number) {
    let afterImport = 0
    for (let i = 0; i < 25 || (afterImport < 5 && i < 2000); i++) {
      if (importDone) afterImport++
      const id = `http-${client}-${i}`
      const res = await fetch(`${base}/v1/quotes`, { method: 'POST', headers: { authorization, 'content-type': 'application/json' }, body: JSON.stringify(quote(id)) })
      statuses.push({ request: `POST ${id}`, status: res.status })
      if (res.status === 201) created.push(id)
      await res.arrayBuffer()
    }
  }

  const load = { writing: true }
  const duplicates: string[] = []
  /** One reader: pages through a list, or the change feed, again and again while the writers write. */
  async function reader (path: string, cursorParam: string) {
    let passes = 0
    while (load.writing || passes === 0) {
      const seen = new Set<string>()
      let cursor: string | null = null
      do {
        const url: string = `${base}${path}${cursor !== null ? `&${cursorParam}=${encodeURIComponent(cursor)}` : ''}`
        const res = await fetch(url)
        statuses.push({ request: `GET ${url}`, status: res.status })
        if (res.status !== 200) break
        const body = await res.json() as { data: Array<{ id: string, seq?: number }>, next_cursor: string | null, has_more?: boolean }
        for (const item of body.data) {
          const key = String(item.seq ?? item.id)
          if (seen.has(key)) duplicates.push(`${path}: ${key}`)
          seen.add(key)
        }
        cursor = body.has_more === false ? null : body.next_cursor
      } while (cursor !== null)
      passes++
    }
    return passes
  }

  const importing = kbImport(importFile, database).then((result) => {
    importDone = true
    return result
  })
  const writers = Promise.all([0, 1, 2, 3].map(writer))
  const readers = Promise.all([reader('/v1/quotes?limit=7', 'cursor'), reader('/v1/quotes?limit=50&sort=id', 'cursor'), reader('/v1/changes?limit=100', 'since')])
  const [imports] = await Promise.all([importing, writers])
  load.writing = false
  const passes = await readers

  t.equal(imports.code, 0, 'the CLI import succeeded while the server wrote')
  t.match(imports.output, /imported 1,000 records \(1,000 quote\)/)
  t.ok(created.length >= 100, `${created.length} POSTs were answered 201`)
  t.same(statuses.filter((s) => s.status >= 500), [], 'no response was a 5xx (SQLITE_BUSY never surfaces)')
  t.same(statuses.filter((s) => s.request.startsWith('POST') && s.status !== 201), [], 'every POST succeeded')
  t.ok(passes.every((n) => n >= 1), `the readers paged through while writes went on (${passes.join(', ')} passes)`)
  t.same(duplicates.filter((d) => d.startsWith('/v1/quotes')), [], 'no page of a list repeated an item of an earlier page of the same pass')
  t.same(duplicates.filter((d) => d.startsWith('/v1/changes')), [], 'nor did a page of the change feed')

  const quotes = (await (await fetch(`${base}/v1/export`)).text()).trimEnd().split('\n')
    .map((l) => JSON.parse(l) as { type: string, data: { id: string } })
    .filter((l) => l.type === 'quote').map((l) => l.data.id)
  const stored = new Set(quotes)
  t.same([...created, ...imported].filter((id) => !stored.has(id)), [], 'every created and imported quote is there')
  t.equal(quotes.length, 8 + created.length + imported.length, 'and nothing else was added')
  for (const id of [created[0]!, created.at(-1)!, imported[0]!, imported.at(-1)!]) {
    t.equal((await fetch(`${base}/v1/quotes/${id}`)).status, 200, `GET /v1/quotes/${id}`)
  }

  // The revisions table behind the feed: one create per record, numbered without gaps.
  const revisions = db.sqlite.prepare('SELECT id AS seq, record_type AS type, record_id AS id, revision, action, author FROM revisions ORDER BY revisions.id')
    .all() as Array<{ seq: number, type: string, id: string, revision: number, action: string, author: string }>
  const total = SEEDED + created.length + imported.length
  t.same(revisions.map((r) => r.seq), Array.from({ length: total }, (_, i) => i + 1), 'change numbers are consecutive: no gaps, no repeats')
  t.ok(revisions.every((r) => r.action === 'create' && r.revision === 1), 'each change is a create at revision 1')
  t.equal(new Set(revisions.map((r) => `${r.type}/${r.id}`)).size, total, 'exactly one per record')
  const fromCli = revisions.filter((r) => r.author === 'cli-import')
  t.same(fromCli.map((r) => r.id), imported, 'the import\'s creates are in line order')
  t.same(fromCli.map((r) => r.seq), fromCli.map((_, i) => fromCli[0]!.seq + i), 'and in one block: its transaction did not interleave with the server\'s writes')
  const around = [revisions.filter((r) => r.author === 'load' && r.seq < fromCli[0]!.seq).length, revisions.filter((r) => r.author === 'load' && r.seq > fromCli.at(-1)!.seq).length]
  t.ok(around[0]! > 0 && around[1]! > 0, `the server wrote before (${around[0]}) and after (${around[1]}) the import's transaction`)
  t.same(revisions.filter((r) => r.author === 'load').map((r) => r.id).sort(), [...created].sort(), 'the server\'s creates are by the key\'s name')

  const feed = (await readFeed(t, app, { limit: 1000 })).changes
  t.same(feed.map((c) => c.seq), revisions.map((r) => r.seq), 'the change feed, paged, is every one of those changes once, in order')
})
