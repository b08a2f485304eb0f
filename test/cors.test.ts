import t from 'tap'
import { ConfigError, loadConfig } from '../src/config.js'
import { buildTestApp, writer, type App } from './helpers.js'

const DASH = 'https://dash.example'
const DESK = 'https://desk.example'

/** A browser's preflight before sending `method` from `origin`. */
function preflight (app: App, origin: string, method: string, url = '/v1/transfers') {
  return app.inject({
    method: 'OPTIONS',
    url,
    headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization, content-type' }
  })
}

const exposed = (value: unknown) => String(value ?? '').split(',').map((h) => h.trim().toLowerCase())

t.test('By default any origin may read: GET answers Access-Control-Allow-Origin: * and exposes ETag and Link', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/quotes?limit=2', headers: { origin: DASH } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], '*', 'any origin')
  t.notOk(res.headers['access-control-allow-credentials'], 'no credentials with *')
  const names = exposed(res.headers['access-control-expose-headers'])
  for (const header of ['etag', 'link', 'location', 'x-request-id']) t.ok(names.includes(header), `exposes ${header}`)
  t.ok(res.headers.link, 'the exposed Link is there to read')

  const error = await app.inject({ url: '/v1/quotes/no-such-quote', headers: { origin: DASH } })
  t.equal(error.statusCode, 404)
  t.equal(error.headers['access-control-allow-origin'], '*', 'errors are readable too, so a dashboard can show them')

  const plain = await app.inject({ url: '/v1/quotes' })
  t.notOk(plain.headers['access-control-allow-origin'], 'no CORS headers without an Origin')
})

t.test('A preflight for GET answers 204 with the methods and headers a read may use', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await preflight(app, DASH, 'GET', '/v1/quotes/garcia-harfuch-strategic-move')
  t.equal(res.statusCode, 204)
  t.equal(res.body, '')
  t.equal(res.headers['access-control-allow-origin'], '*')
  t.match(res.headers['access-control-allow-methods'], /\bGET\b/)
  t.notMatch(res.headers['access-control-allow-methods'], /POST|PATCH|DELETE/, 'reads only')
  t.match(res.headers['access-control-allow-headers'], /If-None-Match/, 'conditional GETs may be sent')
  t.match(res.headers['access-control-max-age'], /^\d+$/, 'the preflight may be cached')
})

t.test('By default no origin may write: a preflight for POST gets no Access-Control-Allow-Origin', async (t) => {
  const { app, authorization } = await writer(t)
  for (const method of ['POST', 'PATCH', 'DELETE']) {
    const res = await preflight(app, DASH, method)
    t.equal(res.statusCode, 204, `${method} preflight answers`)
    t.notOk(res.headers['access-control-allow-origin'], `${method}: no allow-origin, so the browser refuses`)
    t.notOk(res.headers['access-control-allow-methods'], `${method}: no allowed methods`)
  }
  const write = await app.inject({
    method: 'PATCH',
    url: '/v1/transfers/transfer-2025-08-12',
    headers: { origin: DASH, authorization, 'content-type': 'application/merge-patch+json' },
    payload: JSON.stringify({ purpose: 'Sent from a page.' })
  })
  t.notOk(write.headers['access-control-allow-origin'], 'nor does the write itself, so the page cannot read the answer')
})

