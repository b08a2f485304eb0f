import type BetterSqlite3 from 'better-sqlite3'
import type { SQL } from 'drizzle-orm'
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core'
import type { FastifyInstance } from 'fastify'
import { Type, type TObject, type TProperties, type TSchema } from 'typebox'
import type { Dialect, Read } from '../db/query.js'
import type { CursorCodec } from '../query/cursor.js'
import type { Filters } from '../query/filters.js'
import type { PageSpec } from '../query/page.js'
import type { ReadPrograms } from '../repositories/read-repository.js'
import type { Grouped } from '../repositories/stats.js'
import { DisputedParam, ListCountParam, fieldsParam, GetQuery, listParam, pageParams, selectableFields, sortParam } from '../schemas/common.js'
import type { SearchDocument } from '../search/documents.js'
import type { RecordWriter } from '../writers/writer.js'

/** A foreign key a kind holds: the records of this kind that point at record `@id` of `target`. */
export interface Reference {
  /** The kind of record pointed at. */
  target: string
  /** SQL selecting the ids of this kind's records that point at `@id`. */
  sql: string
}

/** How a kind's dated records appear on the merged timeline (`GET /v1/timeline`). */
export interface TimelineSource {
  /** The fields an entry's date may come from (`TimelineEntry.date_field`). */
  dateFields: readonly string[]
  /**
   * A SELECT of `id, date, earliest, latest, approximate, date_field` (the date, its bounds, its
   * approximate flag and the field it comes from) for the kind's dated records that `actor`
   * (when given) takes part in.
   */
  entries (actor: string | undefined): SQL
  /** The read of one-line headlines for a page's records of this kind. */
  headlines (dialect: Dialect): (ids: string[]) => Read<Map<string, string>>
}

/** A chart-shaped statistic of a kind, served at `GET /v1/stats/<path>` (and as CSV). */
export interface StatsSource {
  summary: string
  description: string
  query: TObject
  /** `$id` of the response schema. */
  response: string
  /** Named schemas of its own (its response), registered with the others. */
  schemas?: TSchema[]
  /** The read of the statistic in a dialect; `kept: false`: from the records even where the statistics kept on every write would answer. */
  compute (dialect: Dialect, options?: { kept?: boolean }): (query: Record<string, unknown>) => Read<Grouped>
  /** A record's cell of the statistics kept on every write, and what it adds to each measure (src/repositories/stat-cells.ts). */
  cellOf?: (record: Record<string, unknown>) => { cell: string, values: number[] }
}

/** What a kind needs to say for its records to be evidence that citations point into. */
export interface EvidenceSource {
  /** The text citations point into, from a document of this kind (for records of the same import). */
  textOf (doc: Record<string, unknown>): string
}

