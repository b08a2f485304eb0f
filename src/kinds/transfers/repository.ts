import { asc, type SQL, sql } from 'drizzle-orm'
import { selectFrom, type Dialect, type Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf } from '../../query/dates.js'
import { anyOf, isAnyOf, anyOfExists, dateRange, defineFilters, listValues, numberRange, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createActorSummaryLoader, createEvidenceLoader, groupBy, idsQuery } from '../../repositories/related.js'
import { cooperationMeasureTransfers } from '../cooperation-measures/table.js'
import { transferFilterItems, type TransferDto } from './schemas.js'
import { transferParticipants, transferResources, transfers } from './table.js'

type TransferRow = typeof transfers.$inferSelect

export const transferPage: PageSpec<TransferRow> = {
  resource: 'transfers',
  defaultSort: '-date',
  sortFields: {
    date: dateSortField(transfers, 'date'),
    people_count: { expr: sql`coalesce(${transfers.peopleCount}, -1)`, value: (r) => r.peopleCount ?? -1 },
    announced_on: dateSortField(transfers, 'announcedOn'),
    id: { expr: transfers.id, value: (r) => r.id }
  }
}

/**
 * A participant matching what is asked: one of these actors, in one of the roles asked if any.
 * Asked without a role, an organisation also takes part through the people transferred who
 * belong to it.
 */
function participantIn (actors: string[] | undefined, roles: string[] | undefined): SQL {
  const p = transferParticipants
  const actor = actors === undefined
    ? sql``
    : roles === undefined ? sql` AND (${isAnyOf(p.actorId, actors)} OR ${isAnyOf(p.organizationId, actors)})` : sql` AND ${isAnyOf(p.actorId, actors)}`
  const role = roles === undefined ? sql`` : sql` AND ${isAnyOf(p.role, roles)}`
  return sql`EXISTS (SELECT 1 FROM ${p} WHERE ${p.transferId} = ${transfers.id}${actor}${role})`
}

export const transferFilters = defineFilters('transfers', {
  date: dateRange(transfers.date, boundColumns(transfers, 'date'), { from: 'date_from', to: 'date_to', nullable: true }),
  from_country: anyOf(transfers.fromCountry, transferFilterItems.country),
  to_country: anyOf(transfers.toCountry, { ...transferFilterItems.country, examples: ['US'] }),
  mechanism: anyOf(transfers.mechanism, transferFilterItems.mechanism, { example: false }),
  people_count: numberRange(transfers.peopleCount, 20, { integer: true, nullable: true, note: 'An approximate count ("nearly 30") compares as its number.' }),
  actor: anyOfExists(transferFilterItems.actor, {
    matches: 'with any of these actors or organisations taking part (in any role, an organisation also through the people transferred who belong to it; with `role`, in one of those roles)',
    excludes: 'in which none of these actors or organisations takes part'
  }, (actors, q) => participantIn(actors, typeof q.role === 'string' ? listValues('role', q.role, transferFilterItems.role) : undefined)),
  role: anyOfExists(transferFilterItems.role, { matches: 'with a participant in any of these roles', excludes: 'with no participant in any of these roles', example: false },
    (roles) => participantIn(undefined, roles))
})

export function createTransfersRepository (dialect: Dialect, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(dialect)
  const actorsOf = createActorSummaryLoader(dialect)
  const participantsOf = idsQuery(dialect, (match) => selectFrom(transferParticipants,
    sql`WHERE ${match(transferParticipants.transferId)} ORDER BY ${dialect.writtenOrder(transferParticipants)}`))
  const resourcesOf = idsQuery(dialect, (match) => selectFrom(transferResources,
    sql`WHERE ${match(transferResources.transferId)} ORDER BY ${dialect.writtenOrder(transferResources)}`))
  const measuresOf = idsQuery(dialect, (match) => selectFrom(cooperationMeasureTransfers,
    sql`WHERE ${match(cooperationMeasureTransfers.transferId)} ORDER BY ${asc(cooperationMeasureTransfers.measureId)}`))

  function * toDtos (rows: TransferRow[], include: ReadonlySet<string>): Read<TransferDto[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const participants = groupBy(yield * participantsOf(ids), (p) => p.transferId)
    const resources = groupBy(yield * resourcesOf(ids), (r) => r.transferId)
    const measures = include.has('measures') ? groupBy(yield * measuresOf(ids), (m) => m.transferId) : undefined
    const evidence = yield * evidenceOf('transfer', ids)
    const actors = include.has('actors')
      ? yield * actorsOf([...participants.values()].flat().flatMap((p) => [p.actorId, p.organizationId]))
      : undefined
    return rows.map((r) => {
      const own = participants.get(r.id) ?? []
      const dto: TransferDto = {
        id: r.id,
        date: r.date,
        date_precision: precisionOf(r.date),
        date_approximate: r.dateApproximate,
        date_earliest: r.dateEarliest,
        date_latest: r.dateLatest,
        announced_on: r.announcedOn,
        announced_on_earliest: r.announcedOnEarliest,
        announced_on_latest: r.announcedOnLatest,
        from_country: r.fromCountry,
        to_country: r.toCountry,
        mechanism: r.mechanism,
        people_count: r.peopleCount,
        people_count_approximate: r.peopleCountApproximate,
        summary: r.summary,
        purpose: r.purpose,
        charges: r.charges,
        participants: own.map((p) => ({
          actor_id: p.actorId,
          role: p.role,
          ...(p.organizationId === null ? {} : { organization_id: p.organizationId }),
          ...(p.charges === null ? {} : { charges: p.charges }),
          ...(p.wantedBy === null ? {} : { wanted_by: p.wantedBy }),
          ...(p.caseNumbers.length === 0 ? {} : { case_numbers: p.caseNumbers }),
          ...(p.heldAt === null ? {} : { held_at: p.heldAt })
        })),
        resources: (resources.get(r.id) ?? []).map((x) => ({
          id: x.id, kind: x.kind, quantity: x.quantity, approximate: x.approximate, description: x.description
        })),
        ...evidence.of(r.id),
        created_at: r.createdAt,
        updated_at: r.updatedAt
      }
      if (include.has('citations')) dto.citations = evidence.citations(r.id)
      if (measures !== undefined) dto.measure_ids = (measures.get(r.id) ?? []).map((m) => m.measureId)
      if (actors !== undefined) {
        dto.actors = [...new Set(own.flatMap((p) => (p.organizationId === null ? [p.actorId] : [p.actorId, p.organizationId])))].flatMap((id) => actors.get(id) ?? [])
      }
      return dto
    })
  }

  return createReadRepository<TransferRow, TransferDto, FilterQuery>(dialect, codec, {
    table: transfers, id: transfers.id, page: transferPage, filters: transferFilters.where, cited: 'transfer', toDtos
  })
}

export type TransfersRepository = ReturnType<typeof createTransfersRepository>
