import { sql, type SQL } from 'drizzle-orm'
import { selectFrom, type Dialect, type Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, precisionOf, rowBounds } from '../../query/dates.js'
import { anyOf, isAnyOf, anyOfExists, defineFilters, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createEvidenceLoader, groupBy, idsQuery } from '../../repositories/related.js'
import { checkValidity, inForce, inForceOn } from '../../query/validity.js'
import { fold } from '../../text/fold.js'
import { createActorLinksLoader } from '../../repositories/actor-links.js'
import type { ActorLinkDto } from '../../schemas/common.js'
import { kinds } from '../index.js'
import { actorFilterItems, actorIncludes, type ActorDto, type ActorFilters } from './schemas.js'
import { identifierUrl, type IdentifierSchemeName } from './identifiers.js'
import { actorAliases, actorIdentifiers, actorRelations, actorRoles, actors } from './table.js'

type ActorRow = typeof actors.$inferSelect

export const actorPage: PageSpec<ActorRow> = {
  resource: 'actors',
  defaultSort: 'name',
  sortFields: {
    id: { expr: actors.id, value: (r) => r.id },
    name: { expr: actors.name, value: (r) => r.name }
  }
}

export const actorFieldFilters = defineFilters('actors', {
  kind: anyOf(actors.kind, actorFilterItems.kind),
  country: anyOf(actors.country, actorFilterItems.country, { nullable: true }),
  organization: anyOfExists(actorFilterItems.organization, {
    matches: 'holding (or having held) a role in any of these organisations',
    excludes: 'holding no role in any of these organisations'
  }, (organizations) => {
    const r = actorRoles
    return sql`EXISTS (SELECT 1 FROM ${r} WHERE ${r.actorId} = ${actors.id} AND ${isAnyOf(r.organizationId, organizations)})`
  }),
  identifier: anyOfExists(actorFilterItems.identifier, { matches: 'with any of these identifiers', excludes: 'with none of these identifiers' }, (identifiers) => {
    const i = actorIdentifiers
    return sql`EXISTS (SELECT 1 FROM ${i} WHERE ${i.actorId} = ${actors.id} AND ${isAnyOf(sql`${i.scheme} || ':' || ${i.value}`, identifiers)})`
  })
})

function filtersOf (dialect: Dialect, q: ActorFilters & FilterQuery): SQL[] {
  const where: SQL[] = actorFieldFilters.where(q)
  if (q.name !== undefined) {
    // Contains, not LIKE, so `%` and `_` in the search term are plain characters.
    const term = fold(q.name.trim())
    const a = actorAliases
    where.push(sql`(${dialect.contains(sql`kb_fold(${actors.name})`, term)} OR EXISTS (SELECT 1 FROM ${a} WHERE ${a.actorId} = ${actors.id} AND ${dialect.contains(sql`kb_fold(${a.alias})`, term)}))`)
  }
  checkValidity(q)
  if (q.valid_at !== undefined) {
    const r = actorRoles
    where.push(sql`EXISTS (SELECT 1 FROM ${r} WHERE ${r.actorId} = ${actors.id} AND ${inForceOn({ start: boundColumns(r, 'from'), end: boundColumns(r, 'to'), asOf: boundColumns(r, 'asOf') }, q.valid_at, q.validity)})`)
  }
  return where
}

/** The includes of what points at an actor. */
const linkIncludes = actorIncludes.filter((name) => !name.startsWith('citations')) as Array<Exclude<typeof actorIncludes[number], 'citations' | 'citations.source'>>

export function createActorsRepository (dialect: Dialect, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(dialect)
  const linksOf = createActorLinksLoader(dialect, kinds.filter((k) => k.actorLinks !== undefined))
  const childRows = <T extends typeof actorAliases | typeof actorRoles | typeof actorRelations | typeof actorIdentifiers>(table: T) =>
    idsQuery(dialect, (match) => selectFrom(table, sql`WHERE ${match(table.actorId)} ORDER BY ${dialect.writtenOrder(table)}`))
  const aliasesOf = childRows(actorAliases)
  const rolesOf = childRows(actorRoles)
  const relationsOf = childRows(actorRelations)
  const identifiersOf = childRows(actorIdentifiers)

  function * toDtos (rows: ActorRow[], include: ReadonlySet<string>, query: ActorFilters): Read<ActorDto[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const aliases = groupBy(yield * aliasesOf(ids), (a) => a.actorId)
    const roles = groupBy(yield * rolesOf(ids), (r) => r.actorId)
    const relations = groupBy(yield * relationsOf(ids), (r) => r.actorId)
    const identifiers = groupBy(yield * identifiersOf(ids), (i) => i.actorId)
    const evidence = yield * evidenceOf('actor', ids)
    const links: Array<readonly [typeof linkIncludes[number], Map<string, ActorLinkDto[]>]> = []
    for (const name of linkIncludes) if (include.has(name)) links.push([name, yield * linksOf(name, ids)])
    return rows.map((r) => {
      const dto: ActorDto = {
        id: r.id,
        kind: r.kind,
        name: r.name,
        country: r.country,
        description: r.description,
        aliases: (aliases.get(r.id) ?? []).map((a) => ({ alias: a.alias, kind: a.kind, language: a.language })),
        roles: (roles.get(r.id) ?? []).flatMap((x) => {
          const inForceThen = query.valid_at === undefined ? undefined : inForce({ start: rowBounds(x, 'from'), end: rowBounds(x, 'to'), asOf: rowBounds(x, 'asOf') }, query.valid_at, query.validity)
          return query.valid_at !== undefined && inForceThen === undefined ? [] : [{ row: x, inForceThen }]
        }).map(({ row: x, inForceThen }) => ({
          id: x.id,
          title: x.title,
          organization_id: x.organizationId,
          country: x.country,
          from: x.from,
          from_precision: precisionOf(x.from),
          from_approximate: x.fromApproximate,
          from_earliest: x.fromEarliest,
          from_latest: x.fromLatest,
          to: x.to,
          to_precision: precisionOf(x.to),
          to_approximate: x.toApproximate,
          to_earliest: x.toEarliest,
          to_latest: x.toLatest,
          as_of: x.asOf,
          ...(inForceThen === undefined ? {} : { in_force: inForceThen })
        })),
        relations: (relations.get(r.id) ?? []).map((x) => ({
          id: x.id, relation: x.relation, related_actor_id: x.relatedActorId
        })),
        identifiers: (identifiers.get(r.id) ?? []).map((x) => ({
          scheme: x.scheme as IdentifierSchemeName, value: x.value, url: identifierUrl(x.scheme as IdentifierSchemeName, x.value)
        })),
        ...evidence.of(r.id),
        created_at: r.createdAt,
        updated_at: r.updatedAt
      }
      if (include.has('citations')) dto.citations = evidence.citations(r.id)
      for (const [name, of] of links) dto[name] = of.get(r.id) ?? []
      return dto
    })
  }

  return createReadRepository<ActorRow, ActorDto, ActorFilters>(dialect, codec, {
    table: actors, id: actors.id, page: actorPage, filters: (q) => filtersOf(dialect, q), cited: 'actor', toDtos
  })
}

export type ActorsRepository = ReturnType<typeof createActorsRepository>
