import t, { type Test } from 'tap'
import {
  assertNothingWritten, assertProblem, buildTestApp, createRecord, get, idsOf, mergePatch, patchRecord, post, revisionsOf, snapshotOf, SOURCE, writer,
  type App, type Body, type Page
} from './helpers.js'

// --- Fixtures ------------------------------------------------------------------------------------

const ID = 'transfer-2024-03-01'
const TRANSFER = `/v1/transfers/${ID}`
/** The one day of the fixture: the seeded transfers are in 2025. */
const ON_ITS_DAY = 'date_from=2024-03-01&date_to=2024-03-01'

const ONE = 'test-person-one'
const TWO = 'test-person-two'
const THREE = 'test-person-three'
/** A second record of the Sinaloa cartel, for the merge. */
const DUPLICATE = 'sinaloa-cartel-duplicate'

const excerpts = {
  leaders: 'Mexico has extradited 26 high-profile cartel leaders to the United States',
  members: 'The transfer, which included members of the notorious Jalisco New Generation and Sinaloa Cartels',
  charges: 'The extradited figures face charges in the U.S. for drug trafficking and related crimes'
}
const cite = (excerpt: string, fields: string[]) => ({ source_id: SOURCE, excerpt, fields })
const detail = (person: string, name: string) => `participants.${person}.transferred.${name}`

interface Participant {
  actor_id: string
  role: string
  organization_id: string | null
  charges: string | null
  wanted_by: string | null
  case_numbers: string[]
  held_at: string | null
}
type Transfer = Body & { id: string, participants: Participant[], citations?: Array<{ fields: string[] }>, actors?: Array<{ id: string }> }

/** What a participant without details reads back as: no details at all (each is present only when known). */
const none = {}

/** A participant's details as the API returns them: null and [] (not known) left out. */
const known = (details: Body) => Object.fromEntries(Object.entries(details).filter(([, v]) => v !== null && !(Array.isArray(v) && v.length === 0)))

const oneDetails = {
  organization_id: 'cjng',
  charges: 'Drug trafficking conspiracy',
  wanted_by: 'U.S. District Court for the District of Columbia',
  case_numbers: ['1:23-cr-00001', '1:23-cr-00002'],
  held_at: 'Altiplano prison'
}
const threeDetails = { organization_id: 'sinaloa-cartel', charges: 'Fentanyl trafficking', case_numbers: ['1:24-cr-00123'] }

/** The fixture's participants as sent: three people transferred (two of the CJNG, one of Sinaloa) and the CJNG named. */
const participantsIn = (three: Body = threeDetails): Body[] => [
  { actor_id: 'government-of-mexico', role: 'sent' },
  { actor_id: 'government-of-the-united-states', role: 'received', organization_id: null, case_numbers: [] },
  { actor_id: 'cjng', role: 'organization_of_transferred' },
  { actor_id: ONE, role: 'transferred', ...oneDetails },
  { actor_id: TWO, role: 'transferred', organization_id: 'cjng' },
  { actor_id: THREE, role: 'transferred', ...three }
]

/** The same participants as the API returns them. */
const participantsOut = (three: Body = threeDetails): Participant[] => participantsIn(three).map(({ actor_id: actorId, role, ...details }) => ({ actor_id: actorId, role, ...known(details) }) as Participant)

const fixtureCitations = (three: string[] = ['organization_id', 'charges', 'case_numbers']) => [
  cite(excerpts.leaders, ['people_count', 'participants.government-of-mexico.sent', 'participants.government-of-the-united-states.received',
    `participants.${ONE}.transferred`, `participants.${TWO}.transferred`, `participants.${THREE}.transferred`]),
  cite(excerpts.members, ['participants.cjng.organization_of_transferred', detail(ONE, 'organization_id'), detail(TWO, 'organization_id'),
    ...(three.includes('organization_id') ? [detail(THREE, 'organization_id')] : [])]),
  cite(excerpts.charges, [detail(ONE, 'charges'), detail(ONE, 'wanted_by'), detail(ONE, 'case_numbers'), detail(ONE, 'held_at'),
    ...three.filter((d) => d !== 'organization_id').map((d) => detail(THREE, d))])
]

