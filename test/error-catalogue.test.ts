/**
 * The error catalogue (src/errors.ts) held to what the API does and to what the README says, in
 * the pattern of fastify's test/internals/errors.test.js: every code has a request that triggers
 * it, and the README's table lists exactly the codes of the catalogue, each with its status.
 */
import { once } from 'node:events'
import { readFileSync } from 'node:fs'
import { connect, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp, type AppConfig } from '../src/app.js'
import { openPgDb } from '../src/db/pg-client.js'
import { problems, type ProblemCode } from '../src/errors.js'
import { projectRoot } from '../src/paths.js'
import { assertProblem, buildTestApp, freshDb, SOURCE, testConfig, type App } from './helpers.js'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'

interface Trigger {
  /** How the code comes about, as a test name. */
  when: string
  /** Sends the request (doing whatever must happen first) and returns its response. */
  send (app: App, authorization: string): Promise<{ statusCode: number, headers: Record<string, unknown>, body: string }>
  /** An app other than the default one (a seeded app with a write key). */
  app?: (t: Test) => Promise<App>
  /** Why the trigger cannot run here, when it cannot (it needs PostgreSQL). */
  skip?: string | undefined
}

const actor = (id: string) => ({
  id,
  kind: 'person',
  name: 'A Test Person',
  citations: [{ source_id: SOURCE, excerpt: 'Omar García Harfuch' }]
})

/** An app of its own over a fresh seeded database, with some settings changed; closed with its database. */
const appWith = (config: AppConfig) => async () => {
  const db = freshDb()
  const app = await buildApp({ db, config: { ...testConfig, ...config } })
  app.addHook('onClose', async () => db.close())
  return app
}

/**
 * Sends raw bytes to the app listening on 127.0.0.1 (for what node:http answers before Fastify
 * sees a request) and parses the answer; `wait` ms between the bytes and the end of the wait.
 */
async function raw (app: App, bytes: string, waitMs = 0) {
  await app.listen({ host: '127.0.0.1', port: 0 })
  const socket = connect((app.server.address() as AddressInfo).port, '127.0.0.1')
  let text = ''
  socket.on('data', (chunk) => { text += chunk.toString() })
  socket.write(bytes)
  await Promise.race([once(socket, 'close'), new Promise((resolve) => setTimeout(resolve, 5000 + waitMs))])
  socket.destroy()
  const [head = '', body = ''] = text.split('\r\n\r\n')
  const [statusLine = '', ...lines] = head.split('\r\n')
  const headers = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]))
  return { statusCode: Number(statusLine.split(' ')[1]), headers, body }
}

const post = (app: App, authorization: string, url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, headers: { authorization, ...headers }, payload: payload as object })

