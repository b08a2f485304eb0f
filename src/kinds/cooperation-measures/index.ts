import { sql } from 'drizzle-orm'
import { kindStatistic } from '../stats.js'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { cooperationMeasureFieldFilters, cooperationMeasurePage, createCooperationMeasuresRepository } from './repository.js'
import { CooperationMeasure, cooperationMeasureFilters, cooperationMeasureIncludes, cooperationMeasureSchemas, type CooperationMeasureDoc, type CooperationMeasureDto } from './schemas.js'
import { cooperationMeasureSearchDocument } from './search.js'
import { cooperationMeasureTimeline } from './timeline.js'
import { cooperationMeasureWriter } from './writer.js'
import { cooperationMeasures as cooperationMeasuresTable } from './table.js'

export const cooperationMeasures = defineKind<'cooperation_measure', CooperationMeasureDto, CooperationMeasureDoc>({
  type: 'cooperation_measure',
  path: 'cooperation-measures',
  singular: 'CooperationMeasure',
  plural: 'CooperationMeasures',
  noun: 'cooperation measure',
  description: 'Joint or requested measures: surveillance flights, legal assurances, enforcement policies.',
  listDescription: 'Measures the two governments take together or for each other, by id by default. Filter by kind, status, a party (requesting, providing or receiving, or any of the three), whether the measure is military, or a transfer it applies to.',
  exampleId: 'us-drone-over-central-mexico-2025',
  seedFile: 'cooperation-measures.json',
  cited: true,
  schemas: { record: CooperationMeasure, input: 'CooperationMeasureInput', patch: 'CooperationMeasurePatch', components: cooperationMeasureSchemas },
  includes: cooperationMeasureIncludes,
  fieldFilters: cooperationMeasureFieldFilters,
  filters: cooperationMeasureFilters,
  page: cooperationMeasurePage,
  repository: createCooperationMeasuresRepository,
  writer: cooperationMeasureWriter,
  pgSchema,
  searchDocument: cooperationMeasureSearchDocument,
  actorLinks: {
    include: 'measures',
    sql: (idIn) => sql`SELECT id AS record_id, requesting_party_id AS actor_id, 'requesting_party' AS role FROM cooperation_measures WHERE ${idIn(sql`requesting_party_id`)}
      UNION ALL SELECT id, providing_party_id, 'providing_party' FROM cooperation_measures WHERE ${idIn(sql`providing_party_id`)}
      UNION ALL SELECT id, receiving_party_id, 'receiving_party' FROM cooperation_measures WHERE ${idIn(sql`receiving_party_id`)}`
  },
  references: [
    { target: 'actor', sql: 'SELECT id FROM cooperation_measures WHERE @id IN (requesting_party_id, providing_party_id, receiving_party_id)' },
    { target: 'transfer', sql: 'SELECT measure_id FROM cooperation_measure_transfers WHERE transfer_id = @id' }
  ],
  timeline: cooperationMeasureTimeline,
  stats: kindStatistic({
    type: 'cooperation_measure',
    plural: 'cooperation measures',
    table: cooperationMeasuresTable,
    filters: cooperationMeasureFieldFilters,
    groupBy: { default: 'kind', pair: 'status,military' },
    summary: 'Count cooperation measures',
    description: 'Cooperation measures counted by kind, status (in the order the API lists those values), requesting, providing or receiving party, whether they are military, or a unit of their start date; with the field filters of the measure list.'
  })
})
