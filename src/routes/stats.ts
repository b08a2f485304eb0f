import { Readable } from 'node:stream'
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { csvLines } from '../http/formats.js'
import { CsvQuery, jsonResponse, problemResponses } from '../http/responses.js'
import { kinds, type KindType } from '../kinds/index.js'

const shape = 'Shaped for charting: `labels` (with the `keys` they stand for) and labelled `series` of one value a label, plus `totals`; grouped by two dimensions, one series a measure and bucket of the second (`group`), with that axis in `groups`.'

/** `GET /v1/stats/<path>` for every kind, and `GET /v1/stats/<path>.csv`: the same numbers as rows. */
const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const kind of kinds) {
    if (kind.stats === undefined) continue
    const type = kind.type as KindType
    const noun = `${kind.noun[0]!.toUpperCase()}${kind.noun.slice(1)}`
    app.get(`/v1/stats/${kind.path}`, {
      schema: {
        operationId: `get${kind.singular}Stats`,
        tags: ['stats'],
        summary: kind.stats.summary,
        description: `${kind.stats.description} ${shape}`,
        querystring: kind.stats.query,
        response: { 200: jsonResponse(`${noun} statistics.`, kind.stats.response), ...problemResponses(400, 503) }
      }
    }, async (request) => app.backend.run('stats', { type, query: request.query as Record<string, unknown> }))

    app.get(`/v1/stats/${kind.path}.csv`, {
      config: { produces: ['text/csv'] },
      schema: {
        operationId: `get${kind.singular}StatsCsv`,
        tags: ['stats'],
        summary: `${kind.stats.summary}, as CSV`,
        description: `The numbers of \`/v1/stats/${kind.path}\` as RFC 4180 CSV, one row a bucket (a pair of buckets, grouped by two dimensions), empty ones too: ` +
          'each dimension\'s key and label (`month`, `month_label`; `date:month` is written `date_month`), then one column a series.',
        querystring: CsvQuery(kind.stats.query),
        response: {
          200: {
            description: `${noun} statistics, as CSV.`,
            headers: { 'Content-Disposition': { type: 'string', description: '`attachment` with a file name (`transfers-stats.csv`).' } },
            content: { 'text/csv': { schema: { type: 'string', description: 'RFC 4180 CSV with a header row.' } } }
          },
          ...problemResponses(400, 406, 503)
        }
      }
    }, async (request, reply: FastifyReply) => {
      const { csv_formulas: formulas, bom, ...query } = request.query as Record<string, unknown>
      const table = await app.backend.run('stats', { type, query, csv: true }) as { columns: string[], rows: Array<Record<string, unknown>> }
      return reply.type('text/csv; charset=utf-8; header=present')
        .header('content-disposition', `attachment; filename="${kind.path}-stats.csv"`)
        .send(Readable.from(csvLines(table.columns, table.rows, formulas === 'raw', bom === true)))
    })
  }
}

export default statsRoutes
