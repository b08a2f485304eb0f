/**
 * The floor the API on PostgreSQL is measured against: a bare node:http server over the same
 * PostgreSQL database with hand-written node-postgres queries, answering
 *
 *   GET /v1/transfers/<id>[?include=citations]
 *   GET /v1/transfers[?limit=N][&include=citations]
 *   GET /hello   → 200 `hello`, or 304 with `If-None-Match: "hello"`
 *
 * with the API's bytes: the same statements over the same loopback connection (a pool of 10, as
 * the API's), one per related table, in one REPEATABLE READ, READ ONLY transaction as the API reads
 * (a baseline reading several tables without one could send a transfer half of one write and half
 * of another), DTOs built by hand (bench/baseline-dtos.ts) and the same signed `next_cursor`.
 * Search is not served on PostgreSQL yet, so neither is it here.
 *
 *   npx tsx bench/pg-baseline-server.ts --database-url postgres://… --port 0
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import pg from 'pg'
import { pgTypes } from '../src/db/pg-client.js'
import { firstPageOrder, jsonParsed, transferColumns, transferDtos, type AlternativeRow, type CitationRow, type ParticipantRow, type ResourceRow, type TransferRow } from './baseline-dtos.js'
import { firstPageCursor, parseRequest, problem, send, serveBaseline } from './baseline-http.js'
import { option, serverOptions } from './config.js'

const argv = process.argv.slice(2)
const { port } = serverOptions(argv)
const url = option(argv, 'database-url', 'BENCH_DATABASE_URL')
if (url === undefined) throw new Error('--database-url is required')
// bigint as a number, as the API's pool reads it.
const pool = new pg.Pool({ connectionString: url, max: 10, types: pgTypes })

const byId = `SELECT ${transferColumns} FROM transfers WHERE id = $1`
const firstPage = `SELECT ${transferColumns} FROM transfers ${firstPageOrder} LIMIT $1`
/** One id (`= $1`) or many (`= ANY($1)`), as the API asks for a GET by id and for a page. */
const related = (match: string) => ({
  participants: `SELECT transfer_id, actor_id, role, organization_id, charges, wanted_by, case_numbers, held_at
    FROM transfer_participants WHERE transfer_id ${match} ORDER BY row_order`,
  resources: `SELECT id, transfer_id, kind, quantity, approximate, description FROM transfer_resources WHERE transfer_id ${match} ORDER BY row_order`,
  citations: `SELECT id, record_id, source_id, excerpt, start_offset, end_offset, fields, support, note, alternative
    FROM citations WHERE record_type = 'transfer' AND record_id ${match} ORDER BY id ASC`,
  alternatives: `SELECT record_id, position, field, value, rank, note FROM alternatives WHERE record_type = 'transfer' AND record_id ${match} ORDER BY record_id ASC, position ASC`
})
const ofOne = related('= $1')
const ofMany = related('= ANY($1)')

async function read<T> (work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect()
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const result = await work(client)
    await client.query('COMMIT')
    return result
  } catch (err) {
    await client.query('ROLLBACK').catch(() => {})
    throw err
  } finally {
    client.release()
  }
}

async function toDtos (client: pg.PoolClient, rows: TransferRow[], withCitations: boolean): Promise<object[]> {
  if (rows.length === 0) return []
  const [queries, ids] = rows.length === 1 ? [ofOne, rows[0]!.id] : [ofMany, rows.map((r) => r.id)]
  const participants = (await client.query<ParticipantRow>(queries.participants, [ids])).rows
  const resources = (await client.query<ResourceRow>(queries.resources, [ids])).rows
  const citations = (await client.query<CitationRow>(queries.citations, [ids])).rows
  const alternatives = (await client.query<AlternativeRow>(queries.alternatives, [ids])).rows
  return transferDtos(rows, { participants, resources, citations, alternatives }, withCitations, jsonParsed)
}

async function handle (req: IncomingMessage, res: ServerResponse): Promise<void> {
  const request = parseRequest(req, res)
  if (request === undefined) return
  if (request.kind === 'search') return problem(res, 501, 'search is not served on PostgreSQL')
  if (request.kind === 'list') {
    const { rows, dtos } = await read(async (client) => {
      const found = (await client.query<TransferRow>(firstPage, [request.limit + 1])).rows
      return { rows: found, dtos: await toDtos(client, found.slice(0, request.limit), request.withCitations) }
    })
    const nextCursor = firstPageCursor(req, res, request.url, rows, request.limit)
    return send(res, 200, JSON.stringify({ data: dtos, next_cursor: nextCursor }))
  }
  const dto = await read(async (client) => {
    const row = (await client.query<TransferRow>(byId, [request.id])).rows[0]
    return row === undefined ? undefined : (await toDtos(client, [row], request.withCitations))[0]
  })
  if (dto === undefined) return problem(res, 404, `no transfer has the id ${request.id}`)
  send(res, 200, JSON.stringify(dto))
}

serveBaseline(port, handle, async () => { await pool.end() })
