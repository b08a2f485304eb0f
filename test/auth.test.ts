import t, { type Test } from 'tap'
import { kindOf, kinds } from '../src/kinds/index.js'
import { assertProblem, buildTestApp, changeFeed, copyOfExample, mergePatch, mergePatchOf, SOURCE, type App } from './helpers.js'

interface WriteRequest { method: 'POST' | 'PATCH' | 'DELETE', url: string, headers?: Record<string, string>, payload?: object | string }

/** Every write route, with a body that would be accepted given a key: of every kind, a new record, and a patch and delete of its seeded example. */
function writeRequests (): WriteRequest[] {
  return [
    ...kinds.flatMap((k): WriteRequest[] => [
      { method: 'POST', url: `/v1/${k.path}`, payload: copyOfExample(k) },
      { method: 'PATCH', url: `/v1/${k.path}/${k.exampleId}`, payload: mergePatchOf(k) },
      { method: 'DELETE', url: `/v1/${k.path}/${k.exampleId}` }
    ]),
    {
      method: 'POST' as const,
      url: '/v1/import',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify({ type: 'source', data: { id: 'imported', title: 'Imported', language: 'en', captured_text: 'Imported text.' } }) + '\n'
    }
  ]
}

/** A key that has the API's shape but was never issued. */
const unknownKey = 'kb_' + 'A'.repeat(43)

async function assertUnauthorized (t: Test, res: Awaited<ReturnType<App['inject']>>, error?: string) {
  const body = assertProblem(t, res, 401, 'unauthorized')
  const challenge = String(res.headers['www-authenticate'])
  t.match(challenge, /^Bearer realm="kb"/, 'a Bearer challenge for the "kb" realm')
  if (error === undefined) t.notMatch(challenge, /error=/, 'no error code when no credentials were sent')
  else t.match(challenge, `error="${error}"`)
  return body
}

t.test('reads need no key', async (t) => {
  const { app } = await buildTestApp(t)
  for (const k of kinds) {
    for (const url of [`/v1/${k.path}`, `/v1/${k.path}/${k.exampleId}`, `/v1/${k.path}/${k.exampleId}/revisions`]) {
      const res = await app.inject({ url })
      t.equal(res.statusCode, 200, `GET ${url}`)
      t.notOk(res.headers['www-authenticate'], `GET ${url} sends no challenge`)
    }
  }
  for (const url of ['/v1/changes', '/v1/export']) {
    t.equal((await app.inject({ url })).statusCode, 200, `GET ${url}`)
  }
})

t.test('every write route without Authorization is a 401 with a Bearer challenge, and writes nothing', async (t) => {
  const { app } = await buildTestApp(t)
  const before = await changeFeed(app)
  for (const request of writeRequests()) {
    const res = await app.inject(request)
    const body = await assertUnauthorized(t, res)
    t.match(body.detail, /Authorization: Bearer <key>/, `${request.method} ${request.url} says how to authenticate`)
    t.notOk(body.errors, 'no field is to blame')
  }
  t.equal(await changeFeed(app), before, 'the change feed is unchanged')
  t.equal((await app.inject({ url: `/v1/sources/${SOURCE}` })).headers.etag, '"r1"', 'the seeded source was not patched')
})

t.test('an unauthenticated write is refused before its body is looked at', async (t) => {
  const { app } = await buildTestApp(t)
  await assertUnauthorized(t, await app.inject({ method: 'POST', url: '/v1/transfers', payload: {} }))
  await assertUnauthorized(t, await app.inject({ method: 'PATCH', url: '/v1/transfers/transfer-2025-02', payload: { bogus: 1 } }))
  await assertUnauthorized(t, await app.inject({ method: 'POST', url: '/v1/actors', headers: { 'content-type': 'text/plain' }, payload: 'hello' }))
})

t.test('a malformed Authorization header is a 401 invalid_request naming the header', async (t) => {
  const { app } = await buildTestApp(t)
  const before = await changeFeed(app)
  for (const authorization of ['Basic x', 'Bearer', 'Bearer not-a-key', `Bearer ${unknownKey} extra`, `Bearer\t${unknownKey}`]) {
    for (const request of writeRequests()) {
      const res = await app.inject({ ...request, headers: { ...request.headers, authorization } })
      const body = await assertUnauthorized(t, res, 'invalid_request')
      t.same(body.errors, [{ in: 'header', name: 'authorization', detail: 'is malformed' }], `${request.method} ${request.url} with "${authorization}"`)
    }
  }
  t.equal(await changeFeed(app), before, 'the change feed is unchanged')
})

