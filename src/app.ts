import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import type { Db } from './db/client.js'
import caching from './http/caching.js'
import { compilersFactory } from './http/compilers.js'
import { requestIdOf } from './http/request-id.js'
import { createKnowledgeBase } from './knowledge-base.js'
import auth from './plugins/auth.js'
import cors from './plugins/cors.js'
import knowledgeBase from './plugins/knowledge-base.js'
import negotiation from './plugins/negotiation.js'
import openapi from './plugins/openapi.js'
import problems from './plugins/problems.js'
import { addPartialDateFormat } from './query/dates.js'
import routes from './routes/index.js'
import { allSchemas } from './schemas/index.js'

export interface AppOptions {
  db: Db
  config: Partial<Pick<Config, 'cursorSecret' | 'logLevel' | 'bodyLimit' | 'importBodyLimit' | 'corsReadOrigins' | 'corsWriteOrigins'>>
  /** Fastify logger options; false (the default) for tests. */
  logger?: FastifyServerOptions['logger']
}

export const defaultBodyLimit = 1024 * 1024
export const defaultImportBodyLimit = 64 * 1024 * 1024

/** Builds the app over a database it is handed (migrated and indexed); `server.ts` listens, tests inject. */
export async function buildApp ({ db, config, logger = false }: AppOptions) {
  const app = Fastify({
    logger,
    bodyLimit: config.bodyLimit ?? defaultBodyLimit,
    schemaController: { compilersFactory: compilersFactory as never },
    genReqId: requestIdOf,
    ajv: {
      customOptions: {
        removeAdditional: false, // an unknown parameter is an error, not silently dropped
        allErrors: true,
        coerceTypes: 'array',
        useDefaults: true
      },
      plugins: [addPartialDateFormat]
    }
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  for (const schema of allSchemas) app.addSchema(schema)

  // Ecosystem plugins, then ours, then routes.
  await app.register(openapi)
  await app.register(problems)
  await app.register(negotiation)
  await app.register(cors, { cors: { corsReadOrigins: config.corsReadOrigins ?? ['*'], corsWriteOrigins: config.corsWriteOrigins ?? [] } })
  await app.register(knowledgeBase, { kb: createKnowledgeBase(db, { cursorSecret: config.cursorSecret }) })
  await app.register(caching)
  await app.register(auth)
  await app.register(routes, { importBodyLimit: config.importBodyLimit ?? defaultImportBodyLimit })
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
