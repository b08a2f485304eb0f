import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { clientTypesPath, generateClientTypes } from '../scripts/client-types.js'
import { generateOpenApiDocument } from '../src/openapi-document.js'
import { projectRoot, version } from '../src/paths.js'
import { buildTestApp } from './helpers.js'

const committedPath = join(projectRoot, 'openapi', 'openapi.json')

interface Operation {
  operationId?: string
  tags?: string[]
  summary?: string
  responses?: Record<string, unknown>
}
interface Document {
  paths: Record<string, Record<string, Operation>>
  components: { schemas: Record<string, { description?: string }> }
}

/** JSON pointers (two levels deep below paths and components) where two documents differ. */
function differences (a: unknown, b: unknown, pointer = '', depth = 0): string[] {
  if (JSON.stringify(a) === JSON.stringify(b)) return []
  const objects = typeof a === 'object' && a !== null && typeof b === 'object' && b !== null
  if (!objects || depth >= 3) return [pointer || '/']
  const keys = new Set([...Object.keys(a), ...Object.keys(b)])
  return [...keys].flatMap((k) => differences((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, depth + 1))
}

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'])

t.test('the committed openapi/openapi.json is what the routes generate', async (t) => {
  const generated = await generateOpenApiDocument()
  const committed = readFileSync(committedPath, 'utf8')
  const stale = committed === generated ? '' : ` (differs at ${differences(JSON.parse(committed), JSON.parse(generated)).join(', ')})`
  t.ok(committed === generated, `openapi/openapi.json is stale: run \`npm run openapi\` and commit the result${stale}`)
})

t.test('the explorer\'s committed client types are what the committed document generates', async (t) => {
  const generated = await generateClientTypes(readFileSync(committedPath, 'utf8'))
  t.ok(readFileSync(clientTypesPath, 'utf8') === generated, 'src/explorer/api/openapi.d.ts is stale: run `npm run openapi` and commit the result')
})

t.test('redocly lint reports no errors and no warnings', async (t) => {
  let stdout: string
  try {
    ({ stdout } = await promisify(execFile)('npx', ['redocly', 'lint', 'openapi/openapi.json', '--format=json'], {
      cwd: projectRoot,
      timeout: 120_000,
      maxBuffer: 16 * 1024 * 1024,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
    }))
  } catch (err) {
    // redocly exits non-zero when it finds errors; its report is still on stdout.
    const e = err as { stdout?: string, stderr?: string, code?: unknown }
    if (e.stdout === undefined || e.stdout === '') throw new Error(`redocly lint failed to run (${String(e.code)}): ${e.stderr ?? ''}`)
    stdout = e.stdout
  }
  const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
    totals: { errors: number, warnings: number }
    problems: Array<{ ruleId: string, message: string, location?: Array<{ pointer?: string }> }>
  }
  const listing = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location?.[0]?.pointer ?? '?'}`).join('\n')
  t.equal(report.totals.errors, 0, `no errors\n${listing}`)
  t.equal(report.totals.warnings, 0, `no warnings\n${listing}`)
})

t.test('every operation has an operationId, tags, a summary, a 4xx and a 500 response', async (t) => {
  const doc = JSON.parse(await generateOpenApiDocument()) as Document
  const ids = new Set<string>()
  let operations = 0
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (!methods.has(method)) continue
      operations++
      const name = `${method.toUpperCase()} ${path}`
      t.match(op.operationId, /^[a-z][A-Za-z]+$/, `${name} has a camelCase operationId`)
      t.notOk(ids.has(op.operationId!), `${name}: operationId ${op.operationId} is unique`)
      ids.add(op.operationId!)
      t.ok((op.tags?.length ?? 0) > 0, `${name} has a tag`)
      t.ok((op.summary?.length ?? 0) > 0, `${name} has a summary`)
      const statuses = Object.keys(op.responses ?? {})
      t.ok(statuses.some((s) => /^4\d\d$/.test(s)), `${name} documents a 4xx`)
      t.ok(statuses.includes('500'), `${name} documents a 500`)
    }
  }
  t.ok(operations >= 14, `${operations} operations: a list and a get for six resources, and two probes`)
  for (const path of ['sources', 'actors', 'transfers', 'quotes', 'tariff-deadlines', 'cooperation-measures']) {
    t.ok(doc.paths[`/v1/${path}`]?.get, `GET /v1/${path}`)
    t.ok(doc.paths[`/v1/${path}/{id}`]?.get, `GET /v1/${path}/{id}`)
  }
})

t.test('every component schema has a description', async (t) => {
  const doc = JSON.parse(await generateOpenApiDocument()) as Document
  const schemas = Object.entries(doc.components.schemas)
  t.ok(schemas.length > 10, `${schemas.length} component schemas`)
  for (const [name, schema] of schemas) {
    t.ok((schema.description?.length ?? 0) > 0, `${name} has a description`)
    t.notMatch(name, /^def-\d+$/, `${name} is a named component`)
  }
})

t.test('GET /openapi.json serves the generated document', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/openapi.json' })
  t.equal(res.statusCode, 200)
  t.match(String(res.headers['content-type']), /^application\/json/)
  t.same(res.json(), JSON.parse(await generateOpenApiDocument()))
  t.same(res.json().servers, [{ url: '/', description: 'The server that serves this document' }], 'relative: Try it out reaches whatever port served it')
  t.equal(res.json().info.version, version)

  const etag = String(res.headers.etag)
  t.match(etag, /^"[\w-]{22}"$/)
  t.equal(res.headers['cache-control'], 'public, no-cache')
  const again = await app.inject({ url: '/openapi.json', headers: { 'if-none-match': etag } })
  t.equal(again.statusCode, 304)
  t.equal(again.body, '')
})

t.test('GET /openapi.json names PUBLIC_URL as its server when one is set', async (t) => {
  const { app } = await buildTestApp(t, { config: { publicUrl: 'https://kb.example.org' } })
  const res = await app.inject({ url: '/openapi.json' })
  t.same(res.json().servers, [{ url: 'https://kb.example.org', description: 'This API' }])
})

t.test('GET /docs answers with the interactive reference', async (t) => {
  const { app } = await buildTestApp(t)
  let res = await app.inject({ url: '/docs' })
  if (res.statusCode >= 300 && res.statusCode < 400) res = await app.inject({ url: String(res.headers.location) })
  t.equal(res.statusCode, 200)
  t.match(String(res.headers['content-type']), /^text\/html/)
  t.match(res.body, /<html/i)
  t.match(res.body, /<title>U\.S\.–Mexico Security Cooperation Knowledge Base: API reference<\/title>/, 'titled after the product')

  const slash = await app.inject({ url: '/docs/' })
  t.equal(slash.statusCode, 200)
  t.match(String(slash.headers['content-type']), /^text\/html/)
})

interface Parameter { name: string, in: string, required?: boolean, example?: unknown, examples?: Record<string, { value: unknown }> }

t.test('every read\'s examples succeed together on the seed data, as "Try it out" sends them', async (t) => {
  const { app } = await buildTestApp(t)
  const document = JSON.parse(readFileSync(committedPath, 'utf8')) as {
    paths: Record<string, Record<string, { operationId: string, security?: unknown[], parameters?: Parameter[] }>>
  }
  // Swagger UI fills each parameter with its `example`, or the first of its `examples`.
  const exampleOf = (p: Parameter) => p.example ?? Object.values(p.examples ?? {})[0]?.value
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.get
    // The stream never ends; reads that need a key are tried with one in the test of keys.
    if (operation === undefined || path === '/v1/changes/stream' || (operation.security?.length ?? 0) > 0) continue
    let url = path
    const query = new URLSearchParams()
    const headers: Record<string, string> = {}
    for (const parameter of operation.parameters ?? []) {
      const example = exampleOf(parameter)
      if (example === undefined) {
        t.notOk(parameter.required, `${operation.operationId}: the required ${parameter.name} has an example`)
        continue
      }
      const value = String(example)
      if (parameter.in === 'path') url = url.replace(`{${parameter.name}}`, encodeURIComponent(value))
      else if (parameter.in === 'query') query.set(parameter.name, value)
      else if (parameter.in === 'header') headers[parameter.name] = value
    }
    const res = await app.inject({ url: query.size > 0 ? `${url}?${query}` : url, headers })
    t.equal(res.statusCode, 200, `${operation.operationId} (${url}?${query}): 200${res.statusCode === 200 ? '' : `, not ${res.statusCode}: ${res.body.slice(0, 300)}`}`)
    if (res.statusCode !== 200 || !String(res.headers['content-type']).startsWith('application/json')) continue
    const body = res.json() as { data?: unknown[] }
    if (Array.isArray(body.data)) t.ok(body.data.length > 0, `${operation.operationId}: the examples find something`)
  }
})
