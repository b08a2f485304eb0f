import { and, eq, sql } from 'drizzle-orm'
import type { Orm } from '../db/client.js'
import { idempotencyKeys } from '../db/schema/api-keys.js'

/** What a create answered, kept under its `Idempotency-Key` so that a retry gets the same answer. */
export interface RememberedResponse {
  requestHash: string
  statusCode: number
  responseBody: string
  location: string | null
  etag: string | null
}

/** Responses to POSTs sent with an `Idempotency-Key`, per API key (`idempotency_keys`). */
export function createIdempotencyRepository (orm: Orm) {
  const k = idempotencyKeys
  const find = orm.select({ requestHash: k.requestHash, statusCode: k.statusCode, responseBody: k.responseBody, location: k.location, etag: k.etag })
    .from(k).where(and(eq(k.apiKeyId, sql.placeholder('apiKeyId')), eq(k.key, sql.placeholder('key')))).prepare()
  return {
    find: (apiKeyId: number, key: string): RememberedResponse | undefined => find.get({ apiKeyId, key }),
    /** Called inside the write's transaction, so the response is kept exactly when the record is. */
    remember (apiKeyId: number, key: string, response: RememberedResponse): void {
      orm.insert(k).values({ apiKeyId, key, ...response }).run()
    }
  }
}

export type IdempotencyRepository = ReturnType<typeof createIdempotencyRepository>
