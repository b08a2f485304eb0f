import { TransferGetQuery, transferFields, transferIncludes, TransferListQuery } from '../schemas/transfers.js'
import { readRoutes } from './read-routes.js'

export default readRoutes({
  type: 'transfer',
  path: 'transfers',
  singular: 'Transfer',
  plural: 'Transfers',
  noun: 'transfer',
  listDescription: 'Transfers of people between countries, newest first by default. Filter by date range (partial dates overlap the range), countries, mechanism, or an actor taking part (optionally in one role).',
  exampleId: 'transfer-2025-08-12',
  listQuery: TransferListQuery,
  getQuery: TransferGetQuery,
  includes: transferIncludes,
  fields: transferFields,
  repository: (app) => app.repositories.transfers
})
