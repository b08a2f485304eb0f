import t, { type Test } from 'tap'
import { assertProblem, buildTestApp } from './helpers.js'

type App = Awaited<ReturnType<typeof buildTestApp>>['app']

const SOURCE = 'mexico-hands-over-26-cartel-kingpins'

/** A valid create body and merge patch for each kind, and a seeded record to patch and delete. */
const kinds = [
  {
    path: 'sources',
    id: SOURCE,
    create: { title: 'A capture', language: 'en', captured_text: 'Some captured text.' },
    patch: { publisher: 'Reuters' }
  },
  {
    path: 'actors',
    id: 'david-saucedo',
    create: { kind: 'group', name: 'Mexican officials', citations: [{ source_id: SOURCE, excerpt: 'Mexican officials announced Wednesday' }] },
    patch: { description: 'A Mexican security analyst.' }
  },
  {
    path: 'transfers',
    id: 'transfer-2025-02',
    create: {
      from_country: 'MX',
      to_country: 'US',
      mechanism: 'unspecified',
      summary: 'The 55 people Mexico transferred to the United States in 2025.',
      citations: [{ source_id: SOURCE, excerpt: 'the 55 individuals transferred this year' }]
    },
    patch: { summary: 'Twenty-nine cartel leaders handed over in February 2025.' }
  },
  {
    path: 'quotes',
    id: 'saucedo-buying-time',
    create: {
      speaker_id: 'claudia-sheinbaum-pardo',
      text: 'sovereign',
      kind: 'direct',
      language: 'en',
      citations: [{ source_id: SOURCE, excerpt: 'the decision was a “sovereign” one' }]
    },
    patch: { context: 'On the transfers.' }
  },
  {
    path: 'tariff-deadlines',
    id: 'us-tariffs-on-mexican-imports-2025',
    create: {
      measure: 'Tariffs on Mexican imports',
      imposing_country: 'US',
      targeted_country: 'MX',
      status: 'upcoming',
      citations: [{ source_id: SOURCE, excerpt: 'threatened 30% tariffs on Mexican imports' }]
    },
    patch: { status: 'extended' }
  },
  {
    path: 'cooperation-measures',
    id: 'us-drone-over-central-mexico-2025',
    create: {
      kind: 'other',
      title: 'Mexico meets U.S. demands',
      description: 'Mexico buying time by meeting U.S. demands.',
      status: 'active',
      citations: [{ source_id: SOURCE, excerpt: 'Mexico is buying time by meeting U.S. demands' }]
    },
    patch: { status: 'ended' }
  }
] as const

interface WriteRequest { method: 'POST' | 'PATCH' | 'DELETE', url: string, headers?: Record<string, string>, payload?: object | string }

/** Every write route, with a body that would be accepted given a key. */
function writeRequests (): WriteRequest[] {
  return [
    ...kinds.flatMap((k): WriteRequest[] => [
      { method: 'POST', url: `/v1/${k.path}`, payload: k.create },
      { method: 'PATCH', url: `/v1/${k.path}/${k.id}`, payload: k.patch },
      { method: 'DELETE', url: `/v1/${k.path}/${k.id}` }
    ]),
    {
      method: 'POST' as const,
      url: '/v1/import',
      headers: { 'content-type': 'application/x-ndjson' },
      payload: JSON.stringify({ type: 'source', data: { id: 'imported', title: 'Imported', language: 'en', captured_text: 'Imported text.' } }) + '\n'
    }
  ]
}

/** The whole change feed: any write adds to it. */
async function feed (app: App) {
  const res = await app.inject({ url: '/v1/changes?limit=1000' })
  return res.body
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
    for (const url of [`/v1/${k.path}`, `/v1/${k.path}/${k.id}`, `/v1/${k.path}/${k.id}/revisions`]) {
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
  const before = await feed(app)
  for (const request of writeRequests()) {
    const res = await app.inject(request)
    const body = await assertUnauthorized(t, res)
    t.match(body.detail, /Authorization: Bearer <key>/, `${request.method} ${request.url} says how to authenticate`)
    t.notOk(body.errors, 'no field is to blame')
  }
  t.equal(await feed(app), before, 'the change feed is unchanged')
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
  const before = await feed(app)
  for (const authorization of ['Basic x', 'Bearer', 'Bearer not-a-key', `bearer ${unknownKey}`, `Bearer ${unknownKey} extra`]) {
    for (const request of writeRequests()) {
      const res = await app.inject({ ...request, headers: { ...request.headers, authorization } })
      const body = await assertUnauthorized(t, res, 'invalid_request')
      t.same(body.errors, [{ in: 'header', name: 'authorization', detail: 'is malformed' }], `${request.method} ${request.url} with "${authorization}"`)
    }
  }
  t.equal(await feed(app), before, 'the change feed is unchanged')
})

