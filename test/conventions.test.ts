/**
 * The HTTP conventions of issue 13: compression, 405 with the path's own Allow, OPTIONS, the entry
 * points (`/`, `/v1`), problem types that resolve to pages, `Link: rel="first"` on the change feed.
 */
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t from 'tap'
import { problems, problemTypeUri, type ProblemCode } from '../src/errors.js'
import { kinds } from '../src/kinds/index.js'
import { version } from '../src/paths.js'
import { assertProblem, buildTestApp } from './helpers.js'

t.test('answers over 1 KiB are compressed as the client prefers (brotli or gzip), with Vary; small ones and the stream are not', async (t) => {
  const { app } = await buildTestApp(t)
  const url = '/v1/transfers?include=citations'
  const plain = await app.inject({ url })
  t.notOk(plain.headers['content-encoding'], 'no Accept-Encoding: no compression')
  t.match(plain.headers.vary, /accept-encoding/, 'but Vary says the answer depends on it')

  const br = await app.inject({ url, headers: { 'accept-encoding': 'br, gzip' } })
  t.equal(br.headers['content-encoding'], 'br')
  t.equal(brotliDecompressSync(br.rawPayload).toString(), plain.body, 'brotli decodes to the same body')
  t.ok(br.rawPayload.length < plain.rawPayload.length / 2, `${plain.rawPayload.length} → ${br.rawPayload.length} bytes`)
  t.equal(br.headers.etag, plain.headers.etag, 'the ETag names the representation before compression')

  const gzip = await app.inject({ url, headers: { 'accept-encoding': 'gzip;q=1, br;q=0.5' } })
  t.equal(gzip.headers['content-encoding'], 'gzip', 'the client\'s preference decides')
  t.equal(gunzipSync(gzip.rawPayload).toString(), plain.body)
  t.match(gzip.headers.vary, /accept-encoding/)

  const revalidated = await app.inject({ url, headers: { 'accept-encoding': 'gzip', 'if-none-match': String(plain.headers.etag) } })
  t.equal(revalidated.statusCode, 304, 'the plain ETag revalidates a compressed request')

  for (const other of ['/v1/export', '/v1/transfers.csv?include=citations', '/v1/transfers.ndjson?include=citations', '/openapi.json']) {
    const res = await app.inject({ url: other, headers: { 'accept-encoding': 'gzip' } })
    t.equal(res.headers['content-encoding'], 'gzip', `${other} is compressed`)
  }
  const small = await app.inject({ url: '/health', headers: { 'accept-encoding': 'gzip' } })
  t.notOk(small.headers['content-encoding'], 'an answer under 1 KiB is sent as it is')
  const body = await app.inject({ method: 'POST', url: '/v1/import', headers: { 'content-encoding': 'gzip', 'content-type': 'application/x-ndjson' }, payload: 'x' })
  t.not(body.statusCode, 500, 'a compressed request body is not decompressed, nor a crash')
})

t.test('a method a path does not have is a 405 with the path\'s own Allow; OPTIONS answers that Allow', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: Array<[string, string, string]> = [
    ['PUT', '/v1/transfers/transfer-2025-08-12', 'GET, HEAD, PATCH, DELETE, OPTIONS'],
    ['DELETE', '/v1/transfers', 'GET, HEAD, POST, OPTIONS'],
    ['POST', '/v1/search', 'GET, HEAD, OPTIONS'],
    ['PATCH', '/v1/import', 'POST, OPTIONS'],
    ['POST', '/health', 'GET, HEAD, OPTIONS']
  ]
  for (const [method, url, allow] of cases) {
    const res = await app.inject({ method: method as 'PUT', url })
    const problem = assertProblem(t, res, 405, 'method_not_allowed')
    t.equal(res.headers.allow, allow, `${method} ${url}: Allow: ${allow}`)
    t.match(problem.detail, allow, 'the detail says which methods it has')
    const options = await app.inject({ method: 'OPTIONS', url })
    t.equal(options.statusCode, 204, `OPTIONS ${url}: 204`)
    t.equal(options.headers.allow, allow, `OPTIONS ${url}: the same Allow`)
  }
  assertProblem(t, await app.inject({ method: 'PUT', url: '/v1/nothing-here' }), 404, 'route_not_found')
  assertProblem(t, await app.inject({ method: 'OPTIONS', url: '/v1/nothing-here' }), 404, 'route_not_found')
})

