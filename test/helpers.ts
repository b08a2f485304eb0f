import { spawn, type ChildProcess } from 'node:child_process'
import { createServer, type AddressInfo } from 'node:net'
import { Ajv2020 } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'
import type { Test } from 'tap'
import { buildApp, type App, type AppConfig } from '../src/app.js'
import { createDb, migrateDb, type Db } from '../src/db/client.js'
import type { KindDefinition, KindType } from '../src/kinds/index.js'
import { projectRoot } from '../src/paths.js'
import type { CitationDto } from '../src/schemas/common.js'
import { readSeedSet, seedDatabase } from '../src/seed/load.js'
import type { SeedSet } from '../src/seed/load.js'

export type { App }

/** A JSON object as a test sends or reads it. */
export type Body = Record<string, unknown>

/**
 * The settings tests run with: a cursor secret of their own, and no rate limits, which a test of
 * something else would run into (test/limits.test.ts turns them on).
 */
export const testConfig: AppConfig = { cursorSecret: 'test-cursor-secret-0123456789', rateLimits: false }

/**
 * A fresh in-memory database, migrated with the real migrations and (by default) seeded: with the
 * seed set, or with `seed` when it is a seed set of its own (the seed set with test fixtures added).
 */
export function freshDb ({ seed = true }: { seed?: boolean | SeedSet } = {}): Db {
  const db = createDb(':memory:')
  migrateDb(db)
  if (seed === true) seedDatabase(db)
  else if (seed !== false) seedDatabase(db, seed)
  return db
}

export interface TestAppOptions {
  /** As freshDb seeds: the seed set (the default), none (false), or a seed set of the test's own. */
  seed?: boolean | SeedSet
  /** Settings a deployment would change (body limits, CORS origins…), over testConfig. */
  config?: AppConfig
}

/** An app over its own fresh database (seeded as freshDb seeds it), closed when the test ends. */
export async function buildTestApp (t: Test, { seed = true, config = {} }: TestAppOptions = {}): Promise<{ app: App, db: Db }> {
  const db = freshDb({ seed })
  const app = await buildApp({ db, config: { ...testConfig, ...config } })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  return { app, db }
}

/** An app as buildTestApp builds it, and the Authorization header of a write key named `desk`. */
export async function writer (t: Test, options: TestAppOptions = {}) {
  const { app, db } = await buildTestApp(t, options)
  return { app, db, authorization: `Bearer ${app.kb.apiKeys.create('desk', 'write').key}` }
}

/** A page of a list: its records and the cursor of the next page (null on the last). */
export interface Page<T> { data: T[], next_cursor: string | null }

/**
 * A record type of src/schemas with its `Type.Ref` fields typed: TypeScript reads a ref as
 * `unknown`, so `Refs` names the types of those a test reads (the embedded citations always).
 */
export type Resolved<T, Refs = object> = Omit<T, 'citations' | keyof Refs> & { citations?: CitationDto[] } & Refs

/** A timestamp the API writes (`created_at`, `updated_at`): ISO 8601 in UTC. */
export const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/

/** The same, to the millisecond, as revisions and writes stamp their times. */
export const isoMs = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/

/**
 * An ETag naming revision n: `"r<n>"` for the record itself, `"r<n>.<variant>"` for a
 * representation that also depends on something else (an as_of, embedded records, the day).
 */
export const namesRevision = (n: number) => new RegExp(`^"r${n}(\\.[^"]+)?"$`)

/** `GET url`, the way curl would send it; the body parsed as JSON. */
export async function get<T> (app: App, url: string) {
  const res = await app.inject({ method: 'GET', url })
  return { res, body: res.json<T>() }
}

/** The ids of `GET url`'s page, after checking it answered 200. */
export async function idsOf (t: Test, app: App, url: string): Promise<string[]> {
  const { res, body } = await get<Page<{ id: string }>>(app, url)
  t.equal(res.statusCode, 200, `${url} answers 200`)
  return body.data.map((r) => r.id)
}

/** `GET url` answered 200 with JSON: the response and its body. */
async function getJson<T> (t: Test, app: App, url: string) {
  const { res, body } = await get<T>(app, url)
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^application\/json/)
  return { res, body }
}

