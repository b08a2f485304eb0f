/**
 * The reads written once for both backends (src/db/query.ts) answer the same on PostgreSQL as on
 * SQLite: the seeded knowledge base copied into PostgreSQL 15, then every record of every kind read
 * by id with every include, every list in every sort paged to its end, each filter with its
 * documented example, the counts, the timeline and a source's citations, compared as JSON text.
 */
import t, { type Test } from 'tap'
import { openPgDb } from '../src/db/pg-client.js'
import { pgTables } from '../src/db/pg-tables.js'
import { pgReader, type Dialect, type Read } from '../src/db/query.js'
import { kinds } from '../src/kinds/index.js'
import { createSourceCitations } from '../src/kinds/sources/citations.js'
import { createKnowledgeBase } from '../src/knowledge-base.js'
import type { ListPage, ListQuery, ReadPrograms } from '../src/repositories/read-repository.js'
import { createTimelineRepository } from '../src/repositories/timeline.js'
import { timelineKinds } from '../src/schemas/timeline.js'
import { copySqliteToPg } from '../src/services/copy.js'
import { freshDb } from './helpers.js'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'

/** List parameters that are not filters: paging, sort, representation. */
const notFilters = new Set(['limit', 'cursor', 'sort', 'include', 'fields', 'count'])

t.test('on PostgreSQL 15', { skip: pgClusterUnavailable() ?? false }, async (t) => {
  const cluster = await startPgCluster(t)
  const source = freshDb()
  t.teardown(() => source.close())
  const target = await openPgDb(await cluster.createDatabase('kb_reads'), { max: 2 })
  t.teardown(async () => await target.close())
  await copySqliteToPg(source, target.pool)

  // The cursor secret is the database's own, copied with it: cursors are the same on both.
  const kb = createKnowledgeBase(source)
  const backends = [kb.reader, pgReader(target.pool, pgTables)] as const
  const [sqlite, postgres] = backends
  /** The read built for each backend's dialect, run on each: the JSON the API would serve, from both. */
  const both = async <T>(read: (dialect: Dialect) => Read<T>) => {
    const expected = sqlite.run(read(sqlite.dialect))
    return { expected, onSqlite: JSON.stringify(expected), onPostgres: JSON.stringify(await postgres.run(read(postgres.dialect))) }
  }
  const same = async <T>(t: Test, what: string, read: (dialect: Dialect) => Read<T>): Promise<T> => {
    const { expected, onSqlite, onPostgres } = await both(read)
    t.equal(onPostgres, onSqlite, what)
    return expected
  }
  const programs = new Map(backends.map((b) => [b.dialect, new Map<string, ReadPrograms<{ id: string }>>(kinds.map((k) => [k.type, k.repository(b.dialect, kb.codec) as ReadPrograms<{ id: string }>]))]))
  const repository = (dialect: Dialect, type: string) => programs.get(dialect)!.get(type)!

  for (const kind of kinds) {
    t.test(`${kind.path}: records, lists, filters, counts`, async (t) => {
      const all = await same(t, 'the first 200, in the default order', (d) => repository(d, kind.type).list({ limit: 200 }, new Set()))
      t.ok(all.data.length > 0, `${all.data.length} seeded`)
      const includes = new Set(kind.includes)
      for (const { id } of all.data) {
        await same(t, `${id} with ${[...includes].join(',') || 'nothing'} embedded`, (d) => repository(d, kind.type).get(id, includes))
      }
      await same(t, 'all of them by id at once', (d) => repository(d, kind.type).getMany(all.data.map((r) => r.id), includes))
      await same(t, 'an unknown id is not found on either', (d) => repository(d, kind.type).get('no-such-record', new Set()))

      // The sort keys its `sort` parameter names (`any of \`date\`, \`id\`…`), each both ways.
      const sortDescription = (kind.listQuery.properties.sort as { description: string }).description
      const sortNames = sortDescription.slice(0, sortDescription.indexOf('. Default')).match(/`[a-z_]+`/g)!.map((name) => name.slice(1, -1))
      t.ok(sortNames.includes('id'), `sorted by ${sortNames.join(', ')}`)
      for (const name of sortNames) {
        for (const sort of [name, `-${name}`]) {
          let query: ListQuery = { limit: 2, sort }
          for (let pages = 1; ; pages++) {
            const page: ListPage<{ id: string }> = await same(t, `sort=${sort}, page ${pages}`, (d) => repository(d, kind.type).list(query, new Set()))
            if (page.nextCursor === null || pages > 100) break
            query = { limit: 2, sort, cursor: page.nextCursor }
          }
        }
      }
      for (const count of ['true', 'estimated'] as const) {
        await same(t, `count=${count}`, (d) => repository(d, kind.type).list({ limit: 1, count }, new Set()))
      }
      const matching: string[] = []
      for (const [name, schema] of Object.entries(kind.listQuery.properties)) {
        const example = (schema as { examples?: unknown[] }).examples?.[0]
        if (notFilters.has(name) || example === undefined) continue
        // `validity` qualifies `valid_at`, and is refused without it.
        const query = { limit: 200, count: 'true' as const, [name]: example, ...(name === 'validity' ? { valid_at: '2025-08-12' } : {}) }
        const page = await same(t, Object.entries(query).map(([k, v]) => `${k}=${String(v)}`).join('&'), (d) => repository(d, kind.type).list(query, new Set()))
        if (page.data.length > 0) matching.push(name)
      }
      t.ok(matching.length > 0, `filters whose example finds records: ${matching.join(', ')}`)
    })
  }

  t.test('the timeline: every kind, an actor\'s, a span, newest first, counted', async (t) => {
    const timeline = new Map(backends.map((b) => [b.dialect, createTimelineRepository(b.dialect, kb.codec)]))
    const all = await same(t, 'every dated record', (d) => timeline.get(d)!.list({ limit: 200, count: true }, timelineKinds))
    t.ok(all.data.length > 10, `${all.data.length} entries`)
    await same(t, 'newest first', (d) => timeline.get(d)!.list({ limit: 200, sort: '-date' }, timelineKinds))
    await same(t, 'from 2025 to 2025-08', (d) => timeline.get(d)!.list({ limit: 200, from: '2025', to: '2025-08' }, timelineKinds))
    await same(t, 'one actor\'s', (d) => timeline.get(d)!.list({ limit: 200, actor: 'omar-garcia-harfuch' }, timelineKinds))
    await same(t, 'transfers and quotes only, a page of 3', (d) => timeline.get(d)!.list({ limit: 3 }, ['transfer', 'quote']))
  })

  t.test('a source\'s citations, whole and over a passage', async (t) => {
    const citations = new Map(backends.map((b) => [b.dialect, createSourceCitations(b.dialect, kb.codec)]))
    const page = await same(t, 'every citation of the founding article', (d) => citations.get(d)!.page('mexico-hands-over-26-cartel-kingpins', { limit: 200 }))
    t.ok((page?.data.length ?? 0) > 10, `${page?.data.length} citations`)
    await same(t, 'those over its first 2,000 code points, transfers only', (d) => citations.get(d)!.page('mexico-hands-over-26-cartel-kingpins', { limit: 200, start: 0, end: 2000, record_type: 'transfer' }))
    await same(t, 'an unknown source', (d) => citations.get(d)!.page('no-such-source', {}))
  })
})
