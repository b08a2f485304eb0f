import { and, inArray, sql, type SQL } from 'drizzle-orm'
import { SQLiteSyncDialect } from 'drizzle-orm/sqlite-core'
import type BetterSqlite3 from 'better-sqlite3'
import type { Db } from '../db/client.js'
import { readOf, resultOf } from '../db/query.js'
import { kindOf, kindTypes, type KindType } from '../kinds/index.js'
import { parseList } from '../query/csv-param.js'
import type { CursorCodec, CursorKey } from '../query/cursor.js'
import { dateOnOrAfter, dateOnOrBefore } from '../query/dates.js'
import { fetchPage, type PageSpec } from '../query/page.js'
import type { SearchHitDto, SearchQueryType } from '../schemas/search.js'
import { queryProblem, toMatchExpression } from './match-query.js'
import { markClose, markOpen, snippetWords, stemMatcher, stemSnippet } from './snippets.js'
import { stemLanguages, stemmedExpression } from './stemming.js'

interface HitRow {
  doc: number
  kind: KindType
  record_id: string
  date: string | null
  title: string
  score: number
}

/** The bounds of a hit's date, as the search documents store them. */
const hitBounds = { earliest: sql`date_earliest`, latest: sql`date_latest` }

/**
 * The weights of the index's columns (title, body, keywords, stems_en, stems_es): a word in the
 * title weighs four times one in the body; a match by stem half. bm25() is negative, better is
 * lower. A document with the words as typed matches in its text and its stems, so it ranks
 * above one that matches by stem only.
 */
const score = sql.raw('-bm25(search_index, 4.0, 1.0, 1.0, 0.5, 0.5)')

/**
 * What the index is asked: the words as typed in the text columns, or their stems in each stem
 * column (src/search/stemming.ts); a search scoped to a field (`title:drone`) matches its words
 * as typed only.
 */
export function indexExpression (expression: string): string {
  const branches = [`{title body keywords} : (${expression})`]
  for (const language of stemLanguages) {
    const stemmed = stemmedExpression(expression, language)
    if (stemmed === undefined) return branches[0]!
    branches.push(`stems_${language} : (${stemmed})`)
  }
  return branches.join(' OR ')
}

const pageSpec: PageSpec<HitRow> = {
  resource: 'search',
  defaultSort: '-score,kind,id',
  sortFields: {
    score: { expr: sql`score`, value: (r) => r.score },
    kind: { expr: sql`kind`, value: (r) => r.kind },
    id: { expr: sql`record_id`, value: (r) => r.record_id }
  }
}

/**
 * The lowest score a hit on this page can have, over the `hits` of the query below: the
 * `limit`-th best score among the hits scoring below the cursor's (all of them on the first
 * page), or no bound when there are fewer. `limit` is the number of rows the page fetches, its
 * size plus one.
 *
 * Every hit must be ranked (bm25 reads its document's size), but only those that can be on the
 * page need their document row, which the order's tie-breaks (kind, id) and the output come
 * from. A hit on the page scores either the cursor's score (all of those are kept) or less, and
 * then fewer than `limit` of the hits scoring less than the cursor's rank before it, so it scores
 * at least the `limit`-th best of them. Joining those instead of every hit matters when there are
 * many: each document row is a random read, and in a large knowledge base few of them share a
 * page. Kind and date filters need every hit's document, so they get no bound.
 */
function cutOff (limit: number, after: CursorKey | undefined): SQL {
  return sql`coalesce((SELECT score FROM hits ${after === undefined ? sql`` : sql`WHERE score < ${after[0]}`}
    ORDER BY score DESC LIMIT 1 OFFSET ${limit - 1}), -1e308)`
}

const escapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }

