import type { Dialect, Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf } from '../../query/dates.js'
import { anyOf, dateRange, defineFilters, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createActorSummaryLoader, createEvidenceLoader } from '../../repositories/related.js'
import { quoteFilterItems, type QuoteDto } from './schemas.js'
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

export const quoteFilters = defineFilters('quotes', {
  speaker: anyOf(quotes.speakerId, quoteFilterItems.speaker, { note: 'The actors who said them.', actor: true }),
  date: dateRange(quotes.date, boundColumns(quotes, 'date'), { from: 'date_from', to: 'date_to', nullable: true }),
  language: anyOf(quotes.language, quoteFilterItems.language, { caseInsensitive: true }),
  kind: anyOf(quotes.kind, quoteFilterItems.kind),
  rendered_from: anyOf(quotes.renderedFrom, quoteFilterItems.rendered_from, { nullable: true, caseInsensitive: true, note: '`es`: words said in Spanish, given in English.' })
})

export function createQuotesRepository (dialect: Dialect, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(dialect)
  const actorsOf = createActorSummaryLoader(dialect)

  function * toDtos (rows: QuoteRow[], include: ReadonlySet<string>): Read<QuoteDto[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const evidence = yield * evidenceOf('quote', ids)
    const speakers = include.has('speaker') ? yield * actorsOf(rows.map((r) => r.speakerId)) : undefined
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

  return createReadRepository<QuoteRow, QuoteDto, FilterQuery>(dialect, codec, {
    table: quotes, id: quotes.id, page: quotePage, filters: quoteFilters.where, cited: 'quote', toDtos
  })
}

export type QuotesRepository = ReturnType<typeof createQuotesRepository>
