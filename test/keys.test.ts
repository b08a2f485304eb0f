/**
 * API keys over HTTP (`/v1/keys`), for `admin` keys only, and keys that expire; each from both
 * sides: what an admin may do, and that a `write` key, no key or an expired key may not.
 */
import t, { type Test } from 'tap'
import { checkKey } from '../src/auth/api-keys.js'
import { assertProblem, buildTestApp, type App } from './helpers.js'

async function withKeys (t: Test) {
  const { app } = await buildTestApp(t)
  const admin = `Bearer ${app.kb.apiKeys.create('root', 'admin').key}`
  const write = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  return { app, admin, write }
}

const keysCall = (app: App, authorization: string | undefined, method: 'GET' | 'POST' | 'DELETE', url = '/v1/keys', payload?: object) =>
  app.inject({ method, url, headers: authorization === undefined ? {} : { authorization }, ...(payload === undefined ? {} : { payload }) })

t.test('an admin key makes a key over HTTP: shown once, then working, listed without the key itself', async (t) => {
  const { app, admin } = await withKeys(t)
  const res = await keysCall(app, admin, 'POST', '/v1/keys', { name: 'dashboard-ingest', scope: 'write' })
  t.equal(res.statusCode, 201)
  t.equal(res.headers['cache-control'], 'no-store')
  const made = res.json<{ id: number, key: string, name: string, scope: string, expires_at: string | null }>()
  t.match(made, { name: 'dashboard-ingest', scope: 'write', expires_at: null, key: /^kb_[A-Za-z0-9_-]{43}$/ })
  t.equal(res.headers.location, `/v1/keys/${made.id}`)
  const used = await app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization: `Bearer ${made.key}` }, payload: { description: 'Written with the new key.' } })
  t.equal(used.statusCode, 200, 'the key works at once')
  const list = await keysCall(app, admin, 'GET')
  t.equal(list.statusCode, 200)
  t.equal(list.headers['cache-control'], 'no-store', 'never kept by a shared cache')
  t.notOk(list.headers.etag)
  t.same(list.json<{ data: Array<{ name: string }> }>().data.map((k) => k.name), ['root', 'desk', 'dashboard-ingest'])
  t.notMatch(list.body, made.key, 'the key itself is never shown again')
  t.notMatch(list.body, /key_hash/)
})

t.test('an admin key revokes a key over HTTP; the key stops working at once and stays listed', async (t) => {
  const { app, admin, write } = await withKeys(t)
  const id = app.kb.apiKeys.find('desk')!.id
  const res = await keysCall(app, admin, 'DELETE', `/v1/keys/${id}`)
  t.equal(res.statusCode, 200)
  t.match(res.json(), { id, name: 'desk', revoked_at: String })
  const refused = await app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization: write }, payload: { description: 'x' } })
  assertProblem(t, refused, 403, 'forbidden')
  t.equal((await keysCall(app, admin, 'DELETE', `/v1/keys/${id}`)).statusCode, 200, 'revoking again changes nothing')
  assertProblem(t, await keysCall(app, admin, 'DELETE', '/v1/keys/999'), 404, 'not_found')
})

t.test('a write key, no key or a malformed one cannot see or touch keys', async (t) => {
  const { app, write } = await withKeys(t)
  for (const [method, url, payload] of [['GET', '/v1/keys'], ['POST', '/v1/keys', { name: 'sneaky', scope: 'admin' }], ['DELETE', '/v1/keys/1']] as const) {
    const forbidden = await keysCall(app, write, method, url, payload)
    t.match(assertProblem(t, forbidden, 403, 'forbidden').detail, /has the scope "write"; this operation needs "admin"/, `${method} ${url} with a write key`)
    t.match(forbidden.headers['www-authenticate'], /error="insufficient_scope"/)
    assertProblem(t, await keysCall(app, undefined, method, url, payload), 401, 'unauthorized')
    assertProblem(t, await keysCall(app, 'Bearer kb_nope', method, url, payload), 401, 'unauthorized')
  }
  t.equal(app.kb.apiKeys.find('sneaky'), undefined, 'nothing was made')
  t.equal(app.kb.apiKeys.find('root')!.revoked_at, null, 'nothing was revoked')
})

t.test('a key made with a bad body, or a taken name, is refused', async (t) => {
  const { app, admin } = await withKeys(t)
  for (const [payload, field] of [
    [{ name: 'x', scope: 'owner' }, '/scope'],
    [{ name: '', scope: 'write' }, '/name'],
    [{ name: ' padded ', scope: 'write' }, '/name'],
    [{ name: 'x', scope: 'write', expires_in_hours: 0 }, '/expires_in_hours'],
    [{ name: 'x', scope: 'write', extra: true }, '/extra']
  ] as const) {
    const res = await keysCall(app, admin, 'POST', '/v1/keys', payload)
    t.match(assertProblem(t, res, 400, 'invalid_body').errors, [{ name: field }], JSON.stringify(payload))
  }
  const taken = await keysCall(app, admin, 'POST', '/v1/keys', { name: 'desk', scope: 'write' })
  t.match(assertProblem(t, taken, 409, 'conflict').errors, [{ name: '/name', detail: 'is taken' }])
})

t.test('a key that expired is refused with 401 naming it; before that it works', async (t) => {
  const { app, admin } = await withKeys(t)
  const made = (await keysCall(app, admin, 'POST', '/v1/keys', { name: 'temporary', scope: 'write', expires_in_hours: 1 })).json<{ key: string, expires_at: string }>()
  const inAnHour = Date.now() + 3_600_000
  t.ok(Math.abs(Date.parse(made.expires_at) - inAnHour) < 60_000, 'expires in an hour')
  const authorization = `Bearer ${made.key}`
  t.equal((await app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization }, payload: { description: 'in time' } })).statusCode, 200)
  t.same(app.kb.reader.run(checkKey(made.key, new Date(inAnHour + 60_000))), { ok: false, reason: 'expired', key: app.kb.apiKeys.find('temporary') })
  // Now expire it for real.
  app.kb.db.sqlite.prepare("UPDATE api_keys SET expires_at = '2000-01-01T00:00:00.000Z' WHERE name = 'temporary'").run()
  const late = await app.inject({ method: 'PATCH', url: '/v1/actors/pam-bondi', headers: { authorization }, payload: { description: 'too late' } })
  t.match(assertProblem(t, late, 401, 'unauthorized').detail, /"temporary" expired at 2000-01-01T00:00:00\.000Z/)
  t.match(late.headers['www-authenticate'], /error="invalid_token", error_description="expired key"/)
})
