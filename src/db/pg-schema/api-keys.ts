import { index, integer, pgTable, text, uniqueIndex } from 'drizzle-orm/pg-core'
import { apiKeyScopes } from '../schema/api-keys.js'
import { createdAt } from './columns.js'

/** Keys for writes and key management, as in src/db/schema/api-keys.ts: only a sha256 is stored. */
export const apiKeys = pgTable('api_keys', {
  id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
  name: text('name').notNull(),
  scope: text('scope', { enum: apiKeyScopes }).notNull(),
  keyHash: text('key_hash').notNull(),
  /** The first characters of the key, so a person can tell keys apart in `keys list`. */
  prefix: text('prefix').notNull(),
  createdAt: createdAt(),
  revokedAt: text('revoked_at'),
  expiresAt: text('expires_at')
}, (t) => [
  uniqueIndex('api_keys_key_hash_uq').on(t.keyHash),
  uniqueIndex('api_keys_name_uq').on(t.name)
])

/** Responses to POSTs sent with an `Idempotency-Key`, replayed when the same request is retried. */
export const idempotencyKeys = pgTable('idempotency_keys', {
  apiKeyId: integer('api_key_id').notNull().references(() => apiKeys.id),
  key: text('key').notNull(),
  requestHash: text('request_hash').notNull(),
  statusCode: integer('status_code').notNull(),
  responseBody: text('response_body').notNull(),
  location: text('location'),
  etag: text('etag'),
  createdAt: createdAt()
}, (t) => [
  uniqueIndex('idempotency_keys_key_uq').on(t.apiKeyId, t.key),
  index('idempotency_keys_created_idx').on(t.createdAt)
])
