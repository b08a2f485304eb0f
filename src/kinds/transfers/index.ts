import { sql } from 'drizzle-orm'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { createTransfersRepository, transferFilters, transferPage } from './repository.js'
import { Transfer, transferIncludes, transferSchemas, type TransferDoc, type TransferDto } from './schemas.js'
import { transferSearchDocument } from './search.js'
import { transferStats } from './stats.js'
import { transferTimeline } from './timeline.js'
import { transferWriter } from './writer.js'

export const transfers = defineKind<'transfer', TransferDto, TransferDoc>({
  type: 'transfer',
  path: 'transfers',
  singular: 'Transfer',
  plural: 'Transfers',
  noun: 'transfer',
  description: 'People handed over between countries on one occasion: date, mechanism, count, participants and resources.',
  listDescription: 'Transfers of people between countries, newest first by default. Filter by date range (dates that may fall in the range: month-precise and bounded ones overlap it), countries, mechanism, or an actor taking part (optionally in one role).',
  exampleId: 'transfer-2025-08-12',
  seedFile: 'transfers.json',
  cited: true,
  schemas: { record: Transfer, input: 'TransferInput', patch: 'TransferPatch', components: transferSchemas },
  includes: transferIncludes,
  includeMembers: { measures: 'measure_ids' },
  fieldFilters: transferFilters,
  page: transferPage,
  repository: createTransfersRepository,
  writer: transferWriter,
  pgSchema,
  searchDocument: transferSearchDocument,
  references: [{ target: 'actor', sql: 'SELECT DISTINCT transfer_id FROM transfer_participants WHERE @id IN (actor_id, organization_id)' }],
  // An organisation takes part through the people transferred who belong to it, too.
  actorLinks: {
    include: 'transfers',
    sql: (idIn) => sql`SELECT transfer_id AS record_id, actor_id, role FROM transfer_participants WHERE ${idIn(sql`actor_id`)}
      UNION SELECT transfer_id, organization_id, 'organization_of_transferred' FROM transfer_participants WHERE ${idIn(sql`organization_id`)}`
  },
  timeline: transferTimeline,
  stats: transferStats
})
