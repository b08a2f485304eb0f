import { and, inArray, sql, type SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import type BetterSqlite3 from 'better-sqlite3'
import type { Db } from '../db/client.js'
import { revisionRecordTypes, type RevisionRecordType } from '../db/schema/index.js'
import { kinds } from '../kinds.js'
import { parseList } from '../query/csv-param.js'
import type { CursorCodec } from '../query/cursor.js'
import { dateOnOrAfter, dateOnOrBefore } from '../query/dates.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import type { SearchHitDto, SearchQueryType } from '../schemas/search.js'
import { queryProblem, toMatchExpression } from './match-query.js'

interface HitRow {
  doc: number
  kind: RevisionRecordType
  record_id: string
  date: string | null
  title: string
  score: number
}

/** A title match weighs four times a match in the body. bm25() is negative, better is lower. */
const score = sql.raw('-bm25(search_index, 4.0, 1.0)')

const pageSpec: PageSpec<HitRow> = {
  resource: 'search',
  defaultSort: '-score,kind,id',
  sortFields: {
    score: { expr: sql`score`, value: (r) => r.score },
    kind: { expr: sql`kind`, value: (r) => r.kind },
    id: { expr: sql`record_id`, value: (r) => r.record_id }
  }
}

/** Snippets mark matches with control characters, turned into `<mark>` after the text is escaped. */
const open = '\u0002'
const close = '\u0003'
const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function snippetHtml (raw: string): string {
  return raw.replace(/\s+/g, ' ').trim()
    .replace(/[&<>"']/g, (c) => escapes[c]!)
    .replaceAll(open, '<mark>')
    .replaceAll(close, '</mark>')
}

/** Full-text search over the index that `createSearchIndexer` keeps: one keyset page of hits, best first. */
export function createSearch (db: Db, codec: CursorCodec) {
  const { sqlite } = db
  const dialect = new SQLiteSyncDialect()
  const prepared = new Map<string, BetterSqlite3.Statement>()
  const snippets = sqlite.prepare(`SELECT rowid AS doc, snippet(search_index, -1, char(2), char(3), '…', 24) AS snippet
    FROM search_index WHERE search_index MATCH ? AND rowid IN (SELECT value FROM json_each(?))`)

  /** Runs a query that carries the user's MATCH expression: FTS5's complaints about it are a 400. */
  function run<T> (statement: BetterSqlite3.Statement, params: unknown[]): T[] {
    try {
      return statement.all(...params) as T[]
    } catch (err) {
      throw queryProblem(err) ?? err
    }
  }

  /** Statements are prepared once per shape of query (which filters, with or without a cursor). */
  function select (query: SQL): HitRow[] {
    const { sql: text, params } = dialect.sqlToQuery(query)
    let statement = prepared.get(text)
    if (statement === undefined) {
      statement = sqlite.prepare(text)
      prepared.set(text, statement)
    }
    return run<HitRow>(statement, params)
  }

  return {
    search (q: SearchQueryType): { data: SearchHitDto[], nextCursor: string | null } {
      const match = toMatchExpression(q.q)
      const kindList = q.kind === undefined ? undefined : parseList('kind', q.kind, revisionRecordTypes).sort()
      const where: SQL[] = []
      if (kindList !== undefined) where.push(inArray(sql`kind`, kindList))
      if (q.date_from !== undefined) where.push(dateOnOrAfter(sql`date`, q.date_from))
      if (q.date_to !== undefined) where.push(dateOnOrBefore(sql`date`, q.date_to))
      const filters = { q: q.q, kind: kindList, date_from: q.date_from, date_to: q.date_to }

      const page = fetchPage(pageSpec, codec, { limit: q.limit ?? 20, cursor: q.cursor }, filters, where, (conditions, orderBy, limit) => select(sql`
        SELECT * FROM (
          SELECT d.id AS doc, d.kind, d.record_id, d.date, d.title, ${score} AS score
          FROM search_index JOIN search_documents d ON d.id = search_index.rowid
          WHERE search_index MATCH ${match}
        )
        ${conditions.length > 0 ? sql`WHERE ${and(...conditions)}` : sql``}
        ORDER BY ${sql.join(orderBy, sql`, `)}
        LIMIT ${limit}`))

      const marked = new Map(run<{ doc: number, snippet: string }>(snippets, [match, JSON.stringify(page.rows.map((r) => r.doc))])
        .map((s) => [s.doc, s.snippet]))
      return {
        data: page.rows.map((r) => ({
          kind: r.kind,
          id: r.record_id,
          title: r.title,
          snippet: snippetHtml(marked.get(r.doc) ?? r.title),
          score: r.score,
          url: `/v1/${kinds[r.kind].path}/${r.record_id}`,
          date: r.date
        })),
        nextCursor: page.nextCursor
      }
    }
  }
}

export type Search = ReturnType<typeof createSearch>
