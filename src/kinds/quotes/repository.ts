import { eq, type SQL } from 'drizzle-orm'
import type { Orm } from '../../db/client.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateOnOrAfter, dateOnOrBefore, dateSortField, precisionOf } from '../../query/dates.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createActorSummaryLoader, createEvidenceLoader } from '../../repositories/related.js'
import type { QuoteDto, QuoteFilters } from './schemas.js'
import { quotes } from './table.js'

type QuoteRow = typeof quotes.$inferSelect

export const quotePage: PageSpec<QuoteRow> = {
  resource: 'quotes',
  defaultSort: '-date',
  sortFields: {
    id: { expr: quotes.id, value: (r) => r.id },
    date: dateSortField(quotes, 'date')
  }
}

function filtersOf (q: QuoteFilters): SQL[] {
  const where: SQL[] = []
  if (q.speaker !== undefined) where.push(eq(quotes.speakerId, q.speaker))
  if (q.date_from !== undefined) where.push(dateOnOrAfter(boundColumns(quotes, 'date'), q.date_from))
  if (q.date_to !== undefined) where.push(dateOnOrBefore(boundColumns(quotes, 'date'), q.date_to))
  if (q.language !== undefined) where.push(eq(quotes.language, q.language))
  if (q.kind !== undefined) where.push(eq(quotes.kind, q.kind))
  if (q.rendered_from !== undefined) where.push(eq(quotes.renderedFrom, q.rendered_from))
  return where
}

export function createQuotesRepository (orm: Orm, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(orm)
  const actorsOf = createActorSummaryLoader(orm)

  function toDtos (rows: QuoteRow[], include: ReadonlySet<string>): QuoteDto[] {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const evidence = evidenceOf('quote', ids)
    const speakers = include.has('speaker') ? actorsOf(rows.map((r) => r.speakerId)) : undefined
    return rows.map((r) => {
      const dto: QuoteDto = {
        id: r.id,
        speaker_id: r.speakerId,
        text: r.text,
        kind: r.kind,
        language: r.language,
        date: r.date,
        date_precision: precisionOf(r.date),
        date_approximate: r.dateApproximate,
        date_earliest: r.dateEarliest,
        date_latest: r.dateLatest,
        context: r.context,
        rendered_from: r.renderedFrom,
        original_text: r.originalText,
        ...evidence.of(r.id),
        created_at: r.createdAt,
        updated_at: r.updatedAt
      }
      if (include.has('citations')) dto.citations = evidence.citations(r.id)
      const speaker = speakers?.get(r.speakerId)
      if (speaker !== undefined) dto.speaker = speaker
      return dto
    })
  }

  return createReadRepository<QuoteRow, QuoteDto, QuoteFilters>(orm, codec, {
    table: quotes, id: quotes.id, page: quotePage, filters: filtersOf, cited: 'quote', toDtos
  })
}

export type QuotesRepository = ReturnType<typeof createQuotesRepository>
