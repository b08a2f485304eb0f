import { spawn } from 'node:child_process'
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { createApiKeys } from '../src/auth/api-keys.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { projectRoot } from '../src/paths.js'
import { importedQuote, importLines, type Download, type Outcome, type Step } from './clients/outcome.js'
import { freePort, runSource, waitUntilReady } from './helpers.js'

/*
 * Three SDKs generated from the committed OpenAPI document, as their users would generate them, each
 * compiled with `tsc --strict` and driven through one scenario against a listening server: page
 * through the transfers by cursor, revalidate a page with If-None-Match (a 304), download a CSV
 * page and the calendar as text, import two NDJSON lines with a key (the text sent as-is), and read
 * a 404 as a typed problem. The scenarios are test/clients/<client>.ts; this file generates the clients, compiles
 * and runs the scenarios, and checks what each one saw against what the server answers to a plain
 * fetch.
 */

const clients = ['openapi-fetch', 'hey-api', 'orval'] as const
type Client = typeof clients[number]

/**
 * The Content-Type each client sends the import as. hey-api and orval take it from the document:
 * text/plain, the first of the import's media types (src/schemas/bulk.ts says why); openapi-fetch
 * takes none from it, and its scenario says application/x-ndjson.
 */
const importSentAs: Record<Client, string> = { 'openapi-fetch': 'application/x-ndjson', 'hey-api': 'text/plain', orval: 'text/plain' }

/** Where the clients are generated and the scenarios compiled (git-ignored, and outside the project's own type-check). */
const dir = join(projectRoot, 'test', '.generated', 'clients')
const sources = join(projectRoot, 'test', 'clients')
const documentPath = join(projectRoot, 'openapi', 'openapi.json')
const nodeModule = (path: string) => join(projectRoot, 'node_modules', path)

/** Each client's generator, run in `dir` as its CLI is run (openapi-typescript's types are what openapi-fetch is typed with). */
const generators: Record<Client, string[]> = {
  'openapi-fetch': [nodeModule('openapi-typescript/bin/cli.js'), documentPath, '--output', './openapi-typescript/kb-api.d.ts'],
  'hey-api': [nodeModule('@hey-api/openapi-ts/bin/run.js'), '--input', documentPath, '--output', './hey-api', '--client', '@hey-api/client-fetch'],
  orval: [nodeModule('orval/dist/bin/orval.js'), '--config', './orval.config.cjs']
}

/** orval's fetch client, with the header parameters (If-None-Match) as arguments, and its mutator (test/clients/orval-fetch.ts). */
const orvalConfig = {
  kb: {
    input: { target: documentPath },
    output: { target: './orval/kb.ts', client: 'fetch', mode: 'single', headers: true, override: { mutator: { path: './orval-fetch.ts', name: 'orvalFetch' } } }
  }
}

/** The compile of all three scenarios: strict, against the generated code as it is (no skipping its errors). */
const tsconfig = {
  compilerOptions: {
    target: 'ES2022',
    module: 'ESNext',
    moduleResolution: 'Bundler', // orval imports its mutator without an extension
    lib: ['ES2023', 'DOM'], // the fetch clients use DOM types (BodyInit) that @types/node does not declare
    types: ['node'],
    strict: true,
    verbatimModuleSyntax: true,
    skipLibCheck: true,
    noEmit: true
  },
  files: clients.map((client) => `${client}.ts`)
}

// Generating, compiling and the server's start each take seconds, more on a busy machine.
t.setTimeout(300_000)

/** The environment of a process that is no test process: without tap's coverage hooks, which would measure the generated code. */
function plainEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra }
  for (const name of Object.keys(env)) if (name === 'NODE_OPTIONS' || name === 'NODE_V8_COVERAGE' || name.startsWith('_TAPJS_PROCESSINFO_')) delete env[name]
  return env
}

interface Run { code: number | null, stdout: string, stderr: string, ms: number }

/** `node <args>` in `dir`, its output collected; killed after 120 s. */
function node (args: string[], env: NodeJS.ProcessEnv = plainEnv()): Promise<Run> {
  const started = Date.now()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 120_000 })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr, ms: Date.now() - started }))
  })
}

