import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { Db } from '../db/client.js'
import { CursorCodec } from '../query/cursor.js'
import { createActorsRepository, type ActorsRepository } from '../repositories/actors.js'
import { createCooperationMeasuresRepository, type CooperationMeasuresRepository } from '../repositories/cooperation-measures.js'
import { createQuotesRepository, type QuotesRepository } from '../repositories/quotes.js'
import { createSourcesRepository, type SourcesRepository } from '../repositories/sources.js'
import { createTariffDeadlinesRepository, type TariffDeadlinesRepository } from '../repositories/tariff-deadlines.js'
import { createTransfersRepository, type TransfersRepository } from '../repositories/transfers.js'

export interface Repositories {
  sources: SourcesRepository
  actors: ActorsRepository
  transfers: TransfersRepository
  quotes: QuotesRepository
  tariffDeadlines: TariffDeadlinesRepository
  cooperationMeasures: CooperationMeasuresRepository
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    repositories: Repositories
  }
}

/** Decorates the app with the database it was given and one repository per resource. */
export default fp(async function repositoriesPlugin (app: FastifyInstance, opts: { db: Db, config: Pick<Config, 'cursorSecret'> }) {
  const codec = new CursorCodec(opts.config.cursorSecret)
  const { orm } = opts.db
  app.decorate('db', opts.db)
  app.decorate('repositories', {
    sources: createSourcesRepository(orm, codec),
    actors: createActorsRepository(orm, codec),
    transfers: createTransfersRepository(orm, codec),
    quotes: createQuotesRepository(orm, codec),
    tariffDeadlines: createTariffDeadlinesRepository(orm, codec),
    cooperationMeasures: createCooperationMeasuresRepository(orm, codec)
  })
}, { name: 'repositories' })
