import { eq, sql, type SQL } from 'drizzle-orm'
import type { Orm } from '../../db/client.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateOnOrAfter, dateOnOrBefore, dateSortField, precisionOf } from '../../query/dates.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createActorSummaryLoader, createEvidenceLoader, groupBy, idsQuery } from '../../repositories/related.js'
import type { EventDto, EventFilters } from './schemas.js'
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

function filtersOf (q: EventFilters): SQL[] {
  const where: SQL[] = []
  if (q.kind !== undefined) where.push(eq(events.kind, q.kind))
  if (q.date_from !== undefined) where.push(dateOnOrAfter(boundColumns(events, 'date'), q.date_from))
  if (q.date_to !== undefined) where.push(dateOnOrBefore(boundColumns(events, 'date'), q.date_to))
  if (q.country !== undefined) where.push(eq(events.country, q.country))
  if (q.actor !== undefined || q.role !== undefined) {
    // A party matching both: this actor (in any role), in this role (any actor), or both.
    const p = eventParties
    const actor = q.actor === undefined ? sql`` : sql` AND ${p.actorId} = ${q.actor}`
    const role = q.role === undefined ? sql`` : sql` AND ${p.role} = ${q.role}`
    where.push(sql`EXISTS (SELECT 1 FROM ${p} WHERE ${p.eventId} = ${events.id}${actor}${role})`)
  }
  return where
}

export function createEventsRepository (orm: Orm, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(orm)
  const actorsOf = createActorSummaryLoader(orm)
  const partiesOf = idsQuery((match) => orm.select().from(eventParties)
    .where(match(eventParties.eventId)).orderBy(sql`rowid`).prepare())

  function toDtos (rows: EventRow[], include: ReadonlySet<string>): EventDto[] {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const parties = groupBy(partiesOf(ids), (p) => p.eventId)
    const evidence = evidenceOf('event', ids)
    const actors = include.has('actors')
      ? actorsOf([...parties.values()].flat().map((p) => p.actorId))
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

  return createReadRepository<EventRow, EventDto, EventFilters>(orm, codec, {
    table: events, id: events.id, page: eventPage, filters: filtersOf, cited: 'event', toDtos
  })
}

export type EventsRepository = ReturnType<typeof createEventsRepository>
