import { CooperationMeasureGetQuery, cooperationMeasureFields, cooperationMeasureIncludes, CooperationMeasureListQuery } from '../schemas/cooperation-measures.js'
import { readRoutes } from './read-routes.js'

export default readRoutes({
  type: 'cooperation_measure',
  path: 'cooperation-measures',
  singular: 'CooperationMeasure',
  plural: 'CooperationMeasures',
  noun: 'cooperation measure',
  listDescription: 'Measures the two governments take together or for each other, by id by default. Filter by kind, status, a party (requesting, providing or receiving, or any of the three), whether the measure is military, or a transfer it applies to.',
  exampleId: 'us-drone-over-central-mexico-2025',
  listQuery: CooperationMeasureListQuery,
  getQuery: CooperationMeasureGetQuery,
  includes: cooperationMeasureIncludes,
  fields: cooperationMeasureFields,
  repository: (app) => app.repositories.cooperationMeasures
})
