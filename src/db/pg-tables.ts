/**
 * Every table of the PostgreSQL schema (src/db/pg-schema/, src/kinds/<kind>/pg-table.ts), for the
 * PostgreSQL reader, whose statements name the SQLite tables and read rows through these twins
 * (test/pg-schema.test.ts holds them to the SQLite tables, column for column).
 */
import { is } from 'drizzle-orm'
import { PgTable } from 'drizzle-orm/pg-core'
import * as actors from '../kinds/actors/pg-table.js'
import * as cooperationMeasures from '../kinds/cooperation-measures/pg-table.js'
import * as events from '../kinds/events/pg-table.js'
import * as quotes from '../kinds/quotes/pg-table.js'
import * as sources from '../kinds/sources/pg-table.js'
import * as tariffDeadlines from '../kinds/tariff-deadlines/pg-table.js'
import * as transfers from '../kinds/transfers/pg-table.js'
import * as apiKeys from './pg-schema/api-keys.js'
import * as citations from './pg-schema/citations.js'
import * as merges from './pg-schema/merges.js'
import * as revisions from './pg-schema/revisions.js'
import * as settings from './pg-schema/settings.js'
import * as statCells from './pg-schema/stat-cells.js'

const modules = [apiKeys, citations, merges, revisions, settings, statCells, sources, actors, transfers, quotes, tariffDeadlines, cooperationMeasures, events]

export const pgTables: readonly PgTable[] = modules.flatMap((m) => Object.values(m).filter((value): value is PgTable => is(value, PgTable)))
