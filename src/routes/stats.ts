import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { createStatsRepository } from '../repositories/stats.js'
import { CooperationMeasureStatsQuery, QuoteStatsQuery, TariffDeadlineStatsQuery, TransferStatsQuery } from '../schemas/stats.js'

const shape = 'Shaped for charting: `labels` (with the `keys` they stand for) and labelled `series` of one value a label, plus `totals`.'

const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const stats = createStatsRepository(app.db.orm)

  app.get('/v1/stats/transfers', {
    schema: {
      operationId: 'getTransferStats',
      tags: ['stats'],
      summary: 'Count transfers and people transferred',
      description: `Transfers (\`occasions\`) and the people in them, grouped by year or month of the transfer, by organisation of the people transferred, or by mechanism. ${shape} ` +
        'A transfer without a count of people adds to `occasions` and `occasions_without_count` but not to `people`. ' +
        'For example, `?group_by=year&from_country=MX&to_country=US` answers how many people Mexico handed to the United States each year, and in how many transfers.',
      querystring: TransferStatsQuery,
      response: { 200: jsonResponse('Transfer statistics.', 'TransferStats'), ...problemResponses(400) }
    }
  }, async (request) => stats.transfers(request.query))

  app.get('/v1/stats/quotes', {
    schema: {
      operationId: 'getQuoteStats',
      tags: ['stats'],
      summary: 'Count quotes by speaker',
      description: `Quotes (direct, partial and paraphrased) counted by speaker, most quoted first; labels are the speakers' names. ${shape}`,
      querystring: QuoteStatsQuery,
      response: { 200: jsonResponse('Quote statistics.', 'Stats'), ...problemResponses(400) }
    }
  }, async (request) => stats.quotes(request.query.group_by ?? 'speaker'))

  app.get('/v1/stats/cooperation-measures', {
    schema: {
      operationId: 'getCooperationMeasureStats',
      tags: ['stats'],
      summary: 'Count cooperation measures by kind or status',
      description: `Cooperation measures counted by kind or by status, in the order the API lists those values. ${shape}`,
      querystring: CooperationMeasureStatsQuery,
      response: { 200: jsonResponse('Cooperation measure statistics.', 'Stats'), ...problemResponses(400) }
    }
  }, async (request) => stats.cooperationMeasures(request.query.group_by ?? 'kind'))

  app.get('/v1/stats/tariff-deadlines', {
    schema: {
      operationId: 'getTariffDeadlineStats',
      tags: ['stats'],
      summary: 'Count tariff deadlines by status',
      description: `Tariff deadlines counted by status. ${shape}`,
      querystring: TariffDeadlineStatsQuery,
      response: { 200: jsonResponse('Tariff deadline statistics.', 'Stats'), ...problemResponses(400) }
    }
  }, async (request) => stats.tariffDeadlines(request.query.group_by ?? 'status'))
}

export default statsRoutes
