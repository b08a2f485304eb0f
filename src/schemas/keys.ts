import { Type } from 'typebox'
import { apiKeyScopes } from '../db/schema/api-keys.js'
import { Nullable, StringEnum, Timestamp } from './common.js'

export const ApiKey = Type.Object({
  id: Type.Integer({ description: 'Key id.', examples: [2] }),
  name: Type.String({ description: 'Who or what the key is for; recorded as the author of its writes.', examples: ['analyst-desk'] }),
  scope: StringEnum(apiKeyScopes, { description: '`write`: create, change and delete records, import. `admin`: that, and manage keys.', examples: ['write'] }),
  prefix: Type.String({ description: 'The first characters of the key, to tell keys apart.', examples: ['kb_3q2Zr0a'] }),
  created_at: Timestamp('When the key was made.'),
  revoked_at: Nullable(Timestamp('When the key was revoked; null while it is not.')),
  expires_at: Nullable(Timestamp('When the key stops working; null when it does not expire.'))
}, { $id: 'ApiKey', description: 'An API key, without the key itself.', additionalProperties: false })

export const ApiKeyList = Type.Object({
  data: Type.Array(Type.Ref('ApiKey'), { description: 'Every key, oldest first, revoked and expired ones too.' })
}, { $id: 'ApiKeyList', description: 'The API keys.', additionalProperties: false })

export const NewApiKey = Type.Object({
  ...ApiKey.properties,
  key: Type.String({ description: 'The key: send it as `Authorization: Bearer <key>`. It is shown this once and never stored.', examples: ['kb_3q2Zr0aLxw…'] })
}, { $id: 'NewApiKey', description: 'A key just made, with the key itself.', additionalProperties: false })

export const ApiKeyInput = Type.Object({
  name: Type.String({ description: 'Who or what the key is for (unique).', minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$', examples: ['analyst-desk'] }),
  scope: StringEnum(apiKeyScopes, { description: 'What the key may do.', examples: ['write'] }),
  expires_in_hours: Type.Optional(Type.Integer({ description: 'Make the key stop working after this many hours (up to ten years); without it the key does not expire.', minimum: 1, maximum: 87_600, examples: [720] }))
}, { $id: 'ApiKeyInput', description: 'A key to make.', additionalProperties: false })

export const keySchemas = [ApiKey, ApiKeyList, NewApiKey, ApiKeyInput]
