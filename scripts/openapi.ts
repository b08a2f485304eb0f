/**
 * `npm run openapi` writes openapi/openapi.json from the routes' schemas, and the explorer's client
 * types (src/explorer/api/openapi.d.ts) from that document;
 * `npm run openapi -- --check` exits 1 when either committed file is stale.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateOpenApiDocument } from '../src/openapi-document.js'
import { projectRoot } from '../src/paths.js'
import { clientTypesPath, generateClientTypes } from './client-types.js'

const documentPath = join(projectRoot, 'openapi', 'openapi.json')
const document = await generateOpenApiDocument()
const files = [
  { path: documentPath, generated: document },
  { path: clientTypesPath, generated: await generateClientTypes(document) }
]

if (process.argv.includes('--check')) {
  let stale = false
  for (const { path, generated } of files) {
    let committed = ''
    try { committed = readFileSync(path, 'utf8') } catch {}
    if (committed !== generated) {
      console.error(`${path} is stale: run \`npm run openapi\` and commit the result.`)
      stale = true
    } else console.log(`${path} is current.`)
  }
  if (stale) process.exit(1)
} else {
  for (const { path, generated } of files) {
    writeFileSync(path, generated)
    console.log(`wrote ${path}`)
  }
}
