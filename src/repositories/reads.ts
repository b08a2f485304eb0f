import { sql } from 'drizzle-orm'
import { first, type Dialect, type Read, statement } from '../db/query.js'
import { mergedRecords } from '../db/schema/merges.js'
import { kinds, type KindType } from '../kinds/index.js'
import { createSourceCitations } from '../kinds/sources/citations.js'
import type { CursorCodec } from '../query/cursor.js'
import type { ReadPrograms } from './read-repository.js'
import { createRevisionsRepository } from './revisions.js'
import { createTimelineRepository } from './timeline.js'

const m = mergedRecords
const mergedOnce = statement<{ into: string }>(sql`SELECT ${m.intoId} AS "into" FROM ${m} WHERE ${m.recordType} = ${sql.placeholder('type')} AND ${m.recordId} = ${sql.placeholder('id')}`)

/** The record a merged id was folded into, following later merges; undefined when it was not merged. */
export function * mergedInto (type: KindType, id: string): Read<string | undefined> {
  let into = (yield * first(mergedOnce, { type, id }))?.into
  for (let hops = 0; into !== undefined && hops < 100; hops++) {
    const next = (yield * first(mergedOnce, { type, id: into }))?.into
    if (next === undefined) break
    into = next
  }
  return into
}

/**
 * The reads the API serves, built once over a dialect (src/db/query.ts) and run by the backend's
 * reader: every kind's records, history and the change feed, the timeline, a source's citations.
 * Those of a piece (the calendar, API keys, merged ids) are plain reads beside them.
 */
export function createReads (dialect: Dialect, codec: CursorCodec) {
  return {
    records: Object.fromEntries(kinds.map((k) => [k.type, k.repository(dialect, codec) as ReadPrograms<object>])) as Record<KindType, ReadPrograms<object>>,
    revisions: createRevisionsRepository(dialect, codec),
    timeline: createTimelineRepository(dialect, codec),
    sourceCitations: createSourceCitations(dialect, codec),
    /** Each kind's statistic (`GET /v1/stats/<path>`), by record type. */
    stats: new Map(kinds.flatMap((k) => (k.stats === undefined ? [] : [[k.type as KindType, k.stats.compute(dialect)] as const])))
  }
}

export type Reads = ReturnType<typeof createReads>
