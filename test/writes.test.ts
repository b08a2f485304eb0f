import { createHash } from 'node:crypto'
import t, { type Test } from 'tap'
import type { CitationDto } from '../src/schemas/common.js'
import { assertCitationsQuoteTheirSources, assertNothingWritten, assertProblem, idsOf, isoMs, mergePatch, namesRevision, post, snapshotOf, SOURCE, writer, type App, type Body, type Snapshot } from './helpers.js'

type Response = Awaited<ReturnType<App['inject']>>

/** A citation of the seeded source. */
const cite = (excerpt: string, more: Body = {}) => ({ source_id: SOURCE, excerpt, ...more })

/** A record without the fields computed for today (a tariff deadline's `current_status` and `days_remaining`). */
function stored<T extends Body> (record: T): T {
  const { current_status: _status, days_remaining: _days, ...rest } = record
  return rest as T
}

/** Offsets (in code points) of the nth occurrence of an excerpt in a text. */
function offsetsOf (text: string, excerpt: string, nth = 0) {
  let at = -1
  for (let i = 0; i <= nth; i++) at = text.indexOf(excerpt, at + 1)
  const start = [...text.slice(0, at)].length
  return { start_offset: start, end_offset: start + [...excerpt].length }
}

async function sourceText (app: App) {
  return (await app.inject({ url: `/v1/sources/${SOURCE}` })).json<{ text: string }>().text
}

interface Cycle {
  path: string
  noun: string
  create: Body & { id: string }
  /** Fields the created record has (besides the create body's own scalars). */
  created: Body
  patch: Body
  /** What the patch changed, exactly; every other field keeps its value. */
  patched: Body
}

/** A realistic new record of each kind, read from the founding article, and a merge patch of it. */
const cycles: Cycle[] = [
  {
    path: 'actors',
    noun: 'actor',
    create: {
      id: 'sspc',
      kind: 'government_body',
      name: 'Secretaría de Seguridad y Protección Ciudadana',
      country: 'MX',
      description: 'Mexico\'s federal security ministry, headed by Security Minister Omar García Harfuch.',
      aliases: [
        { alias: 'Security Ministry', kind: 'english_name', language: 'en' },
        { alias: 'SSPC', kind: 'acronym', language: null }
      ],
      relations: [{ id: 'sspc--part-of--government-of-mexico', relation: 'part_of', related_actor_id: 'government-of-mexico' }],
      citations: [cite('according to Security Minister Omar García Harfuch', { fields: ['name', 'description'] })]
    },
    created: { roles: [] },
    patch: { description: 'Secretariat of Security and Citizen Protection of Mexico.', country: null, aliases: [{ alias: 'SSPC', kind: 'acronym', language: null }] },
    patched: { description: 'Secretariat of Security and Citizen Protection of Mexico.', country: null, aliases: [{ alias: 'SSPC', kind: 'acronym', language: null }] }
  },
  {
    path: 'transfers',
    noun: 'transfer',
    create: {
      id: 'transfers-2025-mexico-to-us',
      date: '2025',
      from_country: 'MX',
      to_country: 'US',
      mechanism: 'unspecified',
      people_count: 55,
      summary: 'The 55 people Mexico transferred to the United States in 2025, counted together.',
      purpose: 'To curb drug trafficking.',
      participants: [
        { actor_id: 'government-of-mexico', role: 'sent' },
        { actor_id: 'government-of-the-united-states', role: 'received' }
      ],
      citations: [cite('the 55 individuals transferred this year', { fields: ['people_count', 'date'], note: '"This year" is 2025, the year of publication.' })]
    },
    created: { date_precision: 'year', date_approximate: false, announced_on: null, people_count_approximate: false, charges: null, resources: [] },
    patch: { summary: 'All 55 people Mexico transferred to the United States in 2025.', purpose: null, participants: [{ actor_id: 'government-of-mexico', role: 'sent' }] },
    patched: { summary: 'All 55 people Mexico transferred to the United States in 2025.', purpose: null, participants: [{ actor_id: 'government-of-mexico', role: 'sent' }] }
  },
  {
    path: 'quotes',
    noun: 'quote',
    create: {
      id: 'sheinbaum-sovereign',
      speaker_id: 'claudia-sheinbaum-pardo',
      text: 'sovereign',
      kind: 'direct',
      language: 'en',
      date: '2025-08-13',
      date_approximate: true,
      context: 'The one word of Sheinbaum\'s statement on the transfer that the source quotes verbatim.',
      citations: [cite('the decision was a “sovereign” one', { fields: ['text'] })]
    },
    created: { date_precision: 'day' },
    patch: {
      context: 'Sheinbaum on the transfer of 26 cartel leaders.',
      date: null,
      citations: [cite('Mexican President Claudia Sheinbaum emphasized', { fields: ['speaker_id'] }), cite('a “sovereign” one', { fields: ['text'] })]
    },
    patched: { context: 'Sheinbaum on the transfer of 26 cartel leaders.', date: null, date_precision: null, date_earliest: null, date_latest: null }
  },
  {
    path: 'tariff-deadlines',
    noun: 'tariff deadline',
    create: {
      id: 'us-mx-tariff-negotiation-window-2025',
      measure: '90-day negotiation period on threatened tariffs',
      rate_percent: 30,
      imposing_country: 'US',
      targeted_country: 'MX',
      imposing_party_id: 'donald-trump',
      targeted_party_id: 'claudia-sheinbaum-pardo',
      window_start: '2025-07-30',
      window_start_approximate: true,
      window_days: 90,
      deadline: '2025-10-28',
      deadline_approximate: true,
      time_zone: 'America/Mexico_City',
      status: 'upcoming',
      citations: [
        cite('Sheinbaum and Trump agreed to a 90-day negotiation period', { fields: ['window_days', 'imposing_party_id', 'targeted_party_id'] }),
        cite('threatened 30% tariffs on Mexican imports', { fields: ['rate_percent'] })
      ]
    },
    created: { announced_on: null, window_start_precision: 'day', deadline_precision: 'day', description: null },
    patch: { status: 'extended', time_zone: null, citations: [cite('Sheinbaum and Trump agreed to a 90-day negotiation period')] },
    patched: { status: 'extended', time_zone: null }
  },
  {
    path: 'cooperation-measures',
    noun: 'cooperation measure',
    create: {
      id: 'transfer-operation-2025-08-12',
      kind: 'joint_operation',
      title: 'Operation to hand over 26 cartel leaders',
      description: 'Nearly 1,000 law enforcement officers, 90 vehicles and a dozen military aircraft took part in the transfer of 12 August 2025.',
      requesting_party_id: 'government-of-the-united-states',
      providing_party_id: 'government-of-mexico',
      place: 'Mexico',
      start_date: '2025-08-12',
      military: true,
      status: 'ended',
      as_of: '2025-08-13',
      transfer_ids: ['transfer-2025-08-12'],
      citations: [cite('The operation, involving nearly 1,000 law enforcement officers, 90 vehicles, and a dozen military aircraft')]
    },
    created: { receiving_party_id: null, start_date_precision: 'day', end_date: null },
    patch: { title: 'Transfer operation of 12 August 2025', place: null, transfer_ids: [] },
    patched: { title: 'Transfer operation of 12 August 2025', place: null, transfer_ids: [] }
  }
]