/** `GET url` answered a whole list on one page: `{ data, next_cursor: null }` and no Link header. */
export async function getOnePage<T> (t: Test, app: App, url: string, ...noLinkMessage: [] | [string]): Promise<Page<T>> {
  const { res, body } = await getJson<Page<T>>(t, app, url)
  t.notMatch(String(res.headers.link), /rel="next"/, ...noLinkMessage)
  t.same(Object.keys(body).sort(), ['data', 'next_cursor'])
  t.equal(body.next_cursor, null)
  return body
}

/** `GET url` answered a record with ISO timestamps: the record without `created_at` and `updated_at`. */
export async function getRecord<T extends { created_at: string, updated_at: string }> (t: Test, app: App, url: string) {
  const { body } = await getJson<T>(t, app, url)
  const { created_at: createdAt, updated_at: updatedAt, ...record } = body
  t.match(createdAt, iso)
  t.match(updatedAt, iso)
  return record
}

/** Every citation is an exact slice of its source's text, in code points. */
export async function assertCitationsQuoteTheirSources (t: Test, app: App, citations: CitationDto[]) {
  const texts = new Map<string, string[]>()
  for (const c of citations) {
    if (!texts.has(c.source_id)) texts.set(c.source_id, [...(await get<{ text: string }>(app, `/v1/sources/${c.source_id}`)).body.text])
    t.equal(texts.get(c.source_id)!.slice(c.start_offset, c.end_offset).join(''), c.excerpt, `"${c.excerpt}" is the source text at ${c.start_offset}..${c.end_offset}`)
  }
}

/** Asserts the RFC 9457 shape every error shares, and returns the body. */
export function assertProblem (t: Test, res: { statusCode: number, headers: Record<string, unknown>, body: string }, status: number, code: string) {
  t.equal(res.statusCode, status, `status ${status}`)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem+json content type')
  const body = JSON.parse(res.body) as Record<string, unknown>
  t.match(body, {
    type: `/problems/${code.replaceAll('_', '-')}`,
    title: String,
    status,
    detail: String,
    instance: String,
    code,
    request_id: String
  }, 'problem details shape')
  t.notMatch(res.body, /at .+\.(ts|js):\d+|SQLITE|SELECT /, 'no stack traces or SQL')
  return body as { errors?: Array<{ in: string, name: string, detail: string }>, detail: string }
}

/** `GET url` is a 400 problem `code` (as assertProblem checks it) naming exactly one query parameter. */
export async function assertQueryProblem (t: Test, app: App, url: string, code: string, error: { name: string, detail?: RegExp | string }, ...message: [] | [string]) {
  const body = assertProblem(t, await app.inject({ url }), 400, code)
  t.match(body.errors, [{ in: 'query', ...error }], ...message)
}

/** `POST url` with a JSON body, as the holder of `authorization` sends it. */
export function post (app: App, authorization: string, url: string, payload: object) {
  return app.inject({ method: 'POST', url, headers: { authorization }, payload })
}

