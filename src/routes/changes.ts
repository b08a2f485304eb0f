import type { ServerResponse } from 'node:http'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { revisionActions, type RevisionAction } from '../db/schema/revisions.js'
import { AppError } from '../errors.js'
import { Readable } from 'node:stream'
import { csvLines } from '../http/formats.js'
import { pageLinks } from '../http/links.js'
import { csvPageRoute, jsonResponse, problemResponses } from '../http/responses.js'
import { kindTypes, type KindType } from '../kinds/index.js'
import { parseList } from '../query/csv-param.js'
import { isTime, startOf } from '../query/instants.js'
import type { RevisionRow } from '../repositories/revisions.js'
import { listParam } from '../schemas/common.js'

const since = Type.String({
  description: 'Where to start: after a `cursor` or `next_cursor` of an earlier answer, or at a time: the changes made at or after an ISO 8601 timestamp (`2025-12-01T00:00:00Z`) or the start of a day (`2025-12-01`, UTC). Omit to start at the beginning.',
  minLength: 1,
  maxLength: 200
})
const types = listParam('Only changes of these kinds of record.', kindTypes, 'transfer,quote')
// No example: "Try it out" sends it with the others, and the seed has deleted nothing.
const action = Type.String({
  description: `Only these changes, comma-separated; one or more of ${revisionActions.map((a) => `\`${a}\``).join(', ')}: \`delete\` for what was deleted (with the record as it was).`,
  minLength: 1,
  maxLength: 100
})

const ChangesQuery = Type.Partial(Type.Object({
  since,
  types,
  action,
  limit: Type.Integer({ description: 'Changes per page, 1 to 1000.', minimum: 1, maximum: 1000, default: 100 })
}), { additionalProperties: false })

const StreamQuery = Type.Partial(Type.Object({ since, types, action }), { additionalProperties: false })

const StreamHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ description: 'Sent by EventSource on reconnect: the `id` of the last event received. Takes precedence over `since`.' }))
})

/** Polls the feed this often for changes made by other processes (the CLI's import, say). */
const pollMs = 1000
const heartbeatMs = 15_000

const changeJson = (row: RevisionRow, cursor: string) =>
  `{"seq":${row.seq},"cursor":${JSON.stringify(cursor)},"type":"${row.type}","id":${JSON.stringify(row.id)},"action":"${row.action}","revision":${row.revision},"at":"${row.at}","author":${JSON.stringify(row.author)},"comment":${JSON.stringify(row.comment)},"data":${row.data}}`

/** Changes a stream reads and writes at a time. */
const streamPage = 100

