import swagger, { type SwaggerTransform } from '@fastify/swagger'
import helmet from '@fastify/helmet'
import swaggerUi from '@fastify/swagger-ui'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { fixedBody, sendFixed, type FixedBody } from '../http/caching.js'
import { productName as title, version } from '../paths.js'
import { kinds, timelineNouns } from '../kinds/index.js'

/** The OpenAPI tags: one a kind of record (from the registry), then the cross-cutting ones. */
export const tags = [
  ...kinds.map((k) => ({ name: k.path, description: k.description })),
  { name: 'search', description: 'Full-text search across every kind of record and the sources\' text, ranked by bm25, diacritics folded.' },
  { name: 'timeline', description: `Dated ${timelineNouns} merged in date order, each with a headline and its citations.` },
  { name: 'stats', description: 'Aggregates shaped for charts: labelled series of transfers, people transferred, quotes, measures and deadlines.' },
  { name: 'changes', description: 'The change feed: every create, update and delete in commit order, as JSON pages or Server-Sent Events.' },
  { name: 'bulk', description: 'NDJSON import (all or nothing) and export of the whole knowledge base.' },
  { name: 'keys', description: 'API keys, managed by `admin` keys: list, make (the key is shown once), revoke.' },
  { name: 'operations', description: 'Liveness and readiness probes.' },
  { name: 'meta', description: 'The entry points (`/`, `/v1`) and the problem types that errors\' `type` URIs name.' }
]

/** Builds the OpenAPI 3.1 document from the routes' schemas; serves it and an interactive reference. */
export default fp(async function openapiPlugin (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title,
        version,
        description: 'Transfers, actors, quotes, tariff deadlines and cooperation measures between the United States and Mexico. ' +
          'Every record carries citations: exact excerpts of a stored source, with offsets that can be checked. ' +
          'Lists use keyset cursors (`next_cursor` and a `Link: rel="next"` header); errors are RFC 9457 `application/problem+json`.',
        license: { name: 'MIT', identifier: 'MIT' },
        contact: { name: 'Knowledge base maintainers' }
      },
      // Relative: "Try it out" and clients reach the server that served the document, whatever its
      // port or proxy. The served copy names PUBLIC_URL instead when it is set.
      servers: [{ url: '/', description: 'The server that serves this document' }],
      tags,
      components: {
        securitySchemes: {
          bearerAuth: { type: 'http', scheme: 'bearer', description: 'An API key made with `npm run kb -- keys create --name <name> --scope write|admin`. Reads need none.' }
        }
      },
      security: []
    },
    hideUntagged: true,
    transform: documentRevalidation,
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`)
    }
  })
  // The interactive reference, in a context of its own: helmet's full set of headers for its HTML
  // pages, with a content security policy that lets them run (its scripts and styles by hash) and
  // "Try it out" call the API on the same origin, over plain http too.
  await app.register(async (docs) => {
    await docs.register(helmet, { contentSecurityPolicy: false })
    await docs.register(swaggerUi, {
      routePrefix: '/docs',
      uiConfig: { deepLinking: true },
      theme: { title: `${title}: API reference` },
      logo: { type: 'image/svg+xml', content: Buffer.from(logo), href: '/docs', target: '_self' },
      staticCSP: true,
      transformStaticCSP: (header) => header.replace(/\s*upgrade-insecure-requests;?/, '')
    })
  })

  // The document as served: PUBLIC_URL as its server when set, an ETag from its bytes, made once.
  let served: FixedBody | undefined
  app.get('/openapi.json', { schema: { hide: true } }, async (request, reply) => {
    if (served === undefined) {
      const document = app.swagger() as { servers?: unknown }
      served = fixedBody(JSON.stringify(app.publicUrl === '' ? document : { ...document, servers: [{ url: app.publicUrl, description: 'This API' }] }))
    }
    return sendFixed(request, reply, served, 'application/json; charset=utf-8')
  })
}, { name: 'openapi' })

/**
 * Every GET the HTTP cache answers (src/http/caching.ts: all of /v1 but the event stream) takes
 * `If-None-Match` and can answer 304: said once here, in the document only, so generated clients
 * can poll the way the README teaches without the routes validating a header they all ignore.
 */
const documentRevalidation: SwaggerTransform = ({ schema, url, route }) => {
  const methods = ([] as string[]).concat(route.method)
  if (schema === undefined || !methods.includes('GET') || !url.startsWith('/v1/') || route.config?.cache === 'none') return { schema, url }
  const response = { ...(schema.response as Record<string, unknown>), 304: notModifiedResponse }
  const ordered = Object.fromEntries(Object.entries(response).sort(([a], [b]) => Number(a) - Number(b)))
  return { url, schema: { ...schema, headers: { ...(schema.headers as object), ...ifNoneMatchHeaders }, response: ordered } }
}

const ifNoneMatchHeaders = {
  type: 'object',
  properties: {
    'if-none-match': {
      type: 'string',
      description: 'The `ETag` of an earlier answer to this same request (`"v28-jj9lbp"`): the server answers 304 with no body while it is current, so polling costs almost nothing.'
    }
  }
}

const notModifiedResponse = {
  description: 'Not modified: the `If-None-Match` ETag is still current; keep the copy you have.',
  type: 'null',
  headers: {
    ETag: { type: 'string', description: 'The current ETag (the one sent).' },
    'Cache-Control': { type: 'string', description: '`public, no-cache`: a cache may keep the answer but must revalidate it.' }
  }
}

/** The mark in the reference's top bar: the product's, not the framework's. */
const logo = '<svg xmlns="http://www.w3.org/2000/svg" width="180" height="32" viewBox="0 0 180 32"><rect width="180" height="32" rx="4" fill="#1b3a57"/>' +
  '<text x="12" y="21" font-family="sans-serif" font-size="14" fill="#fff">US–MX security KB</text></svg>'
