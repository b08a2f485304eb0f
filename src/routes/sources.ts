import { SourceGetQuery, sourceFields, sourceIncludes, SourceListQuery } from '../schemas/sources.js'
import { readRoutes } from './read-routes.js'

export default readRoutes({
  type: 'source',
  path: 'sources',
  singular: 'Source',
  plural: 'Sources',
  noun: 'source',
  listDescription: 'The captured documents citations point into, newest first by default, each with its cleaned text and that text\'s SHA-256. Filter by language or publication date range (partial dates overlap the range); use `fields=` to leave out the `text`.',
  exampleId: 'mexico-hands-over-26-cartel-kingpins',
  listQuery: SourceListQuery,
  getQuery: SourceGetQuery,
  includes: sourceIncludes,
  fields: sourceFields,
  repository: (app) => app.repositories.sources
})
