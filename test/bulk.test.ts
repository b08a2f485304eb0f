import t, { type Test } from 'tap'
import { kindTypes } from '../src/kinds/index.js'
import { assertNothingWritten, assertProblem, buildTestApp, readFeed, snapshotOf, SOURCE, supportedQuote, type App } from './helpers.js'

interface Line { type: string, data: { id: string, [field: string]: unknown } }
interface ImportProblem { in: string, line: number, name: string, detail: string }

const ndjson = (...lines: unknown[]) => lines.map((l) => (typeof l === 'string' ? l : JSON.stringify(l)) + '\n').join('')

/** An import line of a quote the seeded source supports. */
const quote = (id: string, fields: object = {}) => ({ type: 'quote', data: { ...supportedQuote(id), ...fields } })

async function exportOf (app: App) {
  const res = await app.inject({ url: '/v1/export' })
  return { res, lines: res.body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as Line) }
}

function importInto (app: App, key: string | undefined, body: string, contentType = 'application/x-ndjson') {
  return app.inject({
    method: 'POST',
    url: '/v1/import',
    headers: { 'content-type': contentType, ...(key !== undefined ? { authorization: `Bearer ${key}` } : {}) },
    payload: body
  })
}

/** Imports `body` into a seeded app and expects a 422 listing exactly `errors`, with nothing written. */
async function assertRefused (t: Test, body: string, errors: Array<Partial<Record<keyof ImportProblem, string | number | RegExp>>>) {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const before = await snapshotOf(app)
  const res = await importInto(app, key, body)
  const problem = assertProblem(t, res, 422, 'unprocessable')
  const lines = new Set(errors.map((e) => e.line)).size
  t.equal(problem.detail, `${lines} line(s) of the import have problems; nothing was written.`)
  t.match(problem.errors, errors.map((e) => ({ in: 'body', ...e })), 'each problem names its line, field and what is wrong')
  t.equal(problem.errors!.length, errors.length, 'and nothing else')
  await assertNothingWritten(t, app, before)
}

t.test('GET /v1/export is NDJSON: one {type, data} line per record, sources first, each kind by id', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, lines } = await exportOf(app)
  t.equal(res.statusCode, 200)
  t.equal(res.headers['content-type'], 'application/x-ndjson; charset=utf-8')
  t.equal(res.headers['content-disposition'], 'attachment; filename="kb-export.ndjson"')
  t.ok(res.body.endsWith('}\n'), 'every line ends with a newline, the last one too')
  t.ok(lines.every((l) => Object.keys(l).join() === 'type,data'), 'each line is exactly {type, data}')

  const feed = (await readFeed(t, app, { limit: 1000 })).changes
  t.equal(lines.length, feed.length, 'one line per seeded record')
  t.equal(lines[0]!.type, 'source', 'sources first, so that a reader meets what is cited before what cites it')
  const order = lines.map((l) => [kindTypes.indexOf(l.type as never), l.data.id] as const)
  t.same(order, [...order].sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : 1)), 'kinds in import order, each by id')

  const source = lines[0]!.data
  t.match(source, { id: SOURCE, title: String, captured_text: String }, 'a source carries its captured text, as a create takes it')
  t.notOk('text' in source || 'text_sha256' in source || 'created_at' in source, 'and nothing the server derives')
  const quoted = lines.find((l) => l.type === 'quote')!.data
  t.match(quoted, { speaker_id: String, citations: [{ source_id: SOURCE, excerpt: String }] }, 'records carry their citations')
  t.notOk('speaker' in quoted, 'but not embedded records')

  assertProblem(t, await app.inject({ url: '/v1/export?format=csv' }), 400, 'unknown_parameter')
})

t.test('export → import into an empty database → export gives the same bytes', async (t) => {
  const { app: seeded } = await buildTestApp(t)
  const exported = (await seeded.inject({ url: '/v1/export' })).body
  const { app: empty } = await buildTestApp(t, { seed: false })
  t.equal((await empty.inject({ url: '/v1/export' })).body, '', 'the empty database exports nothing')
  const key = empty.kb.apiKeys.create('desk', 'write').key

  const res = await importInto(empty, key, exported)
  t.equal(res.statusCode, 201)
  t.match(res.headers['content-type'], /^application\/json/)
  const lines = exported.trimEnd().split('\n').map((l) => JSON.parse(l) as Line)
  const byType = Object.fromEntries(kindTypes.map((k) => [k, lines.filter((l) => l.type === k).length]))
  t.same(res.json(), { records: lines.length, by_type: byType }, 'it answers how many records of each kind it wrote')

  t.equal((await empty.inject({ url: '/v1/export' })).body, exported, 'byte for byte')
})

