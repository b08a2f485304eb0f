import type { CitationDoc } from '../../schemas/common.js'
import { withoutRepeats } from '../../writers/writer.js'

/** An actor's document, as far as a merge reads it. */
export type ActorDocument = Record<string, unknown> & {
  name: string
  description: string | null
  country: string | null
  aliases: Array<{ alias: string, kind: string, language: string | null }>
  roles: Array<{ id: string, organization_id: string | null }>
  relations: Array<{ id: string, relation: string, related_actor_id: string }>
  identifiers: Array<{ scheme: string, value: string }>
  citations: CitationDoc[]
}

/**
 * What the survivor of a merge takes of the duplicate (both already pointing at the survivor
 * where they pointed at the duplicate): its name as an alias, its aliases, roles, relations
 * (but one between the two), identifiers and citations, and its description or country where
 * the survivor has none.
 */
export function foldActor (survivor: ActorDocument, duplicate: ActorDocument, into: string): ActorDocument {
  const names = new Set([survivor.name, ...survivor.aliases.map((a) => a.alias)])
  const aliases = [...survivor.aliases]
  for (const alias of [{ alias: duplicate.name, kind: 'alias', language: null }, ...duplicate.aliases]) {
    if (!names.has(alias.alias)) aliases.push(alias)
    names.add(alias.alias)
  }
  const takes = (field: 'description' | 'country') => survivor[field] === null && duplicate[field] !== null
  const fieldsOfDuplicate = (f: string) => f === 'name' ? (duplicate.name === survivor.name ? 'name' : `aliases.${duplicate.name}`) : f
  const keeps = (f: string) => f.includes('.') || f === 'name' || f === 'kind' || (f === 'description' && takes('description')) || (f === 'country' && takes('country'))
  const identifierKeys = new Set(survivor.identifiers.map((i) => `${i.scheme}:${i.value}`))
  const relations = [...survivor.relations, ...duplicate.relations].filter((r) => r.related_actor_id !== into)
  // A relation between the two is gone (an actor is not related to itself), and so is its evidence.
  const dropped = new Set([...survivor.relations, ...duplicate.relations].filter((r) => r.related_actor_id === into).map((r) => `relations.${r.id}`))
  const cited = (c: CitationDoc) => ({ ...c, fields: (c.fields ?? []).filter((f) => !dropped.has(f)) })
  /** A citation of fewer fields; none left of those it had, and it goes (one of the record as a whole stays). */
  const narrowed = (c: CitationDoc, fields: string[]) => (c.fields ?? []).length > 0 && fields.length === 0 ? [] : [{ ...c, fields }]
  return {
    ...survivor,
    description: takes('description') ? duplicate.description : survivor.description,
    country: takes('country') ? duplicate.country : survivor.country,
    aliases,
    roles: [...survivor.roles, ...duplicate.roles],
    relations,
    identifiers: [...survivor.identifiers, ...duplicate.identifiers.filter((i) => !identifierKeys.has(`${i.scheme}:${i.value}`))],
    citations: withoutRepeats([
      ...survivor.citations.flatMap((c) => narrowed(c, cited(c).fields)),
      ...duplicate.citations.flatMap((c) => narrowed(c, cited(c).fields.filter(keeps).map(fieldsOfDuplicate)))
    ])
  }
}
