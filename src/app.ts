import { createServer, type IncomingMessage, type ServerOptions, type ServerResponse } from 'node:http'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'
import type { Config } from './config.js'
import type { Db } from './db/client.js'
import { compilersFactory } from './http/compilers.js'
import { requestIdOf } from './http/request-id.js'
import { Revalidator } from './http/revalidation.js'
import { addPartialDateFormat } from './query/dates.js'
import openapi from './plugins/openapi.js'
import problems from './plugins/problems.js'
import auth from './plugins/auth.js'
import cors from './plugins/cors.js'
import httpCache from './plugins/http-cache.js'
import negotiation from './plugins/negotiation.js'
import repositories from './plugins/repositories.js'
import writes from './plugins/writes.js'
import routes from './routes/index.js'
import { allSchemas } from './schemas/index.js'

export interface AppOptions {
  db: Db
  config: Pick<Config, 'cursorSecret'> & Partial<Pick<Config, 'logLevel' | 'bodyLimit' | 'importBodyLimit' | 'corsReadOrigins' | 'corsWriteOrigins'>>
  /** Fastify logger options; false (the default) for tests. */
  logger?: FastifyServerOptions['logger']
}

export const defaultBodyLimit = 1024 * 1024
export const defaultImportBodyLimit = 64 * 1024 * 1024

interface ServerFactoryOptions {
  http?: ServerOptions
  keepAliveTimeout?: number
  requestTimeout?: number
  connectionTimeout?: number
  maxRequestsPerSocket?: number
}

/**
 * Fastify's own HTTP/1.1 server (the same timeouts), with the revalidator in front: a conditional
 * GET it can answer from its validators is a 304 before routing; everything else goes to Fastify.
 */
function serverWith (revalidator: Revalidator) {
  return (handler: (req: IncomingMessage, res: ServerResponse) => void, options: ServerFactoryOptions) => {
    const server = createServer(options.http ?? {}, (req, res) => {
      if (!revalidator.handle(req, res)) handler(req, res)
    })
    if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = options.keepAliveTimeout
    if (options.requestTimeout !== undefined) server.requestTimeout = options.requestTimeout
    if (options.connectionTimeout !== undefined) server.setTimeout(options.connectionTimeout)
    if (options.maxRequestsPerSocket !== undefined && options.maxRequestsPerSocket > 0) server.maxRequestsPerSocket = options.maxRequestsPerSocket
    return server
  }
}

/** Builds the app over a database it is handed; `server.ts` listens, tests inject. */
export async function buildApp ({ db, config, logger = false }: AppOptions) {
  const revalidator = new Revalidator()
  const app = Fastify({
    logger,
    serverFactory: serverWith(revalidator) as never,
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
  await app.register(repositories, { db, config })
  await app.register(writes)
  await app.register(httpCache, { revalidator, requestId: requestIdOf })
  await app.register(auth)
  await app.register(routes, { importBodyLimit: config.importBodyLimit ?? defaultImportBodyLimit })
  return app
}

export type App = Awaited<ReturnType<typeof buildApp>>
