import t, { type Test } from 'tap'
import { kinds } from '../src/kinds/index.js'
import type { AlternativeDto, CitationDto } from '../src/schemas/common.js'
import {
  assertCitationsQuoteTheirSources, assertNothingWritten, assertProblem, assertQueryProblem, buildTestApp, copyOfExample, createRecord, get, idsOf,
  mergePatch, patchRecord, post, readFeed, revisionsOf, snapshotOf, SOURCE, writer, type App, type Body
} from './helpers.js'

// --- Fixtures ------------------------------------------------------------------------------------

/** A second, synthetic source that disputes the number of people and the date of the August transfer. */
const OTHER = 'mexico-sends-27-cartel-members'
const otherText = 'Mexico sent 27 alleged cartel members to the United States on Monday, August 11, officials said. ' +
  'The U.S.-based analyst David Saucedo called the handover political.'

const TRANSFER = '/v1/transfers/transfer-2025-08-12'
const SAUCEDO = '/v1/actors/david-saucedo'

const countExcerpt = 'Mexico sent 27 alleged cartel members to the United States'
const dayExcerpt = 'on Monday, August 11'
const countryExcerpt = 'The U.S.-based analyst David Saucedo'

/** The other source's count: 27 people, its citation naming the field. */
const count = (more: Body = {}): Body => ({
  field: 'people_count',
  value: 27,
  citations: [{ source_id: OTHER, excerpt: countExcerpt, fields: ['people_count'] }],
  ...more
})

/** The other source's date: Monday 2025-08-11, its citation naming no field (the alternative's, then). */
const day = (more: Body = {}): Body => ({
  field: 'date',
  value: '2025-08-11',
  citations: [{ source_id: OTHER, excerpt: dayExcerpt, support: 'resolved', note: '"Monday, August 11" resolved against the publication date, Tuesday 2025-08-12: 2025-08-11.' }],
  ...more
})

type Alternative = Omit<AlternativeDto, 'citations'> & { citations: CitationDto[] }
type Cited = Body & { id: string, alternatives: Alternative[], disputed_fields: string[], external_fields: string[], citations?: CitationDto[] }

/** The offsets of an excerpt of the other source (its text is ASCII: code units are code points). */
const at = (excerpt: string) => ({ start_offset: otherText.indexOf(excerpt), end_offset: otherText.indexOf(excerpt) + excerpt.length })

/** The pointers a problem names, sorted, each once (a value may break two keywords of one schema: a pattern and a format). */
const names = (problem: { errors?: Array<{ name: string }> }) => [...new Set((problem.errors ?? []).map((e) => e.name))].sort()

/** A citation of the other source naming no field. */
const bare = [{ source_id: OTHER, excerpt: countExcerpt }]

/** A seeded app with a write key and the other source. */
async function withOtherSource (t: Test, options: Parameters<typeof writer>[1] = {}) {
  const { app, authorization } = await writer(t, options)
  const source = await createRecord<{ id: string, text: string }>(app, authorization, '/v1/sources', {
    id: OTHER, title: 'Mexico sends 27 cartel members to US', publisher: 'Synthetic wire', language: 'en', published_on: '2025-08-12', captured_text: otherText
  })
  t.equal(source.text, otherText, 'the other source is stored with its text as captured')
  return { app, authorization }
}

/** The transfer of 2025-08-12 disputed on its count and date. */
async function disputeTransfer (app: App, authorization: string) {
  return (await patchRecord(app, authorization, TRANSFER, { alternatives: [count(), day()] })).json<Cited>()
}

// --- Tests ---------------------------------------------------------------------------------------

