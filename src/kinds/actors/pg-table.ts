import { boolean, index, integer, pgTable, primaryKey, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { country, createdAt, edtfDate, rowOrder, updatedAt } from '../../db/pg-schema/columns.js'
import { actorKinds, actorRelationKinds, aliasKinds } from './table.js'

/** People, organisations, government bodies and criminal groups (PostgreSQL; see table.ts). */
export const actors = pgTable('actors', {
  id: text('id').primaryKey(),
  kind: text('kind', { enum: actorKinds }).notNull(),
  name: text('name').notNull(),
  country: country('country'),
  description: text('description'),
  createdAt: createdAt(),
  updatedAt: updatedAt()
}, (t) => [
  index('actors_kind_idx').on(t.kind, t.id),
  index('actors_country_idx').on(t.country, t.id),
  index('actors_name_idx').on(t.name, t.id)
])

export const actorAliases = pgTable('actor_aliases', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  actorId: text('actor_id').notNull().references(() => actors.id, { onDelete: 'cascade' }),
  alias: text('alias').notNull(),
  kind: text('kind', { enum: aliasKinds }).notNull(),
  language: text('language'),
  rowOrder: rowOrder()
}, (t) => [
  uniqueIndex('actor_aliases_actor_alias_uq').on(t.actorId, t.alias),
  index('actor_aliases_alias_idx').on(t.alias)
])

/** A role an actor held: a title, optionally within an organisation, over a (possibly open) period. */
export const actorRoles = pgTable('actor_roles', {
  id: text('id').primaryKey(),
  actorId: text('actor_id').notNull().references(() => actors.id, { onDelete: 'cascade' }),
  title: text('title').notNull(),
  organizationId: text('organization_id').references(() => actors.id),
  country: country('country'),
  ...edtfDate('from', 'from_date'),
  fromApproximate: boolean('from_date_approximate').notNull().default(false),
  ...edtfDate('to', 'to_date'),
  toApproximate: boolean('to_date_approximate').notNull().default(false),
  ...edtfDate('asOf', 'as_of'),
  rowOrder: rowOrder()
}, (t) => [
  index('actor_roles_actor_idx').on(t.actorId),
  index('actor_roles_organization_idx').on(t.organizationId)
])

/** A directed link between two actors, e.g. `ovidio-guzman` child_of `joaquin-guzman`. */
export const actorRelations = pgTable('actor_relations', {
  id: text('id').primaryKey(),
  actorId: text('actor_id').notNull().references(() => actors.id, { onDelete: 'cascade' }),
  relation: text('relation', { enum: actorRelationKinds }).notNull(),
  relatedActorId: text('related_actor_id').notNull().references(() => actors.id, { onDelete: 'cascade' }),
  rowOrder: rowOrder()
}, (t) => [
  index('actor_relations_actor_idx').on(t.actorId),
  index('actor_relations_related_idx').on(t.relatedActorId)
])

/** An actor's identifier in an outside register: one (scheme, value) names one actor. */
export const actorIdentifiers = pgTable('actor_identifiers', {
  actorId: text('actor_id').notNull().references(() => actors.id, { onDelete: 'cascade' }),
  scheme: text('scheme').notNull(),
  value: text('value').notNull(),
  rowOrder: rowOrder()
}, (t) => [
  primaryKey({ name: 'actor_identifiers_pk', columns: [t.scheme, t.value] }),
  index('actor_identifiers_actor_idx').on(t.actorId)
])