/** The scenarios and their shared modules, next to the clients: test/clients/*.ts without the `@ts-nocheck` that keeps the project's type-check off them. */
function writeSources () {
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  for (const file of readdirSync(sources).filter((f) => f.endsWith('.ts'))) {
    writeFileSync(join(dir, file), readFileSync(join(sources, file), 'utf8').replace(/^\/\/ @ts-nocheck.*\n/, ''))
  }
  writeFileSync(join(dir, 'orval.config.cjs'), `module.exports = ${JSON.stringify(orvalConfig, null, 2)}\n`)
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n')
}

/** The server as users run it, on a database of its own with the seed data and a write key. */
async function startServer (t: Test) {
  const database = join(t.testdir(), 'kb.sqlite')
  const db = createDb(database)
  migrateDb(db)
  const key = createApiKeys(db).create('sdk-scenarios', 'write').key
  db.close()
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const server = runSource('server.ts', [], { HOST: '127.0.0.1', PORT: String(port), DATABASE_PATH: database, LOG_LEVEL: 'warn', RATE_LIMIT: 'off', READ_WORKERS: '0' }, t)
  await waitUntilReady(base, server) // it seeds the empty database first
  return { base, key }
}

/** `file(line,col): error TS…` lines of tsc's output, by the client whose scenario or generated code they are in. */
function compileErrors (output: string): Record<Client | 'other', string[]> {
  const errors: Record<Client | 'other', string[]> = { 'openapi-fetch': [], 'hey-api': [], orval: [], other: [] }
  let last: string[] = errors.other
  for (const line of output.split('\n').filter((l) => l !== '')) {
    if (/^\S.*\(\d+,\d+\): error TS\d+/.test(line)) {
      const file = line.replace(/\(.*$/, '')
      const client = clients.find((c) => file === `${c}.ts` || file.startsWith(c === 'openapi-fetch' ? 'openapi-typescript/' : `${c}/`) || (c === 'orval' && file === 'orval-fetch.ts'))
      last = errors[client ?? 'other']
    }
    last.push(line)
  }
  return errors
}

/** What the server answers to a plain fetch: the references the scenarios' results are checked against. */
async function referenceOf (base: string) {
  const text = async (path: string) => (await fetch(base + path)).text()
  const page = JSON.parse(await text('/v1/transfers?limit=500&sort=id')) as { data: Array<{ id: string }> }
  return { ids: page.data.map((transfer) => transfer.id), csv: await text('/v1/transfers.csv?limit=500&sort=id'), calendar: await text('/v1/tariff-deadlines.ics') }
}

type Reference = Awaited<ReturnType<typeof referenceOf>>

/** The value of a step that succeeded; a failure (naming the step and its error) otherwise. */
function valueOf<T> (t: Test, name: string, step: Step<T> | undefined): T | undefined {
  if (step === undefined) {
    t.fail(`${name}: the scenario reported nothing`)
    return undefined
  }
  if (!step.ok) {
    t.fail(`${name}: ${step.error}`)
    return undefined
  }
  return step.value
}

function checkDownload (t: Test, download: Download | undefined, contentType: RegExp, reference: string) {
  if (download === undefined) return
  t.equal(download.status, 200, 'status 200')
  t.match(download.contentType, contentType, 'its media type')
  t.equal(download.text, reference, 'the text as the server sends it, byte for byte')
}

/** Checks a scenario's outcome, step by step. */
function checkOutcome (t: Test, client: Client, outcome: Partial<Outcome>, reference: Reference) {
  t.test('pages through the transfers by cursor', async (t) => {
    const paging = valueOf(t, 'paging', outcome.paging)
    if (paging === undefined) return
    t.same(paging.onePageIds, reference.ids, 'one big page holds every transfer')
    t.same(paging.pagedIds, paging.onePageIds, 'page by page, the same ids in the same order')
    t.equal(paging.pages, reference.ids.length, 'one page for each (limit=1)')
    t.ok(paging.pages >= 2, 'so more than one page')
  })

  t.test('revalidates a page with If-None-Match: a 304', async (t) => {
    const revalidation = valueOf(t, 'revalidation', outcome.revalidation)
    if (revalidation === undefined) return
    t.equal(revalidation.status, 200)
    t.match(revalidation.etag, /^(W\/)?"[^"]+"$/, 'the page has an ETag')
    t.equal(revalidation.revalidatedStatus, 304, 'the same request with If-None-Match: 304 Not Modified')
  })

  t.test('downloads the CSV as text', async (t) => {
    const csv = valueOf(t, 'csv', outcome.csv)
    checkDownload(t, csv, /^text\/csv/, reference.csv)
    if (csv === undefined) return
    const [header, ...rows] = csv.text.replace(/^\uFEFF/, '').trimEnd().split(/\r?\n/)
    t.match(header, /^id,date,date_precision,/, 'a header row of the fields')
    t.same(rows.map((row) => row.split(',')[0]), reference.ids, 'then one row a transfer')
  })

  t.test('downloads the calendar as text', async (t) => {
    const calendar = valueOf(t, 'calendar', outcome.calendar)
    checkDownload(t, calendar, /^text\/calendar/, reference.calendar)
    if (calendar === undefined) return
    t.ok(calendar.text.startsWith('BEGIN:VCALENDAR\r\n'), 'it starts with BEGIN:VCALENDAR')
    t.match(calendar.text, /\r\nBEGIN:VEVENT\r\n/, 'and holds events')
  })

  t.test('imports two NDJSON lines with a key, sending the text as-is', async (t) => {
    const imported = valueOf(t, 'import', outcome.import)
    if (imported === undefined) return
    t.same(imported.sent, { contentType: importSentAs[client], body: importLines(client) }, `the client sent the NDJSON text byte for byte (not JSON-encoded), as ${importSentAs[client]}`)
    t.equal(imported.status, 201)
    t.equal(imported.records, 2, 'two records written: the server read the two lines')
    t.match(imported.byType, { actor: 1, quote: 1, source: 0, transfer: 0 }, 'an actor and a quote')
    t.same(imported.quote, importedQuote(client), 'and the quote reads back as imported (its context\'s quotes, backslash, newline and non-ASCII too), pointing at the actor of the other line')
  })

  t.test('reads a 404 as a typed problem', async (t) => {
    const notFound = valueOf(t, 'notFound', outcome.notFound)
    if (notFound === undefined) return
    t.equal(notFound.status, 404)
    t.match(notFound.contentType, /^application\/problem\+json/)
    t.same({ code: notFound.code, title: notFound.title, detail: notFound.detail }, { code: 'not_found', title: 'Record not found', detail: 'No transfer has the id "no-such-transfer".' })
  })
}

t.test('SDKs generated by openapi-typescript, @hey-api/openapi-ts and orval compile strictly and drive a listening server', async (t) => {
  writeSources()
  const env = plainEnv()
  const [generated, server] = await Promise.all([
    Promise.all(clients.map(async (client) => [client, await node(generators[client], env)] as const)),
    startServer(t)
  ])

  t.test('each generator writes its client', async (t) => {
    for (const [client, run] of generated) t.equal(run.code, 0, `${client}: ${run.ms} ms${run.code === 0 ? '' : `\n${run.stdout}${run.stderr}`}`)
  })
  const reference = await referenceOf(server.base)

  // One compile of the three scenarios, and meanwhile each scenario run (tsx strips the types).
  const compiling = node([nodeModule('typescript/bin/tsc'), '-p', 'tsconfig.json'])
  const outcomes: Array<[Client, Run]> = []
  for (const client of clients) {
    outcomes.push([client, await node(['--import', 'tsx', `${client}.ts`], plainEnv({ KB_BASE_URL: server.base, KB_API_KEY: server.key }))])
  }
  const compiled = await compiling

  t.test('tsc --strict compiles every scenario against its client', async (t) => {
    const errors = compileErrors(compiled.stdout + compiled.stderr)
    for (const client of clients) t.same(errors[client], [], `${client}: no errors in test/clients/${client}.ts or its generated client`)
    t.same(errors.other, [], 'and none elsewhere')
    t.equal(compiled.code, 0, `tsc exits 0 (${compiled.ms} ms)`)
  })

  for (const [client, run] of outcomes) {
    t.test(`${client}: the scenario`, async (t) => {
      const last = run.stdout.trimEnd().split('\n').at(-1) ?? ''
      let outcome: Partial<Outcome> = {}
      try {
        outcome = JSON.parse(last) as Partial<Outcome>
      } catch {
        t.fail(`the scenario printed no outcome (exit ${run.code}):\n${run.stdout}${run.stderr}`)
        return
      }
      t.equal(run.code, 0, `it ran to its end (${run.ms} ms)${run.stderr === '' ? '' : `\n${run.stderr}`}`)
      checkOutcome(t, client, outcome, reference)
    })
  }
})