t.test('a second source disputing a transfer\'s count and date: alternatives with their evidence, the record\'s values unchanged', async (t) => {
  const { app, authorization } = await withOtherSource(t)
  const before = (await get<Cited>(app, `${TRANSFER}?include=citations`)).body
  t.same([before.alternatives, before.disputed_fields], [[], []], 'the seeded transfer has no alternatives and nothing disputed')

  const res = await mergePatch(app, authorization, TRANSFER, { alternatives: [count(), day()] })
  t.equal(res.statusCode, 200, 'PATCH with two normal alternatives')
  const patched = res.json<Cited>()
  t.match(patched.alternatives, [
    { field: 'people_count', value: 27, rank: 'normal', note: null, citations: [{ id: Number, source_id: OTHER, excerpt: countExcerpt, ...at(countExcerpt), fields: ['people_count'], support: 'stated', note: null }] },
    { field: 'date', value: '2025-08-11', rank: 'normal', note: null, citations: [{ id: Number, source_id: OTHER, excerpt: dayExcerpt, ...at(dayExcerpt), fields: [], support: 'resolved', note: /Monday, August 11/ }] }
  ], 'the response has the alternatives in order, rank normal by default, their citations located in the other source')
  t.equal(patched.alternatives.length, 2)
  t.ok(patched.alternatives.every((a) => Object.keys(a).sort().join() === 'citations,field,note,rank,value'), 'each alternative is exactly {field, value, rank, note, citations}')
  await assertCitationsQuoteTheirSources(t, app, patched.alternatives.flatMap((a) => a.citations))
  t.same(patched.disputed_fields, ['date', 'people_count'], 'disputed_fields: both fields, sorted')
  t.match(patched, { people_count: 26, date: '2025-08-12', people_count_approximate: false }, 'the record\'s own (preferred) values are unchanged')
  t.same(patched.external_fields, ['date'], 'the alternative\'s stored evidence for the date does not make the record\'s date any less external')
  t.equal(res.headers.etag, '"r2"')

  const got = (await get<Cited>(app, `${TRANSFER}?include=citations`)).body
  t.same([got.alternatives, got.disputed_fields, got.people_count, got.date], [patched.alternatives, patched.disputed_fields, 26, '2025-08-12'], 'GET returns the same')
  const own = got.citations!
  t.equal(own.length, before.citations!.length, 'include=citations has the record\'s own citations only')
  t.notOk(own.some((c) => c.source_id === OTHER), 'none of the alternatives\' citations is among them')
  t.same(own.map((c) => [c.source_id, c.excerpt, c.fields]), before.citations!.map((c) => [c.source_id, c.excerpt, c.fields]), 'and the record\'s own are as they were')

  t.same(await idsOf(t, app, '/v1/transfers?disputed=true'), ['transfer-2025-08-12'], '?disputed=true: only the disputed transfer')
  t.same(await idsOf(t, app, '/v1/transfers?disputed=false'), ['transfer-2025-02'], '?disputed=false: the other')
  t.same(await idsOf(t, app, '/v1/transfers?disputed=true&date_from=2025-08-01'), ['transfer-2025-08-12'], 'with other filters too')
  const listed = (await get<{ data: Cited[] }>(app, '/v1/transfers?disputed=true')).body.data[0]!
  t.same([listed.alternatives, listed.disputed_fields], [patched.alternatives, patched.disputed_fields], 'a list carries the alternatives as well')
  await assertQueryProblem(t, app, '/v1/transfers?disputed=maybe', 'invalid_parameter', { name: 'disputed' }, '?disputed=maybe is a 400 naming disputed')

  const stats = (await get<{ keys: string[], series: Array<{ name: string, data: number[] }>, totals: Record<string, number> }>(app, '/v1/stats/transfers?group_by=year')).body
  const series = Object.fromEntries(stats.series.map((s) => [s.name, s.data]))
  t.same(stats.keys, ['2025'])
  t.same([series.people, series.occasions, stats.totals.people], [[55], [2], 55], 'the statistics still count 55 people: the preferred values')
  t.same(series.occasions_disputed, [1], 'occasions_disputed: 1 for 2025')
  t.match(stats.totals, { occasions_disputed: 1, disputed_buckets: 1 }, 'and in the totals')

  const revisions = await revisionsOf(app, TRANSFER)
  t.same(revisions.map((r) => r.action), ['create', 'update'])
  t.same(revisions[0]!.record.alternatives, [], 'the first revision has none')
  t.match(revisions[1]!.record, { people_count: 26, alternatives: patched.alternatives, disputed_fields: ['date', 'people_count'] }, 'the revision carries the alternatives with their citations')
  const changes = (await readFeed(t, app, { limit: 500, types: 'transfer' })).changes.filter((c) => c.id === 'transfer-2025-08-12')
  t.same(changes.map((c) => [c.action, c.revision]), [['create', 1], ['update', 2]])
  t.match(changes[1]!.data, { alternatives: patched.alternatives, disputed_fields: ['date', 'people_count'] }, 'so does the change feed')

  const exported = (await app.inject({ url: '/v1/export' })).body.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string, data: Body })
  const line = exported.find((l) => l.type === 'transfer' && l.data.id === 'transfer-2025-08-12')!.data
  t.match(line.alternatives, [
    { field: 'people_count', value: 27, rank: 'normal', note: null, citations: [{ source_id: OTHER, excerpt: countExcerpt, ...at(countExcerpt), fields: ['people_count'] }] },
    { field: 'date', value: '2025-08-11', rank: 'normal', citations: [{ source_id: OTHER, excerpt: dayExcerpt, support: 'resolved' }] }
  ], 'the export line carries the alternatives as a create takes them')
  t.notOk('disputed_fields' in line, 'but not disputed_fields, which the server derives')
  t.notOk((line.citations as Body[]).some((c) => c.source_id === OTHER), 'and the record\'s citations do not include the alternatives\'')

  const patchedAgain = await patchRecord(app, authorization, TRANSFER, { summary: 'Mexico handed 26 cartel leaders to the United States.' })
  const withoutIds = (alternatives: Alternative[]) => alternatives.map((a) => ({ ...a, citations: a.citations.map(({ id: _id, ...c }) => c) }))
  t.same(withoutIds(patchedAgain.json<Cited>().alternatives), withoutIds(patched.alternatives), 'a PATCH of another field keeps the alternatives')
  t.same(patchedAgain.json<Cited>().disputed_fields, ['date', 'people_count'], 'and what they dispute')
  const cleared = (await patchRecord(app, authorization, TRANSFER, { alternatives: [] })).json<Cited>()
  t.same([cleared.alternatives, cleared.disputed_fields], [[], []], 'alternatives: [] removes them')
  t.same(await idsOf(t, app, '/v1/transfers?disputed=true'), [], 'and the transfer is no longer disputed')
})