function snippetHtml (raw: string): string {
  return raw.replace(/\s+/g, ' ').trim()
    .replace(/[&<>"']/g, (c) => escapes[c]!)
    .replaceAll(markOpen, '<mark>')
    .replaceAll(markClose, '</mark>')
}

/** Full-text search over the index that `createSearchIndexer` keeps: one keyset page of hits, best first. */
export function createSearch (db: Db, codec: CursorCodec) {
  const { sqlite } = db
  const dialect = new SQLiteSyncDialect()
  const prepared = new Map<string, BetterSqlite3.Statement>()
  // Snippets come from the text a person reads (the body), never from ids or stems.
  // The body is read only for a snippet with nothing marked in it, to mark its stems (stemSnippet).
  // MATERIALIZED: each snippet is made once, not again where the CASE reads it.
  const snippets = sqlite.prepare(`WITH s AS MATERIALIZED (
      SELECT rowid AS doc, snippet(search_index, 1, char(2), char(3), '…', ${snippetWords}) AS snippet
      FROM search_index WHERE search_index MATCH ? AND rowid IN (SELECT value FROM json_each(?))
    )
    SELECT doc, snippet, CASE WHEN instr(snippet, char(2)) = 0 THEN (SELECT body FROM search_documents WHERE id = doc) END AS body FROM s`)

  /** Runs a query that carries the user's MATCH expression: FTS5's complaints about it are a 400. */
  function run<T> (statement: BetterSqlite3.Statement, params: unknown[]): T[] {
    try {
      return statement.all(...params) as T[]
    } catch (err) {
      throw queryProblem(err) ?? err
    }
  }

  /** Statements are prepared once per shape of query (which filters, with or without a cursor). */
  function select<T = HitRow> (query: SQL): T[] {
    const { sql: text, params } = dialect.sqlToQuery(query)
    let statement = prepared.get(text)
    if (statement === undefined) {
      statement = sqlite.prepare(text)
      prepared.set(text, statement)
    }
    return run<T>(statement, params)
  }

  /** A search's queries (the page, its snippets, the count) read one snapshot. */
  const inSnapshot = <A extends unknown[], R> (read: (...args: A) => R) => {
    const transaction = sqlite.transaction(read)
    return (...args: A): R => transaction.deferred(...args)
  }

  return {
    search: inSnapshot((q: SearchQueryType): { data: SearchHitDto[], nextCursor: string | null, count?: number, facets?: { kind: Record<string, number> } } => {
      const typed = toMatchExpression(q.q)
      const match = indexExpression(typed)
      const kindList = q.kind === undefined ? undefined : parseList('kind', q.kind, kindTypes).sort()
      const dated: SQL[] = []
      if (q.date_from !== undefined) dated.push(dateOnOrAfter(hitBounds, q.date_from))
      if (q.date_to !== undefined) dated.push(dateOnOrBefore(hitBounds, q.date_to))
      const where = kindList === undefined ? dated : [inArray(sql`kind`, kindList), ...dated]
      if (q.facets !== undefined) parseList('facets', q.facets, ['kind'])
      /** Hits of `q` meeting `conditions`, from the index joined to the documents. */
      const hitsWhere = (conditions: SQL[]) => sql`search_index JOIN search_documents ON search_documents.id = search_index.rowid
        WHERE search_index MATCH ${match}${conditions.length === 0 ? sql`` : sql` AND ${and(...conditions)}`}`
      const filters = { q: q.q, kind: kindList, date_from: q.date_from, date_to: q.date_to }

      const page = resultOf(fetchPage(pageSpec, codec, { limit: q.limit ?? 20, cursor: q.cursor }, filters, where, (conditions, orderBy, limit, after) => readOf(select(sql`
        WITH hits AS MATERIALIZED (
          SELECT rowid AS doc, ${score} AS score FROM search_index WHERE search_index MATCH ${match}
        )
        SELECT * FROM (
          SELECT d.id AS doc, d.kind, d.record_id, d.date, d.date_earliest, d.date_latest, d.title, hits.score
          FROM hits JOIN search_documents d ON d.id = hits.doc
          ${where.length === 0 ? sql`WHERE hits.score >= ${cutOff(limit, after)}` : sql``}
        )
        ${conditions.length > 0 ? sql`WHERE ${and(...conditions)}` : sql``}
        ORDER BY ${sql.join(orderBy, sql`, `)}
        LIMIT ${limit}`))))

      // A hit FTS5 has no word as typed to mark in (matched by stem, ids or title): marked by stem here.
      const matcher = stemMatcher(typed)
      const marked = new Map(run<{ doc: number, snippet: string, body: string | null }>(snippets, [match, JSON.stringify(page.rows.map((r) => r.doc))])
        .map((s) => [s.doc, s.body === null ? s.snippet : stemSnippet(s.body, matcher)]))
      return {
        data: page.rows.map((r) => ({
          kind: r.kind,
          id: r.record_id,
          title: r.title,
          snippet: snippetHtml(marked.get(r.doc) ?? r.title),
          score: r.score,
          url: `/v1/${kindOf(r.kind).path}/${r.record_id}`,
          date: r.date
        })),
        nextCursor: page.nextCursor,
        ...(q.count === true ? { count: select<{ n: number }>(sql`SELECT count(*) AS n FROM ${hitsWhere(where)}`)[0]!.n } : {}),
        // Facets count every kind's hits, whatever `kind` keeps: what a refinement would find.
        ...(q.facets === undefined
          ? {}
          : { facets: { kind: Object.fromEntries(select<{ kind: string, n: number }>(sql`SELECT kind, count(*) AS n FROM ${hitsWhere(dated)} GROUP BY kind ORDER BY kind`).map((r) => [r.kind, r.n])) } })
      }
    })
  }
}

export type Search = ReturnType<typeof createSearch>
