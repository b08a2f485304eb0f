/**
 * `npm run openapi` writes openapi/openapi.json from the routes' schemas;
 * `npm run openapi -- --check` exits 1 when the committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateOpenApiDocument } from '../src/openapi-document.js'
import { projectRoot } from '../src/paths.js'

const path = join(projectRoot, 'openapi', 'openapi.json')
const generated = await generateOpenApiDocument()

if (process.argv.includes('--check')) {
  let committed = ''
  try { committed = readFileSync(path, 'utf8') } catch {}
  if (committed !== generated) {
    console.error(`${path} is stale: run \`npm run openapi\` and commit the result.`)
    process.exit(1)
  }
  console.log(`${path} is current.`)
} else {
  writeFileSync(path, generated)
  console.log(`wrote ${path}`)
}