t.test('imported records are at revision 1 by the key\'s name, and each is in the change feed once', async (t) => {
  const { app: seeded } = await buildTestApp(t)
  const exported = (await exportOf(seeded)).lines
  const { app } = await buildTestApp(t, { seed: false })
  const key = app.kb.apiKeys.create('bulk-loader', 'write').key
  t.equal((await importInto(app, key, ndjson(...exported))).statusCode, 201)

  const feed = (await readFeed(t, app, { limit: 1000 })).changes
  t.same(feed.map((c) => `${c.type}/${c.id}`).sort(), exported.map((l) => `${l.type}/${l.data.id}`).sort(), 'one change per imported record')
  t.ok(feed.every((c) => c.action === 'create' && c.revision === 1 && c.author === 'bulk-loader'), 'each a create, revision 1, by the key\'s name')

  const revisions = await app.inject({ url: '/v1/quotes/sheinbaum-sovereign-decision/revisions' })
  t.match(revisions.json(), { data: [{ revision: 1, action: 'create', author: 'bulk-loader', etag: '"r1"' }], next_cursor: null })
  t.equal((await app.inject({ url: '/v1/quotes/sheinbaum-sovereign-decision' })).headers.etag, '"r1"')
})

t.test('a record may point at sources and actors defined later in the same file', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const citation = { source_id: 'late-source', excerpt: 'We will cooperate, not subordinate.' }
  const body = ndjson(
    { type: 'quote', data: { id: 'early-quote', speaker_id: 'late-speaker', text: 'cooperate, not subordinate', kind: 'partial', language: 'en', citations: [citation] } },
    { type: 'actor', data: { id: 'late-speaker', kind: 'person', name: 'A spokesperson', citations: [citation] } },
    '',
    { type: 'source', data: { id: 'late-source', title: 'A statement', language: 'en', captured_text: 'Statement.\n\nWe will cooperate, not subordinate.' } }
  )
  const res = await importInto(app, key, body)
  t.equal(res.statusCode, 201, 'blank lines are skipped')
  const written: Partial<Record<string, number>> = { source: 1, actor: 1, quote: 1 }
  t.same(res.json(), { records: 3, by_type: Object.fromEntries(kindTypes.map((type) => [type, written[type] ?? 0])) }, 'by_type counts every kind, 0 for those the file has none of')

  const imported = await app.inject({ url: '/v1/quotes/early-quote?include=speaker,citations' })
  t.equal(imported.statusCode, 200)
  t.match(imported.json(), {
    speaker: { id: 'late-speaker', name: 'A spokesperson' },
    citations: [{ source_id: 'late-source', excerpt: citation.excerpt, start_offset: 12, end_offset: 47 }]
  }, 'the links and the citation (with its offsets) are in place')
})

t.test('a text/plain body is read as NDJSON too: what generated clients send the text as', async (t) => {
  // orval's fetch client sends a string body as-is only as exactly text/plain, and
  // @hey-api/openapi-ts only as text/*: the document lists text/plain first (src/schemas/bulk.ts).
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  for (const contentType of ['text/plain', 'text/plain; charset=UTF-8', 'application/x-ndjson; charset=utf-8']) {
    const id = contentType.toLowerCase().replace(/\W+/g, '-')
    const res = await importInto(app, key, ndjson(quote(`${id}-1`), quote(`${id}-2`, { context: 'On a "sovereign" decision.\nTwo lines.' })), contentType)
    t.equal(res.statusCode, 201, `${contentType}: ${res.body}`)
    t.match(res.json(), { records: 2, by_type: { quote: 2 } })
    t.match((await app.inject({ url: `/v1/quotes/${id}-2` })).json(), { id: `${id}-2`, context: 'On a "sovereign" decision.\nTwo lines.' }, 'the text as it was sent')
  }

  t.test('a text/plain body that is not NDJSON is the usual 422 naming the line', async (t) => {
    const { app } = await buildTestApp(t)
    const key = app.kb.apiKeys.create('desk', 'write').key
    const before = await snapshotOf(app)
    const problem = assertProblem(t, await importInto(app, key, ndjson(quote('fine'), 'hello, world'), 'text/plain'), 422, 'unprocessable')
    t.match(problem.errors, [{ in: 'body', line: 2, name: '/', detail: /^is not valid JSON/ }])
    t.equal(problem.errors!.length, 1)
    await assertNothingWritten(t, app, before)
  })

  t.test('the NDJSON text JSON-encoded (one JSON string) is no import: its one line is not an object', async (t) => {
    const { app } = await buildTestApp(t)
    const key = app.kb.apiKeys.create('desk', 'write').key
    const problem = assertProblem(t, await importInto(app, key, JSON.stringify(ndjson(quote('encoded'))), 'text/plain'), 422, 'unprocessable')
    t.match(problem.errors, [{ in: 'body', line: 1, name: '/', detail: 'must be an object {"type": …, "data": {…}}' }])
  })
})