t.test('?disputed= on every cited kind\'s list: 200, and nothing is disputed in the seed', async (t) => {
  const { app } = await buildTestApp(t)
  for (const kind of kinds.filter((k) => k.cited)) {
    t.same(await idsOf(t, app, `/v1/${kind.path}?disputed=true`), [], `/v1/${kind.path}?disputed=true: []`)
    const all = await idsOf(t, app, `/v1/${kind.path}?limit=500`)
    t.same(await idsOf(t, app, `/v1/${kind.path}?disputed=false&limit=500`), all, `?disputed=false: every ${kind.noun}`)
  }
  await assertQueryProblem(t, app, '/v1/sources?disputed=true', 'unknown_parameter', { name: 'disputed' }, 'sources are not cited: they do not take it')
})

t.test('deprecated and preferred alternatives are kept but dispute nothing', async (t) => {
  const { app, authorization } = await withOtherSource(t)
  const deprecated = count({ rank: 'deprecated', note: 'Retracted: officials later gave 26.' })
  const res = await mergePatch(app, authorization, TRANSFER, { alternatives: [deprecated] })
  t.equal(res.statusCode, 200, 'a deprecated alternative differing from the record\'s value is accepted')
  t.match(res.json<Cited>(), { alternatives: [{ field: 'people_count', value: 27, rank: 'deprecated', note: 'Retracted: officials later gave 26.' }], disputed_fields: [] }, 'and does not make the field disputed')
  t.same(await idsOf(t, app, '/v1/transfers?disputed=true'), [], 'the transfer is not listed as disputed')

  const agreeing = { field: 'to_country', value: 'US', rank: 'preferred', citations: [{ source_id: OTHER, excerpt: countExcerpt, fields: ['to_country'] }] }
  const preferred = await mergePatch(app, authorization, TRANSFER, { alternatives: [agreeing, deprecated] })
  t.equal(preferred.statusCode, 200, 'a preferred alternative equal to the record\'s value is accepted')
  t.match(preferred.json<Cited>(), { to_country: 'US', alternatives: [{ field: 'to_country', value: 'US', rank: 'preferred' }, { rank: 'deprecated' }], disputed_fields: [] }, 'and disputes nothing')
  const deprecatedSame = await mergePatch(app, authorization, TRANSFER, { alternatives: [count({ value: 26, rank: 'deprecated' })] })
  t.equal(deprecatedSame.statusCode, 200, 'a deprecated alternative may equal the record\'s value too')
  t.same(deprecatedSame.json<Cited>().disputed_fields, [])
  t.same((await idsOf(t, app, '/v1/transfers?disputed=false')).sort(), ['transfer-2025-02', 'transfer-2025-08-12'], 'neither transfer is disputed')

  const both = (await patchRecord(app, authorization, TRANSFER, { alternatives: [count(), count({ value: 25, rank: 'deprecated' }), count({ value: 28 })] })).json<Cited>()
  t.same(both.disputed_fields, ['people_count'], 'two normal alternatives of one field name it once')
  t.same(both.alternatives.map((a) => [a.value, a.rank]), [[27, 'normal'], [25, 'deprecated'], [28, 'normal']], 'in the order given')
})

