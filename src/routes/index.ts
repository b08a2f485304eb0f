import type { FastifyInstance } from 'fastify'
import { kinds } from '../kinds/index.js'
import { bulkRoutes } from './bulk.js'
import changes from './changes.js'
import health from './health.js'
import keys from './keys.js'
import meta from './meta.js'
import { readRoutes } from './read-routes.js'
import search from './search.js'
import stats from './stats.js'
import timeline from './timeline.js'
import { writeRoutes } from './write-routes.js'

export default async function routes (app: FastifyInstance, opts: { importBodyLimit: number, maxStreams: number, maxStreamsPerClient: number }) {
  await app.register(meta)
  await app.register(health)
  for (const kind of kinds) {
    await app.register(readRoutes(kind))
    if (kind.routes !== undefined) await app.register(kind.routes)
  }
  for (const kind of kinds) await app.register(writeRoutes(kind))
  await app.register(timeline)
  await app.register(stats)
  await app.register(changes, { maxStreams: opts.maxStreams, maxStreamsPerClient: opts.maxStreamsPerClient })
  await app.register(search)
  await app.register(bulkRoutes(opts))
  await app.register(keys)
}