const fixture = (more: Body = {}): Body => ({
  id: ID,
  date: '2024-03-01',
  from_country: 'MX',
  to_country: 'US',
  mechanism: 'extradition',
  people_count: 5,
  summary: 'A synthetic transfer of five people, three of them named: two of the CJNG and one of the Sinaloa cartel.',
  participants: participantsIn(),
  citations: fixtureCitations(),
  ...more
})

/** A seeded app with a write key, the three people (and, with `duplicate`, a second Sinaloa cartel), and the fixture when `transfer` is given. */
async function withPeople (t: Test, { transfer, duplicate = false }: { transfer?: Body, duplicate?: boolean } = {}) {
  const { app, authorization } = await writer(t)
  for (const [id, name] of [[ONE, 'Test Person One'], [TWO, 'Test Person Two'], [THREE, 'Test Person Three']] as const) {
    await createRecord(app, authorization, '/v1/actors', { id, kind: 'person', name, citations: [cite(excerpts.leaders, ['name'])] })
  }
  if (duplicate) {
    await createRecord(app, authorization, '/v1/actors', { id: DUPLICATE, kind: 'criminal_group', name: 'Sinaloa Cartel', citations: [cite(excerpts.members, ['name'])] })
  }
  if (transfer !== undefined) await createRecord(app, authorization, '/v1/transfers', transfer)
  return { app, authorization }
}

interface Chart { keys: Array<string | null>, series: Array<{ name: string, data: number[] }>, totals: Record<string, number> }

/** The organisation chart of `query`: bucket key → { series → value }, and the totals; the buckets' people add up to the totals'. */
async function byOrganization (t: Test, app: App, query = '') {
  const url = `/v1/stats/transfers?group_by=organization${query === '' ? '' : `&${query}`}`
  const { res, body } = await get<Chart>(app, url)
  t.equal(res.statusCode, 200, `${url} answers 200`)
  const buckets = new Map(body.keys.map((key, i) => [key, Object.fromEntries(body.series.map((s) => [s.name, s.data[i]!]))]))
  t.equal([...buckets.values()].reduce((sum, b) => sum + b.people!, 0), body.totals.people, `${url}: the buckets' people add up to totals.people`)
  return { buckets, totals: body.totals }
}

/** `{ occasions, people }` of each bucket, by key. */
const peopleOf = (buckets: Map<string | null, Record<string, number>>) => Object.fromEntries([...buckets].map(([key, b]) => [String(key), [b.occasions, b.people]]))

/** The pointers a problem names, sorted, each once. */
const names = (problem: { errors?: Array<{ name: string }> }) => [...new Set((problem.errors ?? []).map((e) => e.name))].sort()

// --- Tests ---------------------------------------------------------------------------------------

t.test('a person transferred carries organisation, charges, wanted_by, case numbers and held_at: stored, returned, listed, exported', async (t) => {
  const { app, authorization } = await withPeople(t)
  const res = await post(app, authorization, '/v1/transfers', fixture())
  t.equal(res.statusCode, 201, `POST answers 201: ${res.statusCode === 201 ? '' : res.body}`)
  t.same(res.json<Transfer>().participants, participantsOut(), 'the response has every participant\'s details, leaving out those given as null or []')

  const { body } = await get<Transfer>(app, `${TRANSFER}?include=citations`)
  t.same(body.participants, participantsOut(), 'GET returns them')
  t.same(body.citations!.map((c) => c.fields), fixtureCitations().map((c) => c.fields), 'the citations naming the details are kept')
  t.same((await revisionsOf(app, TRANSFER)).at(-1)!.record.participants, participantsOut(), 'the revision carries them')

  const list = await get<Page<Transfer>>(app, `/v1/transfers?${ON_ITS_DAY}`)
  t.same(list.body.data.map((d) => [d.id, d.participants]), [[ID, participantsOut()]], 'the list returns them')
  const ndjson = await app.inject({ url: `/v1/transfers.ndjson?${ON_ITS_DAY}` })
  t.equal(ndjson.statusCode, 200)
  t.same(ndjson.body.split('\n').filter((l) => l !== '').map((l) => (JSON.parse(l) as Transfer).participants), [participantsOut()], 'an NDJSON line has them')
  const csv = await app.inject({ url: `/v1/transfers.csv?${ON_ITS_DAY}&fields=participants` })
  t.equal(csv.statusCode, 200)
  t.equal(csv.body, `id,participants\r\n${ID},"${JSON.stringify(participantsOut()).replaceAll('"', '""')}"\r\n`, 'a CSV row has them, as JSON')

  const exported = (await app.inject({ url: '/v1/export' })).body
  const line = exported.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as { type: string, data: Transfer }).find((l) => l.type === 'transfer' && l.data.id === ID)
  t.same(line?.data.participants, participantsOut(), 'the export line has them')
  const { app: empty } = await buildTestApp(t, { seed: false })
  const key = empty.kb.apiKeys.create('desk', 'write').key
  const imported = await empty.inject({ method: 'POST', url: '/v1/import', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, payload: exported })
  t.equal(imported.statusCode, 201, `the export imports into an empty database: ${imported.statusCode === 201 ? '' : imported.body}`)
  t.equal((await empty.inject({ url: '/v1/export' })).body, exported, 'and exports again byte for byte')

  const embedded = (await get<Transfer>(app, `${TRANSFER}?include=actors`)).body.actors!.map((a) => a.id)
  t.same([...embedded].sort(), ['cjng', 'government-of-mexico', 'government-of-the-united-states', 'sinaloa-cartel', ONE, THREE, TWO].sort(),
    'include=actors embeds the participants and the organisations of the people transferred, once each')
})