t.test('the import\'s documented example imports into the seeded database, under either media type', async (t) => {
  const { app } = await buildTestApp(t)
  await app.ready()
  const document = app.swagger() as unknown as { paths: Record<string, Record<string, { requestBody: { content: Record<string, { example: string }> } }>> }
  const { content } = document.paths['/v1/import']!.post!.requestBody
  t.same(Object.keys(content), ['text/plain', 'application/x-ndjson'], 'text/plain first, the one generated clients pick')
  t.equal(content['text/plain']!.example, content['application/x-ndjson']!.example, 'the same example under both')
  const res = await importInto(app, app.kb.apiKeys.create('desk', 'write').key, content['text/plain']!.example, 'text/plain')
  t.equal(res.statusCode, 201, res.body)
  t.match(res.json(), { records: 2, by_type: { actor: 1, quote: 1 } })
})

t.test('an empty import writes nothing and says so', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const before = await snapshotOf(app)
  const res = await importInto(app, key, '\n\n')
  t.equal(res.statusCode, 201)
  t.match(res.json(), { records: 0 })
  await assertNothingWritten(t, app, before)
})

t.test('a bad import is a 422 naming each bad line, and writes nothing', async (t) => {
  t.test('a line that is not JSON', async (t) => {
    await assertRefused(t, ndjson(quote('fine-before'), '{"type": "quote", "data": {', quote('fine-after')),
      [{ line: 2, name: '/', detail: /^is not valid JSON/ }])
  })

  t.test('a line that is not {type, data}', async (t) => {
    await assertRefused(t, ndjson(['quote'], { type: 'quote', data: quote('x').data, note: 'extra' }, { type: 'quote', data: 'x' }), [
      { line: 1, name: '/', detail: 'must be an object {"type": …, "data": {…}}' },
      { line: 2, name: '/', detail: 'has members other than "type" and "data"' },
      { line: 3, name: '/data', detail: 'must be an object: the record' }
    ])
  })

  t.test('an unknown type', async (t) => {
    await assertRefused(t, ndjson({ type: 'person', data: { id: 'someone' } }),
      [{ line: 1, name: '/type', detail: `must be one of: ${kindTypes.join(', ')}` }])
  })

  t.test('a record that is not valid for its kind', async (t) => {
    await assertRefused(t, ndjson(quote('no-kind', { kind: undefined, language: 'english' })), [
      { line: 1, name: '/data/kind', detail: 'is required' },
      { line: 1, name: '/data/language' }
    ])
  })

  t.test('a missing id', async (t) => {
    await assertRefused(t, ndjson(quote('x', { id: undefined })),
      [{ line: 1, name: '/data/id', detail: 'is required in an import, so that records can point at each other' }])
  })

  t.test('the same id twice in the file', async (t) => {
    await assertRefused(t, ndjson(quote('twice'), quote('other'), quote('twice')),
      [{ line: 3, name: '/data/id', detail: '"twice" is used by an earlier line' }])
  })

  t.test('an id that exists already', async (t) => {
    await assertRefused(t, ndjson(quote('sheinbaum-sovereign-decision')),
      [{ line: 1, name: '/data/id', detail: 'a quote with the id "sheinbaum-sovereign-decision" exists already' }])
  })

  t.test('a citation whose excerpt is not in its source', async (t) => {
    await assertRefused(t, ndjson(quote('misquoted', { citations: [{ source_id: SOURCE, excerpt: 'the decision was a “sovereign” one' }, { source_id: SOURCE, excerpt: 'words nobody wrote' }] })),
      [{ line: 1, name: '/data/citations/1/excerpt', detail: /words nobody wrote.*does not occur in the source text/ }])
  })

  t.test('a citation of a source that is neither in the file nor in the database', async (t) => {
    await assertRefused(t, ndjson(quote('unsourced', { citations: [{ source_id: 'missing-source', excerpt: 'sovereign' }] })),
      [{ line: 1, name: '/data/citations/0/source_id', detail: 'no source has the id "missing-source"' }])
  })

  t.test('a reference to an actor that is neither in the file nor in the database', async (t) => {
    await assertRefused(t, ndjson(quote('orphan', { speaker_id: 'nobody' })),
      [{ line: 1, name: '/data/speaker_id', detail: 'no actor has the id "nobody"' }])
  })

  t.test('several bad lines at once: all of them, by line number', async (t) => {
    await assertRefused(t, ndjson(
      quote('good-1'),
      quote('orphan', { speaker_id: 'nobody' }),
      'not json',
      quote('good-2'),
      quote('sheinbaum-sovereign-decision'),
      { type: 'person', data: {} },
      quote('good-1')
    ), [
      { line: 2, name: '/data/speaker_id' },
      { line: 3, name: '/' },
      { line: 5, name: '/data/id', detail: /exists already/ },
      { line: 6, name: '/type' },
      { line: 7, name: '/data/id', detail: /earlier line/ }
    ])
  })
})

