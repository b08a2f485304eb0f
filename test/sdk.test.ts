import { execFile } from 'node:child_process'
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { promisify } from 'node:util'
import openapiTS, { astToString } from 'openapi-typescript'
import t from 'tap'
import { projectRoot } from '../src/paths.js'
import { buildTestApp } from './helpers.js'

const generatedDir = join(projectRoot, 'test', '.generated')
const typesPath = join(generatedDir, 'kb-api.d.ts')
const clientPath = join(generatedDir, 'kb-client.ts')
const tsconfigPath = join(generatedDir, 'tsconfig.sdk.json')

/**
 * A client as an SDK user would write it. It must compile under strict settings against the
 * generated types, and `exercise` runs it against a live server.
 */
const clientSource = `import createClient from 'openapi-fetch'
import type { components, paths } from './kb-api.js'

type Transfer = components['schemas']['Transfer']
type Problem = components['schemas']['Problem']
/** The JSON forms: application/json and application/problem+json (lists also come as CSV and NDJSON). */
type Json = 'application/json' | 'application/problem+json'

export interface Outcome {
  list: { status: number, ids: string[], nextCursor: string | null, link: string | null }
  page2: { status: number, ids: string[] }
  get: { status: number, id: string, peopleCount: number | null, mechanism: Transfer['mechanism'] }
  missing: { status: number, contentType: string | null, problem: Problem }
  invalid: { status: number, problem: Problem }
}

export async function exercise (baseUrl: string): Promise<Outcome> {
  const client = createClient<paths, Json>({ baseUrl })

  const list = await client.GET('/v1/transfers', { params: { query: { limit: 1, sort: '-date', from_country: 'MX' } } })
  if (list.data === undefined) throw new Error('list failed: ' + JSON.stringify(list.error))
  const transfers: Transfer[] = list.data.data
  const nextCursor: string | null = list.data.next_cursor

  if (nextCursor === null) throw new Error('expected a second page')
  const page2 = await client.GET('/v1/transfers', { params: { query: { limit: 1, sort: '-date', from_country: 'MX', cursor: nextCursor } } })
  if (page2.data === undefined) throw new Error('page 2 failed: ' + JSON.stringify(page2.error))

  const got = await client.GET('/v1/transfers/{id}', { params: { path: { id: 'transfer-2025-08-12' } } })
  if (got.data === undefined) throw new Error('get failed: ' + JSON.stringify(got.error))
  const transfer: Transfer = got.data

  const missing = await client.GET('/v1/transfers/{id}', { params: { path: { id: 'no-such-transfer' } } })
  if (missing.error === undefined) throw new Error('expected a 404')
  const problem: Problem = missing.error
  const code: Problem['code'] = problem.code

  const invalid = await client.GET('/v1/actors', { params: { query: { limit: 501 } } })
  if (invalid.error === undefined) throw new Error('expected a 400')

  return {
    list: { status: list.response.status, ids: transfers.map((x) => x.id), nextCursor, link: list.response.headers.get('link') },
    page2: { status: page2.response.status, ids: page2.data.data.map((x) => x.id) },
    get: { status: got.response.status, id: transfer.id, peopleCount: transfer.people_count, mechanism: transfer.mechanism },
    missing: { status: missing.response.status, contentType: missing.response.headers.get('content-type'), problem: { ...problem, code } },
    invalid: { status: invalid.response.status, problem: invalid.error }
  }
}

/** Never called: these lines only have to fail to compile, which proves the types are real. */
export function typeErrors (client: ReturnType<typeof createClient<paths, Json>>) {
  // @ts-expect-error limit is an integer, not a string
  void client.GET('/v1/transfers', { params: { query: { limit: 'ten' } } })
  // @ts-expect-error validity is one of a closed set of values
  void client.GET('/v1/actors', { params: { query: { validity: 'sometimes' } } })
  // @ts-expect-error there is no such path
  void client.GET('/v1/transfer', {})
  // @ts-expect-error the path parameter id is required
  void client.GET('/v1/actors/{id}', { params: { path: {} } })
  return async () => {
    const { data } = await client.GET('/v1/actors/{id}', { params: { path: { id: 'cjng' } } })
    // @ts-expect-error an actor has no people_count
    return data?.people_count
  }
}
`

