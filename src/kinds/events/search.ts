import { bodyOf, listOf, type SearchDocument } from '../../search/documents.js'
import type { EventDto } from './schemas.js'

export function eventSearchDocument (e: EventDto): SearchDocument {
  return {
    title: e.title,
    body: bodyOf([e.title, e.description, e.place]),
    keywords: bodyOf([e.kind, ...listOf<{ actor_id: string }>(e.parties).map((p) => p.actor_id)]),
    date: e.date
  }
}