t.test('CORS_WRITE_ORIGINS lets the named origins write: allow-origin echoed, Vary: Origin, Authorization and If-Match allowed', async (t) => {
  const { app, authorization } = await writer(t, { config: { corsWriteOrigins: [DESK] } })
  const res = await preflight(app, DESK, 'PATCH')
  t.equal(res.statusCode, 204)
  t.equal(res.headers['access-control-allow-origin'], DESK, 'the origin is echoed, not *')
  t.match(res.headers.vary, /\bOrigin\b/, 'Vary: Origin, as the answer depends on it')
  for (const method of ['POST', 'PATCH', 'DELETE']) t.match(res.headers['access-control-allow-methods'], new RegExp(`\\b${method}\\b`), `allows ${method}`)
  const headers = exposed(res.headers['access-control-allow-headers'])
  for (const header of ['authorization', 'content-type', 'if-match', 'idempotency-key']) t.ok(headers.includes(header), `allows the ${header} header`)

  const write = await app.inject({
    method: 'PATCH',
    url: '/v1/transfers/transfer-2025-08-12',
    headers: { origin: DESK, authorization, 'content-type': 'application/merge-patch+json', 'if-match': '"r1"' },
    payload: JSON.stringify({ purpose: 'Sent from the desk.' })
  })
  t.equal(write.statusCode, 200)
  t.equal(write.headers['access-control-allow-origin'], DESK, 'the write answers the desk')
  t.match(write.headers.vary, /\bOrigin\b/)
  t.ok(exposed(write.headers['access-control-expose-headers']).includes('etag'), 'the new ETag can be read, for the next If-Match')

  const other = await preflight(app, DASH, 'POST')
  t.notOk(other.headers['access-control-allow-origin'], 'an origin not named still may not write')
  const read = await app.inject({ url: '/v1/transfers', headers: { origin: DASH } })
  t.equal(read.headers['access-control-allow-origin'], '*', 'and reads stay open to any origin')
})

t.test('CORS_READ_ORIGINS restricted to one origin echoes only that origin', async (t) => {
  const { app } = await buildTestApp(t, { config: { corsReadOrigins: [DASH] } })
  const res = await app.inject({ url: '/v1/transfers', headers: { origin: DASH } })
  t.equal(res.statusCode, 200)
  t.equal(res.headers['access-control-allow-origin'], DASH, 'the allowed origin is echoed')
  t.ok(exposed(res.headers['access-control-expose-headers']).includes('etag'))
  t.match(res.headers.vary, /\bAccept\b/, 'Vary keeps Accept')
  t.match(res.headers.vary, /\bOrigin\b/, 'and adds Origin, so a shared cache does not hand this answer to another origin')

  const pre = await preflight(app, DASH, 'GET')
  t.equal(pre.headers['access-control-allow-origin'], DASH)
  t.match(pre.headers.vary, /\bOrigin\b/)

  for (const origin of ['https://evil.example', 'https://dash.example.evil', 'http://dash.example']) {
    const other = await app.inject({ url: '/v1/transfers', headers: { origin } })
    t.equal(other.statusCode, 200, `${origin}: the server still answers (CORS is the browser's to enforce)`)
    t.notOk(other.headers['access-control-allow-origin'], `${origin}: but not to that origin`)
    t.notOk((await preflight(app, origin, 'GET')).headers['access-control-allow-origin'], `${origin}: nor its preflight`)
  }
})

t.test('loadConfig reads the origins from the environment and rejects a malformed one', async (t) => {
  const defaults = loadConfig({})
  t.same(defaults.corsReadOrigins, ['*'], 'reads: any origin by default')
  t.same(defaults.corsWriteOrigins, [], 'writes: none by default')

  const set = loadConfig({ CORS_READ_ORIGINS: `${DASH}, http://localhost:5173`, CORS_WRITE_ORIGINS: DESK })
  t.same(set.corsReadOrigins, [DASH, 'http://localhost:5173'], 'a comma-separated list, trimmed')
  t.same(set.corsWriteOrigins, [DESK])

  const bad = [
    { name: 'CORS_READ_ORIGINS', value: 'dash.example', named: 'dash.example' },
    { name: 'CORS_WRITE_ORIGINS', value: 'https://desk.example/path', named: 'https://desk.example/path' },
    { name: 'CORS_WRITE_ORIGINS', value: `${DESK}, ftp://files.example`, named: 'ftp://files.example' }
  ]
  for (const { name, value, named } of bad) {
    const err = (() => {
      try {
        loadConfig({ [name]: value })
      } catch (error) {
        return error
      }
    })()
    t.ok(err instanceof ConfigError, `${name}=${value}: refused with a ConfigError`)
    const message = (err as ConfigError).problems.join('\n')
    t.match(message, `${name} must be * or comma-separated origins`, 'naming the variable and what it takes')
    t.match(message, `"${named}"`, 'and the bad value')
  }
})
