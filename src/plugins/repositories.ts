import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import type { Config } from '../config.js'
import type { Db } from '../db/client.js'
import { CursorCodec } from '../query/cursor.js'
import { createActorsRepository, type ActorsRepository } from '../repositories/actors.js'
import { createCooperationMeasuresRepository, type CooperationMeasuresRepository } from '../repositories/cooperation-measures.js'
import { createQuotesRepository, type QuotesRepository } from '../repositories/quotes.js'
import { createRevisionsRepository, type RevisionsRepository } from '../repositories/revisions.js'
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

/** One repository per resource, over a database handle (also used by the seed loader and the CLI). */
export function createRepositories (db: Db, codec: CursorCodec): Repositories {
  const { orm } = db
  return {
    sources: createSourcesRepository(orm, codec),
    actors: createActorsRepository(orm, codec),
    transfers: createTransfersRepository(orm, codec),
    quotes: createQuotesRepository(orm, codec),
    tariffDeadlines: createTariffDeadlinesRepository(orm, codec),
    cooperationMeasures: createCooperationMeasuresRepository(orm, codec)
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    db: Db
    repositories: Repositories
    revisions: RevisionsRepository
    cursorCodec: CursorCodec
  }
}

/** Decorates the app with the database it was given and one repository per resource. */
export default fp(async function repositoriesPlugin (app: FastifyInstance, opts: { db: Db, config: Pick<Config, 'cursorSecret'> }) {
  const codec = new CursorCodec(opts.config.cursorSecret)
  app.decorate('db', opts.db)
  app.decorate('cursorCodec', codec)
  app.decorate('repositories', createRepositories(opts.db, codec))
  app.decorate('revisions', createRevisionsRepository(opts.db, codec))
}, { name: 'repositories' })
