import { sql, type SQL } from 'drizzle-orm'
import { selectFrom, type Dialect, type Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf } from '../../query/dates.js'
import { anyOf, isAnyOf, anyOfExists, dateRange, defineFilters, listValues, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createActorSummaryLoader, createEvidenceLoader, groupBy, idsQuery } from '../../repositories/related.js'
import { eventFilterItems, type EventDto } from './schemas.js'
import { eventParties, events } from './table.js'

type EventRow = typeof events.$inferSelect

export const eventPage: PageSpec<EventRow> = {
  resource: 'events',
  defaultSort: '-date',
  sortFields: {
    date: dateSortField(events, 'date'),
    id: { expr: events.id, value: (r) => r.id }
  }
}

/** A party matching what is asked: one of these actors (in one of the roles asked, if any). */
function partyIn (actors: string[] | undefined, roles: string[] | undefined): SQL {
  const p = eventParties
  const actor = actors === undefined ? sql`` : sql` AND ${isAnyOf(p.actorId, actors)}`
  const role = roles === undefined ? sql`` : sql` AND ${isAnyOf(p.role, roles)}`
  return sql`EXISTS (SELECT 1 FROM ${p} WHERE ${p.eventId} = ${events.id}${actor}${role})`
}

export const eventFilters = defineFilters('events', {
  kind: anyOf(events.kind, eventFilterItems.kind),
  actor: anyOfExists(eventFilterItems.actor, {
    matches: 'with any of these actors as a party (in any role; with `role`, in one of those roles)',
    excludes: 'with none of these actors as a party'
  }, (actors, q) => partyIn(actors, typeof q.role === 'string' ? listValues('role', q.role, eventFilterItems.role) : undefined)),
  role: anyOfExists(eventFilterItems.role, { matches: 'with a party in any of these roles', excludes: 'with no party in any of these roles' },
    (roles) => partyIn(undefined, roles)),
  date: dateRange(events.date, boundColumns(events, 'date'), { from: 'date_from', to: 'date_to', nullable: true }),
  country: anyOf(events.country, eventFilterItems.country, { nullable: true })
})

export function createEventsRepository (dialect: Dialect, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(dialect)
  const actorsOf = createActorSummaryLoader(dialect)
  const partiesOf = idsQuery(dialect, (match) => selectFrom(eventParties,
    sql`WHERE ${match(eventParties.eventId)} ORDER BY ${dialect.writtenOrder(eventParties)}`))

  function * toDtos (rows: EventRow[], include: ReadonlySet<string>): Read<EventDto[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const parties = groupBy(yield * partiesOf(ids), (p) => p.eventId)
    const evidence = yield * evidenceOf('event', ids)
    const actors = include.has('actors')
      ? yield * actorsOf([...parties.values()].flat().map((p) => p.actorId))
      : undefined
    return rows.map((r) => {
      const own = parties.get(r.id) ?? []
      const dto: EventDto = {
        id: r.id,
        kind: r.kind,
        title: r.title,
        description: r.description,
        date: r.date,
        date_precision: precisionOf(r.date),
        date_approximate: r.dateApproximate,
        date_earliest: r.dateEarliest,
        date_latest: r.dateLatest,
        place: r.place,
        country: r.country,
        parties: own.map((p) => ({ actor_id: p.actorId, role: p.role })),
        ...evidence.of(r.id),
        created_at: r.createdAt,
        updated_at: r.updatedAt
      }
      if (include.has('citations')) dto.citations = evidence.citations(r.id)
      if (actors !== undefined) {
        dto.actors = [...new Set(own.map((p) => p.actorId))].flatMap((id) => actors.get(id) ?? [])
      }
      return dto
    })
  }

  return createReadRepository<EventRow, EventDto, FilterQuery>(dialect, codec, {
    table: events, id: events.id, page: eventPage, filters: eventFilters.where, cited: 'event', toDtos
  })
}

export type EventsRepository = ReturnType<typeof createEventsRepository>
