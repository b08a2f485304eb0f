import { kindStatistic } from '../stats.js'
import { defineKind } from '../kind.js'
import * as pgSchema from './pg-table.js'
import { foldActor, type ActorDocument } from './merge.js'
import { actorFieldFilters, actorPage, createActorsRepository } from './repository.js'
import { Actor, actorFilters, actorIncludes, actorSchemas, type ActorDoc, type ActorDto } from './schemas.js'
import { actorSearchDocument } from './search.js'
import { actorWriter } from './writer.js'
import { actors as actorsTable } from './table.js'

export const actors = defineKind<'actor', ActorDto, ActorDoc>({
  type: 'actor',
  path: 'actors',
  singular: 'Actor',
  plural: 'Actors',
  noun: 'actor',
  description: 'People, governments, government bodies, organisations and criminal groups, with aliases, roles over time and relations.',
  listDescription: 'People, organisations, government bodies and criminal groups, by name. Filter by kind, country, an organisation the actor holds a role in, or a name: `name=` matches the name and every alias, ignoring case and diacritics (`garcia harfuch`, `el chapo`, `cjng`).',
  exampleId: 'omar-garcia-harfuch',
  seedFile: 'actors.json',
  cited: true,
  merge: { fold: (survivor, duplicate, into) => foldActor(survivor as ActorDocument, duplicate as ActorDocument, into) },
  schemas: { record: Actor, input: 'ActorInput', patch: 'ActorPatch', components: actorSchemas },
  includes: actorIncludes,
  fieldFilters: actorFieldFilters,
  filters: actorFilters,
  page: actorPage,
  repository: createActorsRepository,
  writer: actorWriter,
  pgSchema,
  stats: kindStatistic({
    type: 'actor',
    plural: 'actors',
    table: actorsTable,
    filters: actorFieldFilters,
    groupBy: { default: 'kind', pair: 'kind,country' },
    summary: 'Count actors',
    description: 'Actors (people, organisations, governments…) counted by kind or country; with the field filters of the actor list.'
  }),
  searchDocument: actorSearchDocument,
  references: [
    { target: 'actor', sql: 'SELECT DISTINCT actor_id FROM actor_roles WHERE organization_id = @id AND actor_id <> @id' },
    { target: 'actor', sql: 'SELECT DISTINCT actor_id FROM actor_relations WHERE related_actor_id = @id AND actor_id <> @id' }
  ]
})