t.test('POST /v1/import takes only application/x-ndjson and text/plain: other types are a 415 naming both', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const before = await snapshotOf(app)
  for (const contentType of ['text/csv', 'application/octet-stream', 'application/ndjson', 'text/plain-ish']) {
    const problem = assertProblem(t, await importInto(app, key, ndjson(quote('other-type')), contentType), 415, 'unsupported_media_type')
    t.equal(problem.detail, `An import is NDJSON, one {"type", "data"} object per line: send it as Content-Type: application/x-ndjson or text/plain, not "${contentType}".`, `${contentType}: the problem says what to send`)
  }
  const untyped = await app.inject({ method: 'POST', url: '/v1/import', headers: { authorization: `Bearer ${key}` } })
  t.match(assertProblem(t, untyped, 415, 'unsupported_media_type').detail, /application\/x-ndjson or text\/plain, not without a Content-Type\.$/, 'no body, no Content-Type: the same')
  await assertNothingWritten(t, app, before)
})

t.test('a JSON body is a 415 too, not parsed as NDJSON (nor as JSON: invalid JSON is no 400)', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const before = await snapshotOf(app)
  assertProblem(t, await importInto(app, key, JSON.stringify(quote('as-json')), 'application/json'), 415, 'unsupported_media_type')
  assertProblem(t, await importInto(app, key, JSON.stringify(ndjson(quote('as-json'))), 'application/json'), 415, 'unsupported_media_type')
  assertProblem(t, await importInto(app, key, ndjson(quote('as-json')), 'application/json'), 415, 'unsupported_media_type')
  await assertNothingWritten(t, app, before)
})

t.test('a charset other than UTF-8 is a 415: the text would be misread', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const before = await snapshotOf(app)
  const problem = assertProblem(t, await importInto(app, key, ndjson(quote('latin')), 'text/plain; charset=ISO-8859-1'), 415, 'unsupported_media_type')
  t.equal(problem.detail, 'An import is read as UTF-8: send it with charset=utf-8 or no charset, not charset=iso-8859-1.')
  await assertNothingWritten(t, app, before)
})

t.test('text/plain is taken only by the import: elsewhere it is a 415 still', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const res = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { 'content-type': 'text/plain', authorization: `Bearer ${key}` }, payload: JSON.stringify(supportedQuote('plain-create')) })
  assertProblem(t, res, 415, 'unsupported_media_type')
})

t.test('an import without a key is a 401; with an unknown parameter a 400', async (t) => {
  const { app } = await buildTestApp(t)
  const key = app.kb.apiKeys.create('desk', 'write').key
  const before = await snapshotOf(app)
  const res = await importInto(app, undefined, ndjson(quote('unauthorized')))
  assertProblem(t, res, 401, 'unauthorized')
  t.match(res.headers['www-authenticate'], /^Bearer realm="kb"/)
  const unknown = await app.inject({ method: 'POST', url: '/v1/import?dry_run=true', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, payload: ndjson(quote('dry')) })
  t.match(assertProblem(t, unknown, 400, 'unknown_parameter').errors, [{ in: 'query', name: 'dry_run' }])
  await assertNothingWritten(t, app, before)
})

t.test('the import has its own body limit (IMPORT_BODY_LIMIT): larger than a JSON body may be, and a 413 above it', async (t) => {
  const { app: seeded } = await buildTestApp(t)
  const exported = (await seeded.inject({ url: '/v1/export' })).body
  const bytes = Buffer.byteLength(exported)
  const { app } = await buildTestApp(t, { seed: false, config: { bodyLimit: 1024, importBodyLimit: bytes + 10 } })
  const key = app.kb.apiKeys.create('desk', 'write').key
  t.ok(bytes > 1024)
  t.equal((await importInto(app, key, exported)).statusCode, 201, `an import of ${bytes} bytes passes a 1 KiB JSON limit`)

  const before = await snapshotOf(app)
  const res = await importInto(app, key, exported + ' '.repeat(20))
  const problem = assertProblem(t, res, 413, 'payload_too_large')
  t.match(problem.detail, /IMPORT_BODY_LIMIT/)
  await assertNothingWritten(t, app, before)
})
