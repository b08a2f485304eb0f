/** `kb keys …`: API keys, with the same JSON as /v1/keys answers with. */
import { createApiKeys, type ApiKeyInfo } from '../auth/api-keys.js'
import type { ApiKeyScope } from '../db/schema/api-keys.js'
import { UsageError, type Command, type Options } from './command.js'
import { withDb } from './database.js'

/** Keys need the migrated database, not the search index the server builds for itself. */
const keysOnly = { index: false }

export const keysDescription = 'API keys for writing through the API: made here or by an admin key over /v1/keys. Only a sha256 of each key is stored; the key itself is shown once, when it is made.'

/** The longest life a key may be given, as POST /v1/keys allows: ten years. */
const maxHours = 87_600

/** `--expires-in 30d` or `12h`, in hours; undefined when not given. */
function hoursOf (raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const match = /^([1-9]\d{0,5})([dh])$/.exec(raw)
  if (match === null) throw new UsageError(`--expires-in takes a number of days or hours, like 30d or 12h (got "${raw}")`)
  const hours = Number(match[1]) * (match[2] === 'd' ? 24 : 1)
  if (hours > maxHours) throw new UsageError(`--expires-in is at most ten years, 3650d or 87600h (got "${raw}")`)
  return hours
}

function stateOf (k: ApiKeyInfo): string {
  if (k.revoked_at !== null) return `revoked ${k.revoked_at}`
  if (k.expires_at === null) return 'active'
  return k.expires_at <= new Date().toISOString() ? `expired ${k.expires_at}` : `active, expires ${k.expires_at}`
}

async function checkCreate ({ name, scope, 'expires-in': expiresIn }: Options): Promise<void> {
  const { apiKeyScopes } = await import('../db/schema/api-keys.js')
  if (name === undefined || name.trim() === '') throw new UsageError('keys create needs --name <name>')
  if (name !== name.trim() || name.length > 100) throw new UsageError(`--name is up to 100 characters, without spaces around them (got "${name}")`)
  if (!apiKeyScopes.includes(scope as ApiKeyScope)) throw new UsageError(`keys create needs --scope ${apiKeyScopes.join('|')}${scope === undefined ? '' : ` (got "${scope}")`}`)
  hoursOf(expiresIn)
}

export const keysCreate: Command = {
  name: 'keys create',
  operands: [],
  synopsis: '--name <name> --scope write|admin [--expires-in <30d|12h>]',
  options: ['database', 'name', 'scope', 'expires-in', 'json'],
  summary: 'make an API key; the key alone is printed on the last line, once',
  description: [
    'Makes an API key and prints it, this once, alone on the last line of stdout (a script can read it with tail -n 1). A write key creates, changes and deletes records and imports; an admin key also manages keys over /v1/keys.',
    'With --json: the key as POST /v1/keys answers it, {"id", "name", "scope", "prefix", "created_at", "revoked_at", "expires_at", "key"}.'
  ],
  examples: [
    'kb keys create --name analyst-desk --scope write',
    'kb keys create --name ci --scope write --expires-in 30d --json | jq -r .key',
    'kb keys create --name ops --scope admin --database /srv/kb/kb.sqlite'
  ],
  check: ({ options }) => checkCreate(options),
  run: ({ options, databasePath }) => withDb(databasePath(), (db) => {
    const apiKeys = createApiKeys(db)
    const name = options.name!
    if (apiKeys.list().some((k) => k.name === name)) throw new Error(`a key named "${name}" exists already; choose another name or revoke it first`)
    const { key, info } = apiKeys.create(name, options.scope as ApiKeyScope, hoursOf(options['expires-in']))
    const expiring = info.expires_at === null ? '' : `, expiring ${info.expires_at}`
    return {
      json: { ...info, key },
      stdout: [`Created key ${info.id} "${info.name}" with scope ${info.scope}${expiring}. It is shown once; store it now:`, key]
    }
  }, keysOnly)
}

export const keysList: Command = {
  name: 'keys list',
  operands: [],
  options: ['database', 'json'],
  summary: 'list API keys (never the keys themselves)',
  description: [
    'Lists every key, oldest first, one a line: id, name, scope, the key\'s first characters, when it was made, and whether it is active, expired or revoked. The keys themselves are never stored, so never shown.',
    'With --json: {"data": [{"id", "name", "scope", "prefix", "created_at", "revoked_at", "expires_at"}]}, as GET /v1/keys answers.'
  ],
  examples: ['kb keys list', 'kb keys list --json | jq -r \'.data[] | select(.revoked_at == null) | .name\''],
  run: ({ databasePath }) => withDb(databasePath(), (db) => {
    const all = createApiKeys(db).list()
    return {
      json: { data: all },
      stdout: all.length === 0
        ? ['no keys yet: kb keys create --name <name> --scope write']
        : all.map((k) => `${k.id}\t${k.name}\t${k.scope}\t${k.prefix}…\tcreated ${k.created_at}\t${stateOf(k)}`)
    }
  }, keysOnly)
}

export const keysRevoke: Command = {
  name: 'keys revoke',
  operands: ['<name|id>'],
  options: ['database', 'json'],
  summary: 'revoke an API key',
  description: [
    'Revokes a key, named by its name or id: it stops working at once, and stays listed with the time it was revoked. Revoking a revoked key changes nothing.',
    'With --json: the key as it is now, as DELETE /v1/keys/{id} answers.'
  ],
  examples: ['kb keys revoke analyst-desk', 'kb keys revoke 3 --json'],
  run: ({ operands: [target], databasePath }) => withDb(databasePath(), (db) => {
    const key = createApiKeys(db).revoke(target!)
    if (key === undefined) throw new Error(`no key has the name or id "${target}" (see: kb keys list)`)
    return {
      json: key,
      stdout: [`key ${key.id} "${key.name}" revoked at ${key.revoked_at}`]
    }
  }, keysOnly)
}
