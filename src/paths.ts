import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** The package root, found from this file whether it runs from `src/` (tsx) or `dist/src/` (built). */
function findProjectRoot (): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('package.json not found above ' + fileURLToPath(import.meta.url))
    dir = parent
  }
  return dir
}

export const projectRoot = findProjectRoot()
export const migrationsFolder = join(projectRoot, 'migrations')
export const seedsFolder = join(projectRoot, 'seeds')

/** The product's name: the OpenAPI document's title, the docs page's, `GET /`'s. */
export const productName = 'U.S.–Mexico Security Cooperation Knowledge Base'

/** The product's version, package.json's: in the OpenAPI document, `/health` and the `Server-Version` header. */
export const version = (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version

/** Where `npm run build` puts the explorer's bundle (vite.config.ts), which the server serves at /explore. */
export const explorerFolder = join(projectRoot, 'dist', 'explorer')

/** The PostgreSQL migrations (drizzle.pg.config.ts; issue #17's backend, not used by the server yet). */
export const pgMigrationsFolder = join(projectRoot, 'migrations', 'pg')