t.test('each rule of an alternative is a 422 naming its pointer, and nothing is written', async (t) => {
  const { app, authorization } = await withOtherSource(t)
  const otherTransfer = { field: 'people_count', value: 29, rank: 'preferred', citations: [{ source_id: SOURCE, excerpt: 'following a similar transfer of 29 cartel leaders in February' }] }
  const cases: Array<[string, Body, string[]]> = [
    ['a field the record does not have', { alternatives: [count({ field: 'headcount', citations: bare })] }, ['/alternatives/0/field']],
    ['a child row rather than a top-level field', { alternatives: [count({ field: 'participants.government-of-mexico.sent', citations: bare })] }, ['/alternatives/0/field']],
    ['the alternatives themselves', { alternatives: [count({ field: 'alternatives', value: [], citations: bare })] }, ['/alternatives/0/field']],
    ['a value of the wrong type', { alternatives: [count({ value: 'twenty-seven' })] }, ['/alternatives/0/value']],
    ['a value outside the field\'s enum', { alternatives: [count({ field: 'mechanism', value: 'teleportation', citations: bare })] }, ['/alternatives/0/value']],
    ['a value invalid deep inside', { alternatives: [count({ field: 'participants', value: [{ actor_id: 'government-of-mexico', role: 'waved' }], citations: bare })] }, ['/alternatives/0/value/0/role']],
    ['the second alternative\'s value', { alternatives: [count(), day({ value: 'last Monday' })] }, ['/alternatives/1/value']],
    ['preferred but differing from the record', { alternatives: [count({ rank: 'preferred' })] }, ['/alternatives/0/rank']],
    ['normal but the record\'s own value', { alternatives: [count({ value: 26 })] }, ['/alternatives/0/rank']],
    ['normal, once the record takes its value', { people_count: 27, alternatives: [count()] }, ['/alternatives/0/rank']],
    ['an excerpt its source does not have', { alternatives: [count({ citations: [{ source_id: OTHER, excerpt: 'Mexico sent 28 alleged cartel members' }] })] }, ['/alternatives/0/citations/0/excerpt']],
    ['an excerpt of the wrong source', { alternatives: [day(), count({ citations: [{ source_id: OTHER, excerpt: dayExcerpt }, { source_id: SOURCE, excerpt: countExcerpt }] })] }, ['/alternatives/1/citations/1/excerpt']],
    ['a source that does not exist', { alternatives: [count({ citations: [{ source_id: 'no-such-source', excerpt: countExcerpt }] })] }, ['/alternatives/0/citations/0/source_id']],
    ['a citation naming another field', { alternatives: [count({ citations: [{ source_id: OTHER, excerpt: countExcerpt, fields: ['people_count', 'date'] }] })] }, ['/alternatives/0/citations/0/fields/1']],
    ['a resolved citation without a note', { alternatives: [day({ citations: [{ source_id: OTHER, excerpt: dayExcerpt, support: 'resolved' }] })] }, ['/alternatives/0/citations/0/note']],
    ['offsets that are not the excerpt\'s', { alternatives: [count({ citations: [{ source_id: OTHER, excerpt: countExcerpt, start_offset: 1, end_offset: 1 + countExcerpt.length }] })] }, ['/alternatives/0/citations/0/excerpt']],
    ['a record citation naming an alternative it does not have', { alternatives: [count()], citations: [{ source_id: OTHER, excerpt: countExcerpt, fields: ['alternatives.1'] }] }, ['/citations/0/fields/0']],
    ['two problems at once', { alternatives: [count({ rank: 'preferred' }), otherTransfer] }, ['/alternatives/0/rank', '/alternatives/1/rank']]
  ]
  const before = await snapshotOf(app, TRANSFER)
  const etag = before.records.get(TRANSFER)!.etag
  for (const [what, patch, pointers] of cases) {
    const res = await mergePatch(app, authorization, TRANSFER, patch)
    const problem = assertProblem(t, res, 422, 'unprocessable')
    t.same(names(problem), pointers, `${what}: a 422 naming ${pointers.join(', ')}`)
    t.equal((await app.inject({ url: TRANSFER })).headers.etag, etag, 'the ETag is unchanged')
  }
  const empty = assertProblem(t, await mergePatch(app, authorization, TRANSFER, { alternatives: [count({ citations: [] })] }), 400, 'invalid_body')
  t.same(names(empty), ['/alternatives/0/citations'], 'an alternative without citations fails the schema, naming /alternatives/0/citations')
  const unknown = assertProblem(t, await mergePatch(app, authorization, TRANSFER, { alternatives: [count({ rank: 'disputed' })] }), 400, 'invalid_body')
  t.same(names(unknown), ['/alternatives/0/rank'], 'as does a rank that is not one')
  await assertNothingWritten(t, app, before)

  const copy = { ...copyOfExample(kinds.find((k) => k.type === 'transfer')!), alternatives: [count({ value: 26 })] }
  t.same(names(assertProblem(t, await post(app, authorization, '/v1/transfers', copy), 422, 'unprocessable')), ['/alternatives/0/rank'], 'a create is checked the same way')
  const line = JSON.stringify({ type: 'transfer', data: copy }) + '\n'
  const imported = assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import', headers: { authorization, 'content-type': 'application/x-ndjson' }, payload: line }), 422, 'unprocessable')
  t.same(imported.errors!.map((e) => [e.in, (e as { line?: number }).line, e.name]), [['body', 1, '/data/alternatives/0/rank']], 'and so is an import line, naming /data/alternatives/0/rank')
  await assertNothingWritten(t, app, before)
})

