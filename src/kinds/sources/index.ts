import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cleanCapture } from '../../text/clean-capture.js'
import { kindStatistic } from '../stats.js'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { SourceCitation, sourceCitationRoutes, SourceCitationList } from './citations.js'
import { createSourcesRepository, sourceFilters, sourcePage } from './repository.js'
import { Source, sourceIncludes, sourceSchemas, type SourceDoc, type SourceDto } from './schemas.js'
import { sourceSearchDocument } from './search.js'
import { sourceWriter } from './writer.js'
import { sources as sourcesTable } from './table.js'

export const sources = defineKind<'source', SourceDto, SourceDoc>({
  type: 'source',
  path: 'sources',
  singular: 'Source',
  plural: 'Sources',
  noun: 'source',
  description: 'Captured documents that every fact cites: the cleaned text, its sha256 and publication data.',
  listDescription: 'The captured documents citations point into, newest first by default, each with its cleaned text and that text\'s SHA-256. Filter by language or publication date range (dates that may fall in the range: month-precise and bounded ones overlap it); use `fields=` to leave out the `text`.',
  exampleId: 'mexico-hands-over-26-cartel-kingpins',
  seedFile: 'sources.json',
  cited: false,
  schemas: { record: Source, input: 'SourceInput', patch: 'SourcePatch', components: [...sourceSchemas, SourceCitation, SourceCitationList] },
  includes: sourceIncludes,
  fieldFilters: sourceFilters,
  page: sourcePage,
  repository: createSourcesRepository,
  writer: sourceWriter,
  pgSchema,
  stats: kindStatistic({
    type: 'source',
    plural: 'sources',
    table: sourcesTable,
    filters: sourceFilters,
    groupBy: { default: 'language', pair: 'published_on:year,language' },
    summary: 'Count sources',
    description: 'Sources counted by language or a unit of their publication date; with the field filters of the source list.'
  }),
  searchDocument: sourceSearchDocument,
  references: [],
  routes: sourceCitationRoutes,
  evidence: { textOf: (doc) => cleanCapture(doc.captured_text as string) },
  documentColumns: { captured_text: sourcesTable.capturedText },
  // A seed entry names the file of its capture (relative to seeds/), kept exactly as captured.
  fromSeed: ({ capture_file: file, ...entry }, folder) => ({ ...entry, captured_text: readFileSync(join(folder, String(file)), 'utf8') })
})