/** One request a code: typed by the catalogue, so a code without a trigger does not compile. */
const triggers: Record<ProblemCode, Trigger> = {
  invalid_parameter: { when: 'a parameter with a bad value', send: (app) => app.inject({ url: '/v1/transfers?limit=501' }) },
  unknown_parameter: { when: 'a parameter the operation does not know', send: (app) => app.inject({ url: '/v1/transfers?colour=red' }) },
  invalid_cursor: { when: 'a cursor the API did not issue', send: (app) => app.inject({ url: '/v1/transfers?cursor=abc.def' }) },
  invalid_request: {
    when: 'a body shorter than its Content-Length',
    send: (app, authorization) => app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization, 'content-type': 'application/json', 'content-length': '100' }, payload: '{}' })
  },
  invalid_body: {
    when: 'a body that is not JSON',
    send: (app, authorization) => app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization, 'content-type': 'application/json' }, payload: '{"kind":' })
  },
  unauthorized: { when: 'a write without a key', send: (app) => app.inject({ method: 'POST', url: '/v1/actors', payload: actor('no-key') }) },
  forbidden: {
    when: 'a write with a revoked key',
    send: async (app) => {
      const { key } = app.kb.apiKeys.create('revoked', 'write')
      app.kb.apiKeys.revoke('revoked')
      return post(app, `Bearer ${key}`, '/v1/actors', actor('revoked-key'))
    }
  },
  not_found: { when: 'a record no one has made', send: (app) => app.inject({ url: '/v1/actors/no-such-actor' }) },
  route_not_found: { when: 'a path with no route', send: (app) => app.inject({ url: '/v1/no-such-route' }) },
  method_not_allowed: { when: 'a method the path does not have', send: (app) => app.inject({ method: 'PUT', url: '/v1/transfers/transfer-2025-08-12' }) },
  not_acceptable: { when: 'an Accept the operation cannot answer', send: (app) => app.inject({ url: '/v1/actors', headers: { accept: 'image/png' } }) },
  conflict: { when: 'a create with an id that exists', send: (app, authorization) => post(app, authorization, '/v1/actors', actor('omar-garcia-harfuch')) },
  gone: {
    when: 'a record that was deleted',
    send: async (app, authorization) => {
      await app.inject({ method: 'DELETE', url: '/v1/quotes/saucedo-buying-time', headers: { authorization } })
      return app.inject({ url: '/v1/quotes/saucedo-buying-time' })
    }
  },
  precondition_failed: {
    when: 'an If-Match that names another revision',
    send: (app, authorization) => app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization, 'if-match': '"r99"' }, payload: { description: 'x' } })
  },
  request_timeout: {
    when: 'a request whose headers do not arrive within HEADERS_TIMEOUT_MS',
    app: appWith({ headersTimeoutMs: 300, requestTimeoutMs: 300 }),
    send: (app) => raw(app, 'GET /v1/actors HTTP/1.1\r\nHost: 127.0.0.1\r\n', 300)
  },
  payload_too_large: {
    when: 'a body over BODY_LIMIT',
    app: appWith({ bodyLimit: 64 }),
    send: (app, authorization) => post(app, authorization, '/v1/actors', actor('x'.repeat(100)))
  },
  uri_too_long: { when: 'a path segment longer than any id', send: (app) => app.inject({ url: `/v1/actors/${'x'.repeat(201)}` }) },
  too_many_requests: {
    when: 'a client past its rate limit',
    app: appWith({ rateLimits: { reads: 2, searches: 1, writes: 1 } }),
    send: async (app) => {
      for (let i = 0; i < 2; i++) await app.inject({ url: '/v1/actors' })
      return app.inject({ url: '/v1/actors' })
    }
  },
  headers_too_large: {
    when: 'request headers over 16 KiB',
    send: (app) => raw(app, `GET /v1/actors HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: ${'x'.repeat(20_000)}\r\n\r\n`)
  },
  insufficient_storage: {
    when: 'a write to a full database',
    send: (app, authorization) => {
      // As full as it is now: SQLite cannot grow the file, as on a full disk.
      app.kb.db.sqlite.pragma(`max_page_count = ${String(app.kb.db.sqlite.pragma('page_count', { simple: true }))}`)
      return post(app, authorization, '/v1/actors', { ...actor('no-room'), description: 'x'.repeat(9000) })
    }
  },
  unsupported_media_type: {
    when: 'a body that is not JSON by its Content-Type',
    send: (app, authorization) => app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization, 'content-type': 'text/plain' }, payload: 'hello' })
  },
  unprocessable: {
    when: 'a citation its source does not contain',
    send: (app, authorization) => post(app, authorization, '/v1/actors', { ...actor('miscited'), citations: [{ source_id: SOURCE, excerpt: 'words the source never says' }] })
  },
  idempotency_mismatch: {
    when: 'an Idempotency-Key reused with another body',
    send: async (app, authorization) => {
      await post(app, authorization, '/v1/actors', actor('first-body'), { 'idempotency-key': 'k1' })
      return post(app, authorization, '/v1/actors', actor('second-body'), { 'idempotency-key': 'k1' })
    }
  },
  internal: {
    when: 'a failure of the database under a read',
    send: async (app) => {
      app.kb.db.sqlite.close()
      return app.inject({ url: '/v1/actors' })
    }
  },
  not_implemented: {
    when: 'a search on PostgreSQL, which does not serve it yet',
    skip: pgClusterUnavailable(),
    app: async (t) => {
      const cluster = await startPgCluster(t)
      const db = await openPgDb(cluster.url, { max: 2 })
      const app = await buildApp({ db, config: testConfig })
      app.addHook('onClose', async () => await db.close())
      return app
    },
    send: (app) => app.inject({ url: '/v1/search?q=extradition' })
  },
  unavailable: {
    when: 'a readiness probe with the database closed',
    send: async (app) => {
      app.kb.db.sqlite.close()
      return app.inject({ url: '/ready' })
    }
  }
}

for (const code of Object.keys(problems) as ProblemCode[]) {
  t.test(`${code} (${problems[code].status}): ${triggers[code]?.when ?? 'no trigger'}`, { skip: triggers[code]?.skip ?? false }, async (t) => {
    const trigger = triggers[code]
    t.ok(trigger, `the catalogue's code ${code} has a trigger in this file`)
    if (trigger === undefined) return
    let app: App
    if (trigger.app === undefined) {
      app = (await buildTestApp(t)).app
    } else {
      app = await trigger.app(t)
      t.teardown(() => app.close())
    }
    // A key, where the app's backend makes them (the PostgreSQL backend does not yet).
    const authorization = app.backend.name === 'sqlite' ? `Bearer ${app.kb.apiKeys.create('catalogue', 'write').key}` : ''
    const res = await trigger.send(app, authorization)
    const body = assertProblem(t, res, problems[code].status, code)
    t.equal((body as { title?: string }).title, problems[code].title, 'the title of the catalogue')
  })
}

t.test('every trigger names a code of the catalogue', async (t) => {
  t.same(Object.keys(triggers).filter((code) => !(code in problems)), [])
})

t.test('the README\'s error table lists exactly the catalogue, with each code\'s status and when', async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
  const section = readme.slice(readme.indexOf('\n## Errors'), readme.indexOf('\n## ', readme.indexOf('\n## Errors') + 1))
  const rows = [...section.matchAll(/^\| `([a-z_]+)` \| (\d{3}) \| (.*) \|$/gm)].map((m) => [m[1]!, { status: Number(m[2]), when: m[3]! }] as const)
  const documented = new Map(rows)
  t.equal(documented.size, rows.length, 'no code is listed twice')
  for (const [code, { status, when }] of Object.entries(problems)) {
    t.same(documented.get(code), { status, when }, `the README lists ${code} with status ${status} and the catalogue's words`)
  }
  t.same([...documented.keys()].filter((code) => !(code in problems)), [], 'the README lists no code the catalogue lacks')
})
