import { createHmac } from 'node:crypto'
import { appendFileSync } from 'node:fs'
import type { ServerResponse } from 'node:http'
import type { Readable } from 'node:stream'
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { kinds } from '../src/kinds/index.js'
import { copyOfExample, freshDb, mergePatchOf, openApiValidator, testConfig, type App } from './helpers.js'

/*
 * An OpenAPI-driven fuzz: every operation of the app's own document gets a few dozen requests made
 * by a seeded PRNG from its documented parameters, bodies and examples, most of them then spoiled
 * (bad types, non-finite numbers, long and odd strings, tampered cursors, malformed and deep JSON,
 * wrong content types, odd headers, missing or mangled keys). Every answer must be below 500,
 * every 4xx a problem+json of the API's shape, and every 2xx what the document says it is.
 * FUZZ_SEED=<n> replays another sequence; the default is fixed so that a failure reproduces.
 * FUZZ_REPORT=<file> appends every failure (not only the first few of each operation) to a file.
 */

t.setTimeout(240_000)

const seed = Number(process.env.FUZZ_SEED ?? 20250812)
/** Requests over the whole document, shared out evenly among its operations. */
const totalRequests = 3000

// --- A tiny seeded PRNG (mulberry32) ---------------------------------------------------------

interface Rng { next: () => number, int: (n: number) => number, chance: (p: number) => boolean, pick: <T>(xs: readonly T[]) => T }

function rngOf (seedValue: number): Rng {
  let a = seedValue >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let x = a
    x = Math.imul(x ^ (x >>> 15), x | 1)
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61)
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  return { next, int, chance: (p) => next() < p, pick: (xs) => xs[int(xs.length)]! }
}

/** FNV-1a: each operation's sequence depends on the seed and its own name only. */
function hashOf (text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193)
  return h >>> 0
}

// --- The parts of OpenAPI 3.1 the fuzz reads -------------------------------------------------

interface Schema {
  $ref?: string
  type?: string | string[]
  enum?: unknown[]
  const?: unknown
  examples?: unknown[]
  default?: unknown
  properties?: Record<string, Schema>
  required?: string[]
  items?: Schema
  minItems?: number
  minimum?: number
  maximum?: number
  minLength?: number
  maxLength?: number
  pattern?: string
  format?: string
  anyOf?: Schema[]
  oneOf?: Schema[]
}
interface Parameter { name: string, in: 'query' | 'path' | 'header', required?: boolean, schema: Schema, example?: unknown, examples?: Record<string, { value: unknown }>, description?: string }
interface Media { schema?: Schema }
interface Operation {
  operationId: string
  parameters?: Parameter[]
  requestBody?: { content: Record<string, Media> }
  responses: Record<string, { content?: Record<string, Media> }>
}
interface OpenApiDocument { paths: Record<string, Record<string, Operation>>, components: { schemas: Record<string, Schema> } }

interface Endpoint { method: string, path: string, operation: Operation }

const httpMethods = ['get', 'post', 'put', 'patch', 'delete']

function endpointsOf (doc: OpenApiDocument): Endpoint[] {
  return Object.entries(doc.paths).flatMap(([path, item]) => Object.entries(item)
    .filter(([method]) => httpMethods.includes(method))
    .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })))
}

/** `#/components/schemas/Name` or a bare `$id`: the component's name. */
const componentName = (ref: string) => ref.split('/').at(-1)!

function resolved (doc: OpenApiDocument, schema: Schema): Schema {
  return schema.$ref === undefined ? schema : resolved(doc, doc.components.schemas[componentName(schema.$ref)] ?? {})
}

// --- Values ----------------------------------------------------------------------------------

/** A query or path value: text to percent-encode, or `raw` text sent as it is (bad encodings). */
type Value = string | { raw: string }
const encoded = (value: Value) => typeof value === 'string' ? encodeURIComponent(value) : value.raw

const hostileNumbers: Value[] = ['Infinity', '-Infinity', '1e400', '-1e400', 'NaN', '-0', '9007199254740993', '-9007199254740993',
  '-1', '0', '1.5', '0x1F', '1e3', ' 7', '', 'abc', 'true', 'null', '[]', '99999999999999999999999999', '5e-324', '1_000']

const hostileStrings: Value[] = ['x'.repeat(10_000), 'x'.repeat(201), 'x'.repeat(2049), '😀🔥👩‍👩‍👧‍👦', '\u202Eevil\u202C', 'مرحبا بالعالم',
  'e' + '\u0301'.repeat(60), 'Z̤͔ͧ̑̓ä͖̭̈̇lͮ̒ͫǧ̗͚̚o̙̔ͮ̇͐̇', '\u0000', 'a\u0000b', '\u0001\u001f\u007f', '\r\nx-injected: 1', '\uFFFE\uFFFF', '\u{10FFFF}',
  "' OR 1=1 --", '"', '*', 'a*', 'NEAR(a b, 99999)', 'a OR', '(((((', ')', '-', '--', ',', ',,,', '-,-', '..', '../../etc/passwd',
  '%', '<script>alert(1)</script>', '__proto__', 'constructor', 'toString', 'id,id,id', '-id', '+id', 'date:asc', ' ', 'UPPER',
  { raw: '%' }, { raw: '%ff' }, { raw: '%E0%A4%A' }, { raw: '%ED%A0%80' }, { raw: '%00' }, { raw: '%C0%AF' }, { raw: '%2525' }, { raw: '+' }, { raw: '%zz' }]

