import { sql, type SQL } from 'drizzle-orm'
import type { Orm } from '../../db/client.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateOnOrAfter, dateOnOrBefore, dateSortField, precisionOf } from '../../query/dates.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import type { SourceDto, SourceFilters } from './schemas.js'
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

function filtersOf (q: SourceFilters): SQL[] {
  const where: SQL[] = []
  if (q.language !== undefined) where.push(sql`lower(${sources.language}) = ${q.language.toLowerCase()}`)  // BCP 47 tags ignore case
  if (q.published_from !== undefined) where.push(dateOnOrAfter(boundColumns(sources, 'publishedOn'), q.published_from))
  if (q.published_to !== undefined) where.push(dateOnOrBefore(boundColumns(sources, 'publishedOn'), q.published_to))
  return where
}

function toDtos (rows: SourceRow[]): SourceDto[] {
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
    updated_at: r.updatedAt
  }))
}

export function createSourcesRepository (orm: Orm, codec: CursorCodec) {
  return createReadRepository<SourceRow, SourceDto, SourceFilters>(orm, codec, {
    table: sources, id: sources.id, page: sourcePage, filters: filtersOf, toDtos
  })
}

export type SourcesRepository = ReturnType<typeof createSourcesRepository>
