import type { ServerResponse } from 'node:http'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { kindTypes, type KindType } from '../kinds/index.js'
import { parseList } from '../query/csv-param.js'
import type { RevisionRow } from '../repositories/revisions.js'
import { listParam } from '../schemas/common.js'

const since = Type.String({ description: 'Read the changes after this position: a `cursor` or `next_cursor` from an earlier answer. Omit to start at the beginning.', minLength: 1, maxLength: 200 })
const types = listParam('Only changes of these kinds of record.', kindTypes, 'transfer,quote')

const ChangesQuery = Type.Partial(Type.Object({
  since,
  types,
  limit: Type.Integer({ description: 'Changes per page, 1 to 1000.', minimum: 1, maximum: 1000, default: 100 })
}), { additionalProperties: false })

const StreamQuery = Type.Partial(Type.Object({ since, types }), { additionalProperties: false })

const StreamHeaders = Type.Object({
  'last-event-id': Type.Optional(Type.String({ description: 'Sent by EventSource on reconnect: the `id` of the last event received. Takes precedence over `since`.' }))
})

/** Polls the feed this often for changes made by other processes (the CLI's import, say). */
const pollMs = 1000
const heartbeatMs = 15_000

const changeJson = (row: RevisionRow, cursor: string) =>
  `{"seq":${row.seq},"cursor":${JSON.stringify(cursor)},"type":"${row.type}","id":${JSON.stringify(row.id)},"action":"${row.action}","revision":${row.revision},"at":"${row.at}","author":${JSON.stringify(row.author)},"data":${row.data}}`

const changesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const feed = app.kb.revisions
  const streams = new Set<ServerResponse>()
  const typesOf = (raw: string | undefined) => (raw === undefined ? undefined : parseList('types', raw, kindTypes) as KindType[])

  app.get('/v1/changes', {
    schema: {
      operationId: 'listChanges',
      tags: ['changes'],
      summary: 'Read the change feed',
      description: 'Every create, update and delete in commit order, each with the full record after the change. Resume from any `next_cursor`: no change is skipped or repeated. At the end of the feed `data` is empty and `next_cursor` is the position to poll from.',
      querystring: ChangesQuery,
      response: { 200: jsonResponse('A page of changes.', 'ChangeList'), ...problemResponses(400) }
    }
  }, async (request, reply) => {
    const { limit = 100 } = request.query
    const after = request.query.since === undefined ? 0 : feed.decodeFeedCursor(request.query.since)
    const rows = feed.since(after, typesOf(request.query.types), limit + 1)
    const hasMore = rows.length > limit
    if (hasMore) rows.length = limit
    const last = rows.at(-1)?.seq ?? Math.max(after, 0)
    const items = rows.map((r) => changeJson(r, feed.feedCursor(r.seq)))
    return reply.type('application/json; charset=utf-8')
      .send(`{"data":[${items.join(',')}],"next_cursor":${JSON.stringify(feed.feedCursor(last))},"has_more":${hasMore}}`)
  })

  app.get('/v1/changes/stream', {
    config: { produces: ['text/event-stream'], cache: 'none' },
    schema: {
      operationId: 'streamChanges',
      tags: ['changes'],
      summary: 'Follow the change feed live (Server-Sent Events)',
      description: 'The change feed as `text/event-stream`: one `change` event per change, its `id` the change\'s cursor and its `data` the Change as JSON. On reconnect, EventSource sends `Last-Event-ID` and the stream resumes right after it, without gaps or repeats, even across server restarts. A comment line is sent every 15 s to keep proxies from closing the connection.',
      querystring: StreamQuery,
      headers: StreamHeaders,
      response: {
        200: { description: 'An endless stream of `change` events.', content: { 'text/event-stream': { schema: { type: 'string' } } } },
        ...problemResponses(400, 406)
      }
    }
  }, async (request, reply) => {
    const lastEventId = request.headers['last-event-id']
    let last = lastEventId !== undefined
      ? feed.decodeFeedCursor(lastEventId, { in: 'header', name: 'last-event-id' })
      : request.query.since === undefined ? 0 : feed.decodeFeedCursor(request.query.since)
    const only = typesOf(request.query.types)
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
    const send = () => {
      for (;;) {
        const rows = feed.since(last, only, 500)
        for (const row of rows) {
          const cursor = feed.feedCursor(row.seq)
          res.write(`id: ${cursor}\nevent: change\ndata: ${changeJson(row, cursor)}\n\n`)
          last = row.seq
        }
        if (rows.length < 500) break
      }
    }
    send()
    app.kb.writes.changes.on('change', send)
    const poll = setInterval(send, pollMs)
    const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), heartbeatMs)
    res.on('close', () => {
      app.kb.writes.changes.off('change', send)
      clearInterval(poll)
      clearInterval(heartbeat)
      streams.delete(res)
    })
  })

  // Streams never end on their own: close them so that a graceful shutdown does not wait for them.
  app.addHook('preClose', async () => {
    for (const res of streams) res.end()
  })
}

export default changesRoutes
