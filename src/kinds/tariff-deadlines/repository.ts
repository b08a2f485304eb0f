import { sql, type SQL } from 'drizzle-orm'
import type { Dialect, Read } from '../../db/query.js'
import type { CursorCodec } from '../../query/cursor.js'
import { boundColumns, dateSortField, precisionOf, rowBounds, type DateBounds } from '../../query/dates.js'
import { anyOf, isAnyOf, anyOfExists, dateRange, defineFilters, numberRange, type FilterQuery } from '../../query/filters.js'
import type { PageSpec } from '../../query/page.js'
import { checkValidity, inForce, inForceOn } from '../../query/validity.js'
import { createReadRepository } from '../../repositories/read-repository.js'
import { createEvidenceLoader, createPartiesLoader } from '../../repositories/related.js'
import { tariffDeadlineFilterItems, type TariffDeadlineDto, type TariffDeadlineFilters } from './schemas.js'
import { tariffDeadlines } from './table.js'

type TariffDeadlineRow = typeof tariffDeadlines.$inferSelect

export const tariffDeadlinePage: PageSpec<TariffDeadlineRow> = {
  resource: 'tariff-deadlines',
  defaultSort: 'deadline',
  sortFields: {
    id: { expr: tariffDeadlines.id, value: (r) => r.id },
    deadline: dateSortField(tariffDeadlines, 'deadline')
  }
}

/** A deadline is pending through its window: from its start to the deadline (no report date of its own). */
const windowOf = (d: TariffDeadlineRow) => ({ start: rowBounds(d, 'windowStart'), end: rowBounds(d, 'deadline'), asOf: { earliest: null, latest: null } })
const windowColumns = { start: boundColumns(tariffDeadlines, 'windowStart'), end: boundColumns(tariffDeadlines, 'deadline'), asOf: { earliest: sql`NULL`, latest: sql`NULL` } }

const items = tariffDeadlineFilterItems

export const tariffDeadlineFieldFilters = defineFilters('deadlines', {
  status: anyOf(tariffDeadlines.status, items.status),
  deadline: dateRange(tariffDeadlines.deadline, boundColumns(tariffDeadlines, 'deadline'), { from: 'deadline_from', to: 'deadline_to', nullable: true }),
  rate_percent: numberRange(tariffDeadlines.ratePercent, 25, { nullable: true }),
  window_days: numberRange(tariffDeadlines.windowDays, 90, { integer: true, nullable: true }),
  imposing_country: anyOf(tariffDeadlines.imposingCountry, { ...items.country, examples: ['US'] }),
  targeted_country: anyOf(tariffDeadlines.targetedCountry, items.country),
  party: anyOfExists(items.party, { matches: 'that any of these actors imposes or is targeted by', excludes: 'that none of these actors imposes or is targeted by' },
    (parties) => sql`(${isAnyOf(tariffDeadlines.imposingPartyId, parties)} OR ${isAnyOf(tariffDeadlines.targetedPartyId, parties)})`)
})

function filtersOf (q: TariffDeadlineFilters & FilterQuery): SQL[] {
  const t = tariffDeadlines
  const where: SQL[] = tariffDeadlineFieldFilters.where(q)
  checkValidity(q)
  if (q.valid_at !== undefined) {
    where.push(inForceOn(windowColumns, q.valid_at, q.validity))
    where.push(sql`${t.status} IN ('upcoming', 'extended')`)
  }
  return where
}

/** Today's date (YYYY-MM-DD) in a time zone; UTC when none (or an unknown one) is recorded. */
export function todayIn (timeZone: string | null, now = new Date()): string {
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone ?? 'UTC', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now)
  } catch {
    return now.toISOString().slice(0, 10)
  }
}

/** `current_status` and `days_remaining` of a deadline, for today in its time zone or for `at`. */
export function deadlineClock (deadline: DateBounds, status: TariffDeadlineRow['status'], timeZone: string | null, at?: string) {
  const today = at ?? todayIn(timeZone)
  // Days are counted to a deadline known to the day; one known to the month, or bounded, has none.
  const days = deadline.earliest !== null && deadline.earliest === deadline.latest
    ? Math.round((Date.parse(`${deadline.earliest}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000)
    : null
  const passed = deadline.latest !== null && deadline.latest < today
  return { current_status: status === 'upcoming' && passed ? 'lapsed' as const : status, days_remaining: days }
}

export function createTariffDeadlinesRepository (dialect: Dialect, codec: CursorCodec) {
  const evidenceOf = createEvidenceLoader(dialect)
  const partiesOf = createPartiesLoader(dialect, (r: TariffDeadlineRow) => [r.imposingPartyId, r.targetedPartyId])

  function * toDtos (rows: TariffDeadlineRow[], include: ReadonlySet<string>, query: TariffDeadlineFilters): Read<TariffDeadlineDto[]> {
    if (rows.length === 0) return []
    const ids = rows.map((r) => r.id)
    const evidence = yield * evidenceOf('tariff_deadline', ids)
    const parties = include.has('parties') ? yield * partiesOf(rows) : undefined
    return rows.map((r) => {
      const dto: TariffDeadlineDto = {
        id: r.id,
        measure: r.measure,
        rate_percent: r.ratePercent,
        imposing_country: r.imposingCountry,
        targeted_country: r.targetedCountry,
        imposing_party_id: r.imposingPartyId,
        targeted_party_id: r.targetedPartyId,
        announced_on: r.announcedOn,
        announced_on_precision: precisionOf(r.announcedOn),
        announced_on_approximate: r.announcedOnApproximate,
        announced_on_earliest: r.announcedOnEarliest,
        announced_on_latest: r.announcedOnLatest,
        window_start: r.windowStart,
        window_start_precision: precisionOf(r.windowStart),
        window_start_approximate: r.windowStartApproximate,
        window_start_earliest: r.windowStartEarliest,
        window_start_latest: r.windowStartLatest,
        window_days: r.windowDays,
        deadline: r.deadline,
        deadline_precision: precisionOf(r.deadline),
        deadline_approximate: r.deadlineApproximate,
        deadline_earliest: r.deadlineEarliest,
        deadline_latest: r.deadlineLatest,
        time_zone: r.timeZone,
        status: r.status,
        ...deadlineClock(rowBounds(r, 'deadline'), r.status, r.timeZone, query.at),
        ...(query.valid_at === undefined ? {} : { in_force: inForce(windowOf(r), query.valid_at, 'possible')! }),
        description: r.description,
        ...evidence.of(r.id),
        created_at: r.createdAt,
        updated_at: r.updatedAt
      }
      if (include.has('citations')) dto.citations = evidence.citations(r.id)
      if (parties !== undefined) dto.parties = parties(r)
      return dto
    })
  }

  return createReadRepository<TariffDeadlineRow, TariffDeadlineDto, TariffDeadlineFilters>(dialect, codec, {
    table: tariffDeadlines, id: tariffDeadlines.id, page: tariffDeadlinePage, filters: filtersOf, cited: 'tariff_deadline', toDtos
  })
}

export type TariffDeadlinesRepository = ReturnType<typeof createTariffDeadlinesRepository>
