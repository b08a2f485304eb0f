import { ActorGetQuery, actorFields, actorIncludes, ActorListQuery } from '../schemas/actors.js'
import { readRoutes } from './read-routes.js'

export default readRoutes({
  type: 'actor',
  path: 'actors',
  singular: 'Actor',
  plural: 'Actors',
  noun: 'actor',
  listDescription: 'People, organisations, government bodies and criminal groups, by name. Filter by kind, country, an organisation the actor holds a role in, or a name: `name=` matches the name and every alias, ignoring case and diacritics (`garcia harfuch`, `el chapo`, `cjng`).',
  exampleId: 'omar-garcia-harfuch',
  listQuery: ActorListQuery,
  getQuery: ActorGetQuery,
  includes: actorIncludes,
  fields: actorFields,
  repository: (app) => app.repositories.actors
})
