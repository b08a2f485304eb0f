import type { Dialect, Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf } from '../../query/dates.js'
import { anyOf, dateRange, defineFilters, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createSourceCitations, type SourceCitationDto } from './citations.js'
import { sourceFilterItems, type SourceDto } from './schemas.js'
import { sources } from './table.js'

type SourceRow = typeof sources.$inferSelect

export const sourcePage: PageSpec<SourceRow> = {
  resource: 'sources',
  defaultSort: '-published_on',
  sortFields: {
    id: { expr: sources.id, value: (r) => r.id },
    published_on: dateSortField(sources, 'publishedOn'),
    title: { expr: sources.title, value: (r) => r.title }
  }
}

export const sourceFilters = defineFilters('sources', {
  language: anyOf(sources.language, sourceFilterItems.language, { caseInsensitive: true }),
  published_on: dateRange(sources.publishedOn, boundColumns(sources, 'publishedOn'), { from: 'published_from', to: 'published_to', nullable: true })
})

function * toDtos (rows: SourceRow[], include: ReadonlySet<string>, citationsOf: (ids: string[]) => Read<Map<string, SourceCitationDto[]>>): Read<SourceDto[]> {
  const cited = include.has('citations') ? yield * citationsOf(rows.map((r) => r.id)) : undefined
  return rows.map((r) => ({
    id: r.id,
    title: r.title,
    publisher: r.publisher,
    url: r.url,
    language: r.language,
    published_on: r.publishedOn,
    published_on_precision: precisionOf(r.publishedOn),
    published_on_earliest: r.publishedOnEarliest,
    published_on_latest: r.publishedOnLatest,
    text: r.text,
    text_sha256: r.textSha256,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
    ...(cited === undefined ? {} : { citations: cited.get(r.id) ?? [] })
  }))
}

export function createSourcesRepository (dialect: Dialect, codec: CursorCodec) {
  const { ofSources } = createSourceCitations(dialect, codec)
  return createReadRepository<SourceRow, SourceDto, FilterQuery>(dialect, codec, {
    table: sources, id: sources.id, page: sourcePage, filters: sourceFilters.where, toDtos: (rows, include) => toDtos(rows, include, ofSources)
  })
}

export type SourcesRepository = ReturnType<typeof createSourcesRepository>
