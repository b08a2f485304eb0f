/**
 * The floor the API is measured against: a bare node:http server over the same SYNTHETIC
 * database, with hand-written prepared better-sqlite3 statements and JSON.stringify, answering
 *
 *   GET /v1/transfers/<id>[?include=citations]
 *   GET /v1/transfers[?limit=N][&include=citations]
 *   GET /v1/search?q=<word>[&limit=N]
 *
 * with exactly the bytes the API sends: the same queries (one per related table, the page's ids
 * as one JSON array through json_each; for search one FTS5 statement with the API's MATCH, bm25
 * weights, ordering and snippet()), objects built in the DTO's key order, and the same signed
 * `next_cursor` (CursorCodec with the benchmark's secret). And, as the floor of the 304 path,
 *
 *   GET /hello   → 200 `hello`, or 304 with `If-None-Match: "hello"`
 *
 * which does nothing else. Nothing else is implemented.
 *
 *   npx tsx bench/baseline-server.ts --db bench/.data/synthetic-100k.sqlite --port 0
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { createDb } from '../src/db/client.js'
import { kindOf, type KindType } from '../src/kinds/index.js'
import { CursorCodec } from '../src/query/cursor.js'
import { indexExpression } from '../src/search/search.js'
import { firstPageOrder, jsonText, transferColumns, transferDtos, type AlternativeRow, type CitationRow, type ParticipantRow, type ResourceRow, type TransferRow } from './baseline-dtos.js'
import { firstPageCursor, parseRequest, problem, send, serveBaseline } from './baseline-http.js'
import { benchCursorSecret, serverOptions } from './config.js'

const { dbPath, port } = serverOptions(process.argv.slice(2))
const db = createDb(dbPath) // the same connection pragmas as the API
const { sqlite } = db
const codec = new CursorCodec(benchCursorSecret)

const inIds = 'IN (SELECT value FROM json_each(?))'
const byId = sqlite.prepare<[string], TransferRow>(`SELECT ${transferColumns} FROM transfers WHERE id = ?`)
const firstPage = sqlite.prepare<[number], TransferRow>(`SELECT ${transferColumns} FROM transfers ${firstPageOrder} LIMIT ?`)
const participantsOf = sqlite.prepare<[string], ParticipantRow>(`SELECT transfer_id, actor_id, role, organization_id, charges, wanted_by, case_numbers, held_at
  FROM transfer_participants WHERE transfer_id ${inIds} ORDER BY rowid`)
const resourcesOf = sqlite.prepare<[string], ResourceRow>(`SELECT id, transfer_id, kind, quantity, approximate, description
  FROM transfer_resources WHERE transfer_id ${inIds} ORDER BY rowid`)
// Every citation of the page, the record's own and its alternatives': the API reads them all for
// `external_fields` and the alternatives' evidence, and embeds its own with include=citations.
const citationsOf = sqlite.prepare<[string], CitationRow>(`SELECT id, record_id, source_id, excerpt, start_offset, end_offset, fields, support, note, alternative
  FROM citations WHERE record_type = 'transfer' AND record_id ${inIds} ORDER BY id ASC`)
const alternativesOf = sqlite.prepare<[string], AlternativeRow>(`SELECT record_id, position, field, value, rank, note
  FROM alternatives WHERE record_type = 'transfer' AND record_id ${inIds} ORDER BY record_id ASC, position ASC`)

/** The Transfer DTOs of a page's rows: one query per related table. */
function toDtos (rows: TransferRow[], withCitations: boolean): object[] {
  if (rows.length === 0) return []
  const ids = JSON.stringify(rows.map((r) => r.id))
  const related = { participants: participantsOf.all(ids), resources: resourcesOf.all(ids), citations: citationsOf.all(ids), alternatives: alternativesOf.all(ids) }
  return transferDtos(rows, related, withCitations, jsonText)
}

// ---------------------------------------------------------------------------------------------
// GET /v1/search?q=<word>: one statement for the page (limit + 1 hits, best first, as the API's
// keyset page asks for) and the snippets of its hits, found again by rowid within the same MATCH.
// Like the API (src/search/search.ts), it ranks every hit but reads the document rows only of
// those scoring at least the page's last place.