/** `PATCH url` with a merge patch, sent as `application/merge-patch+json`. */
export function mergePatch (app: App, authorization: string, url: string, patch: object) {
  return app.inject({ method: 'PATCH', url, headers: { authorization, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify(patch) })
}

/** A POST the test goes on from rather than checks: the created record (throws unless 201). */
export async function createRecord<T = Body> (app: App, authorization: string, url: string, payload: object): Promise<T> {
  const res = await post(app, authorization, url, payload)
  if (res.statusCode !== 201) throw new Error(`POST ${url} answered ${res.statusCode}: ${res.body}`)
  return res.json<T>()
}

/** A merge patch the test goes on from rather than checks: the response (throws unless 200). */
export async function patchRecord (app: App, authorization: string, url: string, patch: object) {
  const res = await mergePatch(app, authorization, url, patch)
  if (res.statusCode !== 200) throw new Error(`PATCH ${url} answered ${res.statusCode}: ${res.body}`)
  return res
}

/** A revision of a record, as `GET /v1/<path>/{id}/revisions` lists it. */
export interface Revision {
  revision: number
  action: 'create' | 'update' | 'delete'
  at: string
  author: string
  etag: string
  record: Body & { citations: Body[] }
}

/** The history of the record at `url`, oldest first. */
export async function revisionsOf (app: App, url: string): Promise<Revision[]> {
  return (await get<Page<Revision>>(app, `${url}/revisions`)).body.data
}

/** An item of the change feed (`GET /v1/changes`). */
export interface Change {
  seq: number
  cursor: string
  type: string
  id: string
  action: 'create' | 'update' | 'delete'
  revision: number
  at: string
  author: string
  data: { id: string, [field: string]: unknown }
}

/** A page of the change feed. */
export interface ChangePage { data: Change[], next_cursor: string, has_more: boolean }

/** The change feed's first 1000 changes as the API sends them: compare two to see whether anything was written. */
export async function changeFeed (app: App): Promise<string> {
  return (await app.inject({ url: '/v1/changes?limit=1000' })).body
}

/** Pages through the change feed from `since` with `limit`, returning the changes and the pages' shapes. */
export async function readFeed (t: Test, app: App, { limit = 100, since, types }: { limit?: number, since?: string, types?: string } = {}) {
  const changes: Change[] = []
  const pages: Array<{ size: number, has_more: boolean }> = []
  let cursor = since
  for (;;) {
    const params = new URLSearchParams({ limit: String(limit) })
    if (cursor !== undefined) params.set('since', cursor)
    if (types !== undefined) params.set('types', types)
    const { res, body } = await get<ChangePage>(app, `/v1/changes?${params}`)
    t.equal(res.statusCode, 200, `GET /v1/changes?${params} answers 200`)
    changes.push(...body.data)
    pages.push({ size: body.data.length, has_more: body.has_more })
    cursor = body.next_cursor
    if (!body.has_more) return { changes, pages, next: cursor }
  }
}

/** What a refused write must leave alone: every record (the export), the change feed, and the answers to GET `urls`. */
export async function snapshotOf (app: App, ...urls: string[]) {
  const records = new Map<string, { etag: unknown, body: string }>()
  for (const url of urls) {
    const res = await app.inject({ url })
    records.set(url, { etag: res.headers.etag, body: res.body })
  }
  return { exported: (await app.inject({ url: '/v1/export' })).body, feed: await changeFeed(app), records }
}

export type Snapshot = Awaited<ReturnType<typeof snapshotOf>>

/** Asserts that nothing was written since the snapshot `before` was taken. */
export async function assertNothingWritten (t: Test, app: App, before: Snapshot) {
  const after = await snapshotOf(app, ...before.records.keys())
  t.equal(after.exported, before.exported, 'nothing was written: the export is unchanged')
  t.equal(after.feed, before.feed, 'and so is the change feed')
  for (const [url, record] of before.records) t.same(after.records.get(url), record, `${url} is unchanged`)
}

let seedSet: SeedSet | undefined

/**
 * A new record of a kind, to POST: its seeded example (`exampleId`) with the id
 * `copy-of-<exampleId>`. Rows with ids of their own (an actor's roles and relations, a transfer's
 * resources) get new ids too, as those are unique across records, and the citations' `fields`
 * follow them.
 */
export function copyOfExample (kind: KindDefinition): Body & { id: string } {
  seedSet ??= readSeedSet()
  const example = seedSet[kind.type as KindType].find((doc) => doc.id === kind.exampleId)
  if (example === undefined) throw new Error(`the seed has no ${kind.noun} "${kind.exampleId}", the exampleId of ${kind.path}`)
  const copy = structuredClone(example) as Body
  const renamed = new Map<string, string>()
  for (const rows of Object.values(copy)) {
    if (!Array.isArray(rows)) continue
    for (const row of rows as Array<Body | null>) {
      if (typeof row?.id !== 'string') continue
      renamed.set(row.id, `copy-of-${row.id}`)
      row.id = `copy-of-${row.id}`
    }
  }
  for (const citation of (copy.citations ?? []) as Array<{ fields?: string[] }>) {
    if (citation.fields !== undefined) citation.fields = citation.fields.map((field) => field.split('.').map((part) => renamed.get(part) ?? part).join('.'))
  }
  return { ...copy, id: `copy-of-${kind.exampleId}` }
}

/** A merge patch of each kind that its seeded example (and a copy of it) takes. */
const mergePatches: Record<KindType, Body> = {
  source: { publisher: 'Unknown wire' },
  actor: { description: 'Mexico\'s Security Minister.' },
  transfer: { people_count_approximate: true },
  quote: { context: 'On the transfers of 2025.' },
  tariff_deadline: { status: 'extended' },
  cooperation_measure: { status: 'ended' },
  event: { place: 'Mexico City' }
}

/** The merge patch of a kind; a kind added to the registry without one fails here, naming it. */
export function mergePatchOf (kind: KindDefinition): Body {
  const patch = (mergePatches as Partial<Record<string, Body>>)[kind.type]
  if (patch === undefined) throw new Error(`test/helpers.ts has no merge patch of ${kind.path}: add one to mergePatches`)
  return patch
}

/**
 * The node arguments that load TypeScript in a child process: under tap, the loader tap's own test
 * processes use (@tapjs/typescript), so that the coverage tap collects from the children maps to
 * the same lines as the tests' own (children started through `--import tsx` had their files'
 * coverage merged as one line each, which hid most of the code from the summary); outside tap, tsx.
 */
export function tsNodeArgs (): string[] {
  const tapLoader = process.execArgv.filter((arg) => arg.includes('@tapjs/typescript'))
  return tapLoader.length > 0 ? tapLoader : ['--import', 'tsx']
}

export interface SourceProcess {
  child: ChildProcess
  /** Resolves when the process ends, with its exit code or signal and its output. */
  exited: Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>
  /** Standard output and error so far. */
  output: () => string
}

/**
 * `src/<script>` (the CLI, the server) as a process of its own, as a user runs it, with its output
 * collected. `env` is added to the test's environment; an `undefined` value removes the variable.
 * With `t`, the process is killed if it is still running when the test ends.
 */
export function runSource (script: string, args: string[] = [], env: Record<string, string | undefined> = {}, t?: Test): SourceProcess {
  const childEnv: NodeJS.ProcessEnv = { ...process.env }
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) delete childEnv[name]
    else childEnv[name] = value
  }
  const child = spawn(process.execPath, [...tsNodeArgs(), `src/${script}`, ...args], { cwd: projectRoot, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })))
  t?.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  return { child, exited, output: () => stdout + stderr }
}