t.test('a well-formed key that was never issued is a 401 invalid_token', async (t) => {
  const { app } = await buildTestApp(t)
  const before = await feed(app)
  for (const request of writeRequests()) {
    const res = await app.inject({ ...request, headers: { ...request.headers, authorization: `Bearer ${unknownKey}` } })
    const body = await assertUnauthorized(t, res, 'invalid_token')
    t.equal(body.detail, 'The API key is not known.')
    t.same(body.errors, [{ in: 'header', name: 'authorization', detail: 'names no key' }])
  }
  t.equal(await feed(app), before, 'the change feed is unchanged')
})

/** A revoked key is refused with 403 on every write route, and nothing is written. */
async function assertRevokedKeyRefused (t: Test, app: App, key: string, name: string, revokedAt: string) {
  const before = await feed(app)
  for (const request of writeRequests()) {
    const res = await app.inject({ ...request, headers: { ...request.headers, authorization: `Bearer ${key}` } })
    const body = assertProblem(t, res, 403, 'forbidden')
    t.equal(body.detail, `The API key "${name}" was revoked at ${revokedAt}.`, `${request.method} ${request.url}`)
    t.match(String(res.headers['www-authenticate']), /^Bearer realm="kb", error="invalid_token"/)
  }
  t.equal(await feed(app), before, 'the change feed is unchanged')
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

t.test('a key of scope write creates, updates and deletes every kind, and is named as the author', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('analyst-desk', 'write')
  const authorization = `Bearer ${key}`
  for (const k of kinds) {
    const created = await app.inject({ method: 'POST', url: `/v1/${k.path}`, headers: { authorization }, payload: k.create })
    t.equal(created.statusCode, 201, `POST /v1/${k.path}`)
    const url = String(created.headers.location)
    const patched = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: k.patch })
    t.equal(patched.statusCode, 200, `PATCH ${url}`)
    const deleted = await app.inject({ method: 'DELETE', url, headers: { authorization } })
    t.equal(deleted.statusCode, 204, `DELETE ${url}`)
    const revisions = await app.inject({ url: `${url}/revisions` })
    t.same(revisions.json<{ data: Array<{ action: string, author: string }> }>().data.map((r) => [r.action, r.author]),
      [['create', 'analyst-desk'], ['update', 'analyst-desk'], ['delete', 'analyst-desk']], `${url} is written by analyst-desk`)
  }
  const imported = await app.inject({ ...writeRequests().at(-1)!, headers: { authorization, 'content-type': 'application/x-ndjson' } })
  t.equal(imported.statusCode, 201, 'POST /v1/import')
})

t.test('a key of scope admin can write too', async (t) => {
  const { app } = await buildTestApp(t)
  const { key } = app.kb.apiKeys.create('admin-desk', 'admin')
  const authorization = `Bearer ${key}`
  const created = await app.inject({ method: 'POST', url: '/v1/actors', headers: { authorization }, payload: kinds[1].create })
  t.equal(created.statusCode, 201)
  const url = String(created.headers.location)
  const patched = await app.inject({ method: 'PATCH', url, headers: { authorization, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ country: 'MX' }) })
  t.equal(patched.statusCode, 200)
  const deleted = await app.inject({ method: 'DELETE', url, headers: { authorization } })
  t.equal(deleted.statusCode, 204)
  const imported = await app.inject({ ...writeRequests().at(-1)!, headers: { authorization, 'content-type': 'application/x-ndjson' } })
  t.equal(imported.statusCode, 201, 'POST /v1/import')
  const revisions = await app.inject({ url: `${url}/revisions` })
  t.same(revisions.json<{ data: Array<{ action: string, author: string }> }>().data.map((r) => [r.action, r.author]),
    [['create', 'admin-desk'], ['update', 'admin-desk'], ['delete', 'admin-desk']])
})
