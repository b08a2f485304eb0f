import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { kinds, type KindType } from '../kinds/index.js'

const shape = 'Shaped for charting: `labels` (with the `keys` they stand for) and labelled `series` of one value a label, plus `totals`.'

/** `GET /v1/stats/<path>` for every kind that defines a statistic. */
const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  for (const kind of kinds) {
    if (kind.stats === undefined) continue
    const type = kind.type as KindType
    app.get(`/v1/stats/${kind.path}`, {
      schema: {
        operationId: `get${kind.singular}Stats`,
        tags: ['stats'],
        summary: kind.stats.summary,
        description: `${kind.stats.description} ${shape}`,
        querystring: kind.stats.query,
        response: { 200: jsonResponse(`${kind.noun[0]!.toUpperCase()}${kind.noun.slice(1)} statistics.`, kind.stats.response), ...problemResponses(400, 503) }
      }
    }, async (request) => app.offload.run('stats', { type, query: request.query as object }))
  }
}

export default statsRoutes
