import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core'
import { sql } from 'drizzle-orm'
import type { KindType } from '../../kinds/index.js'

export const revisionActions = ['create', 'update', 'delete'] as const
export type RevisionAction = typeof revisionActions[number]

/**
 * Every create, update and delete of a record, in commit order. `id` is the change feed's
 * sequence; `data` is the full record (with its citations) after the change, or as it was when
 * it was deleted.
 */
export const revisions = sqliteTable('revisions', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  revision: integer('revision').notNull(),
  action: text('action', { enum: revisionActions }).notNull(),
  at: text('at').notNull().default(sql`(strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))`),
  author: text('author').notNull(),
  data: text('data').notNull(),
  /** Why the change was made, as the writer said it (`?comment=`); null when not said. */
  comment: text('comment')
}, (t) => [
  uniqueIndex('revisions_record_revision_uq').on(t.recordType, t.recordId, t.revision),
  index('revisions_type_seq_idx').on(t.recordType, t.id),
  // Sync by time: the feed's position at a time (`since=2025-12-01T00:00:00Z`).
  index('revisions_at_idx').on(t.at)
])