for (const c of cycles) {
  t.test(`POST, GET, PATCH and DELETE /v1/${c.path}: create, read, patch and delete a new ${c.noun}`, async (t) => {
    const { app, authorization } = await writer(t)
    const list = `/v1/${c.path}`
    const url = `${list}/${c.create.id}`
    const countBefore = (await idsOf(t, app, `${list}?limit=500`)).length
    const text = await sourceText(app)

    const created = await post(app, authorization, list, c.create)
    t.equal(created.statusCode, 201, '201 Created')
    t.match(created.headers['content-type'], /^application\/json/)
    t.equal(created.headers.location, url, 'Location names the new record')
    t.equal(created.headers.etag, '"r1"', 'its first revision')
    const record = created.json<Body & { citations: CitationDto[] }>()
    const { citations, ...fields } = c.create
    t.match(record, { ...fields, ...c.created, created_at: isoMs, updated_at: isoMs }, 'the record as sent, with defaults and derived fields')
    t.equal(record.citations.length, (citations as Body[]).length, 'every citation is kept')
    for (const [i, given] of (citations as Body[]).entries()) {
      const kept = record.citations[i]!
      t.match(kept, { id: Number, source_id: SOURCE, excerpt: given.excerpt, fields: given.fields ?? [], note: given.note ?? null })
      t.same(offsetsOf(text, String(given.excerpt)), { start_offset: kept.start_offset, end_offset: kept.end_offset }, `offsets of "${String(given.excerpt)}" are filled in`)
    }
    await assertCitationsQuoteTheirSources(t, app, record.citations)
    t.equal((await idsOf(t, app, `${list}?limit=500`)).length, countBefore + 1, 'the list has one more record')

    const read = await app.inject({ url: `${url}?include=citations` })
    t.equal(read.statusCode, 200)
    t.match(read.headers.etag, namesRevision(1), 'GET names the same revision')
    t.same(stored(read.json<Body>()), stored(record), 'GET returns what POST returned')

    const patched = await mergePatch(app, authorization, url, c.patch)
    t.equal(patched.statusCode, 200, 'a merge patch answers 200')
    t.equal(patched.headers.etag, '"r2"', 'the next revision')
    const after = patched.json<Body & { citations: CitationDto[] }>()
    const { citations: newCitations, ...rest } = stored(after)
    const { citations: oldCitations, ...expected } = stored({ ...record, ...c.patched, updated_at: after.updated_at })
    t.same(rest, expected, 'only the patched fields changed; null reset a field, arrays were replaced whole')
    const withoutIds = (cs: CitationDto[]) => cs.map(({ id: _id, ...x }) => x)
    if (c.patch.citations === undefined) {
      t.same(withoutIds(newCitations), withoutIds(oldCitations), 'the citations stay')
    } else {
      t.same(newCitations.map((x) => x.excerpt), (c.patch.citations as Body[]).map((x) => x.excerpt), 'the citations were replaced whole')
      await assertCitationsQuoteTheirSources(t, app, newCitations)
    }
    t.ok(after.updated_at! >= record.updated_at!, 'updated_at moved on')
    t.equal(after.created_at, record.created_at, 'created_at stays')
    const reread = await app.inject({ url: `${url}?include=citations` })
    t.match(reread.headers.etag, namesRevision(2))
    t.same(stored(reread.json<Body>()), stored(after))

    const deleted = await app.inject({ method: 'DELETE', url, headers: { authorization } })
    t.equal(deleted.statusCode, 204, '204 No Content')
    t.equal(deleted.body, '')
    const gone = await app.inject({ url })
    const problem = assertProblem(t, gone, 410, 'gone') as Body
    t.match(problem.deleted_at, isoMs, 'the 410 says when it was deleted')
    t.match(problem.detail, `/v1/${c.path}/${c.create.id}/revisions`, 'and where its history is')
    t.equal((await idsOf(t, app, `${list}?limit=500`)).length, countBefore, 'the list is back to its size')
    const again = await app.inject({ method: 'DELETE', url, headers: { authorization } })
    assertProblem(t, again, 410, 'gone')
  })
}