/** A port of 127.0.0.1 that was free a moment ago. */
export async function freePort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

/** Waits until a server process answers `GET /ready`; fails with its output if it exits first or takes over 60 s. */
export async function waitUntilReady (base: string, server: SourceProcess): Promise<void> {
  let exited = false
  server.exited.then(() => { exited = true }, () => {})
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (exited) throw new Error(`the server exited before it was ready:\n${server.output()}`)
    try {
      if ((await fetch(`${base}/ready`)).status === 200) return
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`the server was not ready within 60s:\n${server.output()}`)
}

/** The seeded founding source. */
export const SOURCE = 'mexico-hands-over-26-cartel-kingpins'

/** A quote the seeded source supports. */
export const supportedQuote = (id: string) => ({
  id,
  speaker_id: 'claudia-sheinbaum-pardo',
  text: 'sovereign',
  kind: 'direct',
  language: 'en',
  citations: [{ source_id: SOURCE, excerpt: 'the decision was a “sovereign” one' }]
})

/**
 * Checks values against the named component schemas of the app's OpenAPI document (JSON Schema
 * 2020-12, as OpenAPI 3.1 has it): returns each problem as `<path> <message>`, none when it matches.
 */
export async function openApiValidator (app: App): Promise<(component: string, value: unknown) => string[]> {
  await app.ready()
  const ajv = new Ajv2020({ allErrors: true, strict: false })
  addFormats.default(ajv)
  ajv.addFormat('partial-date', /^\d{4}(-\d{2}(-\d{2})?)?$/)
  ajv.addFormat('edtf-date', /^(\d{4}(-\d{2}(-\d{2})?)?|\[(\d{4}(-\d{2}(-\d{2})?)?)?\.\.(\d{4}(-\d{2}(-\d{2})?)?)?\])$/)
  ajv.addSchema(app.swagger() as object, 'openapi')
  return (component, value) => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${component}`)
    if (validate === undefined) return [`no component schema ${component}`]
    return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message ?? 'is invalid'}`)
  }
}

/** RFC 4180 rows (quoted fields with "" escapes, CRLF line ends), read leniently. */
export function parseCsv (text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let field = ''
  let quoted = false
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') { field += '"'; i++ } else if (ch === '"') quoted = false
      else field += ch
    } else if (ch === '"') quoted = true
    else if (ch === ',') { row.push(field); field = '' } else if (ch === '\r' && text[i + 1] === '\n') { row.push(field); rows.push(row); row = []; field = ''; i++ } else field += ch
  }
  if (field !== '' || row.length > 0) rows.push([...row, field])
  return rows
}
