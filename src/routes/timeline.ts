import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendPage } from '../http/list-reply.js'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { parseList } from '../query/csv-param.js'
import { timelineNouns } from '../kinds/index.js'
import { timelineFields, timelineKinds, TimelineQuery, type TimelineKind } from '../schemas/timeline.js'

const timelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/v1/timeline', {
    schema: {
      operationId: 'getTimeline',
      tags: ['timeline'],
      summary: 'Read the timeline',
      description: `Dated ${timelineNouns} merged in date order (oldest first; \`sort=-date\` for newest first), ties broken by kind and id. ` +
        'Each entry has a one-line headline, the path of its record and the record\'s citations. Records without a date are left out. ' +
        'Filter by date range (dates that may fall in the range: month-precise and bounded ones overlap it), by an actor taking part, and by kind of record.',
      querystring: TimelineQuery,
      response: { 200: jsonResponse('A page of the timeline.', 'Timeline', { paged: true }), ...problemResponses(400, 503) }
    }
  }, async (request, reply) => {
    const { types } = request.query
    const kinds = types === undefined ? timelineKinds : parseList('types', types, timelineKinds) as TimelineKind[]
    return sendPage(request, reply, await app.offload.run('timeline', { query: request.query, types: kinds }), undefined, timelineFields)
  })
}

export default timelineRoutes
