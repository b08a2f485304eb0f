import { bodyOf, listOf, type SearchDocument } from '../../search/documents.js'
import type { ActorDto } from './schemas.js'

/** An actor is found by its name, aliases, role titles and description. */
export function actorSearchDocument (a: ActorDto): SearchDocument {
  return {
    title: a.name,
    body: bodyOf([a.name, ...listOf<{ alias: string }>(a.aliases).map((x) => x.alias), ...listOf<{ title: string }>(a.roles).map((r) => r.title), a.description]),
    date: null
  }
}
