import { QuoteGetQuery, quoteFields, quoteIncludes, QuoteListQuery } from '../schemas/quotes.js'
import { readRoutes } from './read-routes.js'

export default readRoutes({
  type: 'quote',
  path: 'quotes',
  singular: 'Quote',
  plural: 'Quotes',
  noun: 'quote',
  listDescription: 'Statements by actors, newest first by default. Filter by speaker, date range (partial dates overlap the range), language, or kind (direct, partial, paraphrase).',
  exampleId: 'garcia-harfuch-strategic-move',
  listQuery: QuoteListQuery,
  getQuery: QuoteGetQuery,
  includes: quoteIncludes,
  fields: quoteFields,
  repository: (app) => app.repositories.quotes
})
