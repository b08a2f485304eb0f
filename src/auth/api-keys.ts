import { createHash, randomBytes } from 'node:crypto'
import type { Db } from '../db/client.js'
import type { ApiKeyScope } from '../db/schema/api-keys.js'

export interface ApiKeyInfo {
  id: number
  name: string
  scope: ApiKeyScope
  prefix: string
  created_at: string
  revoked_at: string | null
}

export type KeyCheck =
  | { ok: true, key: ApiKeyInfo }
  | { ok: false, reason: 'unknown' | 'revoked', key?: ApiKeyInfo }

/** Keys look like `kb_` + 43 base64url characters (256 random bits). */
export const keyPattern = /^kb_[A-Za-z0-9_-]{43}$/

const hashOf = (key: string) => createHash('sha256').update(key).digest('hex')

const columns = 'id, name, scope, prefix, created_at, revoked_at'

/** API keys: only a sha256 of each key is stored, so a database copy does not leak them. */
export function createApiKeys (db: Db) {
  const { sqlite } = db
  const byHash = sqlite.prepare(`SELECT ${columns} FROM api_keys WHERE key_hash = ?`)
  return {
    /** Creates a key and returns it: the only time the key itself is seen. */
    create (name: string, scope: ApiKeyScope): { key: string, info: ApiKeyInfo } {
      const key = 'kb_' + randomBytes(32).toString('base64url')
      const info = sqlite.prepare(`INSERT INTO api_keys (name, scope, key_hash, prefix) VALUES (?, ?, ?, ?) RETURNING ${columns}`)
        .get(name, scope, hashOf(key), key.slice(0, 10)) as ApiKeyInfo
      return { key, info }
    },
    list (): ApiKeyInfo[] {
      return sqlite.prepare(`SELECT ${columns} FROM api_keys ORDER BY id`).all() as ApiKeyInfo[]
    },
    /** Revokes by name or id; returns the key as it is now, or undefined when there is none. */
    revoke (nameOrId: string): ApiKeyInfo | undefined {
      sqlite.prepare("UPDATE api_keys SET revoked_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE (name = @key OR CAST(id AS TEXT) = @key) AND revoked_at IS NULL").run({ key: nameOrId })
      return sqlite.prepare(`SELECT ${columns} FROM api_keys WHERE name = @key OR CAST(id AS TEXT) = @key`).get({ key: nameOrId }) as ApiKeyInfo | undefined
    },
    check (key: string): KeyCheck {
      const info = byHash.get(hashOf(key)) as ApiKeyInfo | undefined
      if (info === undefined) return { ok: false, reason: 'unknown' }
      if (info.revoked_at !== null) return { ok: false, reason: 'revoked', key: info }
      return { ok: true, key: info }
    }
  }
}

export type ApiKeys = ReturnType<typeof createApiKeys>