t.test('a cooperation measure linked to a transfer shows up in the transfer\'s measure_ids (include=measures) until unlinked', async (t) => {
  const { app, authorization } = await writer(t)
  const measure = cycles.find((c) => c.path === 'cooperation-measures')!.create
  const measureIds = async () => (await app.inject({ url: '/v1/transfers/transfer-2025-08-12?include=measures' })).json<{ measure_ids: string[] }>().measure_ids
  t.equal((await post(app, authorization, '/v1/cooperation-measures', measure)).statusCode, 201)
  t.same(await measureIds(), ['transfer-operation-2025-08-12', 'us-no-death-penalty-assurance-2025'])
  const patched = await app.inject({ method: 'PATCH', url: `/v1/cooperation-measures/${measure.id}`, headers: { authorization }, payload: { transfer_ids: [] } })
  t.equal(patched.statusCode, 200, 'PATCH takes application/json too')
  t.same(await measureIds(), ['us-no-death-penalty-assurance-2025'])
})

t.test('POST /v1/sources stores the capture cleaned of page chrome, with the sha256 of the cleaned text', async (t) => {
  const { app, authorization } = await writer(t)
  const before = (await idsOf(t, app, '/v1/sources?limit=500')).length
  const captured = [
    '×',
    ' ',
    'Mexico Extradites Cartel Figures',
    '',
    'Mexico sent 26 cartel figures to the United States on Tuesday.',
    '',
    'Also Read: Trump’s “Soft Landing” for Ousted Loyalists',
    '',
    'Officials said   the operation involved 90 vehicles.',
    ' ',
    'Gallery Gallery Videos Videos Share on WhatsApp Share'
  ].join('\n')
  const cleaned = 'Mexico Extradites Cartel Figures\n\nMexico sent 26 cartel figures to the United States on Tuesday.\n\nOfficials said the operation involved 90 vehicles.'

  const res = await post(app, authorization, '/v1/sources', { title: 'Mexico Extradites Cartel Figures', publisher: 'Example Wire', language: 'en', published_on: '2025-08-13', captured_text: captured })
  t.equal(res.statusCode, 201)
  t.equal(res.headers.location, '/v1/sources/mexico-extradites-cartel-figures', 'the id is a slug of the title')
  t.equal(res.headers.etag, '"r1"')
  const source = res.json<Body>()
  t.same(source, {
    id: 'mexico-extradites-cartel-figures',
    title: 'Mexico Extradites Cartel Figures',
    publisher: 'Example Wire',
    url: null,
    language: 'en',
    published_on: '2025-08-13',
    published_on_precision: 'day',
    published_on_earliest: '2025-08-13',
    published_on_latest: '2025-08-13',
    text: cleaned,
    text_sha256: createHash('sha256').update(cleaned, 'utf8').digest('hex'),
    created_at: source.created_at,
    updated_at: source.updated_at
  }, 'no "×", no "Also Read", no share footer; whitespace collapsed')
  t.notOk('captured_text' in source, 'the capture is kept but not returned')
  const read = await app.inject({ url: '/v1/sources/mexico-extradites-cartel-figures' })
  t.match(read.headers.etag, namesRevision(1))
  t.same(read.json(), source, 'GET returns what POST returned')
  t.equal((await idsOf(t, app, '/v1/sources?limit=500')).length, before + 1)

  const cited = await post(app, authorization, '/v1/transfers', {
    from_country: 'MX',
    to_country: 'US',
    mechanism: 'unspecified',
    people_count: 26,
    summary: 'Mexico sent 26 cartel figures to the United States.',
    citations: [{ source_id: 'mexico-extradites-cartel-figures', excerpt: 'Mexico sent 26 cartel figures to the United States on Tuesday.' }]
  })
  t.equal(cited.statusCode, 201, 'citations point into the cleaned text')
  t.match(cited.json(), { citations: [{ start_offset: 34, end_offset: 96 }] })

  const patched = await mergePatch(app, authorization, '/v1/sources/mexico-extradites-cartel-figures', { publisher: null, published_on: '2025-08' })
  t.equal(patched.statusCode, 200)
  t.equal(patched.headers.etag, '"r2"')
  t.same(patched.json(), { ...source, publisher: null, published_on: '2025-08', published_on_precision: 'month', published_on_earliest: '2025-08-01', published_on_latest: '2025-08-31', updated_at: patched.json<Body>().updated_at },
    'title kept, publisher reset, published_on to the month; the text and its sha256 stay')
  t.match((await app.inject({ url: '/v1/sources/mexico-extradites-cartel-figures' })).headers.etag, namesRevision(2))

  const url = '/v1/sources/mexico-extradites-cartel-figures'
  const transferUrl = String(cited.headers.location)
  const blocked = await app.inject({ method: 'DELETE', url, headers: { authorization } })
  t.equal(assertProblem(t, blocked, 409, 'conflict').detail,
    `The source "mexico-extradites-cartel-figures" cannot be deleted while other records point at it: citation of transfer ${transferUrl.split('/').at(-1)!}. Change or delete those first.`)
  t.equal((await app.inject({ method: 'DELETE', url: transferUrl, headers: { authorization } })).statusCode, 204)
  const deleted = await app.inject({ method: 'DELETE', url, headers: { authorization } })
  t.equal(deleted.statusCode, 204, 'once nothing cites it, it can go')
  t.match(assertProblem(t, await app.inject({ url }), 410, 'gone'), { deleted_at: isoMs })
  t.equal((await idsOf(t, app, '/v1/sources?limit=500')).length, before)
})