const changesRoutes: FastifyPluginAsyncTypebox<{ maxStreams: number, maxStreamsPerClient: number }> = async (app, opts) => {
  const feed = app.reads.revisions
  const streams = new Set<ServerResponse>()
  const perClient = new Map<string, number>()
  const typesOf = (raw: string | undefined) => (raw === undefined ? undefined : parseList('types', raw, kindTypes) as KindType[])
  const onlyOf = (q: { types?: string, action?: string }) => ({
    types: typesOf(q.types),
    actions: q.action === undefined ? undefined : parseList('action', q.action, revisionActions) as RevisionAction[]
  })
  /** The position `since` names: a cursor, or a time (the changes from then on). */
  const positionOf = async (value: string) => (isTime(value) ? await app.read(feed.positionAt(startOf('since', value))) : feed.decodeFeedCursor(value))

  /** A page of the feed: its rows, whether more follow, and the position to read on from. */
  const pageOf = async (q: { since?: string, types?: string, action?: string, limit?: number }) => {
    const { limit = 100 } = q
    const after = q.since === undefined ? 0 : await positionOf(q.since)
    const only = onlyOf(q)
    const rows = await app.read(feed.since(after, only, limit + 1))
    const hasMore = rows.length > limit
    if (hasMore) rows.length = limit
    return { rows, hasMore, next: feed.feedCursor(rows.at(-1)?.seq ?? Math.max(after, 0)) }
  }

  app.get('/v1/changes', {
    schema: {
      operationId: 'listChanges',
      tags: ['changes'],
      summary: 'Read the change feed',
      description: 'Every create, update and delete in commit order, each with the full record after the change. Resume from any `next_cursor`: no change is skipped or repeated. At the end of the feed `data` is empty and `next_cursor` is the position to poll from. Start at a time with `since=2025-12-01T00:00:00Z` (what changed since Monday), and keep only some changes with `types` and `action` (`action=delete`: what was deleted).',
      querystring: ChangesQuery,
      response: { 200: jsonResponse('A page of changes.', 'ChangeList', { paged: true }), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { rows, hasMore, next } = await pageOf(request.query)
    const items = rows.map((r) => changeJson(r, feed.feedCursor(r.seq)))
    // rel="next" always: at the end of the feed it is the position to poll from.
    return reply.type('application/json; charset=utf-8').header('link', pageLinks(request, next, 'since'))
      .send(`{"data":[${items.join(',')}],"next_cursor":${JSON.stringify(next)},"has_more":${hasMore}}`)
  })

  app.get('/v1/changes.csv', csvPageRoute({
    operationId: 'listChangesCsv',
    tags: ['changes'],
    summary: 'Read the change feed as CSV',
    description: 'The page `/v1/changes` answers, as RFC 4180 CSV: a header row, then one row a change, the record (`data`) as JSON. Read on from `Link: rel="next"`.',
    querystring: ChangesQuery,
    what: 'changes'
  }), async (request, reply) => {
    const { rows, next } = await pageOf(request.query)
    const records = rows.map((r) => ({ ...r, cursor: feed.feedCursor(r.seq), data: JSON.parse(r.data) as unknown }))
    const columns = ['seq', 'cursor', 'type', 'id', 'action', 'revision', 'at', 'author', 'comment', 'data']
    return reply.type('text/csv; charset=utf-8; header=present').header('link', pageLinks(request, next, 'since'))
      .header('content-disposition', 'attachment; filename="changes.csv"')
      .send(Readable.from(csvLines(columns, records, request.query.csv_formulas === 'raw', request.query.bom === true)))
  })

  app.get('/v1/changes/stream', {
    config: { produces: ['text/event-stream'], cache: 'none' },
    schema: {
      operationId: 'streamChanges',
      tags: ['changes'],
      summary: 'Follow the change feed live (Server-Sent Events)',
      description: 'The change feed as `text/event-stream`: one `change` event per change, its `id` the change\'s cursor and its `data` the Change as JSON. On reconnect, EventSource sends `Last-Event-ID` and the stream resumes right after it, without gaps or repeats, even across server restarts. A comment line is sent every 15 s to keep proxies from closing the connection. Changes are sent a page at a time as the client reads them. A client may have `MAX_STREAMS_PER_CLIENT` streams open (5 by default; a 429 beyond), the server `MAX_STREAMS` in all (200; a 503 beyond).',
      querystring: StreamQuery,
      headers: StreamHeaders,
      response: {
        200: { description: 'An endless stream of `change` events.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...problemResponses(400, 406, 429, 503)
      }
    }
  }, async (request, reply) => {
    const lastEventId = request.headers['last-event-id']
    let last = lastEventId !== undefined
      ? feed.decodeFeedCursor(lastEventId, { in: 'header', name: 'last-event-id' })
      : request.query.since === undefined ? 0 : await positionOf(request.query.since)
    const only = onlyOf(request.query)
    const client = request.ip
    if (streams.size >= opts.maxStreams) {
      throw new AppError('unavailable', `The server has ${opts.maxStreams} change streams open, as many as it serves; retry later, or poll GET /v1/changes.`,
        undefined, { headers: { 'retry-after': '10' }, members: { limit: 'max_streams' } })
    }
    if ((perClient.get(client) ?? 0) >= opts.maxStreamsPerClient) {
      throw new AppError('too_many_requests', `This client has ${opts.maxStreamsPerClient} change streams open already; close one, or poll GET /v1/changes.`,
        undefined, { headers: { 'retry-after': '10' }, members: { limit: 'max_streams_per_client' } })
    }
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': String(request.id)
    })
    res.write(`retry: ${pollMs}\n\n`)
    streams.add(res)
    perClient.set(client, (perClient.get(client) ?? 0) + 1)

    let closed = false
    let pumping = false
    let again = false
    const drained = () => new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done)
        res.off('close', done)
        resolve()
      }
      res.on('drain', done)
      res.on('close', done)
    })
    /**
     * Sends what the stream has not sent yet, reading a page at a time; when the socket's buffer
     * is full it stops and waits for it to drain (the rest of the page is read again then), so a
     * client that does not read costs what its socket holds, not the feed.
     */
    const pump = async () => {
      if (pumping) {
        again = true
        return
      }
      pumping = true
      try {
        for (;;) {
          again = false
          for (;;) {
            const rows = await app.read(feed.since(last, only, streamPage))
            let writable = true
            for (const row of rows) {
              const cursor = feed.feedCursor(row.seq)
              writable = res.write(`id: ${cursor}\nevent: change\ndata: ${changeJson(row, cursor)}\n\n`)
              last = row.seq
              if (!writable) break
            }
            if (!writable) await drained()
            else if (rows.length < streamPage) break
            if (closed) break
          }
          // A change that arrived while this page was being sent: read on.
          if (!again || closed) break
        }
      } finally {
        pumping = false
      }
    }
    const run = () => {
      if (!closed) pump().catch((err: unknown) => { request.log.error({ err }, 'change stream failed'); res.destroy() })
    }
    // A write only schedules the fan-out: its own request never waits for the streams.
    const wake = () => { setImmediate(run) }
    run()
    app.backend.changes.on('change', wake)
    const poll = setInterval(run, pollMs)
    const heartbeat = setInterval(() => { if (!res.writableNeedDrain) res.write(': keep-alive\n\n') }, heartbeatMs)
    res.on('close', () => {
      closed = true
      app.backend.changes.off('change', wake)
      clearInterval(poll)
      clearInterval(heartbeat)
      streams.delete(res)
      const open = (perClient.get(client) ?? 1) - 1
      if (open === 0) perClient.delete(client)
      else perClient.set(client, open)
    })
  })

  // Streams never end on their own: close them so that a graceful shutdown does not wait for them.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end()
  })
}

export default changesRoutes
