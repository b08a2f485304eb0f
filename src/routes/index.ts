import type { FastifyInstance } from 'fastify'
import actors from './actors.js'
import cooperationMeasures from './cooperation-measures.js'
import health from './health.js'
import quotes from './quotes.js'
import sources from './sources.js'
import tariffDeadlines from './tariff-deadlines.js'
import transfers from './transfers.js'

export default async function routes (app: FastifyInstance) {
  await app.register(health)
  await app.register(sources)
  await app.register(actors)
  await app.register(transfers)
  await app.register(quotes)
  await app.register(tariffDeadlines)
  await app.register(cooperationMeasures)
}
