import type { FastifyInstance } from 'fastify'
import actors from './actors.js'
import { bulkRoutes } from './bulk.js'
import calendar from './calendar.js'
import changes from './changes.js'
import cooperationMeasures from './cooperation-measures.js'
import health from './health.js'
import quotes from './quotes.js'
import search from './search.js'
import sources from './sources.js'
import stats from './stats.js'
import tariffDeadlines from './tariff-deadlines.js'
import timeline from './timeline.js'
import transfers from './transfers.js'
import { writeRoutes } from './write-routes.js'
import { kindTypes } from '../kinds.js'

export default async function routes (app: FastifyInstance, opts: { importBodyLimit: number }) {
  await app.register(health)
  await app.register(sources)
  await app.register(actors)
  await app.register(transfers)
  await app.register(quotes)
  await app.register(tariffDeadlines)
  await app.register(calendar)
  await app.register(cooperationMeasures)
  for (const type of kindTypes) await app.register(writeRoutes(type))
  await app.register(timeline)
  await app.register(stats)
  await app.register(changes)
  await app.register(search)
  await app.register(bulkRoutes(opts))
}
