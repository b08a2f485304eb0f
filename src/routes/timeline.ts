import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendPage } from '../http/list-reply.js'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { csvPageRoute, jsonResponse, problemResponses } from '../http/responses.js'
import { parseList } from '../query/csv-param.js'
import { timelineNouns } from '../kinds/index.js'
import { timelineFields, timelineKinds, TimelineQuery, type TimelineKind, type TimelineQueryType } from '../schemas/timeline.js'

const timelineRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    const query = request.query as TimelineQueryType
    const kinds = query.types === undefined ? timelineKinds : parseList('types', query.types, timelineKinds) as TimelineKind[]
    return sendPage(request, reply, await app.backend.run('timeline', { query, types: kinds }), undefined, timelineFields)
  }
  app.get('/v1/timeline', {
    schema: {
      operationId: 'getTimeline',
      tags: ['timeline'],
      summary: 'Read the timeline',
      description: `Dated ${timelineNouns} merged in date order (oldest first; \`sort=-date\` for newest first), ties broken by kind and id. ` +
        'Each entry has a one-line headline, the path of its record and the record\'s citations. Records without a date are left out. ' +
        'Filter by date range (dates that may fall in the range: month-precise and bounded ones overlap it), by an actor taking part, and by kind of record.',
      querystring: TimelineQuery,
      response: { 200: jsonResponse('A page of the timeline.', 'Timeline', { paged: true, counted: true }), ...problemResponses(400, 406, 503) }
    }
  }, handler)
  app.get('/v1/timeline.csv', csvPageRoute({
    operationId: 'getTimelineCsv',
    tags: ['timeline'],
    summary: 'Read the timeline as CSV',
    description: 'The page `/v1/timeline` answers, as RFC 4180 CSV: a header row, then one row an entry (its citations as JSON). Page with `Link: rel="next"` as for JSON.',
    querystring: TimelineQuery,
    what: 'the timeline',
    errors: [400, 406, 503]
  }), handler)
}

export default timelineRoutes