t.test('a well-formed key that was never issued is a 401 invalid_token, whatever the case of the scheme', async (t) => {
  const { app } = await buildTestApp(t)
  const before = await changeFeed(app)
  for (const [i, request] of writeRequests().entries()) {
    const scheme = ['Bearer', 'bearer', 'BEARER'][i % 3]!
    const res = await app.inject({ ...request, headers: { ...request.headers, authorization: `${scheme} ${unknownKey}` } })
    const body = await assertUnauthorized(t, res, 'invalid_token')
    t.equal(body.detail, 'The API key is not known.')
    t.same(body.errors, [{ in: 'header', name: 'authorization', detail: 'names no key' }])
  }
  t.equal(await changeFeed(app), before, 'the change feed is unchanged')
})

/** A revoked key is refused with 403 on every write route, and nothing is written. */
async function assertRevokedKeyRefused (t: Test, app: App, key: string, name: string, revokedAt: string) {
  const before = await changeFeed(app)
  for (const request of writeRequests()) {
    const res = await app.inject({ ...request, headers: { ...request.headers, authorization: `Bearer ${key}` } })
    const body = assertProblem(t, res, 403, 'forbidden')
    t.equal(body.detail, `The API key "${name}" was revoked at ${revokedAt}.`, `${request.method} ${request.url}`)
    t.match(String(res.headers['www-authenticate']), /^Bearer realm="kb", error="invalid_token"/)
  }
  t.equal(await changeFeed(app), before, 'the change feed is unchanged')
}

t.test('a revoked key is a 403 naming the key, on every write route', async (t) => {
  const { app, db } = await buildTestApp(t)
  const { key, info } = app.kb.apiKeys.create('old-desk', 'write')
  // What `kb keys revoke` records; set directly so that this test does not depend on apiKeys.revoke (see the next test).
  const revokedAt = '2025-08-14T09:00:00.000Z'
  db.sqlite.prepare('UPDATE api_keys SET revoked_at = ? WHERE id = ?').run(revokedAt, info.id)
  await assertRevokedKeyRefused(t, app, key, 'old-desk', revokedAt)
})

t.test('apiKeys.revoke(name) revokes a key, which is then refused with 403', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('old-desk', 'write')
  const revoked = app.kb.apiKeys.revoke('old-desk')
  t.match(revoked, { name: 'old-desk', revoked_at: String }, 'revoke returns the key with its revocation time')
  await assertRevokedKeyRefused(t, app, key, 'old-desk', revoked!.revoked_at!)
})

// Creating, patching and deleting every kind with a key of scope write, named as the author, is in resources.test.ts.
t.test('a key of scope write can import', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('analyst-desk', 'write')
  const imported = await app.inject({ ...writeRequests().at(-1)!, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' } })
  t.equal(imported.statusCode, 201, 'POST /v1/import')
})

t.test('a key of scope admin can write too', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('admin-desk', 'admin')
  const authorization = `Bearer ${key}`
  const created = await app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization }, payload: copyOfExample(kindOf('actor')) })
  t.equal(created.statusCode, 201)
  const url = String(created.headers.location)
  const patched = await mergePatch(app, authorization, url, { country: 'MX' })
  t.equal(patched.statusCode, 200)
  const deleted = await app.inject({ method: 'DELETE', url, headers: { authorization } })
  t.equal(deleted.statusCode, 204)
  const imported = await app.inject({ ...writeRequests().at(-1)!, headers: { authorization, 'content-type': 'application/x-ndjson' } })
  t.equal(imported.statusCode, 201, 'POST /v1/import')
  const revisions = await app.inject({ url: `${url}/revisions` })
  t.same(revisions.json<{ data: Array<{ action: string, author: string }> }>().data.map((r) => [r.action, r.author]),
    [['create', 'admin-desk'], ['update', 'admin-desk'], ['delete', 'admin-desk']])
})
