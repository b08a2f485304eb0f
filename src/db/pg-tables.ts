/**
 * Every table of the PostgreSQL schema: the shared ones (src/db/pg-schema/) and each kind's
 * (`pgSchema`, its pg-table.ts), for the PostgreSQL reader, whose statements name the SQLite tables
 * and read rows through these twins (test/pg-schema.test.ts holds them to the SQLite tables,
 * column for column).
 */
import { is } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import { kinds } from '../kinds/index.js'
import * as apiKeys from './pg-schema/api-keys.js'
import * as citations from './pg-schema/citations.js'
import * as merges from './pg-schema/merges.js'
import * as revisions from './pg-schema/revisions.js'
import * as settings from './pg-schema/settings.js'
import * as statCells from './pg-schema/stat-cells.js'

const modules: ReadonlyArray<Readonly<Record<string, unknown>>> = [apiKeys, citations, merges, revisions, settings, statCells, ...kinds.map((k) => k.pgSchema)]

export const pgTables: readonly PgTable[] = modules.flatMap((m) => Object.values(m).filter((value): value is PgTable => is(value, PgTable)))