t.test('a source\'s text cannot be patched: captured_text is not a field of the patch', async (t) => {
  const { app, authorization } = await writer(t)
  const url = `/v1/sources/${SOURCE}`
  const before = await snapshotOf(app, url)
  const res = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: { captured_text: 'Something else.' } })
  const body = assertProblem(t, res, 400, 'invalid_body')
  t.same(body.errors, [{ in: 'body', name: '/captured_text', detail: 'is not a known field' }])
  await assertNothingWritten(t, app, before)
})

t.test('an id is made from the record when omitted; a taken one gets -2', async (t) => {
  const { app, authorization } = await writer(t)
  const { id: _id, relations: _r, ...actor } = cycles[0]!.create
  const first = await post(app, authorization, '/v1/actors', actor)
  t.equal(first.statusCode, 201)
  t.equal(first.json<Body>().id, 'secretaria-de-seguridad-y-proteccion-ciudadana', 'a slug of the name, without diacritics')
  t.equal(first.headers.location, '/v1/actors/secretaria-de-seguridad-y-proteccion-ciudadana')
  const second = await post(app, authorization, '/v1/actors', actor)
  t.equal(second.statusCode, 201)
  t.equal(second.json<Body>().id, 'secretaria-de-seguridad-y-proteccion-ciudadana-2')

  const transfer = await post(app, authorization, '/v1/transfers', { date: '2025-02', from_country: 'MX', to_country: 'US', mechanism: 'unspecified', summary: 'The February transfer, again.', citations: [cite('a similar transfer of 29 cartel leaders in February')] })
  t.equal(transfer.json<Body>().id, 'transfer-2025-02-2', 'transfers are named by date; the seeded transfer-2025-02 is taken')
})

