import { and, eq, gte, lt, sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { idempotencyKeys } from '../db/schema/api-keys.js'

/** What a create answered, kept under its `Idempotency-Key` so that a retry gets the same answer. */
export interface RememberedResponse {
  statusCode: number
  responseBody: string
  location: string | null
  etag: string | null
}

export type IdempotentOutcome =
  | { kind: 'done', response: RememberedResponse }
  | { kind: 'replayed', response: RememberedResponse }
  | { kind: 'mismatch' }

/**
 * Responses to POSTs sent with an `Idempotency-Key`, per API key (`idempotency_keys`), kept for
 * `ttlHours`: a key older than that is free again.
 */
export function createIdempotencyRepository (db: Db, ttlHours: number) {
  const { orm } = db
  const k = idempotencyKeys
  const cutoff = () => new Date(Date.now() - ttlHours * 3_600_000).toISOString()
  const find = orm.select({ requestHash: k.requestHash, statusCode: k.statusCode, responseBody: k.responseBody, location: k.location, etag: k.etag })
    .from(k).where(and(eq(k.apiKeyId, sql.placeholder('apiKeyId')), eq(k.key, sql.placeholder('key')), gte(k.createdAt, sql.placeholder('cutoff')))).prepare()
  const forget = orm.delete(k).where(lt(k.createdAt, sql.placeholder('cutoff'))).prepare()

  return {
    /**
     * Runs `create` once per key: in one write transaction, so that two processes given the same
     * key at once are serialised by SQLite's write lock and the second replays what the first
     * answered. The same key with another request (`requestHash`) is a mismatch; a key whose
     * response has expired is forgotten first.
     */
    once (apiKeyId: number, key: string, requestHash: string, create: () => RememberedResponse): IdempotentOutcome {
      return db.write((): IdempotentOutcome => {
        const now = cutoff()
        const seen = find.get({ apiKeyId, key, cutoff: now })
        if (seen !== undefined) {
          const { requestHash: hash, ...response } = seen
          return hash === requestHash ? { kind: 'replayed', response } : { kind: 'mismatch' }
        }
        forget.run({ cutoff: now })
        const response = create()
        orm.insert(k).values({ apiKeyId, key, requestHash, ...response }).run()
        return { kind: 'done', response }
      })
    }
  }
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>
