import { asc, eq, sql, type SQL } from 'drizzle-orm'
import type { Orm } from '../../db/client.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf, rowBounds } from '../../query/dates.js'
import type { PageSpec } from '../../query/page.js'
import { checkValidity, inForce, inForceOn } from '../../query/validity.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createEvidenceLoader, createPartiesLoader, groupBy, idsQuery } from '../../repositories/related.js'
import type { CooperationMeasureDto, CooperationMeasureFilters } from './schemas.js'
import { cooperationMeasures, cooperationMeasureTransfers } from './table.js'

type CooperationMeasureRow = typeof cooperationMeasures.$inferSelect

export const cooperationMeasurePage: PageSpec<CooperationMeasureRow> = {
  resource: 'cooperation-measures',
  defaultSort: 'id',
  sortFields: {
    id: { expr: cooperationMeasures.id, value: (r) => r.id },
    start_date: dateSortField(cooperationMeasures, 'startDate')
  }
}

function filtersOf (q: CooperationMeasureFilters): SQL[] {
  const m = cooperationMeasures
  const where: SQL[] = []
  if (q.kind !== undefined) where.push(eq(m.kind, q.kind))
  if (q.status !== undefined) where.push(eq(m.status, q.status))
  if (q.party !== undefined) {
    where.push(sql`(${m.requestingPartyId} = ${q.party} OR ${m.providingPartyId} = ${q.party} OR ${m.receivingPartyId} = ${q.party})`)
  }
  if (q.requesting_party !== undefined) where.push(eq(m.requestingPartyId, q.requesting_party))
  if (q.providing_party !== undefined) where.push(eq(m.providingPartyId, q.providing_party))
  if (q.military !== undefined) where.push(eq(m.military, q.military))
  if (q.transfer !== undefined) {
    const t = cooperationMeasureTransfers
    where.push(sql`EXISTS (SELECT 1 FROM ${t} WHERE ${t.measureId} = ${m.id} AND ${t.transferId} = ${q.transfer})`)
  }
  checkValidity(q)
  if (q.valid_at !== undefined) {
    where.push(sql`${m.status} IN ('active', 'given')`)
    where.push(inForceOn({ start: boundColumns(m, 'startDate'), end: boundColumns(m, 'endDate'), asOf: boundColumns(m, 'asOf') }, q.valid_at, q.validity))
  }
  return where
}

export function createCooperationMeasuresRepository (orm: Orm, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(orm)
  const partiesOf = createPartiesLoader(orm, (r: CooperationMeasureRow) => [r.requestingPartyId, r.providingPartyId, r.receivingPartyId])
  const transfersOf = idsQuery((match) => orm.select().from(cooperationMeasureTransfers)
    .where(match(cooperationMeasureTransfers.measureId)).orderBy(asc(cooperationMeasureTransfers.transferId)).prepare())

  function toDtos (rows: CooperationMeasureRow[], include: ReadonlySet<string>, query: CooperationMeasureFilters): CooperationMeasureDto[] {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const transfers = groupBy(transfersOf(ids), (t) => t.measureId)
    const evidence = evidenceOf('cooperation_measure', ids)
    const parties = include.has('parties') ? partiesOf(rows) : undefined
    return rows.map((r) => {
      const dto: CooperationMeasureDto = {
        id: r.id,
        kind: r.kind,
        title: r.title,
        description: r.description,
        requesting_party_id: r.requestingPartyId,
        providing_party_id: r.providingPartyId,
        receiving_party_id: r.receivingPartyId,
        place: r.place,
        start_date: r.startDate,
        start_date_precision: precisionOf(r.startDate),
        start_date_approximate: r.startDateApproximate,
        start_date_earliest: r.startDateEarliest,
        start_date_latest: r.startDateLatest,
        end_date: r.endDate,
        end_date_precision: precisionOf(r.endDate),
        end_date_approximate: r.endDateApproximate,
        end_date_earliest: r.endDateEarliest,
        end_date_latest: r.endDateLatest,
        military: r.military,
        status: r.status,
        as_of: r.asOf,
        as_of_earliest: r.asOfEarliest,
        as_of_latest: r.asOfLatest,
        ...(query.valid_at === undefined ? {} : { in_force: inForce({ start: rowBounds(r, 'startDate'), end: rowBounds(r, 'endDate'), asOf: rowBounds(r, 'asOf') }, query.valid_at, 'possible')! }),
        transfer_ids: (transfers.get(r.id) ?? []).map((t) => t.transferId),
        ...evidence.of(r.id),
        created_at: r.createdAt,
        updated_at: r.updatedAt
      }
      if (include.has('citations')) dto.citations = evidence.citations(r.id)
      if (parties !== undefined) dto.parties = parties(r)
      return dto
    })
  }

  return createReadRepository<CooperationMeasureRow, CooperationMeasureDto, CooperationMeasureFilters>(orm, codec, {
    table: cooperationMeasures, id: cooperationMeasures.id, page: cooperationMeasurePage, filters: filtersOf, cited: 'cooperation_measure', toDtos
  })
}

export type CooperationMeasuresRepository = ReturnType<typeof createCooperationMeasuresRepository>