t.test('an organisation takes part through the people transferred who belong to it', async (t) => {
  const { app, authorization } = await withPeople(t, { transfer: fixture() })
  t.same(await idsOf(t, app, '/v1/transfers?actor=sinaloa-cartel'), ['transfer-2025-08-12', ID], '?actor=sinaloa-cartel finds the transfer of a member')
  t.same(await idsOf(t, app, '/v1/transfers?actor=sinaloa-cartel&role=transferred'), [], 'with role=transferred, only the actor transferred counts')
  t.same(await idsOf(t, app, `/v1/transfers?actor=${THREE}&role=transferred`), [ID])
  t.same(await idsOf(t, app, '/v1/transfers?role=transferred'), [ID])
  const timeline = await get<Page<{ kind: string, id: string }>>(app, '/v1/timeline?actor=sinaloa-cartel')
  t.ok(timeline.body.data.some((e) => e.kind === 'transfer' && e.id === ID), '/v1/timeline?actor=sinaloa-cartel has it')

  const before = await snapshotOf(app, TRANSFER)
  const blocked = assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/actors/sinaloa-cartel', headers: { authorization } }), 409, 'conflict')
  t.match(blocked.detail, new RegExp(`^The actor "sinaloa-cartel" cannot be deleted while other records point at it: .*transfer ${ID}`), 'deleting the organisation is a 409 naming the transfer')
  await assertNothingWritten(t, app, before)
})