t.test('GET / and GET /v1 say what the server is and link to everything, each link answering', async (t) => {
  const { app } = await buildTestApp(t)
  const root = await app.inject({ url: '/' })
  t.equal(root.statusCode, 200)
  const body = root.json<{ version: string, links: Record<string, string> }>()
  t.equal(body.version, version)
  t.same(Object.keys(body.links), ['api', 'docs', 'explore', 'openapi', 'problems', 'health', 'ready'])
  t.equal((await app.inject({ url: '/', headers: { 'if-none-match': String(root.headers.etag) } })).statusCode, 304, 'with an ETag')

  const index = (await app.inject({ url: '/v1' })).json<{ resources: Array<Record<string, string>>, links: Record<string, string> }>()
  t.same(index.resources.map((r) => r.type), kinds.map((k) => k.type), 'every kind of the registry, in order')
  const links = [...index.resources.flatMap((r) => Object.entries(r).filter(([k]) => k !== 'type' && k !== 'description' && k !== 'record').map(([, v]) => v)),
    ...Object.entries(index.links).filter(([k]) => k !== 'changes_stream').map(([, v]) => v),
    // The explorer is there once built (npm run build): test/explorer-server.test.ts serves it.
    ...Object.entries(body.links).filter(([k]) => k !== 'explore').map(([, v]) => v)]
  for (const link of links) {
    const res = await app.inject({ url: link })
    // Search needs q, the import a POST, keys a key: routes all the same, not 404s.
    t.not(res.statusCode, 404, `${link} is a route (${res.statusCode})`)
    t.ok(res.statusCode < 500, `${link} answers without a fault`)
  }
  const { app: published } = await buildTestApp(t, { config: { publicUrl: 'https://kb.example.org' } })
  t.equal((await published.inject({ url: '/' })).json<{ links: { api: string } }>().links.api, 'https://kb.example.org/v1', 'absolute under PUBLIC_URL')
})

t.test('every problem type URI resolves: JSON for a program, HTML for a browser, made from the catalogue', async (t) => {
  const { app } = await buildTestApp(t)
  for (const code of Object.keys(problems) as ProblemCode[]) {
    const uri = problemTypeUri(code)
    const json = await app.inject({ url: uri })
    t.equal(json.statusCode, 200, `${uri}: 200`)
    t.same(json.json(), { type: uri, code, ...problems[code] }, `${uri}: the catalogue's entry`)
    const html = await app.inject({ url: uri, headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' } })
    t.match(html.headers['content-type'], /^text\/html/, `${uri}: HTML for a browser`)
    t.match(html.body, `<h1>${problems[code].title}</h1>`)
    t.match(html.headers.vary, /Accept/)
  }
  const escaped = await app.inject({ url: '/problems/invalid-parameter', headers: { accept: 'text/html' } })
  t.match(escaped.body, '<code>limit=501</code>', 'the catalogue\'s code spans are code')
  const list = await app.inject({ url: '/problems' })
  t.equal(list.json<{ data: unknown[] }>().data.length, Object.keys(problems).length, 'GET /problems lists them all')
  t.match((await app.inject({ url: '/problems', headers: { accept: 'text/html' } })).body, /<table>/)
  assertProblem(t, await app.inject({ url: '/problems/no-such-problem' }), 404, 'route_not_found')
  const missing = await app.inject({ url: '/v1/transfers/nope' })
  assertProblem(t, missing, 404, 'not_found')
  t.equal((await app.inject({ url: missing.json<{ type: string }>().type })).statusCode, 200, 'a real problem\'s type is a page')
})

t.test('the change feed links its first page and its next position', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/changes?limit=5&types=transfer,quote' })
  const next = res.json<{ next_cursor: string }>().next_cursor
  t.equal(res.headers.link, `</v1/changes?limit=5&types=transfer%2Cquote>; rel="first", </v1/changes?limit=5&types=transfer%2Cquote&since=${next}>; rel="next"`)
  const end = await app.inject({ url: `/v1/changes?since=${next}&limit=500` })
  t.match(end.headers.link, /rel="next"/, 'at the end too: rel="next" is where to poll from')
})