export interface KindDefinition<Type extends string = string, Dto extends object = any, Doc extends object = any> {
  /** The record type: in revisions, citations, the change feed, import lines, search hits. */
  type: Type
  /** URL segment and OpenAPI tag, e.g. `tariff-deadlines`. */
  path: string
  /** Stems of schema `$id`s and operation ids: `TariffDeadline`, `TariffDeadlines`. */
  singular: string
  plural: string
  /** Human noun for messages and summaries: `tariff deadline`. */
  noun: string
  /** The OpenAPI tag's description. */
  description: string
  /** The description of `GET /v1/<path>`. */
  listDescription: string
  /** A seeded record's id, for the OpenAPI document's examples. */
  exampleId: string
  /** Its file in `seeds/`. */
  seedFile: string
  /** Records of this kind carry citations (every kind but the sources they point into). */
  cited: boolean
  /**
   * Duplicates may be folded into another record (`POST /v1/<path>/{id}/merge`); merged ids answer
   * 308. `fold` says what the survivor's document takes of the duplicate's.
   */
  merge?: { fold (survivor: Record<string, unknown>, duplicate: Record<string, unknown>, into: string): Record<string, unknown> }
  /** Its representation changes with the date (computed fields such as `days_remaining`). */
  timeDependent?: boolean
  schemas: {
    /** The response schema; its `$id` is `singular`. */
    record: TObject
    /** `$id`s of the create and merge-patch bodies. */
    input: string
    patch: string
    /** Every named schema of the kind (registered with `app.addSchema`). */
    components: TSchema[]
  }
  /** The list's filters on its fields (the shared syntax of src/query/filters.ts). */
  fieldFilters: Filters
  /** What `include=` may embed. */
  includes: readonly string[]
  /** The member of the record each include fills (its own name, unless said otherwise). */
  includeMembers: Readonly<Record<string, string>>
  /** What `fields=` may pick: every top-level field of `record` but the embedded ones. */
  fields: readonly string[]
  /** The order of the list without `sort=`. */
  defaultSort: string
  /** The query of `GET /v1/<path>`: paging, filters, sort, include, fields. */
  listQuery: TObject
  /** The query of `GET /v1/<path>/{id}`. */
  getQuery: TObject
  repository (dialect: Dialect, codec: CursorCodec): ReadPrograms<Dto, any>
  writer (sqlite: BetterSqlite3.Database): RecordWriter<Doc>
  /** Its PostgreSQL tables (the module `pg-table.ts`), twins of its SQLite ones (test/pg-schema.test.ts). */
  pgSchema: Readonly<Record<string, unknown>>
  /** What the search index holds for a record (as the API shows it, as revisions store it). */
  searchDocument (record: Dto): SearchDocument
  /** The foreign keys of this kind's records, for refusing deletes of what they point at. */
  references: readonly Reference[]
  timeline?: TimelineSource
  /**
   * How its records name actors, for the actor's `include=<include>`: a statement selecting
   * `record_id, actor_id, role` for the actor ids `idIn` keeps (the dialect's list of the
   * placeholder `ids`). Needs `timeline`.
   */
  actorLinks?: { include: string, sql: (idIn: (column: SQL) => SQL) => SQL }
  stats?: StatsSource
  /** Set on the kind whose records citations point into. */
  evidence?: EvidenceSource
  /**
   * Fields of its documents kept in columns the API does not show (a source's capture): what an
   * export writes beside the record.
   */
  documentColumns?: Readonly<Record<string, SQLiteColumn>>
  /** A seed entry as a document (the sources' captures live in files of their own). */
  fromSeed?: (entry: Record<string, unknown>, folder: string) => Record<string, unknown>
  /** Routes particular to the kind, besides the reads, writes and history every kind has. */
  routes?: (app: FastifyInstance) => Promise<void>
}

/**
 * Defines a kind: what is particular to it is given, what every kind derives the same way
 * (`fields`, the list and get queries with their `sort`, `include` and `fields` parameters) is
 * derived here, so that the sort fields of its repository are the only list of them.
 */
export function defineKind<const Type extends string, Dto extends object, Doc extends object> (spec: Omit<KindDefinition<Type, Dto, Doc>, 'fields' | 'listQuery' | 'getQuery' | 'includeMembers' | 'defaultSort'> & {
  /** Includes whose member is named otherwise (`measures` fills `measure_ids`). */
  includeMembers?: Record<string, string>
  /** Parameters of the list besides its field filters: filters of its own (`valid_at`) and representation parameters (`at`). */
  filters?: TProperties
  /** Parameters of `GET /{id}` besides `include` and `fields`. */
  getParameters?: TProperties
  /** The sort fields and default sort of the repository's keyset pages. */
  page: Pick<PageSpec<never>, 'sortFields' | 'defaultSort'>
}): KindDefinition<Type, Dto, Doc> {
  const { filters = {}, getParameters = {}, page, includeMembers: renamed = {}, ...kind } = spec
  // A nested include (`citations.source`) fills the member of its head.
  const includeMembers = Object.fromEntries(kind.includes.map((include) => [include, renamed[include] ?? include.split('.')[0]!]))
  const fields = selectableFields(kind.schemas.record, Object.values(includeMembers))
  const includeExample = kind.includes.join(',')
  const listQuery = Type.Partial(Type.Object({
    ...pageParams,
    count: ListCountParam,
    ...kind.fieldFilters.parameters,
    ...filters,
    ...(kind.cited ? { disputed: DisputedParam } : {}),
    sort: sortParam([...Object.keys(page.sortFields).filter((name) => name !== 'id'), 'id'], page.defaultSort),
    ...(kind.includes.length > 0 ? { include: listParam('Embed related records.', kind.includes, includeExample) } : {}),
    fields: fieldsParam(fields)
  }), { additionalProperties: false })
  const getQuery = Type.Object({
    ...GetQuery(kind.includes, fields, includeExample).properties,
    ...Object.fromEntries(Object.entries(getParameters).map(([name, schema]) => [name, Type.Optional(schema)]))
  }, { additionalProperties: false })
  return { ...kind, includeMembers, fields, defaultSort: page.defaultSort, listQuery, getQuery }
}

/** `an actor`, `a transfer`. */
export const withArticle = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`)

/** `transfers, quotes and sources`: a list in words. */
export const inWords = (items: readonly string[]) =>
  items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)!}`