const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'NodeNext',
    moduleResolution: 'NodeNext',
    lib: ['ES2023'],
    types: ['node'],
    strict: true,
    noUncheckedIndexedAccess: true,
    exactOptionalPropertyTypes: true,
    noUnusedLocals: true,
    verbatimModuleSyntax: true,
    skipLibCheck: false,
    noEmit: true
  },
  files: ['kb-client.ts']
}

interface Outcome {
  list: { status: number, ids: string[], nextCursor: string | null, link: string | null }
  page2: { status: number, ids: string[] }
  get: { status: number, id: string, peopleCount: number | null, mechanism: string }
  missing: { status: number, contentType: string | null, problem: Record<string, unknown> }
  invalid: { status: number, problem: { code: string, errors?: Array<{ in: string, name: string }> } }
}

t.test('a typed client generated from the committed document compiles and talks to the API', async (t) => {
  const document = JSON.parse(readFileSync(join(projectRoot, 'openapi', 'openapi.json'), 'utf8')) as Parameters<typeof openapiTS>[0]
  const types = astToString(await openapiTS(document))
  mkdirSync(generatedDir, { recursive: true })
  writeFileSync(typesPath, types)
  writeFileSync(clientPath, clientSource)
  writeFileSync(tsconfigPath, JSON.stringify(tsconfig, null, 2) + '\n')

  t.test('the generated types name every path and schema', async (t) => {
    for (const path of ['/v1/transfers', '/v1/transfers/{id}', '/v1/actors', '/v1/tariff-deadlines/{id}', '/health', '/ready']) {
      t.match(types, `"${path}": {`, path)
    }
    for (const name of ['Transfer', 'Actor', 'Problem', 'TransferList']) t.match(types, new RegExp(`\\b${name}: \\{`), name)
    t.match(types, /listTransfers: \{/, 'operations are named by operationId')
  })

  t.test('the client compiles under strict settings, and the wrong calls do not', async (t) => {
    try {
      await promisify(execFile)('npx', ['tsc', '-p', tsconfigPath], { cwd: projectRoot, timeout: 120_000 })
      t.pass('tsc --noEmit: no errors')
    } catch (err) {
      const e = err as { stdout?: string, stderr?: string }
      t.fail(`tsc found errors in ${clientPath}:\n${e.stdout ?? ''}${e.stderr ?? ''}`)
    }
  })

  t.test('the client drives a listening server', async (t) => {
    const { app } = await buildTestApp(t)
    await app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = app.server.address() as AddressInfo
    const { exercise } = await import(pathToFileURL(clientPath).href) as { exercise: (baseUrl: string) => Promise<Outcome> }
    const outcome = await exercise(`http://127.0.0.1:${port}`)

    t.match(outcome.list, { status: 200, ids: ['transfer-2025-08-12'], nextCursor: String })
    t.equal(outcome.list.link, `</v1/transfers?limit=1&sort=-date&from_country=MX>; rel="first", </v1/transfers?limit=1&sort=-date&from_country=MX&cursor=${outcome.list.nextCursor ?? ''}>; rel="next"`)
    t.same(outcome.page2, { status: 200, ids: ['transfer-2025-02'] })
    t.same(outcome.get, { status: 200, id: 'transfer-2025-08-12', peopleCount: 26, mechanism: 'extradition' })
    t.equal(outcome.missing.status, 404)
    t.match(outcome.missing.contentType, /^application\/problem\+json/)
    t.match(outcome.missing.problem, {
      type: '/problems/not-found',
      title: 'Record not found',
      status: 404,
      code: 'not_found',
      detail: 'No transfer has the id "no-such-transfer".',
      instance: '/v1/transfers/no-such-transfer',
      request_id: String
    })
    t.match(outcome.invalid, { status: 400, problem: { code: 'invalid_parameter', errors: [{ in: 'query', name: 'limit' }] } })
  })
})