t.test('each rule of the details is a 422 naming its pointer, and nothing is written', async (t) => {
  const { app, authorization } = await withPeople(t, { transfer: fixture() })
  const withParticipant = (i: number, more: Body) => participantsIn().map((p, j) => (j === i ? { ...p, ...more } : p))
  const cases: Array<[string, Body, string[]]> = [
    ['charges of a participant that sent', { participants: withParticipant(0, { charges: 'Conspiracy' }) }, ['/participants/0/charges']],
    ['wanted_by of one that received', { participants: withParticipant(1, { wanted_by: 'A court' }) }, ['/participants/1/wanted_by']],
    ['case numbers of one that received', { participants: withParticipant(1, { case_numbers: ['1:23-cr-00009'] }) }, ['/participants/1/case_numbers']],
    ['held_at of one that sent', { participants: withParticipant(0, { held_at: 'A prison' }) }, ['/participants/0/held_at']],
    ['an organisation of the organisation named', { participants: withParticipant(2, { organization_id: 'sinaloa-cartel' }) }, ['/participants/2/organization_id']],
    ['more people transferred than people_count', { people_count: 2 }, ['/participants']],
    ['an organisation that is no actor', { participants: withParticipant(4, { organization_id: 'no-such-cartel' }) }, ['/participants/4/organization_id']],
    ['a citation naming a detail not given', { citations: [...fixtureCitations(), cite(excerpts.charges, [detail(TWO, 'charges')])] }, ['/citations/3/fields/0']],
    ['a citation naming case numbers given empty', { participants: withParticipant(5, { case_numbers: [] }) }, ['/citations/2/fields/5']],
    ['a citation naming the detail of a role the actor does not have', { citations: [...fixtureCitations(), cite(excerpts.charges, ['participants.cjng.organization_of_transferred.charges'])] }, ['/citations/3/fields/0']]
  ]
  const before = await snapshotOf(app, TRANSFER)
  for (const [what, patch, pointers] of cases) {
    t.same(names(assertProblem(t, await mergePatch(app, authorization, TRANSFER, patch), 422, 'unprocessable')), pointers, `PATCH, ${what}: a 422 naming ${pointers.join(', ')}`)
    const created = await post(app, authorization, '/v1/transfers', fixture({ id: 'transfer-2024-03-01-again', ...patch }))
    t.same(names(assertProblem(t, created, 422, 'unprocessable')), pointers, `POST, ${what}: the same`)
  }
  const schema = assertProblem(t, await mergePatch(app, authorization, TRANSFER, { participants: withParticipant(3, { case_numbers: [''] }) }), 400, 'invalid_body')
  t.same(names(schema), ['/participants/3/case_numbers/0'], 'an empty case number fails the schema')
  const line = JSON.stringify({ type: 'transfer', data: fixture({ id: 'transfer-2024-03-01-again', participants: withParticipant(0, { charges: 'Conspiracy' }) }) }) + '\n'
  const imported = assertProblem(t, await app.inject({ method: 'POST', url: '/v1/import', headers: { authorization, 'content-type': 'application/x-ndjson' }, payload: line }), 422, 'unprocessable')
  t.same(imported.errors!.map((e) => [(e as { line?: number }).line, e.name]), [[1, '/data/participants/0/charges']], 'an import line is checked the same way')
  await assertNothingWritten(t, app, before)

  const uncounted = await mergePatch(app, authorization, TRANSFER, { people_count: null })
  t.equal(uncounted.statusCode, 200, 'without a people_count, any number of people may be named')
  const exactly = await mergePatch(app, authorization, TRANSFER, { people_count: 3 })
  t.equal(exactly.statusCode, 200, 'as many as people_count is fine')
})

t.test('statistics by organization: each person transferred counts in their organisation, the rest are not attributed', async (t) => {
  const { app, authorization } = await withPeople(t, { transfer: fixture() })
  const own = await byOrganization(t, app, ON_ITS_DAY)
  t.same(peopleOf(own.buckets), { cjng: [1, 2], 'sinaloa-cartel': [1, 1], null: [1, 2] }, 'the transfer alone: CJNG 2 people, Sinaloa 1, 2 not attributed')
  t.match(own.totals, { occasions: 1, people: 5 })

  const all = await byOrganization(t, app)
  t.same(peopleOf(all.buckets), { cjng: [2, 2], 'sinaloa-cartel': [2, 1], null: [3, 57] }, 'over the whole knowledge base: the seed (cjng 1/0, sinaloa 1/0, not attributed 2/55) plus the transfer')
  t.match(all.totals, { occasions: 3, people: 60 })

  await patchRecord(app, authorization, TRANSFER, { people_count: 3 })
  t.same(peopleOf((await byOrganization(t, app, ON_ITS_DAY)).buckets), { cjng: [1, 2], 'sinaloa-cartel': [1, 1] }, 'everyone attributed: no (not attributed) bucket')

  await patchRecord(app, authorization, TRANSFER, { people_count: null })
  const uncounted = await byOrganization(t, app, ON_ITS_DAY)
  t.match(uncounted.totals, { occasions: 1, people: 0, occasions_without_count: 1 }, 'without a count the transfer adds no people to the totals')
  t.same(peopleOf(uncounted.buckets), { cjng: [1, 0], 'sinaloa-cartel': [1, 0] }, '… nor to the organisations\' buckets')
})