t.test('a role, relation or resource id another record uses is refused with a problem naming the field, not a 500', async (t) => {
  const { app, authorization } = await writer(t)
  const cases: Array<[string, Body, string]> = [
    ['/v1/actors', { kind: 'person', name: 'Pamela Bondi', roles: [{ id: 'pam-bondi--attorney-general', title: 'Attorney General' }], citations: [cite('U.S. Attorney General Pam Bondi')] }, '/roles/0/id'],
    ['/v1/actors', { kind: 'person', name: 'Ovidio', relations: [{ id: 'ovidio-guzman--child-of--joaquin-guzman', relation: 'child_of', related_actor_id: 'joaquin-guzman' }], citations: [cite('son of Joaquín “El Chapo” Guzmán')] }, '/relations/0/id'],
    ['/v1/transfers', {
      from_country: 'MX',
      to_country: 'US',
      mechanism: 'extradition',
      summary: 'A transfer.',
      resources: [{ id: 'transfer-2025-08-12--vehicles', kind: 'vehicles', quantity: 90, approximate: false, description: '90 vehicles' }],
      citations: [cite('90 vehicles')]
    }, '/resources/0/id']
  ]
  for (const [list, payload, name] of cases) {
    const before = await snapshotOf(app)
    const res = await post(app, authorization, list, payload)
    t.ok(res.statusCode === 409 || res.statusCode === 422, `${name}: a client error (got ${res.statusCode})`)
    t.match(res.headers['content-type'], /^application\/problem\+json/)
    t.match(res.body, name, `the problem names ${name}`)
    await assertNothingWritten(t, app, before)
  }
})

t.test('POST with an id that exists is a 409 conflict, and writes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app, '/v1/actors/pam-bondi')
  const res = await post(app, authorization, '/v1/actors', { id: 'pam-bondi', kind: 'person', name: 'Pam Bondi', citations: [cite('U.S. Attorney General Pam Bondi')] })
  const body = assertProblem(t, res, 409, 'conflict')
  t.match(body.detail, /^An? actor with the id "pam-bondi" exists already; PATCH it, or choose another id\.$/)
  await assertNothingWritten(t, app, before)
})

t.test('deleting an actor other records point at is a 409 naming them, and deletes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app, '/v1/actors/pam-bondi')
  const res = await app.inject({ method: 'DELETE', url: '/v1/actors/pam-bondi', headers: { authorization } })
  const body = assertProblem(t, res, 409, 'conflict')
  t.equal(body.detail, 'The actor "pam-bondi" cannot be deleted while other records point at it: transfer transfer-2025-08-12, quote bondi-american-shores. Change or delete those first.')
  await assertNothingWritten(t, app, before)
})

t.test('deleting a cited source or a transfer a measure applies to is a 409 too', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const source = await app.inject({ method: 'DELETE', url: `/v1/sources/${SOURCE}`, headers: { authorization } })
  t.match(assertProblem(t, source, 409, 'conflict').detail, /citation of transfer transfer-2025-08-12/)
  const transfer = await app.inject({ method: 'DELETE', url: '/v1/transfers/transfer-2025-02', headers: { authorization } })
  t.match(assertProblem(t, transfer, 409, 'conflict').detail, 'cooperation measure us-no-death-penalty-assurance-2025')
  await assertNothingWritten(t, app, before)
  t.equal((await app.inject({ url: `/v1/sources/${SOURCE}` })).statusCode, 200)
})

t.test('PATCH or DELETE of an id that never existed is a 404', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const patch = await app.inject({ method: 'PATCH', url: '/v1/actors/no-such-actor', headers: { authorization }, payload: { country: 'MX' } })
  t.equal(assertProblem(t, patch, 404, 'not_found').detail, 'No actor has the id "no-such-actor".')
  const del = await app.inject({ method: 'DELETE', url: '/v1/actors/no-such-actor', headers: { authorization } })
  assertProblem(t, del, 404, 'not_found')
  await assertNothingWritten(t, app, before)
})

