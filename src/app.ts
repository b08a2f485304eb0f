import compress from '@fastify/compress'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { defaults, type Config } from './config.js'
import { postgresBackend } from './backends/postgres.js'
import { sqliteBackend } from './backends/sqlite.js'
import type { Db } from './db/client.js'
import type { PgDb } from './db/pg-client.js'
import caching from './http/caching.js'
import { compilersFactory } from './http/compilers.js'
import { requestIdOf } from './http/request-id.js'
import { apiSecurityHeaders } from './http/security-headers.js'
import { createKnowledgeBase } from './knowledge-base.js'
import auth from './plugins/auth.js'
import cors from './plugins/cors.js'
import explorer from './plugins/explorer.js'
import knowledgeBase from './plugins/knowledge-base.js'
import negotiation from './plugins/negotiation.js'
import openapi from './plugins/openapi.js'
import problems, { clientErrorHandler, frameworkError } from './plugins/problems.js'
import rateLimits from './plugins/rate-limits.js'
import { explorerFolder, version } from './paths.js'
import { addFormats } from './query/dates.js'
import routes from './routes/index.js'
import { maxIdLength } from './schemas/common.js'
import { allSchemas } from './schemas/index.js'

/** What is worth compressing: text (but the event stream), JSON and NDJSON, the docs' scripts and images. */
const compressible = /^(?:text\/(?!event-stream)[\w.+-]+|application\/(?:[\w.-]+\+)?json|application\/x-ndjson|application\/javascript|image\/svg\+xml)\s*(?:;|$)/i

/** The settings `buildApp` takes: any of the server's configuration, the defaults for the rest. */
export type AppConfig = Partial<Omit<Config, 'port' | 'host' | 'databasePath'>>

export interface AppOptions {
  /** The database to serve: SQLite's (createDb), or PostgreSQL's (openPgDb; the caller closes both). */
  db: Db | PgDb
  config: AppConfig
  /** Fastify logger options; false (the default) for tests. */
  logger?: FastifyServerOptions['logger']
  /** The explorer's bundle (dist/explorer unless told). */
  explorerFolder?: string
}

/** Builds the app over a database it is handed (migrated, indexed, seeded); `server.ts` listens, tests inject. */
export async function buildApp ({ db, config, logger = false, explorerFolder: explorerAt = explorerFolder }: AppOptions) {
  const settings = { ...defaults, ...config }
  const app = Fastify({
    logger,
    bodyLimit: settings.bodyLimit,
    trustProxy: settings.trustProxy as boolean | string[],
    // A request must arrive whole, and its headers first, in time; idle keep-alive connections close.
    // Node checks those deadlines every connectionsCheckingInterval (30 s unless told).
    requestTimeout: settings.requestTimeoutMs,
    keepAliveTimeout: settings.keepAliveTimeoutMs,
    http: { headersTimeout: settings.headersTimeoutMs, connectionsCheckingInterval: Math.min(1000, settings.headersTimeoutMs) } as never,
    routerOptions: { maxParamLength: maxIdLength },
    frameworkErrors: frameworkError,
    clientErrorHandler,
    schemaController: { compilersFactory: compilersFactory as never },
    genReqId: requestIdOf,
    // Worker threads open their connections while the knowledge-base plugin starts: from source
    // (tsx compiling every module again in each thread) on a busy machine that takes seconds.
    pluginTimeout: 60_000,
    ajv: {
      customOptions: {
        removeAdditional: false, // an unknown parameter is an error, not silently dropped
        allErrors: true,
        coerceTypes: 'array',
        useDefaults: true
      },
      plugins: [addFormats]
    }
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.server.maxConnections = settings.maxConnections
  app.decorate('publicUrl', settings.publicUrl ?? '')

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id).header('server-version', version)
    // /docs has helmet's full set, its own policy among them (src/plugins/openapi.ts). A 304 has no
    // content for them to govern, and repeats only what guides a cache's update (RFC 9110 §15.4.5).
    if (reply.statusCode !== 304 && request.routeOptions.url?.startsWith('/docs') !== true) reply.headers(apiSecurityHeaders)
    done(null, payload)
  })

  for (const schema of allSchemas) app.addSchema(schema)

  // Ecosystem plugins, then ours, then routes. Rate limits come before anything that can answer early.
  // Compression first, so every route (the docs' assets too) gets it: brotli at quality 4 (the
  // plugin's default; 11 costs far more CPU than it saves bytes) or gzip, whichever the client
  // prefers, above 1 KiB; never the event stream, whose events must not wait in a compressor's
  // buffer. Request bodies are taken as sent: no decompression, so no zip bomb past bodyLimit.
  await app.register(compress, { encodings: ['br', 'gzip'], globalDecompression: false, customTypes: compressible })
  await app.register(openapi)
  await app.register(problems)
  await app.register(rateLimits, { limits: settings.rateLimits })
  await app.register(negotiation)
  await app.register(cors, { cors: { corsReadOrigins: settings.corsReadOrigins, corsWriteOrigins: settings.corsWriteOrigins } })
  if ('pool' in db) {
    await app.register(knowledgeBase, { backend: await postgresBackend(db, { cursorSecret: settings.cursorSecret }) })
  } else {
    const kb = createKnowledgeBase(db, { cursorSecret: settings.cursorSecret, idempotencyTtlHours: settings.idempotencyTtlHours })
    const backend = sqliteBackend(kb, {
      readers: settings.readWorkers,
      readTimeoutMs: settings.readTimeoutMs,
      idempotencyTtlHours: settings.idempotencyTtlHours,
      onError: (err) => app.log.error({ err }, 'a worker thread failed')
    })
    await app.register(knowledgeBase, { backend, kb })
  }
  await app.register(caching)
  await app.register(auth)
  await app.register(explorer, { folder: explorerAt })
  await app.register(routes, { importBodyLimit: settings.importBodyLimit, maxStreams: settings.maxStreams, maxStreamsPerClient: settings.maxStreamsPerClient })
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