const hostileValues = [...hostileNumbers, ...hostileStrings]

const hostileIds: Value[] = [...hostileStrings, 'a'.repeat(100), 'a'.repeat(101), 'a'.repeat(200), 'a'.repeat(201), 'a'.repeat(5000),
  'transfer-2025-08-12\u0000', 'Transfer-2025-08-12', 'copy-of-nothing', '0', '-1', '1e400', 'Infinity', { raw: '%2F' }, { raw: '..%2F..%2F' }, { raw: 'a%2Fb' }]

/** JSON values (as JSON text) to put where a field's value goes. */
const hostileJson = ['1e400', '-1e400', '-0', '9007199254740993', '1.5', '-1', '0', '1e300', 'true', 'false', 'null', '[]', '{}', '""',
  '"Infinity"', '"NaN"', JSON.stringify('x'.repeat(20_000)), JSON.stringify('😀\u202E\u0000\u0301'), '"\\ud800"', '[null]', '[{}]', '[[[]]]',
  '{"__proto__":{"polluted":true}}', '"2025-13-45"', '"9999-99"', '"ZZ"', '"mx"', '[' + '"x",'.repeat(600) + '"x"]']

const deepArray = '['.repeat(5000) + ']'.repeat(5000)
const deepObject = '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)

const malformedJson = ['{', '{"a":', '[1,2', 'nul', '{"a":1}garbage', '', ' ', '\u0000', 'NaN', 'Infinity', '{"a":1,}', "{'a':1}",
  '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}', '\uFEFF{}', '[]', 'null', '1', '"text"', 'true',
  deepArray, deepObject, '{"id":"a","id":"b"}', '{"a":"\\u0000"}', '{"a":"\\ud800"}']

const badContentTypes = ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/json; charset=utf-16',
  'application/json; charset=latin1', 'application/xml', 'APPLICATION/JSON', 'application/json;', ';;;', 'application/*', '*/*',
  'application/merge-patch+json', 'application/x-ndjson', 'application/problem+json', 'text/csv', 'application/json, text/plain', 'x'.repeat(3000)]

const oddAccepts = ['*/*;q=abc', 'text/html', 'application/xml', 'application/json;q=0', '', 'text/csv', 'application/x-ndjson', 'text/event-stream',
  'text/calendar', '*/*;q=0.5, application/problem+json', ',,,', 'x'.repeat(5000), 'application/*', 'image/png;q=1, */*;q=0', ';q=1']

/** Authorization headers that are not `Bearer <a key of this API>`, or only nearly. */
const oddAuthorizations = (key: string) => [`BEARER ${key}`, `Bearer ${key} extra`, `Bearer  ${key}`, 'Bearer', 'Bearer ', 'Basic Zm9vOmJhcg==',
  `Bearer ${'x'.repeat(5000)}`, `Bearer kb_${'A'.repeat(43)}`, key, `Bearer ${key.slice(0, -1)}`, 'Bearer kb_😀', `Token ${key}`, `Bearer ${key},Bearer ${key}`]

