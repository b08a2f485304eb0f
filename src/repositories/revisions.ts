import type { Db } from '../db/client.js'
import type { RevisionAction } from '../db/schema/revisions.js'
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

const columns = 'revisions.id AS seq, record_type AS type, record_id AS id, revision, action, at, author, comment, data'

/**
 * History and the change feed, both read from the `revisions` table. A feed cursor is a signed
 * sequence number: the position after which to read, valid whatever `types` filter is used.
 */
export function createRevisionsRepository (db: Db, codec: CursorCodec) {
  const { sqlite } = db
  const ofRecord = sqlite.prepare(`SELECT ${columns} FROM revisions WHERE record_type = ? AND record_id = ? AND revision > ? ORDER BY revision LIMIT ?`)
  const asOf = sqlite.prepare(`SELECT ${columns} FROM revisions WHERE record_type = ? AND record_id = ? AND at <= ? ORDER BY revision DESC LIMIT 1`)
  // `@types` and `@actions`: JSON arrays, or null for every one.
  const since = sqlite.prepare(`SELECT ${columns} FROM revisions WHERE revisions.id > @after
    AND (@types IS NULL OR record_type IN (SELECT value FROM json_each(@types)))
    AND (@actions IS NULL OR action IN (SELECT value FROM json_each(@actions)))
    ORDER BY revisions.id LIMIT @limit`)
  // Revisions are numbered in commit order under SQLite's one writer, and `at` is taken inside
  // the write's transaction: the changes at or after a time are those after this position.
  const seqBefore = sqlite.prepare('SELECT coalesce(max(id), 0) FROM revisions WHERE at < ?').pluck()
  const lastSeq = sqlite.prepare('SELECT coalesce(max(id), 0) FROM revisions').pluck()
  const feedDigest = 'changes'

  return {
    /** The revisions of one record, oldest first, keyset-paged on the revision number. */
    ofRecord (type: KindType, id: string, limit: number, cursor: string | undefined) {
      const digest = CursorCodec.queryDigest('revisions', `${type}/${id}`, {})
      const after = cursor === undefined ? 0 : codec.decodePosition(cursor, digest)
      const rows = ofRecord.all(type, id, after, limit + 1) as RevisionRow[]
      const more = rows.length > limit
      if (more) rows.length = limit
      return { rows, nextCursor: more ? codec.encode(digest, [rows.at(-1)!.revision]) : null }
    },

    /** The revision in force at `at` (an ISO timestamp), if the record existed by then. */
    asOf (type: KindType, id: string, at: string): RevisionRow | undefined {
      return asOf.get(type, id, at) as RevisionRow | undefined
    },

    feedCursor: (seq: number) => codec.encode(feedDigest, [seq]),
    decodeFeedCursor: (cursor: string, param: CursorParam = { in: 'query', name: 'since' }) => codec.decodePosition(cursor, feedDigest, param),
    lastSeq: () => lastSeq.get() as number,

    /** The feed's position just before the first change made at or after `at` (an ISO timestamp). */
    positionAt: (at: string) => seqBefore.get(at) as number,

    /** Changes after `seq`, in commit order, of these kinds and actions (all when undefined). */
    since (seq: number, only: { types?: KindType[] | undefined, actions?: RevisionAction[] | undefined }, limit: number): RevisionRow[] {
      const list = (values: string[] | undefined) => (values === undefined ? null : JSON.stringify(values))
      return since.all({ after: seq, types: list(only.types), actions: list(only.actions), limit }) as RevisionRow[]
    }
  }
}

export type RevisionsRepository = ReturnType<typeof createRevisionsRepository>
