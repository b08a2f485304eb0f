import { sql } from 'drizzle-orm'
import { first, numberOf, rows, statement, type Dialect, type Read } from '../db/query.js'
import { revisions, type RevisionAction } from '../db/schema/revisions.js'
import type { KindType } from '../kinds/index.js'
import { CursorCodec, type CursorParam } from '../query/cursor.js'

export interface RevisionRow {
  seq: number
  type: KindType
  id: string
  revision: number
  action: RevisionAction
  at: string
  author: string
  comment: string | null
  data: string
}

const r = revisions
const columns = sql`${r.id} AS seq, ${r.recordType} AS type, ${r.recordId} AS id, ${r.revision} AS revision, ${r.action} AS action, ${r.at} AS at, ${r.author} AS author, ${r.comment} AS comment, ${r.data} AS data`

/**
 * History and the change feed, both read from the `revisions` table (reads for either backend,
 * src/db/query.ts). A feed cursor is a signed sequence number: the position after which to read,
 * valid whatever `types` filter is used.
 */
export function createRevisionsRepository (dialect: Dialect, codec: CursorCodec) {
  const ofRecord = statement<RevisionRow>(sql`SELECT ${columns} FROM ${r} WHERE ${r.recordType} = ${sql.placeholder('type')} AND ${r.recordId} = ${sql.placeholder('id')}
    AND ${r.revision} > ${sql.placeholder('after')} ORDER BY ${r.revision} LIMIT ${sql.placeholder('limit')}`)
  const asOf = statement<RevisionRow>(sql`SELECT ${columns} FROM ${r} WHERE ${r.recordType} = ${sql.placeholder('type')} AND ${r.recordId} = ${sql.placeholder('id')}
    AND ${r.at} <= ${sql.placeholder('at')} ORDER BY ${r.revision} DESC LIMIT 1`)
  const current = statement<{ revision: number, action: RevisionAction, at: string }>(sql`SELECT ${r.revision} AS revision, ${r.action} AS action, ${r.at} AS at
    FROM ${r} WHERE ${r.recordType} = ${sql.placeholder('type')} AND ${r.recordId} = ${sql.placeholder('id')} ORDER BY ${r.revision} DESC LIMIT 1`)
  // Revisions are numbered in commit order (one writer at a time, on either backend), and `at` is
  // taken inside the write's transaction: the changes at or after a time are those after this position.
  const seqBefore = statement<{ seq: unknown }>(sql`SELECT coalesce(max(${r.id}), 0) AS seq FROM ${r} WHERE ${r.at} < ${sql.placeholder('at')}`)
  const lastSeq = statement<{ seq: unknown }>(sql`SELECT coalesce(max(${r.id}), 0) AS seq FROM ${r}`)
  const feedDigest = 'changes'

  return {
    /** The revisions of one record, oldest first, keyset-paged on the revision number. */
    * ofRecord (type: KindType, id: string, limit: number, cursor: string | undefined): Read<{ rows: RevisionRow[], nextCursor: string | null }> {
      const digest = CursorCodec.queryDigest('revisions', `${type}/${id}`, {})
      const after = cursor === undefined ? 0 : codec.decodePosition(cursor, digest)
      const found = (yield * rows(ofRecord, { type, id, after, limit: limit + 1 })).map(seqOf)
      const more = found.length > limit
      if (more) found.length = limit
      return { rows: found, nextCursor: more ? codec.encode(digest, [found.at(-1)!.revision]) : null }
    },

    /** The revision in force at `at` (an ISO timestamp), if the record existed by then. */
    * asOf (type: KindType, id: string, at: string): Read<RevisionRow | undefined> {
      const found = yield * first(asOf, { type, id, at })
      return found === undefined ? undefined : seqOf(found)
    },

    /** The record's last revision (its action: a deleted record's is `delete`), if it ever had one. */
    current: (type: KindType, id: string) => first(current, { type, id }),

    feedCursor: (seq: number) => codec.encode(feedDigest, [seq]),
    decodeFeedCursor: (cursor: string, param: CursorParam = { in: 'query', name: 'since' }) => codec.decodePosition(cursor, feedDigest, param),
    /** The feed's last position: the data version every ETag of the data follows. */
    * lastSeq (): Read<number> {
      return numberOf((yield * first(lastSeq))?.seq ?? 0)
    },

    /** The feed's position just before the first change made at or after `at` (an ISO timestamp). */
    * positionAt (at: string): Read<number> {
      return numberOf((yield * first(seqBefore, { at }))?.seq ?? 0)
    },

    /** Changes after `seq`, in commit order, of these kinds and actions (all when undefined). */
    * since (seq: number, only: { types?: KindType[] | undefined, actions?: RevisionAction[] | undefined }, limit: number): Read<RevisionRow[]> {
      const where = [sql`${r.id} > ${seq}`]
      if (only.types !== undefined) where.push(dialect.inList(r.recordType, only.types))
      if (only.actions !== undefined) where.push(dialect.inList(r.action, only.actions))
      return (yield * rows(statement<RevisionRow>(sql`SELECT ${columns} FROM ${r} WHERE ${sql.join(where, sql` AND `)} ORDER BY ${r.id} LIMIT ${limit}`))).map(seqOf)
    }
  }
}

/** A revision row with its sequence a number, as either driver returns it. */
const seqOf = (row: RevisionRow): RevisionRow => (typeof row.seq === 'number' ? row : { ...row, seq: numberOf(row.seq) })

export type RevisionsRepository = ReturnType<typeof createRevisionsRepository>