t.test('merging a duplicate organisation rewrites the organisation of the people transferred, and the statistics follow', async (t) => {
  const { app, authorization } = await withPeople(t, { duplicate: true, transfer: fixture({ participants: participantsIn({ ...threeDetails, organization_id: DUPLICATE }) }) })
  t.same(peopleOf((await byOrganization(t, app, ON_ITS_DAY)).buckets), { cjng: [1, 2], [DUPLICATE]: [1, 1], null: [1, 2] }, 'before: the duplicate has its member')
  t.same(await idsOf(t, app, `/v1/transfers?actor=${DUPLICATE}`), [ID])

  const before = await snapshotOf(app, TRANSFER)
  const blocked = assertProblem(t, await app.inject({ method: 'DELETE', url: `/v1/actors/${DUPLICATE}`, headers: { authorization } }), 409, 'conflict')
  t.equal(blocked.detail, `The actor "${DUPLICATE}" cannot be deleted while other records point at it: transfer ${ID}. Change or delete those first.`,
    'an actor that is only some person\'s organisation cannot be deleted')
  await assertNothingWritten(t, app, before)

  const merged = await app.inject({ method: 'POST', url: `/v1/actors/${DUPLICATE}/merge`, headers: { authorization }, payload: { into: 'sinaloa-cartel' } })
  t.equal(merged.statusCode, 200, `the merge answers 200: ${merged.statusCode === 200 ? '' : merged.body}`)
  t.match(merged.json<{ rewritten: Body[] }>().rewritten, [{ type: 'transfer', id: ID }], 'and rewrites the transfer')
  const { body } = await get<Transfer>(app, `${TRANSFER}?include=citations`)
  t.same(body.participants, participantsOut(), 'the person\'s organisation is now the survivor, their other details kept')
  t.same(body.citations!.map((c) => c.fields), fixtureCitations().map((c) => c.fields), 'and so are the citations of the details')
  t.same(peopleOf((await byOrganization(t, app, ON_ITS_DAY)).buckets), { cjng: [1, 2], 'sinaloa-cartel': [1, 1], null: [1, 2] }, 'after: the member counts for the survivor')
  t.same(await idsOf(t, app, '/v1/transfers?actor=sinaloa-cartel'), ['transfer-2025-08-12', ID])
})

t.test('PATCH can clear the details, and the statistics change accordingly', async (t) => {
  const { app, authorization } = await withPeople(t, { transfer: fixture() })
  const cleared = participantsIn({ organization_id: null, charges: null, case_numbers: [] })
  const dangling = assertProblem(t, await mergePatch(app, authorization, TRANSFER, { participants: cleared }), 422, 'unprocessable')
  t.same(names(dangling), ['/citations/1/fields/3', '/citations/2/fields/4', '/citations/2/fields/5'], 'clearing details that citations name is a 422 naming those citations\' fields')

  const res = await mergePatch(app, authorization, TRANSFER, { participants: cleared, citations: fixtureCitations([]) })
  t.equal(res.statusCode, 200, 'clearing them with the citations that name them')
  t.same((await get<Transfer>(app, TRANSFER)).body.participants, participantsOut({ organization_id: null, charges: null, case_numbers: [] }), 'the details cleared are left out')
  t.same(peopleOf((await byOrganization(t, app, ON_ITS_DAY)).buckets), { cjng: [1, 2], null: [1, 3] }, 'the person is no longer Sinaloa\'s: 3 not attributed')
  t.same(await idsOf(t, app, '/v1/transfers?actor=sinaloa-cartel'), ['transfer-2025-08-12'], 'nor does ?actor=sinaloa-cartel find the transfer')

  const bare = participantsIn().map((p) => ({ actor_id: p.actor_id, role: p.role }))
  await patchRecord(app, authorization, TRANSFER, { participants: bare, citations: [fixtureCitations([])[0]] })
  t.same((await get<Transfer>(app, TRANSFER)).body.participants, bare.map((p) => ({ ...p, ...none })), 'participants sent without details have none')
  t.same(peopleOf((await byOrganization(t, app, ON_ITS_DAY)).buckets), { cjng: [1, 0], null: [1, 5] }, 'the CJNG is still named, with no people: all 5 not attributed')
  const deleted = assertProblem(t, await app.inject({ method: 'DELETE', url: '/v1/actors/sinaloa-cartel', headers: { authorization } }), 409, 'conflict')
  t.notMatch(deleted.detail, ID, 'the seeded transfer still holds on to the Sinaloa cartel, the cleared one no longer does')
})