interface HitRow {
  kind: KindType
  record_id: string
  date: string | null
  title: string
  score: number
  snippet: string | null
}
const searchPage = sqlite.prepare<{ match: string, limit: number }, HitRow>(`WITH hits AS MATERIALIZED (
    SELECT rowid AS doc, -bm25(search_index, 4.0, 1.0, 1.0, 0.5, 0.5) AS score FROM search_index WHERE search_index MATCH @match
  ), page AS (
    SELECT d.id AS doc, d.kind, d.record_id, d.date, d.title, hits.score
    FROM hits JOIN search_documents d ON d.id = hits.doc
    WHERE hits.score >= coalesce((SELECT score FROM hits ORDER BY score DESC LIMIT 1 OFFSET @limit - 1), -1e308)
    ORDER BY score DESC, kind ASC, record_id ASC
    LIMIT @limit
  )
  SELECT page.kind, page.record_id, page.date, page.title, page.score,
    snippet(search_index, 1, char(2), char(3), '…', 24) AS snippet
  FROM page CROSS JOIN search_index ON search_index.rowid = page.doc
  WHERE search_index MATCH @match
  ORDER BY page.score DESC, page.kind ASC, page.record_id ASC`)

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }
/** snippet() marks matches with \u0002 … \u0003; they become <mark> once the text is escaped. */
const snippetHtml = (raw: string) => raw.replace(/\s+/g, ' ').trim()
  .replace(/[&<>"']/g, (c) => htmlEscapes[c]!)
  .replaceAll('\u0002', '<mark>')
  .replaceAll('\u0003', '</mark>')

/** The API's default search order `-score,kind,id`. */
const searchSort = '-score,kind,id'

function search (req: IncomingMessage, res: ServerResponse, url: string, params: URLSearchParams): void {
  for (const key of params.keys()) {
    if (key !== 'q' && key !== 'limit') return problem(res, 400, `unsupported parameter ${key}`)
  }
  const q = params.get('q') ?? ''
  // A bare word is its own FTS5 expression; the baseline implements nothing else.
  if (!/^[A-Za-z0-9_]{1,200}$/.test(q)) return problem(res, 400, 'q must be one word of ASCII letters and digits')
  const limitText = params.get('limit') ?? '20'
  const limit = Number(limitText)
  if (!/^\d+$/.test(limitText) || limit < 1 || limit > 100) return problem(res, 400, 'limit must be 1 to 100')
  // The same index expression as the API's: the word as typed, or its English or Spanish stem.
  const rows = searchPage.all({ match: indexExpression(q), limit: limit + 1 })
  let nextCursor: string | null = null
  if (rows.length > limit) {
    rows.length = limit
    const last = rows[limit - 1]!
    nextCursor = codec.encode(CursorCodec.queryDigest('search', searchSort, { q }), [last.score, last.kind, last.record_id])
    const next = new URL(url, `http://${req.headers.host ?? '127.0.0.1'}`)
    next.searchParams.set('cursor', nextCursor)
    res.setHeader('link', `<${next.href}>; rel="next"`)
  }
  const data = rows.map((r) => ({
    kind: r.kind,
    id: r.record_id,
    title: r.title,
    snippet: snippetHtml(r.snippet ?? r.title),
    score: r.score,
    url: `/v1/${kindOf(r.kind).path}/${r.record_id}`,
    date: r.date
  }))
  send(res, 200, JSON.stringify({ data, next_cursor: nextCursor }))
}

// ---------------------------------------------------------------------------------------------
// GET /v1/transfers and /v1/transfers/<id>

function handle (req: IncomingMessage, res: ServerResponse): void {
  const request = parseRequest(req, res)
  if (request === undefined) return
  if (request.kind === 'search') return search(req, res, request.url, request.params)
  if (request.kind === 'list') {
    const rows = firstPage.all(request.limit + 1)
    const nextCursor = firstPageCursor(req, res, request.url, rows, request.limit)
    return send(res, 200, JSON.stringify({ data: toDtos(rows, request.withCitations), next_cursor: nextCursor }))
  }
  const row = byId.get(request.id)
  if (row === undefined) return problem(res, 404, `no transfer has the id ${request.id}`)
  send(res, 200, JSON.stringify(toDtos([row], request.withCitations)[0]))
}

serveBaseline(port, handle, () => db.close())
