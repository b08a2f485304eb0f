import { createHash, randomBytes } from 'node:crypto'
import { sql } from 'drizzle-orm'
import type { Db } from '../db/client.js'
import { first, statement, type Read } from '../db/query.js'
import { apiKeys } from '../db/schema/api-keys.js'
import type { ApiKeyScope } from '../db/schema/api-keys.js'

export interface ApiKeyInfo {
  id: number
  name: string
  scope: ApiKeyScope
  prefix: string
  created_at: string
  revoked_at: string | null
  /** When the key stops working; null when it does not expire. */
  expires_at: string | null
}

export type KeyCheck =
  | { ok: true, key: ApiKeyInfo }
  | { ok: false, reason: 'unknown' | 'revoked' | 'expired', key?: ApiKeyInfo }

/** Keys look like `kb_` + 43 base64url characters (256 random bits). */
export const keyPattern = /^kb_[A-Za-z0-9_-]{43}$/

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex')

const columns = 'id, name, scope, prefix, created_at, revoked_at, expires_at'

const byHash = statement<ApiKeyInfo>(sql`SELECT ${sql.raw(columns)} FROM ${apiKeys} WHERE ${apiKeys.keyHash} = ${sql.placeholder('hash')}`)

/** Whether `key` is a key of this knowledge base, in force at `now` (a read for either backend, src/db/query.ts). */
export function * checkKey (key: string, now = new Date()): Read<KeyCheck> {
  const info = yield * first(byHash, { hash: hashOf(key) })
  if (info === undefined) return { ok: false, reason: 'unknown' }
  if (info.revoked_at !== null) return { ok: false, reason: 'revoked', key: info }
  if (info.expires_at !== null && info.expires_at <= now.toISOString()) return { ok: false, reason: 'expired', key: info }
  return { ok: true, key: info }
}

/** API keys: only a sha256 of each key is stored, so a database copy does not leak them. */
export function createApiKeys (db: Db) {
  const { sqlite } = db
  const byNameOrId = sqlite.prepare(`SELECT ${columns} FROM api_keys WHERE name = @key OR CAST(id AS TEXT) = @key`)
  const insert = sqlite.prepare(`INSERT INTO api_keys (name, scope, key_hash, prefix, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING ${columns}`)
  const revoke = sqlite.prepare("UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE (name = @key OR CAST(id AS TEXT) = @key) AND revoked_at IS NULL")
  return {
    /** Creates a key and returns it: the only time the key itself is seen. `expiresInHours`: none by default. */
    create (name: string, scope: ApiKeyScope, expiresInHours?: number): { key: string, info: ApiKeyInfo } {
      const key = 'kb_' + randomBytes(32).toString('base64url')
      const expiresAt = expiresInHours === undefined ? null : new Date(Date.now() + expiresInHours * 3_600_000).toISOString()
      const info = db.write(() => insert.get(name, scope, hashOf(key), key.slice(0, 10), expiresAt) as ApiKeyInfo)
      return { key, info }
    },
    list (): ApiKeyInfo[] {
      return sqlite.prepare(`SELECT ${columns} FROM api_keys ORDER BY id`).all() as ApiKeyInfo[]
    },
    /** One key by name or id. */
    find (nameOrId: string): ApiKeyInfo | undefined {
      return byNameOrId.get({ key: nameOrId }) as ApiKeyInfo | undefined
    },
    /** Revokes by name or id; returns the key as it is now, or undefined when there is none. */
    revoke (nameOrId: string): ApiKeyInfo | undefined {
      db.write(() => revoke.run({ key: nameOrId }))
      return byNameOrId.get({ key: nameOrId }) as ApiKeyInfo | undefined
    }
  }
}

export type ApiKeys = ReturnType<typeof createApiKeys>
