import { bigint, index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import type { KindType } from '../../kinds/index.js'
import { revisionActions } from '../schema/revisions.js'
import { utcNow } from './columns.js'

/**
 * Every create, update and delete of a record, in commit order. `id` is the change feed's
 * sequence (bigint: it only grows, one a write); `data` is the full record after the change, as
 * text, as in SQLite.
 */
export const revisions = pgTable('revisions', {
  id: bigint('id', { mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  recordType: text('record_type').$type<KindType>().notNull(),
  recordId: text('record_id').notNull(),
  revision: integer('revision').notNull(),
  action: text('action', { enum: revisionActions }).notNull(),
  at: text('at').notNull().default(utcNow),
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