/** A 422 that names exactly these fields, after which nothing was written. */
async function assertUnprocessable (t: Test, app: App, res: Response, names: string[], before: Snapshot) {
  const body = assertProblem(t, res, 422, 'unprocessable')
  t.same(body.errors?.map((e) => e.name), names, `errors name ${names.join(', ')}`)
  for (const e of body.errors ?? []) {
    t.equal(e.in, 'body')
    t.match(body.detail, e.name, `detail mentions ${e.name}`)
  }
  await assertNothingWritten(t, app, before)
  return body
}

t.test('links to records that do not exist are a 422 naming each field', async (t) => {
  const { app, authorization } = await writer(t)
  const cases: Array<[string, Body, string[], string]> = [
    ['/v1/transfers', {
      from_country: 'MX',
      to_country: 'US',
      mechanism: 'extradition',
      summary: 'A transfer.',
      participants: [{ actor_id: 'el-mencho', role: 'transferred' }, { actor_id: 'government-of-mexico', role: 'sent' }, { actor_id: 'el-mayo', role: 'transferred' }],
      citations: [cite('the 55 individuals transferred this year')]
    }, ['/participants/0/actor_id', '/participants/2/actor_id'], 'no actor has the id "el-mencho"'],
    ['/v1/quotes', {
      speaker_id: 'david-saucedo-jr',
      text: 'Mexico is buying time by meeting U.S. demands',
      kind: 'direct',
      language: 'en',
      citations: [cite('“Mexico is buying time by meeting U.S. demands,” Saucedo said')]
    }, ['/speaker_id'], 'no actor has the id "david-saucedo-jr"'],
    ['/v1/tariff-deadlines', {
      measure: 'Tariffs',
      imposing_country: 'US',
      targeted_country: 'MX',
      imposing_party_id: 'trump',
      status: 'upcoming',
      citations: [cite('threatened 30% tariffs on Mexican imports')]
    }, ['/imposing_party_id'], 'no actor has the id "trump"'],
    ['/v1/cooperation-measures', {
      kind: 'legal_assurance',
      title: 'No death penalty',
      description: 'An assurance.',
      status: 'given',
      transfer_ids: ['transfer-2025-13'],
      citations: [cite('it would not seek the death penalty')]
    }, ['/transfer_ids/0'], 'no transfer has the id "transfer-2025-13"'],
    ['/v1/actors', {
      kind: 'person',
      name: 'Ovidio Guzmán López',
      relations: [{ id: 'x--child-of--chapo', relation: 'child_of', related_actor_id: 'el-chapo' }],
      citations: [cite('Ovidio Guzmán, son of Joaquín “El Chapo” Guzmán')]
    }, ['/relations/0/related_actor_id'], 'no actor has the id "el-chapo"']
  ]
  for (const [list, payload, names, detail] of cases) {
    const before = await snapshotOf(app)
    const res = await post(app, authorization, list, payload)
    const body = await assertUnprocessable(t, app, res, names, before)
    t.equal(body.errors?.[0]?.detail, detail)
  }
})

t.test('a citation of a source that does not exist is a 422 naming /citations/0/source_id', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const res = await post(app, authorization, '/v1/actors', { kind: 'person', name: 'David Saucedo', citations: [{ source_id: 'no-such-source', excerpt: 'David Saucedo' }] })
  const body = await assertUnprocessable(t, app, res, ['/citations/0/source_id'], before)
  t.equal(body.errors?.[0]?.detail, 'no source has the id "no-such-source"')
})

t.test('an excerpt that does not match its offsets is a 422 naming the citation, the source and the excerpt', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const res = await post(app, authorization, '/v1/transfers', {
    from_country: 'MX',
    to_country: 'US',
    mechanism: 'unspecified',
    summary: 'A transfer.',
    citations: [cite('the 55 individuals transferred this year'), cite('90 vehicles', { start_offset: 0, end_offset: 11 })]
  })
  const body = await assertUnprocessable(t, app, res, ['/citations/1/excerpt'], before)
  t.equal(body.errors?.[0]?.detail, `citation 1 of source "${SOURCE}", excerpt "90 vehicles": the source text at 0..11 is "Mexico Hand"`)
})