t.test('a record\'s own citation may name one of its alternatives', async (t) => {
  const { app, authorization } = await withOtherSource(t)
  const current = (await get<Cited>(app, `${TRANSFER}?include=citations`)).body.citations!
  const mine = current.map(({ source_id: sourceId, excerpt, fields, support, note }) => ({ source_id: sourceId, excerpt, fields, support, note }))
  const res = await mergePatch(app, authorization, TRANSFER, {
    alternatives: [day(), count()],
    citations: [...mine, { source_id: SOURCE, excerpt: 'Mexico has extradited 26 high-profile cartel leaders', fields: ['alternatives.1'], support: 'inferred', note: 'The stored source gives 26, against which the other source\'s 27 stands.' }]
  })
  t.equal(res.statusCode, 200, 'a citation of the record naming alternatives.1 is accepted')
  const body = (await get<Cited>(app, `${TRANSFER}?include=citations`)).body
  t.match(body.citations!.at(-1), { source_id: SOURCE, fields: ['alternatives.1'] }, 'and kept among the record\'s citations')
  t.equal(body.citations!.length, current.length + 1)
  t.same(body.alternatives[1]!.citations.map((c) => c.excerpt), [countExcerpt], 'while the alternative keeps its own')
  const dangling = assertProblem(t, await mergePatch(app, authorization, TRANSFER, { alternatives: [day()] }), 422, 'unprocessable')
  t.same(names(dangling), [`/citations/${current.length}/fields/0`], 'dropping the alternative a citation names is a 422 naming that citation\'s field')
})