/** Backticked words of a parameter's description: its documented values (`year`, `-date`, `citations`…). */
const documentedWords = (p: Parameter) => [...(p.description ?? '').matchAll(/`([^`\s]+)`/g)].map((m) => m[1]!)

// --- Cursors ---------------------------------------------------------------------------------

/** Signs a cursor body as the app does with its secret: forged cursors that its signature check lets through. */
const signerOf = (secret: string) => (body: string) => `${body}.${createHmac('sha256', secret).update(body).digest('base64url').slice(0, 22)}`
const b64 = (text: string) => Buffer.from(text).toString('base64url')

function tampered (rng: Rng, cursor: string, others: string[], sign: (body: string) => string): Value {
  const [body = '', signature = ''] = cursor.split('.')
  let payload: { q?: unknown, k?: unknown } = {}
  try {
    payload = JSON.parse(Buffer.from(body, 'base64url').toString()) as typeof payload
  } catch {}
  const q = JSON.stringify(payload.q ?? '')
  const position = rng.int(cursor.length)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.'
  switch (rng.int(12)) {
    case 0: return cursor.slice(0, position) + alphabet[rng.int(alphabet.length)] + cursor.slice(position + 1)
    case 1: return cursor.slice(0, position)
    case 2: return body
    case 3: return `${cursor}.${rng.pick(['x', '', signature])}`
    case 4: {
      const key = rng.pick<unknown>([[{}], [true], [[1]], [null], 'k', {}, [1, 2, 3, 4], ['x'.repeat(1500)], [-1], [1.5], [Number.MAX_SAFE_INTEGER + 2], [], [{ length: 2 }]])
      return sign(b64(JSON.stringify({ ...payload, k: key })))
    }
    case 5: return sign(b64(rng.pick([`{"v":1,"q":${q},"k":[1e400]}`, `{"v":1,"q":${q},"k":[-1e400,"a"]}`, `{"v":1,"q":${q},"k":[9007199254740993]}`, '[]', 'null', '"x"', '1',
      `{"v":2,"q":${q},"k":[1]}`, '{"v":1,"q":1,"k":[1]}', '{', `{"__proto__":{"v":1},"q":${q},"k":[1]}`, `{"v":1,"q":${q},"k":{"0":1,"length":1}}`])))
    case 6: return `${b64(JSON.stringify({ ...payload, k: [true] }))}.${signature}`
    case 7: return `${Buffer.from(body, 'base64url').toString('base64')}.${signature}`
    case 8: return cursor + rng.pick(['\u0000', '😀', '\u202E', ' ', '%'])
    case 9: return others.length > 0 ? rng.pick(others) : cursor
    case 10: return rng.pick(['x'.repeat(3000), '.', '..', 'a.b', { raw: '%ff.%ff' }] as Value[])
    default: return [...cursor].map((c) => c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()).join('')
  }
}

// --- Bodies ----------------------------------------------------------------------------------

/** A value of a schema, from its examples, enum, default and type. */
function sample (rng: Rng, doc: OpenApiDocument, schema: Schema, depth = 0): unknown {
  const s = resolved(doc, schema)
  if (s.const !== undefined) return s.const
  if (s.enum !== undefined) return rng.pick(s.enum)
  if (s.examples !== undefined && s.examples.length > 0 && rng.chance(0.8)) return structuredClone(rng.pick(s.examples))
  const alternatives = s.anyOf ?? s.oneOf
  if (alternatives !== undefined) return sample(rng, doc, rng.pick(alternatives), depth + 1)
  const types = [s.type ?? 'string'].flat()
  const type = types.length > 1 && rng.chance(0.85) ? types.find((x) => x !== 'null')! : rng.pick(types)
  switch (type) {
    case 'null': return null
    case 'boolean': return rng.chance(0.5)
    case 'integer':
    case 'number': {
      const min = s.minimum ?? 0
      const n = min + rng.int(Math.max(1, Math.min((s.maximum ?? min + 100) - min, 100) + 1))
      return type === 'number' && rng.chance(0.5) ? n + 0.5 : n
    }
    case 'array':
      return depth > 4 ? [] : Array.from({ length: Math.max(s.minItems ?? 0, rng.int(3)) }, () => sample(rng, doc, s.items ?? {}, depth + 1))
    case 'object': {
      const value: Record<string, unknown> = {}
      for (const [name, property] of Object.entries(s.properties ?? {})) {
        if ((s.required ?? []).includes(name) || (depth < 3 && rng.chance(0.5))) value[name] = sample(rng, doc, property, depth + 1)
      }
      return value
    }
    default: return stringOf(rng, s)
  }
}

function stringOf (rng: Rng, s: Schema): string {
  if (s.format === 'date-time') return new Date(Date.UTC(2025, rng.int(12), 1 + rng.int(28))).toISOString()
  if (s.format === 'partial-date' || s.pattern?.includes('\\d{4}') === true) return rng.pick(['2025', '2025-08', '2025-08-12', '2026-02-29'])
  if (s.format === 'edtf-date') return rng.pick(['2025', '2025-08', '2025-08-12', '[..2025-08-13]', '[2025-08..]', '2026-02-29', '2025-08-13~'])
  if (s.pattern === '^[A-Z]{2}$') return rng.pick(['MX', 'US', 'CA', 'ZZ'])
  if (s.pattern?.startsWith('^[a-z0-9]') === true) return `fuzz-${rng.int(1e6)}`
  let text = rng.pick(['fuzz', 'Omar García Harfuch', 'sovereign', 'extradition', 'SYNTHETIC fuzz text'])
  while (text.length < (s.minLength ?? 0)) text += ' fuzz'
  return text.slice(0, s.maxLength ?? text.length)
}

/** JSON text of `value` with one field (top level or one down) replaced by raw JSON text. */
function withField (rng: Rng, value: unknown, raw: string): string {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return raw
  const record = structuredClone(value) as Record<string, unknown>
  const names = Object.keys(record)
  const name = names.length === 0 || rng.chance(0.15) ? rng.pick(['zzz_unknown', '__proto__', 'constructor', 'id', 'created_at', 'revision']) : rng.pick(names)
  const inner = record[name]
  if (Array.isArray(inner) && inner.length > 0 && typeof inner[0] === 'object' && inner[0] !== null && rng.chance(0.5)) {
    const item = inner[0] as Record<string, unknown>
    item[rng.pick(Object.keys(item).concat('zzz_unknown'))] = '\u0001RAW\u0001'
  } else {
    record[name] = '\u0001RAW\u0001'
  }
  return JSON.stringify(record).replace('"\\u0001RAW\\u0001"', raw)
}

// --- Requests --------------------------------------------------------------------------------

interface FuzzRequest { method: string, url: string, headers: Record<string, string>, payload?: string }

interface Context {
  doc: OpenApiDocument
  /** Ids that exist, by path template (`/v1/transfers/{id}`). */
  ids: Map<string, string[]>
  /** Real cursors, by operation: the query they were issued for and the cursor. */
  cursors: Map<string, Array<{ query: string, cursor: string }>>
  admin: string
  writer: string
  sign: (body: string) => string
  /** Counts creates, so that valid bodies get ids of their own. */
  serial: { n: number }
}

/** A valid body of a kind's create: its seeded example with ids of its own (its rows' ids too). */
function createBody (ctx: Context, schemaName: string): unknown {
  const kind = kinds.find((k) => k.schemas.input === schemaName)
  if (kind === undefined) return undefined
  const serial = ++ctx.serial.n
  return JSON.parse(JSON.stringify(copyOfExample(kind)).replaceAll('copy-of-', `fuzz-${serial}-`)) as unknown
}

function validBody (rng: Rng, ctx: Context, endpoint: Endpoint): { type: string, payload: string } | undefined {
  const content = endpoint.operation.requestBody?.content
  if (content === undefined) return undefined
  // An import lists text/plain first (so generated clients send it as-is); its lines are NDJSON either way.
  const [type, media] = content['application/x-ndjson'] !== undefined ? ['application/x-ndjson', content['application/x-ndjson']] : Object.entries(content)[0]!
  if (type === 'application/x-ndjson') {
    const lines = Array.from({ length: 1 + rng.int(3) }, () => {
      const kind = rng.pick(kinds.filter((k) => k.type !== 'source'))
      return JSON.stringify({ type: kind.type, data: createBody(ctx, kind.schemas.input) })
    })
    return { type, payload: lines.join('\n') + '\n' }
  }
  const name = componentName(media.schema?.$ref ?? '')
  const kind = kinds.find((k) => k.schemas.patch === name)
  const body = rng.chance(0.6)
    ? createBody(ctx, name) ?? (kind !== undefined ? mergePatchOf(kind) : undefined) ?? sample(rng, ctx.doc, media.schema ?? {})
    : sample(rng, ctx.doc, media.schema ?? {})
  return { type: endpoint.method === 'PATCH' && rng.chance(0.5) ? 'application/merge-patch+json' : type, payload: JSON.stringify(body) }
}

function hostileBody (rng: Rng, endpoint: Endpoint, valid: string): string {
  if (endpoint.operation.requestBody?.content['application/x-ndjson'] !== undefined) {
    const lines = valid.trimEnd().split('\n')
    const bad = rng.pick(['not json', '{"type":"transfer"}', '{"type":"nothing","data":{}}', '{"type":"quote","data":null}', '[]', 'null', '',
      '\r', '\uFEFF' + lines[0], `{"type":"quote","data":${deepObject}}`, `{"type":"quote","data":${withField(rng, JSON.parse(lines[0]!), rng.pick(hostileJson))}}`,
      lines[0]!, 'x'.repeat(100_000), '{"type":"__proto__","data":{}}'])
    lines.splice(rng.int(lines.length + 1), 0, bad)
    return lines.join(rng.pick(['\n', '\r\n', '\n\n']))
  }
  const roll = rng.int(10)
  if (roll < 3) return rng.pick(malformedJson)
  if (roll < 9) return withField(rng, JSON.parse(valid), rng.pick([...hostileJson, deepArray, deepObject]))
  return rng.chance(0.2) ? JSON.stringify({ text: 'x'.repeat(1_100_000) }) : valid.slice(0, rng.int(valid.length))
}

function validValue (rng: Rng, ctx: Context, endpoint: Endpoint, p: Parameter): Value | undefined {
  if (p.in === 'path') {
    const known = ctx.ids.get(endpoint.path) ?? []
    return known.length > 0 && rng.chance(0.8) ? rng.pick(known) : String(p.example ?? 'fuzz-missing')
  }
  const candidates: unknown[] = [p.example, ...Object.values(p.examples ?? {}).map((e) => e.value), ...(p.schema.examples ?? []), ...(p.schema.enum ?? []), p.schema.default]
    .filter((v) => v !== undefined)
  if (p.schema.type === 'integer') {
    // Small pages most often: they have next pages, so links and cursors get made.
    const min = p.schema.minimum ?? 1
    if (rng.chance(0.5)) return String(min + rng.int(3))
    return String(candidates.length > 0 && rng.chance(0.5) ? rng.pick(candidates) : min + rng.int(Math.min((p.schema.maximum ?? 100) - min + 1, 100)))
  }
  if (p.schema.enum !== undefined) return String(rng.pick(p.schema.enum))
  const words = documentedWords(p)
  if (words.length > 0 && rng.chance(0.5) && p.schema.pattern === undefined) {
    return Array.from({ length: 1 + rng.int(3) }, () => rng.pick(words)).join(',')
  }
  return candidates.length > 0 ? String(rng.pick(candidates)) : undefined
}

const cursorParams = new Set(['cursor', 'since', 'last-event-id'])

function generate (rng: Rng, ctx: Context, endpoint: Endpoint, others: string[]): FuzzRequest {
  const parameters = endpoint.operation.parameters ?? []
  const key = `${endpoint.method} ${endpoint.path}`
  const headers: Record<string, string> = {}
  let method = endpoint.method
  const path = new Map<string, Value>()
  let query: Array<[string, Value]> = []

  // A documented, valid-looking request first.
  for (const p of parameters) {
    if (cursorParams.has(p.name)) continue
    if (!(p.required === true || rng.chance(0.3))) continue
    const value = validValue(rng, ctx, endpoint, p)
    if (value === undefined) continue
    if (p.in === 'path') path.set(p.name, value)
    else if (p.in === 'query') query.push([p.name, value])
    else if (p.name === 'idempotency-key') headers[p.name] = rng.chance(0.5) ? 'fuzz-replayed-key' : `fuzz-${rng.int(1e9)}`
    else headers[p.name] = typeof value === 'string' ? value : value.raw
  }
  const cursorParam = parameters.find((p) => cursorParams.has(p.name))
  const issued = ctx.cursors.get(key) ?? []
  if (cursorParam !== undefined && issued.length > 0 && rng.chance(0.3)) {
    const { query: issuedFor, cursor } = rng.pick(issued)
    query = issuedFor === '' ? [] : issuedFor.split('&').map((pair) => { const [n, v = ''] = pair.split('='); return [n!, { raw: v }] })
    if (cursorParam.in === 'header') headers[cursorParam.name] = cursor
    else query.push([cursorParam.name, cursor])
  }
  if (rng.chance(['GET', 'HEAD'].includes(method) && !endpoint.path.startsWith('/v1/keys') ? 0.3 : 0.85)) headers.authorization = `Bearer ${ctx.admin}`
  if (rng.chance(0.3)) headers.accept = rng.pick(['application/json', '*/*', 'application/problem+json, application/json', 'application/json, */*;q=0.1'])
  if (rng.chance(0.1)) headers['accept-encoding'] = rng.pick(['gzip', 'br', 'deflate', 'gzip, br'])
  const body = validBody(rng, ctx, endpoint)
  let payload = body?.payload
  if (body !== undefined) headers['content-type'] = body.type

  // Then spoil it, once or twice (or not at all).
  const mutations = ['header', 'header', 'host', 'auth', 'unknown']
  if (parameters.some((p) => p.in === 'query')) mutations.push('param', 'param', 'param')
  if (parameters.some((p) => p.in === 'query' && p.schema.type === 'integer')) mutations.push('number', 'number')
  if (cursorParam !== undefined) mutations.push('cursor', 'cursor', 'cursor')
  if (parameters.some((p) => p.in === 'path')) mutations.push('path', 'path')
  if (body !== undefined) mutations.push('body', 'body', 'body', 'body', 'contentType', 'contentType')
  else mutations.push('strayBody')
  const rounds = rng.chance(0.25) ? 0 : rng.chance(0.7) ? 1 : 2
  for (let round = 0; round < rounds; round++) {
    switch (rng.pick(mutations)) {
      case 'param': {
        const p = rng.pick(parameters.filter((x) => x.in === 'query'))
        query = query.filter(([n]) => n !== p.name)
        query.push([p.name, rng.pick(hostileValues)])
        break
      }
      case 'number': {
        const p = rng.pick(parameters.filter((x) => x.in === 'query' && x.schema.type === 'integer'))
        query = query.filter(([n]) => n !== p.name)
        query.push([p.name, rng.pick(hostileNumbers)])
        break
      }
      case 'unknown': {
        const existing = query.length > 0 && rng.chance(0.5) ? rng.pick(query) : undefined
        if (existing !== undefined) query.push([existing[0], rng.pick(hostileValues)])
        else query.push([rng.pick(['zzz', '__proto__', 'constructor[prototype][x]', 'limit[]', 'a'.repeat(300), '', 'offset', 'page', 'q[0]']), rng.pick(['1', ''])])
        break
      }
      case 'cursor': {
        const real = issued.length > 0 ? rng.pick(issued).cursor : rng.pick(others.length > 0 ? others : ['eyJ2IjoxfQ.x'])
        const value = tampered(rng, real, others, ctx.sign)
        query = query.filter(([n]) => n !== cursorParam!.name)
        if (cursorParam!.in === 'header') headers[cursorParam!.name] = typeof value === 'string' ? value : value.raw
        else query.push([cursorParam!.name, value])
        break
      }
      case 'path':
        for (const p of parameters.filter((x) => x.in === 'path')) path.set(p.name, rng.pick(hostileIds))
        break
      case 'body':
        payload = hostileBody(rng, endpoint, body!.payload)
        break
      case 'contentType':
        if (rng.chance(0.15)) delete headers['content-type']
        else headers['content-type'] = rng.pick(badContentTypes)
        break
      case 'strayBody':
        payload = rng.pick(['{"a":1}', deepObject, 'not json', ''])
        headers['content-type'] = rng.pick(['application/json', 'text/plain', 'application/x-ndjson'])
        break
      case 'auth': {
        const choice = rng.int(10)
        if (choice === 0) delete headers.authorization
        else headers.authorization = choice === 1 ? `bearer ${ctx.admin}` : choice === 2 ? `Bearer ${ctx.writer}` : rng.pick(oddAuthorizations(ctx.admin))
        break
      }
      case 'host':
        headers.host = rng.pick(['x:99999', '[', '', '[::1', 'evil.example.org', 'x'.repeat(2000), 'x:-1', 'x:abc', 'a b', 'x:0', '🙂.example'])
        break
      default: { // an odd header, or the method
        const choice = rng.int(9)
        if (choice === 0) headers.accept = rng.pick(oddAccepts)
        else if (choice === 1) headers['if-none-match'] = rng.pick([',,,', '*', 'W/"r1"', '"r1"', '"', 'x'.repeat(5000), '"r1", W/"v28-x"'])
        else if (choice === 2) headers['if-match'] = rng.pick(['W/"r1"', ',,,', '*', '"r999"', '"r1", "r2"', '', '"r0"', '"r1.x"', '"r-1"', '"r1e400"'])
        else if (choice === 3) headers['x-request-id'] = rng.pick(['x'.repeat(10_000), 'a b', 'ü', '../../x', '', '<script>'])
        else if (choice === 4) headers['last-event-id'] = rng.pick(['x', '0', '-1', 'Infinity', ',,,', 'x'.repeat(3000)])
        else if (choice === 5) headers['accept-encoding'] = rng.pick(['gzip;q=abc', 'br, gzip, deflate, *', 'identity;q=0', '*;q=0', 'x'.repeat(3000)])
        else if (choice === 6) Object.assign(headers, rng.pick([{ origin: 'null' }, { origin: 'https://evil.example' }, { 'x-forwarded-host': '[' }, { 'x-forwarded-proto': 'javascript' }, { 'x-forwarded-for': 'x'.repeat(500) }, { range: 'bytes=0-1' }]))
        else if (choice === 7) headers['idempotency-key'] = rng.pick(['x'.repeat(256), '', '😀', 'fuzz-replayed-key', 'a\u0000b'])
        else method = rng.pick(['PUT', 'HEAD', 'OPTIONS', 'TRACE', endpoint.method === 'GET' ? 'DELETE' : 'GET', 'PATCH', 'POST'])
      }
    }
  }

  const url = endpoint.path.replace(/\{(\w+)\}/g, (_, name: string) => encoded(path.get(name) ?? 'fuzz-missing')) +
    (query.length > 0 ? '?' + query.map(([n, v]) => `${encodeURIComponent(n)}=${encoded(v)}`).join('&') : '')
  return { method, url, headers, ...(payload !== undefined ? { payload } : {}) }
}

// --- Sending and judging ---------------------------------------------------------------------

interface Answer { statusCode: number, headers: Record<string, unknown>, body: string }

const streamPath = '/v1/changes/stream'

/** Sends a request; a change stream that opens (it never ends) is read no further and closed. */
async function send (app: App, req: FuzzRequest): Promise<Answer> {
  const stream = req.url.startsWith(streamPath)
  const res = await app.inject({ method: req.method as 'GET', url: req.url, headers: req.headers, payload: req.payload, payloadAsStream: stream })
  if (!stream) return { statusCode: res.statusCode, headers: res.headers, body: decoded(res.headers, res.rawPayload) }
  if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream')) {
    (res.raw.res as ServerResponse).destroy()
    return { statusCode: res.statusCode, headers: res.headers, body: '' }
  }
  const chunks: Buffer[] = []
  for await (const chunk of res.stream() as Readable) chunks.push(chunk as Buffer)
  return { statusCode: res.statusCode, headers: res.headers, body: decoded(res.headers, Buffer.concat(chunks)) }
}

function decoded (headers: Record<string, unknown>, raw: Buffer): string {
  switch (headers['content-encoding']) {
    case 'gzip': return gunzipSync(raw).toString()
    case 'br': return brotliDecompressSync(raw).toString()
    case 'deflate': return inflateSync(raw).toString()
    default: return raw.toString()
  }
}

/** Control, bidi and zero-width characters, and non-characters: shown escaped. */
const invisible = (n: number) => n < 0x20 || (n >= 0x7f && n <= 0x9f) || (n >= 0x200b && n <= 0x200f) || (n >= 0x202a && n <= 0x202e) || [0xfeff, 0xfffe, 0xffff].includes(n)

/** At most `n` characters of a value, JSON-escaped so that NULs and odd characters show. */
function shown (value: unknown, n = 160): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value) ?? String(value)
  const cut = text.length > n ? `${text.slice(0, n)}…[${text.length} chars]` : text
  return [...cut].map((c) => invisible(c.codePointAt(0)!) ? `\\u${c.codePointAt(0)!.toString(16).padStart(4, '0')}` : c).join('')
}

const describe = (req: FuzzRequest, res: Answer, why: string) =>
  `${why}: ${req.method} ${shown(req.url)} headers=${shown(req.headers, 300)}${req.payload !== undefined ? ` body=${shown(req.payload)}` : ''}` +
  ` → ${res.statusCode} ${String(res.headers['content-type'] ?? '-')} ${shown(res.body, 300)}`

type Validate = (component: string, value: unknown) => string[]

/** What is wrong with an answer, or undefined. */
function judge (validate: Validate, endpoint: Endpoint, req: FuzzRequest, res: Answer): string | undefined {
  const status = res.statusCode
  const type = String(res.headers['content-type'] ?? '')
  if (status >= 500) return `answered ${status}`
  if (status >= 400) {
    if (!/^application\/problem\+json/.test(type)) return `a ${status} that is not application/problem+json`
    if (req.method === 'HEAD') return undefined // no body to read
    let body: Record<string, unknown>
    try {
      body = JSON.parse(res.body) as Record<string, unknown>
    } catch {
      return `a ${status} problem whose body is not JSON`
    }
    const errors = validate('Problem', body)
    if (errors.length > 0) return `a ${status} problem that does not match Problem (${errors.slice(0, 3).join('; ')})`
    if (body.status !== status) return `a problem whose status ${String(body.status)} is not the HTTP status ${status}`
    if (body.type !== `/problems/${String(body.code).replaceAll('_', '-')}`) return `a problem whose type ${String(body.type)} does not name its code`
    if (res.headers['x-request-id'] === undefined) return 'a problem without the x-request-id header its request_id is documented to be in'
    if (body.request_id !== res.headers['x-request-id']) return `a problem whose request_id is not its x-request-id header (${String(res.headers['x-request-id'])})`
    if (/at .+\.(ts|js):\d+|SQLITE|SELECT /.test(res.body)) return 'a problem carrying a stack trace or SQL'
    return undefined
  }
  if (status < 200 || status >= 300 || req.method === 'HEAD' || req.method !== endpoint.method) return undefined
  const documented = endpoint.operation.responses[String(status)]
  if (documented === undefined) return `an undocumented ${status}`
  const media = type.split(';')[0]!.trim()
  if (res.body === '' && (status === 204 || media === '')) return undefined
  const content = documented.content?.[media]
  if (content === undefined) return `a ${status} ${media || 'without a content type'}, which the operation does not document (${Object.keys(documented.content ?? {}).join(', ') || 'no body'})`
  if (media !== 'application/json') return undefined
  const ref = content.schema?.$ref
  if (ref === undefined) return undefined
  let body: unknown
  try {
    body = JSON.parse(res.body)
  } catch {
    return `a ${status} application/json whose body is not JSON`
  }
  let errors = validate(componentName(ref), body)
  // `fields=` answers sparse records: validated leniently, the record (or each record of a page)
  // may lack any of its top-level fields but its id, and what it has must match the schema, nothing else.
  if (/[?&]fields=/.test(req.url)) errors = errors.filter((e) => !/^(\/|\/data\/\d+) must have required property '(?!id')/.test(e))
  return errors.length > 0 ? `a ${status} that does not match ${componentName(ref)} (${errors.slice(0, 4).join('; ')})` : undefined
}

// --- The app, its document and its data ------------------------------------------------------

async function fuzzApp () {
  const db = freshDb()
  const app = await buildApp({ db, config: { ...testConfig, rateLimits: false } })
  await app.ready()
  // Keys to revoke: made first, so that the fuzz's own keys are not the lowest ids.
  for (const name of ['fuzz-victim-1', 'fuzz-victim-2', 'fuzz-victim-3']) app.kb.apiKeys.create(name, 'write')
  const admin = app.kb.apiKeys.create('fuzz', 'admin').key
  const writer = app.kb.apiKeys.create('fuzz-writer', 'write').key
  const doc = app.swagger() as unknown as OpenApiDocument
  const ctx: Context = { doc, ids: new Map(), cursors: new Map(), admin, writer, sign: signerOf(app.kb.cursorSecret), serial: { n: 0 } }
  for (const kind of kinds) {
    const res = await app.inject({ url: `/v1/${kind.path}?limit=500&fields=id` })
    const ids = (res.json<{ data: Array<{ id: string }> }>()).data.map((r) => r.id)
    for (const template of [`/v1/${kind.path}/{id}`, `/v1/${kind.path}/{id}/revisions`]) ctx.ids.set(template, ids)
  }
  ctx.ids.set('/v1/keys/{id}', ['1', '2', '3'])
  return { app, db, ctx, validate: await openApiValidator(app) }
}

/** Real cursors of every operation that pages: the first page of one, its next_cursor. */
async function primeCursors (app: App, ctx: Context, endpoints: Endpoint[]) {
  for (const endpoint of endpoints) {
    if (endpoint.method !== 'GET') continue
    const parameters = endpoint.operation.parameters ?? []
    if (!parameters.some((p) => cursorParams.has(p.name))) continue
    const path = endpoint.path === streamPath ? '/v1/changes' : endpoint.path
    const url = path.replace('{id}', ctx.ids.get(endpoint.path)?.[0] ?? 'x')
    for (const query of ['limit=1', 'limit=2&sort=id', path === '/v1/search' ? 'q=mexico&limit=1' : 'limit=3']) {
      const res = await app.inject({ url: `${url}?${query}` })
      // A JSON page says its next cursor; a CSV or NDJSON page, its Link header.
      const linked = /<([^>]+)>; rel="next"/.exec(String(res.headers.link))?.[1]
      const next = res.statusCode !== 200
        ? null
        : String(res.headers['content-type']).startsWith('application/json')
          ? res.json<{ next_cursor?: string | null }>().next_cursor
          : linked === undefined ? null : new URL(linked, 'http://x').searchParams.get('cursor')
      if (typeof next !== 'string') continue
      const key = `${endpoint.method} ${endpoint.path}`
      ctx.cursors.set(key, [...(ctx.cursors.get(key) ?? []), { query: endpoint.path === streamPath ? '' : query, cursor: next }])
    }
  }
}

/** Sends an operation's share of requests; one assertion for the lot, showing the first failures. */
async function fuzzOperation (t: Test, fixture: Awaited<ReturnType<typeof fuzzApp>>, endpoint: Endpoint, count: number, tally: { requests: number, statuses: Map<number, number> }) {
  const { app, ctx, validate } = fixture
  const rng = rngOf(seed ^ hashOf(`${endpoint.method} ${endpoint.path}`))
  const others = [...ctx.cursors.values()].flat().map((c) => c.cursor)
  const failures: string[] = []
  const undocumented = new Set<number>()
  const unallowed = new Set<string>()
  for (let i = 0; i < count; i++) {
    const req = generate(rng, ctx, endpoint, others)
    let res: Answer
    try {
      res = await send(app, req)
    } catch (err) {
      failures.push(`inject failed (${(err as Error).message}): ${req.method} ${shown(req.url)} headers=${shown(req.headers, 300)}`)
      continue
    }
    tally.requests++
    tally.statuses.set(res.statusCode, (tally.statuses.get(res.statusCode) ?? 0) + 1)
    // Not failures (the brief of this test is crashes, problem shapes and schemas), but worth knowing:
    // statuses an operation does not document, and methods a path lacks answered otherwise than 405.
    if (req.method === endpoint.method && endpoint.operation.responses[String(res.statusCode)] === undefined && res.statusCode !== 304) undocumented.add(res.statusCode)
    if (!['HEAD', 'OPTIONS'].includes(req.method) && ctx.doc.paths[endpoint.path]![req.method.toLowerCase()] === undefined && res.statusCode !== 405) {
      unallowed.add(`${req.method} → ${res.statusCode}`)
    }
    const why = judge(validate, endpoint, req, res)
    if (why !== undefined) failures.push(describe(req, res, why))
    // A page that links to a next one gives the fuzz another real cursor to page with and tamper.
    if (res.statusCode === 200 && String(res.headers['content-type']).startsWith('application/json') && req.method === 'GET') {
      const next = (JSON.parse(res.body) as { next_cursor?: unknown }).next_cursor
      const key = `${endpoint.method} ${endpoint.path}`
      const issued = ctx.cursors.get(key) ?? []
      if (typeof next === 'string' && issued.length < 30 && !req.url.includes('cursor=')) {
        issued.push({ query: req.url.split('?')[1] ?? '', cursor: next })
        ctx.cursors.set(key, issued)
      }
    }
  }
  if (process.env.FUZZ_REPORT !== undefined && failures.length > 0) appendFileSync(process.env.FUZZ_REPORT, failures.map((f) => `${f}\n`).join(''))
  if (undocumented.size > 0) t.comment(`${endpoint.method} ${endpoint.path} answered statuses its operation does not document: ${[...undocumented].join(', ')}`)
  if (unallowed.size > 0) t.comment(`${endpoint.path} answered methods it does not have otherwise than 405 with Allow: ${[...unallowed].join(', ')}`)
  t.same(failures.slice(0, 8), [], `${count} requests: no 5xx, every 4xx a problem, every 2xx as documented${failures.length > 8 ? ` (${failures.length} failures, the first 8 shown)` : ''}`)
}

const order = ['POST', 'PATCH', 'DELETE']
/** Writes in an order that leaves them something to do: creates, then patches, then deletes; keys last. */
const writeOrder = (a: Endpoint, b: Endpoint) =>
  Number(a.path.startsWith('/v1/keys')) - Number(b.path.startsWith('/v1/keys')) || order.indexOf(a.method) - order.indexOf(b.method)

t.test(`the OpenAPI document's every operation, fuzzed (seed ${seed})`, async (t) => {
  const started = Date.now()
  const tally = { requests: 0, statuses: new Map<number, number>() }
  // Reads over one app, writes over another: the reads then see the seed data as documented.
  const reads = await fuzzApp()
  t.teardown(async () => { await reads.app.close(); reads.db.close() })
  const endpoints = endpointsOf(reads.ctx.doc)
  t.ok(endpoints.length >= 40, `the document has ${endpoints.length} operations`)
  const count = Math.ceil(totalRequests / endpoints.length)
  await primeCursors(reads.app, reads.ctx, endpoints)
  for (const endpoint of endpoints.filter((e) => e.method === 'GET')) {
    await t.test(`${endpoint.method} ${endpoint.path}`, (t) => fuzzOperation(t, reads, endpoint, count, tally))
  }

  const writes = await fuzzApp()
  t.teardown(async () => { await writes.app.close(); writes.db.close() })
  for (const endpoint of endpoints.filter((e) => e.method !== 'GET').sort(writeOrder)) {
    await t.test(`${endpoint.method} ${endpoint.path}`, (t) => fuzzOperation(t, writes, endpoint, count, tally))
  }
  const statuses = [...tally.statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}×${n}`).join(' ')
  t.comment(`${tally.requests} requests over ${endpoints.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s: ${statuses}`)
})