t.test('an excerpt that is not in the source, or only one offset, is a 422', async (t) => {
  const { app, authorization } = await writer(t)
  const payload = (citation: Body) => ({ kind: 'person', name: 'David Saucedo', citations: [citation] })
  const cases: Array<[Body, RegExp]> = [
    [cite('Mexico extradited 30 people'), /citation 0 of source "mexico-hands-over-26-cartel-kingpins", excerpt "Mexico extradited 30 people": the excerpt does not occur in the source text$/],
    [cite('David Saucedo', { start_offset: 10 }), /give both start_offset and end_offset, or neither/],
    [cite('David Saucedo', { start_offset: 10, end_offset: 100000 }), /outside the source text/]
  ]
  for (const [citation, detail] of cases) {
    const before = await snapshotOf(app)
    const res = await post(app, authorization, '/v1/actors', payload(citation))
    const body = await assertUnprocessable(t, app, res, ['/citations/0/excerpt'], before)
    t.match(body.errors?.[0]?.detail, detail)
  }
})

t.test('an excerpt that occurs more than once needs its offsets', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const actor = { kind: 'government', name: 'Mexico', country: 'MX' }
  const ambiguous = await post(app, authorization, '/v1/actors', { ...actor, citations: [cite('Mexico')] })
  const body = await assertUnprocessable(t, app, ambiguous, ['/citations/0/excerpt'], before)
  t.match(body.errors?.[0]?.detail, 'excerpt "Mexico": the excerpt occurs more than once; give start_offset and end_offset')

  const offsets = offsetsOf(await sourceText(app), 'Mexico', 1)
  const pinned = await post(app, authorization, '/v1/actors', { ...actor, citations: [cite('Mexico', offsets)] })
  t.equal(pinned.statusCode, 201, 'with offsets it is accepted')
  t.match(pinned.json(), { citations: [{ excerpt: 'Mexico', ...offsets }] })
})

t.test('a quote whose text is in none of its cited sources is a 422 naming /text', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const res = await post(app, authorization, '/v1/quotes', { speaker_id: 'david-saucedo', text: 'Mexico is giving in to U.S. demands', kind: 'direct', language: 'en', citations: [cite('“Mexico is buying time by meeting U.S. demands,” Saucedo said')] })
  const body = await assertUnprocessable(t, app, res, ['/text'], before)
  t.equal(body.errors?.[0]?.detail, 'the quote\'s text does not occur in any source it cites')

  const url = '/v1/quotes/saucedo-buying-time'
  const patch = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: { text: 'Mexico is buying time' } })
  t.equal(patch.statusCode, 200, 'a text that occurs in the cited source is fine')
  const beforeBad = await snapshotOf(app, url)
  const bad = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: { text: 'Mexico is selling time' } })
  await assertUnprocessable(t, app, bad, ['/text'], beforeBad)
})

t.test('a PATCH that removes a required field with null is a 422 naming it', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/transfers/transfer-2025-08-12'
  const before = await snapshotOf(app, url)
  for (const [field, name] of [['summary', '/summary'], ['citations', '/citations'], ['from_country', '/from_country']] as const) {
    const res = await mergePatch(app, authorization, url, { [field]: null })
    const body = await assertUnprocessable(t, app, res, [name], before)
    t.equal(body.errors?.[0]?.detail, 'is required')
  }
})

t.test('a PATCH whose merged record has a bad link or citation is a 422, and changes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/cooperation-measures/us-drone-over-central-mexico-2025'
  const before = await snapshotOf(app, url)
  const res = await app.inject({
    method: 'PATCH',
    url,
    headers: { authorization },
    payload: { requesting_party_id: 'government-of-canada', title: 'Changed', citations: [cite('Mexico')] }
  })
  await assertUnprocessable(t, app, res, ['/requesting_party_id', '/citations/0/excerpt'], before)
})

t.test('a body that is not JSON is a 400 invalid_body, and writes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app, '/v1/quotes/saucedo-buying-time')
  for (const [method, url, type] of [['POST', '/v1/quotes', 'application/json'], ['PATCH', '/v1/quotes/saucedo-buying-time', 'application/merge-patch+json']] as const) {
    const res = await app.inject({ method, url, headers: { authorization, 'content-type': type }, payload: '{"kind":' })
    const body = assertProblem(t, res, 400, 'invalid_body')
    t.match(body.detail, /^The request body is not valid JSON/, `${method} ${url}`)
  }
  await assertNothingWritten(t, app, before)
})

