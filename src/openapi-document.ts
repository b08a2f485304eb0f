import { buildApp } from './app.js'
import { createDb, migrateDb } from './db/client.js'

/** The OpenAPI document exactly as the app generates it from its routes, with a trailing newline. */
export async function generateOpenApiDocument (): Promise<string> {
  const db = createDb(':memory:')
  migrateDb(db)
  const app = await buildApp({ db, config: {} })
  try {
    await app.ready()
    return JSON.stringify(app.swagger(), null, 2) + '\n'
  } finally {
    await app.close()
    db.close()
  }
}
