import { TariffDeadlineGetQuery, tariffDeadlineFields, tariffDeadlineIncludes, TariffDeadlineListQuery } from '../schemas/tariff-deadlines.js'
import { readRoutes } from './read-routes.js'

export default readRoutes({
  type: 'tariff_deadline',
  timeDependent: true,
  path: 'tariff-deadlines',
  singular: 'TariffDeadline',
  plural: 'TariffDeadlines',
  noun: 'tariff deadline',
  listDescription: 'Trade measures threatened or imposed, with their deadlines, earliest deadline first by default (undated ones sort before dated ones). Filter by recorded status, deadline range (partial dates overlap the range), imposing or targeted country, or a party on either side. The status is as recorded from the sources, not recomputed from today\'s date.',
  exampleId: 'us-tariffs-on-mexican-imports-2025',
  listQuery: TariffDeadlineListQuery,
  getQuery: TariffDeadlineGetQuery,
  includes: tariffDeadlineIncludes,
  fields: tariffDeadlineFields,
  repository: (app) => app.repositories.tariffDeadlines
})