t.test('export → import into an empty database → export gives the same bytes, alternatives included', async (t) => {
  const { app, authorization } = await withOtherSource(t)
  await disputeTransfer(app, authorization)
  await patchRecord(app, authorization, TRANSFER, {
    alternatives: [count(), day(), { field: 'to_country', value: 'US', rank: 'preferred', citations: [{ source_id: OTHER, excerpt: countExcerpt }] }, count({ value: 25, rank: 'deprecated', note: 'A misprint.' }),
      { field: 'charges', value: null, note: 'Says only "alleged": no charges named.', citations: [{ source_id: OTHER, excerpt: countExcerpt }] }]
  })
  await patchRecord(app, authorization, SAUCEDO, { alternatives: [{ field: 'country', value: 'US', citations: [{ source_id: OTHER, excerpt: countryExcerpt, fields: ['country'] }] }] })
  const exported = (await app.inject({ url: '/v1/export' })).body
  t.match(exported, /"alternatives":\[\{"field":"people_count","value":27/, 'the export has the alternatives')

  const { app: empty } = await buildTestApp(t, { seed: false })
  const key = empty.kb.apiKeys.create('desk', 'write').key
  const res = await empty.inject({ method: 'POST', url: '/v1/import', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, payload: exported })
  t.equal(res.statusCode, 201, `the import is written: ${res.statusCode === 201 ? '' : res.body}`)
  t.equal((await empty.inject({ url: '/v1/export' })).body, exported, 'byte for byte')

  const transfer = (await get<Cited>(empty, TRANSFER)).body
  const original = (await get<Cited>(app, TRANSFER)).body
  t.same(transfer.alternatives.map((a) => ({ ...a, citations: a.citations.map(({ id: _id, ...c }) => c) })),
    original.alternatives.map((a) => ({ ...a, citations: a.citations.map(({ id: _id, ...c }) => c) })), 'the imported transfer has the same alternatives')
  t.same(transfer.disputed_fields, ['charges', 'date', 'people_count'], 'a null alternative (of a nullable field) disputes it too')
  t.match(transfer.alternatives.at(-1), { field: 'charges', value: null, rank: 'normal' })
  t.same(await idsOf(t, empty, '/v1/actors?disputed=true'), ['david-saucedo'], 'and the imported actor is disputed')
})

t.test('an actor with an alternative country works the same way', async (t) => {
  const { app, authorization } = await withOtherSource(t)
  const alternative = { field: 'country', value: 'US', note: 'The other source places him in the United States.', citations: [{ source_id: OTHER, excerpt: countryExcerpt, fields: ['country'] }] }
  const res = await mergePatch(app, authorization, SAUCEDO, { alternatives: [alternative] })
  t.equal(res.statusCode, 200)
  const actor = res.json<Cited>()
  t.match(actor, {
    country: 'MX',
    alternatives: [{ field: 'country', value: 'US', rank: 'normal', note: alternative.note, citations: [{ source_id: OTHER, excerpt: countryExcerpt, ...at(countryExcerpt), fields: ['country'] }] }],
    disputed_fields: ['country']
  }, 'the actor keeps its country, with the alternative and its evidence, and the country is disputed')
  await assertCitationsQuoteTheirSources(t, app, actor.alternatives[0]!.citations)
  const withCitations = (await get<Cited>(app, `${SAUCEDO}?include=citations`)).body
  t.notOk(withCitations.citations!.some((c) => c.source_id === OTHER), 'the alternative\'s citation is not in include=citations')
  t.same(await idsOf(t, app, '/v1/actors?disputed=true'), ['david-saucedo'], '?disputed=true: only that actor')
  t.same(await idsOf(t, app, '/v1/actors?disputed=true&country=MX'), ['david-saucedo'], 'filtered by its own (preferred) country, not the alternative')
  t.same(await idsOf(t, app, '/v1/actors?disputed=true&country=US'), [], 'so not found under the alternative\'s')
  t.notOk((await idsOf(t, app, '/v1/actors?disputed=false&limit=500')).includes('david-saucedo'), '?disputed=false: every other actor')
  await assertQueryProblem(t, app, '/v1/actors?disputed=maybe', 'invalid_parameter', { name: 'disputed' })
  t.match((await revisionsOf(app, SAUCEDO)).at(-1)!.record, { alternatives: [{ field: 'country', value: 'US' }] }, 'the revision carries it')

  const before = await snapshotOf(app, SAUCEDO)
  const bad: Array<[string, Body, string]> = [
    ['a country code that is not one', { ...alternative, value: 'USA' }, '/alternatives/0/value'],
    ['preferred but not the actor\'s country', { ...alternative, rank: 'preferred' }, '/alternatives/0/rank'],
    ['normal but the actor\'s own country', { ...alternative, value: 'MX' }, '/alternatives/0/rank'],
    ['a field of a role rather than of the actor', { ...alternative, field: 'roles.david-saucedo--security-analyst', citations: [{ source_id: OTHER, excerpt: countryExcerpt }] }, '/alternatives/0/field'],
    ['an excerpt its source does not have', { ...alternative, citations: [{ source_id: OTHER, excerpt: 'The Mexico-based analyst' }] }, '/alternatives/0/citations/0/excerpt']
  ]
  for (const [what, a, pointer] of bad) {
    t.same(names(assertProblem(t, await mergePatch(app, authorization, SAUCEDO, { alternatives: [a] }), 422, 'unprocessable')), [pointer], `${what}: a 422 naming ${pointer}`)
  }
  await assertNothingWritten(t, app, before)

  const copy = { ...copyOfExample(kinds.find((k) => k.type === 'actor')!), alternatives: [{ ...alternative, value: 'CA' }] }
  const created = await post(app, authorization, '/v1/actors', copy)
  t.equal(created.statusCode, 201, 'a create takes alternatives too')
  t.match(created.json<Cited>(), { alternatives: [{ field: 'country', value: 'CA', rank: 'normal' }], disputed_fields: ['country'] })
})
