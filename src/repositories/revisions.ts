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
  const since = sqlite.prepare(`SELECT ${columns} FROM revisions WHERE revisions.id > ? ORDER BY revisions.id LIMIT ?`)
  const sinceOfTypes = sqlite.prepare(`SELECT ${columns} FROM revisions WHERE revisions.id > ? AND record_type IN (SELECT value FROM json_each(?)) ORDER BY revisions.id LIMIT ?`)
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

    /** Changes after `seq`, in commit order. */
    since (seq: number, types: KindType[] | undefined, limit: number): RevisionRow[] {
      return (types === undefined
        ? since.all(seq, limit)
        : sinceOfTypes.all(seq, JSON.stringify(types), limit)) as RevisionRow[]
    }
  }
}

export type RevisionsRepository = ReturnType<typeof createRevisionsRepository>
