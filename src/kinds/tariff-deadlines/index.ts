import { sql } from 'drizzle-orm'
import { kindStatistic } from '../stats.js'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { calendarRoutes } from './calendar.js'
import { createTariffDeadlinesRepository, tariffDeadlineFieldFilters, tariffDeadlinePage } from './repository.js'
import { AtParam, TariffDeadline, tariffDeadlineFilters, tariffDeadlineIncludes, tariffDeadlineSchemas, type TariffDeadlineDoc, type TariffDeadlineDto } from './schemas.js'
import { tariffDeadlineSearchDocument } from './search.js'
import { tariffDeadlineTimeline } from './timeline.js'
import { tariffDeadlineWriter } from './writer.js'
import { tariffDeadlines as tariffDeadlinesTable } from './table.js'

export const tariffDeadlines = defineKind<'tariff_deadline', TariffDeadlineDto, TariffDeadlineDoc>({
  type: 'tariff_deadline',
  path: 'tariff-deadlines',
  singular: 'TariffDeadline',
  plural: 'TariffDeadlines',
  noun: 'tariff deadline',
  description: 'Trade threats and negotiation windows with a date attached.',
  listDescription: 'Trade measures threatened or imposed, with their deadlines, earliest deadline first by default (undated ones sort before dated ones). Filter by recorded status, deadline range (dates that may fall in the range: month-precise and bounded ones overlap it), imposing or targeted country, or a party on either side. The status is as recorded from the sources, not recomputed from today\'s date.',
  exampleId: 'us-tariffs-on-mexican-imports-2025',
  seedFile: 'tariff-deadlines.json',
  cited: true,
  timeDependent: true,
  schemas: { record: TariffDeadline, input: 'TariffDeadlineInput', patch: 'TariffDeadlinePatch', components: tariffDeadlineSchemas },
  includes: tariffDeadlineIncludes,
  fieldFilters: tariffDeadlineFieldFilters,
  filters: tariffDeadlineFilters,
  getParameters: { at: AtParam },
  page: tariffDeadlinePage,
  repository: createTariffDeadlinesRepository,
  writer: tariffDeadlineWriter,
  pgSchema,
  searchDocument: tariffDeadlineSearchDocument,
  references: [{ target: 'actor', sql: 'SELECT id FROM tariff_deadlines WHERE @id IN (imposing_party_id, targeted_party_id)' }],
  actorLinks: {
    include: 'deadlines',
    sql: (idIn) => sql`SELECT id AS record_id, imposing_party_id AS actor_id, 'imposing_party' AS role FROM tariff_deadlines WHERE ${idIn(sql`imposing_party_id`)}
      UNION ALL SELECT id, targeted_party_id, 'targeted_party' FROM tariff_deadlines WHERE ${idIn(sql`targeted_party_id`)}`
  },
  timeline: tariffDeadlineTimeline,
  stats: kindStatistic({
    type: 'tariff_deadline',
    plural: 'tariff deadlines',
    table: tariffDeadlinesTable,
    filters: tariffDeadlineFieldFilters,
    groupBy: { default: 'status', pair: 'status,imposing_country' },
    summary: 'Count tariff deadlines',
    description: 'Tariff deadlines counted by status, imposing or targeted country, or a unit of their deadline; with the field filters of the deadline list.'
  }),
  routes: calendarRoutes
})
