import { bodyOf, truncate, type SearchDocument } from '../../search/documents.js'
import type { QuoteDto } from './schemas.js'

export function quoteSearchDocument (q: QuoteDto): SearchDocument {
  return { title: truncate(q.text), body: bodyOf([q.text, q.original_text, q.context]), keywords: q.speaker_id, date: q.date }
}
