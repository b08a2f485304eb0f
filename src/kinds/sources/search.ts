import { bodyOf, type SearchDocument } from '../../search/documents.js'
import type { SourceDto } from './schemas.js'

/** A source is found by its title, publisher and whole text. */
export function sourceSearchDocument (s: SourceDto): SearchDocument {
  return { title: s.title, body: bodyOf([s.title, s.publisher, s.text]), date: s.published_on }
}
