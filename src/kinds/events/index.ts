import { sql } from 'drizzle-orm'
import { kindStatistic } from '../stats.js'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { createEventsRepository, eventFilters, eventPage } from './repository.js'
import { Event, eventIncludes, eventSchemas, type EventDoc, type EventDto } from './schemas.js'
import { eventSearchDocument } from './search.js'
import { eventTimeline } from './timeline.js'
import { eventWriter } from './writer.js'
import { events as eventsTable } from './table.js'

export const events = defineKind<'event', EventDto, EventDoc>({
  type: 'event',
  path: 'events',
  singular: 'Event',
  plural: 'Events',
  noun: 'event',
  description: 'Things that happened on a date: agreements, plea deals, news conferences, designations, with their parties.',
  listDescription: 'Events, newest first by default. Filter by kind, date range (dates that may fall in the range: month-precise and bounded ones overlap it), country, or an actor taking part (optionally in one role).',
  exampleId: 'sheinbaum-trump-90-day-agreement-2025',
  seedFile: 'events.json',
  cited: true,
  schemas: { record: Event, input: 'EventInput', patch: 'EventPatch', components: eventSchemas },
  includes: eventIncludes,
  fieldFilters: eventFilters,
  page: eventPage,
  repository: createEventsRepository,
  writer: eventWriter,
  pgSchema,
  stats: kindStatistic({
    type: 'event',
    plural: 'events',
    table: eventsTable,
    filters: eventFilters,
    groupBy: { default: 'kind', pair: 'month,kind' },
    summary: 'Count events',
    description: 'Events counted by kind, country or a unit of their date; with the field filters of the event list.'
  }),
  searchDocument: eventSearchDocument,
  references: [{ target: 'actor', sql: 'SELECT DISTINCT event_id FROM event_parties WHERE actor_id = @id' }],
  actorLinks: { include: 'events', sql: (idIn) => sql`SELECT event_id AS record_id, actor_id, role FROM event_parties WHERE ${idIn(sql`actor_id`)}` },
  timeline: eventTimeline
})