t.test('unknown fields are a 400 naming each one, nested ones by JSON pointer', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app, '/v1/transfers/transfer-2025-02')
  const res = await post(app, authorization, '/v1/transfers', { ...cycles[1]!.create, id: 'x', extra: 1, citations: [{ ...cite('the 55 individuals transferred this year'), bogus: true }] })
  const body = assertProblem(t, res, 400, 'invalid_body')
  t.same(body.errors, [
    { in: 'body', name: '/extra', detail: 'is not a known field' },
    { in: 'body', name: '/citations/0/bogus', detail: 'is not a known field' }
  ])
  t.equal(body.detail, 'The body field /extra is not a known field. The body field /citations/0/bogus is not a known field.')

  const patch = await app.inject({ method: 'PATCH', url: '/v1/transfers/transfer-2025-02', headers: { authorization }, payload: { summary: 'x', created_at: '2025-01-01T00:00:00Z' } })
  t.same(assertProblem(t, patch, 400, 'invalid_body').errors, [{ in: 'body', name: '/created_at', detail: 'is not a known field' }], 'server-set fields cannot be patched')
  await assertNothingWritten(t, app, before)
})

t.test('a field of the wrong type or value is a 400 naming it', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const res = await post(app, authorization, '/v1/transfers', { ...cycles[1]!.create, people_count: 'many', from_country: 'Mexico', mechanism: 'kidnapping', date: '2025-02-30' })
  const body = assertProblem(t, res, 400, 'invalid_body')
  const details = Object.fromEntries((body.errors ?? []).map((e) => [e.name, e.detail]))
  t.same(Object.keys(details).sort(), ['/date', '/from_country', '/mechanism', '/people_count'])
  t.match(details, {
    '/date': String,
    '/from_country': 'must match the pattern ^[A-Z]{2}$',
    '/mechanism': 'must be one of: extradition, expulsion, deportation, other, unspecified',
    '/people_count': 'must be integer'
  })
  await assertNothingWritten(t, app, before)
})

t.test('a number or boolean sent as a string is a wrong type too, not coerced', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/transfers/transfer-2025-02'
  const before = await snapshotOf(app, url)
  const res = await app.inject({ method: 'PATCH', url, headers: { authorization }, payload: { people_count: '30', date_approximate: 'true' } })
  const body = assertProblem(t, res, 400, 'invalid_body')
  t.same(body.errors?.map((e) => e.name).sort(), ['/date_approximate', '/people_count'])
  await assertNothingWritten(t, app, before)
})

t.test('a record without citations, or with none, is a 400', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app)
  const { citations: _c, ...uncited } = cycles[0]!.create
  const missing = await post(app, authorization, '/v1/actors', uncited)
  t.same(assertProblem(t, missing, 400, 'invalid_body').errors, [{ in: 'body', name: '/citations', detail: 'is required' }])
  const empty = await post(app, authorization, '/v1/actors', { ...uncited, citations: [] })
  t.match(assertProblem(t, empty, 400, 'invalid_body').errors, [{ in: 'body', name: '/citations' }])
  await assertNothingWritten(t, app, before)
})

t.test('a body that is not JSON by its Content-Type is a 415', async (t) => {
  const { app, authorization } = await writer(t)
  const before = await snapshotOf(app, '/v1/actors/david-saucedo')
  const requests = [
    { method: 'POST' as const, url: '/v1/actors', type: 'text/plain', payload: JSON.stringify(cycles[0]!.create) },
    { method: 'PATCH' as const, url: '/v1/actors/david-saucedo', type: 'text/plain', payload: '{"country":null}' },
    { method: 'POST' as const, url: '/v1/actors', type: 'application/x-www-form-urlencoded', payload: 'name=x' }
  ]
  for (const { method, url, type, payload } of requests) {
    const res = await app.inject({ method, url, headers: { authorization, 'content-type': type }, payload })
    const body = assertProblem(t, res, 415, 'unsupported_media_type')
    t.match(body.detail, /Send application\/json/, `${method} ${url} as ${type}`)
  }
  await assertNothingWritten(t, app, before)
})

t.test('a body over the body limit is a 413', async (t) => {
  const { app, authorization } = await writer(t, { config: { bodyLimit: 2048 } })
  const url = '/v1/quotes/saucedo-buying-time'
  const before = await snapshotOf(app, url)
  const long = 'x'.repeat(3000)
  const posted = await post(app, authorization, '/v1/quotes', { speaker_id: 'david-saucedo', text: 'Mexico is buying time', kind: 'partial', language: 'en', context: long, citations: [cite('Mexico is buying time by meeting U.S. demands')] })
  t.match(assertProblem(t, posted, 413, 'payload_too_large').detail, /larger than this operation accepts/)
  const patch = await mergePatch(app, authorization, url, { context: long })
  assertProblem(t, patch, 413, 'payload_too_large')
  await assertNothingWritten(t, app, before)

  const small = await mergePatch(app, authorization, url, { context: 'Short.' })
  t.equal(small.statusCode, 200, 'a body under the limit is fine')
})
