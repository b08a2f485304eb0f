import { sql } from 'drizzle-orm'
import { kindStatistic } from '../stats.js'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { createQuotesRepository, quoteFilters, quotePage } from './repository.js'
import { Quote, quoteIncludes, quoteSchemas, type QuoteDoc, type QuoteDto } from './schemas.js'
import { quoteSearchDocument } from './search.js'
import { quoteTimeline } from './timeline.js'
import { quoteWriter } from './writer.js'
import { quotes as quotesTable } from './table.js'

export const quotes = defineKind<'quote', QuoteDto, QuoteDoc>({
  type: 'quote',
  path: 'quotes',
  singular: 'Quote',
  plural: 'Quotes',
  noun: 'quote',
  description: 'Words attributed to actors, direct or paraphrased, in the language they were reported in.',
  listDescription: 'Statements by actors, newest first by default. Filter by speaker, date range (dates that may fall in the range: month-precise and bounded ones overlap it), language, or kind (direct, partial, paraphrase).',
  exampleId: 'garcia-harfuch-strategic-move',
  seedFile: 'quotes.json',
  cited: true,
  schemas: { record: Quote, input: 'QuoteInput', patch: 'QuotePatch', components: quoteSchemas },
  includes: quoteIncludes,
  fieldFilters: quoteFilters,
  page: quotePage,
  repository: createQuotesRepository,
  writer: quoteWriter,
  pgSchema,
  searchDocument: quoteSearchDocument,
  references: [{ target: 'actor', sql: 'SELECT id FROM quotes WHERE speaker_id = @id' }],
  actorLinks: { include: 'quotes', sql: (idIn) => sql`SELECT id AS record_id, speaker_id AS actor_id, 'speaker' AS role FROM quotes WHERE ${idIn(sql`speaker_id`)}` },
  timeline: quoteTimeline,
  stats: kindStatistic({
    type: 'quote',
    plural: 'quotes',
    table: quotesTable,
    filters: quoteFilters,
    groupBy: { default: 'speaker', pair: 'month,speaker' },
    summary: 'Count quotes',
    description: 'Quotes (direct, partial and paraphrased) counted by speaker (most quoted first, labelled with names), kind, language, language rendered from, or a unit of their date; with the filters of the quote list.'
  })
})
