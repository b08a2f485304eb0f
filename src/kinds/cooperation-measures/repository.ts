import { asc, type SQL, sql } from 'drizzle-orm'
import { selectFrom, type Dialect, type Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf, rowBounds } from '../../query/dates.js'
import { anyOf, isAnyOf, anyOfExists, booleanFilter, dateRange, defineFilters, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { checkValidity, inForce, inForceOn } from '../../query/validity.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createEvidenceLoader, createPartiesLoader, groupBy, idsQuery } from '../../repositories/related.js'
import { cooperationMeasureFilterItems, type CooperationMeasureDto, type CooperationMeasureFilters } from './schemas.js'
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

const items = cooperationMeasureFilterItems

export const cooperationMeasureFieldFilters = defineFilters('measures', {
  kind: anyOf(cooperationMeasures.kind, items.kind),
  status: anyOf(cooperationMeasures.status, items.status),
  party: anyOfExists(items.party, {
    matches: 'that any of these actors requested, provides or receives',
    excludes: 'that none of these actors requested, provides or receives'
  }, (parties) => {
    const m = cooperationMeasures
    return sql`(${isAnyOf(m.requestingPartyId, parties)} OR ${isAnyOf(m.providingPartyId, parties)} OR ${isAnyOf(m.receivingPartyId, parties)})`
  }),
  requesting_party: anyOf(cooperationMeasures.requestingPartyId, items.party, { nullable: true, example: false, actor: true }),
  providing_party: anyOf(cooperationMeasures.providingPartyId, { ...items.party, examples: ['us-department-of-justice'] }, { nullable: true, actor: true }),
  receiving_party: anyOf(cooperationMeasures.receivingPartyId, items.party, { nullable: true, example: false, actor: true }),
  start_date: dateRange(cooperationMeasures.startDate, boundColumns(cooperationMeasures, 'startDate'), { from: 'start_from', to: 'start_to', nullable: true, example: false }),
  military: booleanFilter(cooperationMeasures.military, { nullable: true, note: 'Measures where the sources do not say match neither: ask for them with `military__null=true`.' }),
  transfer: anyOfExists(items.transfer, { matches: 'that apply to any of these transfers', excludes: 'that apply to none of these transfers' }, (ids) => {
    const t = cooperationMeasureTransfers
    return sql`EXISTS (SELECT 1 FROM ${t} WHERE ${t.measureId} = ${cooperationMeasures.id} AND ${isAnyOf(t.transferId, ids)})`
  })
})

function filtersOf (q: CooperationMeasureFilters & FilterQuery): SQL[] {
  const m = cooperationMeasures
  const where: SQL[] = cooperationMeasureFieldFilters.where(q)
  checkValidity(q)
  if (q.valid_at !== undefined) {
    where.push(sql`${m.status} IN ('active', 'given')`)
    where.push(inForceOn({ start: boundColumns(m, 'startDate'), end: boundColumns(m, 'endDate'), asOf: boundColumns(m, 'asOf') }, q.valid_at, q.validity))
  }
  return where
}

export function createCooperationMeasuresRepository (dialect: Dialect, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(dialect)
  const partiesOf = createPartiesLoader(dialect, (r: CooperationMeasureRow) => [r.requestingPartyId, r.providingPartyId, r.receivingPartyId])
  const transfersOf = idsQuery(dialect, (match) => selectFrom(cooperationMeasureTransfers,
    sql`WHERE ${match(cooperationMeasureTransfers.measureId)} ORDER BY ${asc(cooperationMeasureTransfers.transferId)}`))

  function * toDtos (rows: CooperationMeasureRow[], include: ReadonlySet<string>, query: CooperationMeasureFilters): Read<CooperationMeasureDto[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const transfers = groupBy(yield * transfersOf(ids), (t) => t.measureId)
    const evidence = yield * evidenceOf('cooperation_measure', ids)
    const parties = include.has('parties') ? yield * partiesOf(rows) : undefined
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

  return createReadRepository<CooperationMeasureRow, CooperationMeasureDto, CooperationMeasureFilters>(dialect, codec, {
    table: cooperationMeasures, id: cooperationMeasures.id, page: cooperationMeasurePage, filters: filtersOf, cited: 'cooperation_measure', toDtos
  })
}

export type CooperationMeasuresRepository = ReturnType<typeof createCooperationMeasuresRepository>
