import type { FastifyInstance, FastifyRequest } from 'fastify'
import fp from 'fastify-plugin'
import { checkKey, keyPattern, type ApiKeyInfo } from '../auth/api-keys.js'
import type { ApiKeyScope } from '../db/schema/api-keys.js'
import { AppError } from '../errors.js'

declare module 'fastify' {
  interface FastifyInstance {
    /** A preHandler that lets the request through only with a valid key of this scope (admin covers write). */
    requireScope (scope: ApiKeyScope): (request: FastifyRequest) => Promise<void>
  }
  interface FastifyRequest {
    apiKey?: ApiKeyInfo
  }
}

const challenge = (error?: string, description?: string) =>
  ({ 'www-authenticate': `Bearer realm="kb"${error !== undefined ? `, error="${error}", error_description="${description}"` : ''}` })

/** Reads stay public; writes need `Authorization: Bearer <key>` (RFC 6750), managing keys an `admin` one. */
export default fp(async function authPlugin (app: FastifyInstance) {
  app.decorateRequest('apiKey', undefined)
  app.decorate('requireScope', (scope: ApiKeyScope) => async (request: FastifyRequest) => {
    const header = request.headers.authorization
    if (header === undefined) {
      throw new AppError('unauthorized', 'This operation needs an API key: send `Authorization: Bearer <key>`. Keys are made with `npm run kb -- keys create`.',
        undefined, { headers: challenge() })
    }
    const match = /^bearer +([^\s]+)$/i.exec(header) // the scheme is case-insensitive (RFC 9110 §11.1)
    if (match === null || !keyPattern.test(match[1]!)) {
      throw new AppError('unauthorized', 'The Authorization header is not `Bearer <key>` with a key of this API (kb_ followed by 43 characters).',
        [{ in: 'header', name: 'authorization', detail: 'is malformed' }], { headers: challenge('invalid_request', 'malformed bearer token') })
    }
    const result = await app.read(checkKey(match[1]!))
    if (!result.ok && result.reason === 'unknown') {
      throw new AppError('unauthorized', 'The API key is not known.', [{ in: 'header', name: 'authorization', detail: 'names no key' }],
        { headers: challenge('invalid_token', 'unknown key') })
    }
    if (!result.ok && result.reason === 'expired') {
      throw new AppError('unauthorized', `The API key "${result.key!.name}" expired at ${result.key!.expires_at}; ask an admin for a new one.`,
        [{ in: 'header', name: 'authorization', detail: 'names an expired key' }], { headers: challenge('invalid_token', 'expired key') })
    }
    if (!result.ok) {
      throw new AppError('forbidden', `The API key "${result.key!.name}" was revoked at ${result.key!.revoked_at}.`, undefined,
        { headers: challenge('invalid_token', 'revoked key') })
    }
    if (scope === 'admin' && result.key.scope !== 'admin') {
      throw new AppError('forbidden', `The API key "${result.key.name}" has the scope "${result.key.scope}"; this operation needs "${scope}".`, undefined,
        { headers: challenge('insufficient_scope', `needs ${scope}`) })
    }
    request.apiKey = result.key
  })
}, { name: 'auth', dependencies: ['knowledge-base'] })
