import t, { type Test } from 'tap'
import type { CitationDto } from '../src/schemas/common.js'
import {
  assertCitationsQuoteTheirSources, assertNothingWritten, assertProblem, changeFeed, createRecord, get, idsOf, patchRecord, post, readFeed, revisionsOf,
  snapshotOf, SOURCE, writer, type App, type Body, type Page
} from './helpers.js'

/** A citation of the seeded source. */
const cite = (excerpt: string, more: Body = {}) => ({ source_id: SOURCE, excerpt, ...more })

interface Identifier { scheme: string, value: string, url: string }
interface Actor {
  id: string
  name: string
  aliases: Array<{ alias: string, kind: string, language: string | null }>
  roles: Array<{ id: string, organization_id: string | null }>
  relations: Array<{ id: string, relation: string, related_actor_id: string }>
  identifiers: Identifier[]
  external_fields: string[]
  citations?: CitationDto[]
}
interface Merged { merged: string, into: string, record: Actor, rewritten: Array<{ type: string, id: string, revision: number }> }

/** `POST /v1/actors/{id}/merge`, with `into`, a comment and If-Match when given. */
function merge (app: App, authorization: string, id: string, into: string, { comment, ifMatch }: { comment?: string, ifMatch?: string } = {}) {
  const query = comment === undefined ? '' : `?${new URLSearchParams({ comment })}`
  const headers: Record<string, string> = { authorization }
  if (ifMatch !== undefined) headers['if-match'] = ifMatch
  return app.inject({ method: 'POST', url: `/v1/actors/${id}/merge${query}`, headers, payload: { into } })
}

/** A record with its citations, after checking it answers 200 and its citations quote their source. */
async function readCited<T extends object> (t: Test, app: App, url: string): Promise<T & { citations: CitationDto[] }> {
  const { res, body } = await get<T & { citations: CitationDto[] }>(app, `${url}?include=citations`)
  t.equal(res.statusCode, 200, `${url} answers 200`)
  await assertCitationsQuoteTheirSources(t, app, body.citations)
  return body
}

/** The search hits of `q`, as `kind:id`. */
async function hitsOf (app: App, q: string): Promise<string[]> {
  return (await get<Page<{ kind: string, id: string }>>(app, `/v1/search?${new URLSearchParams({ q })}`)).body.data.map((h) => `${h.kind}:${h.id}`)
}

/** A new actor, for the identifier checks: named, cited, with these identifiers. */
const actorWith = (id: string, identifiers: object[]) => ({
  id,
  kind: 'person',
  name: `Test person ${id}`,
  identifiers,
  citations: [cite('according to Security Minister Omar García Harfuch', { fields: ['name'] })]
})

t.test('identifiers: each scheme\'s format is checked and its url computed; the filter, PATCH and the export keep them', async (t) => {
  const { app, authorization } = await writer(t)
  const valid: Array<[string, string, string]> = [
    ['wikidata', 'Q5305', 'https://www.wikidata.org/wiki/Q5305'],
    ['ofac_sdn', '12345', 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=12345'],
    ['us_court_case', 'nyed:1:09-cr-00466', 'https://www.courtlistener.com/?type=r&court=nyed&docket_number=1%3A09-cr-00466'],
    ['viaf', '305426371', 'https://viaf.org/viaf/305426371'],
    ['isni', '000000012146438X', 'https://isni.org/isni/000000012146438X'],
    ['opensanctions', 'NK-2bTtjRq4KdpDnb7Xv3aPCn', 'https://www.opensanctions.org/entities/NK-2bTtjRq4KdpDnb7Xv3aPCn/']
  ]
  const created = await createRecord<Actor>(app, authorization, '/v1/actors', actorWith('identified', valid.map(([scheme, value]) => ({ scheme, value }))))
  t.same(created.identifiers, valid.map(([scheme, value, url]) => ({ scheme, value, url })), 'every scheme takes its example, with the url of its register')
  t.same((await get<Actor>(app, '/v1/actors/identified')).body.identifiers, created.identifiers, 'GET shows the same')

  const bad: Array<[string, string]> = [
    ['wikidata', '22686'], ['wikidata', 'Q0'], ['ofac_sdn', 'SDN-12'], ['us_court_case', 'nyed-09-cr-466'],
    ['viaf', '0305426371'], ['isni', '0000 0001 2103 2683'], ['opensanctions', '-leading-dash']
  ]
  for (const [scheme, value] of bad) {
    const res = await post(app, authorization, '/v1/actors', actorWith('badly-identified', [{ scheme: 'viaf', value: '1' }, { scheme, value }]))
    const body = assertProblem(t, res, 422, 'unprocessable')
    t.match(body.errors, [{ in: 'body', name: '/identifiers/1/value', detail: new RegExp(scheme) }], `${scheme} "${value}" is refused, naming its value`)
    t.equal(body.errors!.length, 1, 'and nothing else')
  }

  const twice = assertProblem(t, await post(app, authorization, '/v1/actors', actorWith('twice', [{ scheme: 'viaf', value: '7' }, { scheme: 'wikidata', value: 'Q7' }, { scheme: 'viaf', value: '7' }])), 422, 'unprocessable')
  t.match(twice.errors, [{ in: 'body', name: '/identifiers/2', detail: /viaf:7/ }], 'the same identifier twice in one body names the second')
  t.equal(twice.errors!.length, 1)

  const taken = assertProblem(t, await post(app, authorization, '/v1/actors', actorWith('taken', [{ scheme: 'wikidata', value: 'Q22686' }])), 422, 'unprocessable')
  t.match(taken.errors, [{ in: 'body', name: '/identifiers/0', detail: /donald-trump/ }], 'an identifier of another actor names that actor')
  t.equal((await app.inject({ url: '/v1/actors/taken' })).statusCode, 404, 'nothing was created')
  const takenByPatch = assertProblem(t, await app.inject({
    method: 'PATCH', url: '/v1/actors/identified', headers: { authorization, 'content-type': 'application/merge-patch+json' }, payload: JSON.stringify({ identifiers: [{ scheme: 'wikidata', value: 'Q22686' }] })
  }), 422, 'unprocessable')
  t.match(takenByPatch.errors, [{ in: 'body', name: '/identifiers/0', detail: /donald-trump/ }], 'and so does a PATCH')

  const unknownScheme = await post(app, authorization, '/v1/actors', actorWith('unknown-scheme', [{ scheme: 'imdb', value: 'nm0874339' }]))
  t.equal(unknownScheme.statusCode, 400, 'a scheme not in the list is refused by the schema')

  const citedMissing = assertProblem(t, await post(app, authorization, '/v1/actors', {
    ...actorWith('cites-missing', [{ scheme: 'wikidata', value: 'Q8' }]),
    citations: [cite('according to Security Minister Omar García Harfuch', { fields: ['name', 'identifiers.wikidata:Q9'] })]
  }), 422, 'unprocessable')
  t.match(citedMissing.errors, [{ in: 'body', name: '/citations/0/fields/1' }], 'a citation may name only identifiers the actor has')

  // The filter.
  t.same(await idsOf(t, app, '/v1/actors?identifier=wikidata:Q22686'), ['donald-trump'], 'wikidata:Q22686 finds exactly Donald Trump')
  t.same(await idsOf(t, app, '/v1/actors?identifier=us_court_case:nyed:1:09-cr-00466'), ['identified'], 'a value with colons is split at the first')
  t.same(await idsOf(t, app, '/v1/actors?identifier=wikidata:Q5306'), [], 'an identifier nobody has finds nobody')
  t.same(await idsOf(t, app, '/v1/actors?identifier=opensanctions:Q22686'), [], 'the scheme counts, not just the value')
  for (const value of ['imdb:nm0874339', 'Q22686', 'wikidata:']) {
    const body = assertProblem(t, await app.inject({ url: `/v1/actors?identifier=${value}` }), 400, 'invalid_parameter')
    t.match(body.errors, [{ in: 'query', name: 'identifier' }], `identifier=${value} is a 400 naming identifier`)
  }

  // The seeded identifier, its external citation, a PATCH and the export.
  const trump = await readCited<Actor>(t, app, '/v1/actors/donald-trump')
  t.same(trump.identifiers, [{ scheme: 'wikidata', value: 'Q22686', url: 'https://www.wikidata.org/wiki/Q22686' }], 'Donald Trump is wikidata:Q22686')
  t.ok(trump.citations.some((c) => c.fields.includes('identifiers.wikidata:Q22686') && c.support === 'external'), 'cited as external evidence')
  t.ok(trump.external_fields.includes('identifiers.wikidata:Q22686'), 'which flags it as resting on outside evidence')
  await patchRecord(app, authorization, '/v1/actors/donald-trump', { description: 'President of the United States.' })
  t.same((await get<Actor>(app, '/v1/actors/donald-trump')).body.identifiers, trump.identifiers, 'a PATCH of other fields keeps the identifiers')
  await patchRecord(app, authorization, '/v1/actors/donald-trump', { identifiers: [{ scheme: 'wikidata', value: 'Q22686' }, { scheme: 'viaf', value: '85312226' }] })
  t.same((await get<Actor>(app, '/v1/actors/donald-trump')).body.identifiers.map((i) => `${i.scheme}:${i.value}`), ['wikidata:Q22686', 'viaf:85312226'],
    'an actor may PATCH its own identifier back in, with another')

  const lines = (await app.inject({ url: '/v1/export' })).body.trim().split('\n').map((l) => JSON.parse(l) as { type: string, data: Body })
  const exported = (id: string) => lines.find((l) => l.type === 'actor' && l.data.id === id)?.data
  t.same(exported('donald-trump')?.identifiers, [{ scheme: 'wikidata', value: 'Q22686' }, { scheme: 'viaf', value: '85312226' }], 'the export has the identifiers as a create takes them (no url)')
  t.same(exported('identified')?.identifiers, valid.map(([scheme, value]) => ({ scheme, value })), 'every scheme')
})

t.test('POST /v1/actors/{id}/merge folds a duplicate into the survivor, rewriting every record that pointed at it', async (t) => {
  const { app, authorization } = await writer(t)
  const survivor = 'omar-garcia-harfuch'
  const duplicate = 'omar-harfuch'
  const comment = 'Same person as omar-garcia-harfuch'
  const identifier = { scheme: 'wikidata', value: 'Q56248474' }
  const before = await readCited<Actor>(t, app, `/v1/actors/${survivor}`)

  await createRecord(app, authorization, '/v1/actors', {
    id: duplicate,
    kind: 'person',
    name: 'Omar Harfuch',
    country: 'MX',
    aliases: [{ alias: 'Harfuch', kind: 'short_name', language: null }],
    roles: [{ id: 'omar-harfuch--security-chief', title: 'Security chief', organization_id: 'government-of-mexico', as_of: '2025-08-13' }],
    relations: [{ id: 'omar-harfuch--successor-of--omar-garcia-harfuch', relation: 'successor_of', related_actor_id: survivor }],
    identifiers: [identifier],
    citations: [
      cite('according to Security Minister Omar García Harfuch', { fields: ['name', 'roles.omar-harfuch--security-chief', 'relations.omar-harfuch--successor-of--omar-garcia-harfuch'] }),
      cite('García Harfuch also revealed', { fields: [`identifiers.${identifier.scheme}:${identifier.value}`], support: 'external', note: 'The Wikidata item of the minister.' })
    ]
  })
  await createRecord(app, authorization, '/v1/quotes', {
    id: 'harfuch-strategic-move-again',
    speaker_id: duplicate,
    text: 'This is a strategic move to enhance public safety',
    kind: 'partial',
    language: 'en',
    citations: [cite('This is a strategic move to enhance public safety and disrupt criminal influence,” García Harfuch said', { fields: ['text', 'speaker_id'] })]
  })
  await createRecord(app, authorization, '/v1/transfers', {
    id: 'transfer-announced-twice',
    date: '2025',
    from_country: 'MX',
    to_country: 'US',
    mechanism: 'unspecified',
    summary: 'The transfer as the minister announced it, entered twice over.',
    participants: [
      { actor_id: duplicate, role: 'announced' },
      { actor_id: 'government-of-mexico', role: 'sent' },
      { actor_id: survivor, role: 'announced' }
    ],
    citations: [
      cite('to operate illicit networks from Mexican prisons, according to Security Minister Omar García Harfuch', { fields: [`participants.${duplicate}.announced`] }),
      cite('Mexican officials announced Wednesday', { fields: [`participants.${survivor}.announced`, 'participants.government-of-mexico.sent'] })
    ]
  })
  await createRecord(app, authorization, '/v1/cooperation-measures', {
    id: 'harfuch-operation',
    kind: 'joint_operation',
    title: 'Operation to hand over 26 cartel leaders',
    description: 'The operation of the transfer, as the minister described it.',
    requesting_party_id: 'government-of-the-united-states',
    providing_party_id: duplicate,
    status: 'ended',
    citations: [cite('The operation, involving nearly 1,000 law enforcement officers', { fields: ['providing_party_id'] })]
  })
  await createRecord(app, authorization, '/v1/events', {
    id: 'harfuch-news-conference-again',
    kind: 'news_conference',
    title: 'News conference on the transfer',
    date: '2025-08-13',
    parties: [{ actor_id: duplicate, role: 'speaker' }],
    citations: [cite('García Harfuch said during a news conference', { fields: [`parties.${duplicate}.speaker`] })]
  })
  await createRecord(app, authorization, '/v1/actors', {
    id: 'rosa-icela-rodriguez',
    kind: 'person',
    name: 'Rosa Icela Rodríguez',
    country: 'MX',
    roles: [{ id: 'rosa-icela-rodriguez--adviser', title: 'Adviser', organization_id: duplicate }],
    relations: [{ id: 'rosa-icela-rodriguez--predecessor-of--omar-harfuch', relation: 'predecessor_of', related_actor_id: duplicate }],
    citations: [cite('Mexican officials announced Wednesday', { fields: ['relations.rosa-icela-rodriguez--predecessor-of--omar-harfuch'] })]
  })

  t.ok((await hitsOf(app, 'Harfuch')).includes(`actor:${duplicate}`), 'before the merge, the search finds the duplicate')
  const since = (await readFeed(t, app, { limit: 1000 })).next

  const res = await merge(app, authorization, duplicate, survivor, { comment, ifMatch: '"r1"' })
  t.equal(res.statusCode, 200, 'the merge answers 200')
  t.equal(res.headers.etag, '"r2"', 'with the survivor\'s new revision')
  t.equal(res.headers['content-location'], `/v1/actors/${survivor}`)
  const result = res.json<Merged>()
  t.equal(result.merged, duplicate)
  t.equal(result.into, survivor)
  t.equal(result.record.id, survivor, 'the record is the survivor')
  const expectedRewritten = [
    { type: 'actor', id: 'rosa-icela-rodriguez', revision: 2 },
    { type: 'cooperation_measure', id: 'harfuch-operation', revision: 2 },
    { type: 'event', id: 'harfuch-news-conference-again', revision: 2 },
    { type: 'quote', id: 'harfuch-strategic-move-again', revision: 2 },
    { type: 'transfer', id: 'transfer-announced-twice', revision: 2 }
  ]
  const byTypeAndId = (a: { type: string, id: string }, b: { type: string, id: string }) => `${a.type}/${a.id}` < `${b.type}/${b.id}` ? -1 : 1
  t.same([...result.rewritten].sort(byTypeAndId), expectedRewritten, 'every record that pointed at the duplicate was rewritten, once')

  // The duplicate's id redirects.
  const redirected = await app.inject({ url: `/v1/actors/${duplicate}?include=citations&fields=id,name` })
  t.equal(redirected.statusCode, 308, 'GET of the merged id answers 308')
  t.equal(redirected.headers.location, `/v1/actors/${survivor}?include=citations&fields=id,name`, 'to the survivor, the query kept')
  t.same(redirected.json(), { merged: duplicate, into: survivor })
  const plain = await app.inject({ url: `/v1/actors/${duplicate}` })
  t.equal(plain.statusCode, 308)
  t.equal(plain.headers.location, `/v1/actors/${survivor}`, 'without a query, none')
  t.notOk((await idsOf(t, app, '/v1/actors?limit=500')).includes(duplicate), 'the list no longer has the duplicate')

  // Every record that pointed at it points at the survivor, its evidence still quoting its source.
  const quote = await readCited<{ speaker_id: string }>(t, app, '/v1/quotes/harfuch-strategic-move-again')
  t.equal(quote.speaker_id, survivor, 'the quote\'s speaker')
  t.same(quote.citations.map((c) => c.fields), [['text', 'speaker_id']])
  const transfer = await readCited<{ participants: Body[] }>(t, app, '/v1/transfers/transfer-announced-twice')
  t.same(transfer.participants, [{ actor_id: survivor, role: 'announced' }, { actor_id: 'government-of-mexico', role: 'sent' }],
    'the transfer\'s participants: the survivor once in the role both held')
  t.same(transfer.citations.map((c) => c.fields), [[`participants.${survivor}.announced`], [`participants.${survivor}.announced`, 'participants.government-of-mexico.sent']],
    'the transfer\'s citations name the survivor\'s participation')
  const measure = await readCited<{ providing_party_id: string }>(t, app, '/v1/cooperation-measures/harfuch-operation')
  t.equal(measure.providing_party_id, survivor, 'the measure\'s providing party')
  const event = await readCited<{ parties: Body[] }>(t, app, '/v1/events/harfuch-news-conference-again')
  t.same(event.parties, [{ actor_id: survivor, role: 'speaker' }], 'the event\'s party')
  t.same(event.citations.map((c) => c.fields), [[`parties.${survivor}.speaker`]])
  const other = await readCited<Actor>(t, app, '/v1/actors/rosa-icela-rodriguez')
  t.same(other.relations, [{ id: 'rosa-icela-rodriguez--predecessor-of--omar-harfuch', relation: 'predecessor_of', related_actor_id: survivor }], 'the other actor\'s relation')
  t.equal(other.roles[0]?.organization_id, survivor, 'and its role\'s organisation')
  t.same((await revisionsOf(app, '/v1/actors/rosa-icela-rodriguez')).map((r) => r.action), ['create', 'update'], 'in one revision, though two of its links changed')

  // The survivor took the duplicate's names, role, identifier and evidence, and no relation to itself.
  const after = await readCited<Actor>(t, app, `/v1/actors/${survivor}`)
  t.same(after.aliases, [...before.aliases, { alias: 'Omar Harfuch', kind: 'alias', language: null }, { alias: 'Harfuch', kind: 'short_name', language: null }],
    'the duplicate\'s name and aliases are aliases of the survivor')
  t.same(after.roles.map((r) => r.id), [...before.roles.map((r) => r.id), 'omar-harfuch--security-chief'], 'its role')
  t.same(after.identifiers, [{ ...identifier, url: `https://www.wikidata.org/wiki/${identifier.value}` }], 'its identifier')
  t.same(after.relations, [], 'no relation between the two: an actor is not related to itself')
  t.ok(after.relations.every((r) => r.related_actor_id !== survivor))
  const own = (c: CitationDto) => before.citations.some((b) => b.excerpt === c.excerpt && JSON.stringify(b.fields) === JSON.stringify(c.fields))
  t.same(after.citations.filter((c) => !own(c)).map((c) => ({ excerpt: c.excerpt, fields: c.fields, support: c.support })), [
    { excerpt: 'according to Security Minister Omar García Harfuch', fields: ['aliases.Omar Harfuch', 'roles.omar-harfuch--security-chief'], support: 'stated' },
    { excerpt: 'García Harfuch also revealed', fields: [`identifiers.${identifier.scheme}:${identifier.value}`], support: 'external' }
  ], 'the duplicate\'s citations, its name\'s now naming the alias, its relation\'s gone')
  t.equal(after.citations.length, before.citations.length + 2, 'and the survivor\'s own citations stay')
  t.ok(after.external_fields.includes(`identifiers.${identifier.scheme}:${identifier.value}`), 'the identifier is still flagged as resting on outside evidence')
  t.same(await idsOf(t, app, `/v1/actors?identifier=${identifier.scheme}:${identifier.value}`), [survivor], 'the identifier filter finds the survivor')
  const { citations: _c, ...afterRecord } = after
  const { citations: _r, ...resultRecord } = result.record
  t.same(resultRecord, afterRecord, 'the merge returned the survivor as GET shows it')

  // Both histories, and the change feed, show every step with the comment.
  const duplicateHistory = await revisionsOf(app, `/v1/actors/${duplicate}`)
  t.same(duplicateHistory.map((r) => r.action), ['create', 'delete'], 'the duplicate\'s history stays, ending in its delete')
  t.equal((duplicateHistory.at(-1) as unknown as { comment: string }).comment, comment, 'with the comment')
  t.equal(duplicateHistory.at(-1)!.record.name, 'Omar Harfuch', 'the delete keeps the record as it was')
  const survivorHistory = await revisionsOf(app, `/v1/actors/${survivor}`)
  t.same(survivorHistory.map((r) => r.action), ['create', 'update'], 'the survivor\'s history ends in an update')
  t.equal((survivorHistory.at(-1) as unknown as { comment: string }).comment, comment, 'with the comment')

  const { changes } = await readFeed(t, app, { since, limit: 1000 })
  const steps = changes.map((c) => ({ type: c.type, id: c.id, action: c.action, revision: c.revision, comment: (c as unknown as { comment: string }).comment }))
  t.same([...steps].sort(byTypeAndId), [
    { type: 'actor', id: survivor, action: 'update', revision: 2, comment },
    { type: 'actor', id: duplicate, action: 'delete', revision: 2, comment },
    ...expectedRewritten.map((r) => ({ ...r, action: 'update', comment }))
  ].sort(byTypeAndId), 'the change feed has the delete, the survivor\'s update and one update per rewritten record, all with the comment, and nothing else')

  // The search.
  const hits = await hitsOf(app, 'Harfuch')
  t.notOk(hits.includes(`actor:${duplicate}`), 'the search no longer finds the duplicate as a hit of its own')
  t.ok(hits.includes(`actor:${survivor}`), 'it finds the survivor')
  t.equal((await hitsOf(app, '"Omar Harfuch"'))[0], `actor:${survivor}`, 'by the duplicate\'s name, now its alias')
})

t.test('a refused merge writes nothing: into itself (422 /into), into nobody (422), an unknown id (404), a stale If-Match (412)', async (t) => {
  const { app, authorization } = await writer(t)
  await createRecord(app, authorization, '/v1/actors', {
    id: 'trump-duplicate',
    kind: 'person',
    name: 'Donald J. Trump',
    citations: [cite('U.S. President Donald Trump’s threatened 30% tariffs on Mexican imports', { fields: ['name'] })]
  })
  const before = await snapshotOf(app, '/v1/actors/trump-duplicate', '/v1/actors/donald-trump', '/v1/actors/donald-trump/revisions')
  const feed = await changeFeed(app)

  const itself = assertProblem(t, await merge(app, authorization, 'trump-duplicate', 'trump-duplicate', { comment: 'x' }), 422, 'unprocessable')
  t.match(itself.errors, [{ in: 'body', name: '/into' }], 'into itself names /into')
  const nobody = assertProblem(t, await merge(app, authorization, 'trump-duplicate', 'no-such-actor'), 422, 'unprocessable')
  t.match(nobody.errors, [{ in: 'body', name: '/into', detail: /no-such-actor/ }], 'into an unknown actor names /into')
  assertProblem(t, await merge(app, authorization, 'no-such-actor', 'donald-trump'), 404, 'not_found')
  const stale = assertProblem(t, await merge(app, authorization, 'trump-duplicate', 'donald-trump', { ifMatch: '"r2"' }), 412, 'precondition_failed')
  t.match(stale, { current_etag: '"r1"' }, 'a stale If-Match names the duplicate\'s revision')
  assertProblem(t, await app.inject({ method: 'POST', url: '/v1/actors/trump-duplicate/merge', payload: { into: 'donald-trump' } }), 401, 'unauthorized')
  t.equal(await changeFeed(app), feed, 'the change feed is unchanged')
  await assertNothingWritten(t, app, before)

  const res = await merge(app, authorization, 'trump-duplicate', 'donald-trump', { ifMatch: '"r1"' })
  t.equal(res.statusCode, 200, 'the matching If-Match merges')
  t.equal((await app.inject({ url: '/v1/actors/trump-duplicate' })).statusCode, 308)
  t.match((await revisionsOf(app, '/v1/actors/trump-duplicate')).at(-1), { action: 'delete', comment: 'Merged actor "trump-duplicate" into "donald-trump".' }, 'without a comment, the merge says what it did')
})

t.test('merging an actor a tariff deadline and cooperation measures point at keeps those valid', async (t) => {
  const { app, authorization } = await writer(t)
  // A duplicate of Donald Trump, that a new deadline and measure name.
  await createRecord(app, authorization, '/v1/actors', {
    id: 'trump-duplicate',
    kind: 'person',
    name: 'Donald J. Trump',
    country: 'US',
    citations: [cite('U.S. President Donald Trump’s threatened 30% tariffs on Mexican imports', { fields: ['name', 'country'] })]
  })
  await createRecord(app, authorization, '/v1/tariff-deadlines', {
    id: 'negotiation-window',
    measure: '90-day negotiation period on threatened tariffs',
    rate_percent: 30,
    imposing_country: 'US',
    targeted_country: 'MX',
    imposing_party_id: 'trump-duplicate',
    targeted_party_id: 'claudia-sheinbaum-pardo',
    window_start: '2025-07-30',
    window_days: 90,
    deadline: '2025-10-28',
    status: 'upcoming',
    citations: [cite('Sheinbaum and Trump agreed to a 90-day negotiation period', { fields: ['window_days', 'imposing_party_id', 'targeted_party_id'] })]
  })
  await createRecord(app, authorization, '/v1/cooperation-measures', {
    id: 'requested-transfer',
    kind: 'joint_operation',
    title: 'Transfer at the U.S. request',
    description: 'The transfer the Trump administration requested.',
    requesting_party_id: 'trump-duplicate',
    providing_party_id: 'government-of-mexico',
    status: 'ended',
    citations: [cite('responding to a direct request from the Trump administration', { fields: ['requesting_party_id', 'providing_party_id'] })]
  })
  const res = await merge(app, authorization, 'trump-duplicate', 'donald-trump', { comment: 'duplicate' })
  t.equal(res.statusCode, 200)
  t.same(res.json<Merged>().rewritten.map((r) => `${r.type}:${r.id}`).sort(), ['cooperation_measure:requested-transfer', 'tariff_deadline:negotiation-window'])
  const deadline = await readCited<{ imposing_party_id: string, targeted_party_id: string }>(t, app, '/v1/tariff-deadlines/negotiation-window')
  t.equal(deadline.imposing_party_id, 'donald-trump', 'the deadline\'s imposing party is the survivor')
  t.equal(deadline.targeted_party_id, 'claudia-sheinbaum-pardo', 'its other party unchanged')
  const measure = await readCited<{ requesting_party_id: string }>(t, app, '/v1/cooperation-measures/requested-transfer')
  t.equal(measure.requesting_party_id, 'donald-trump', 'the measure\'s requesting party is the survivor')
  t.same((await get<Actor>(app, '/v1/actors/donald-trump')).body.aliases.map((a) => a.alias), ['Trump', 'Donald J. Trump'])

  // A seeded actor many records point at, folded into a new one: nothing names it afterwards.
  const old = 'government-of-mexico'
  await createRecord(app, authorization, '/v1/actors', {
    id: 'mexican-federal-government',
    kind: 'government_body',
    name: 'Gobierno de México',
    country: 'MX',
    citations: [cite('Mexican officials announced Wednesday', { fields: ['country'] })]
  })
  const exportLines = async () => (await app.inject({ url: '/v1/export' })).body.trim().split('\n').map((l) => JSON.parse(l) as { type: string, data: Body })
  const names = (line: { data: Body }) => JSON.stringify(line.data).includes(`"${old}"`) || JSON.stringify(line.data).includes(`.${old}.`)
  const pointing = (await exportLines()).filter((l) => l.data.id !== old && names(l)).map((l) => `${l.type}:${String(l.data.id)}`).sort()
  t.ok(pointing.includes('tariff_deadline:us-tariffs-on-mexican-imports-2025') && pointing.includes('cooperation_measure:us-drone-over-central-mexico-2025'), 'the seeded deadline and measures point at it')
  const folded = await merge(app, authorization, old, 'mexican-federal-government')
  t.equal(folded.statusCode, 200, `${old} merges: ${folded.body.slice(0, 500)}`)
  t.same(folded.json<Merged>().rewritten.map((r) => `${r.type}:${r.id}`).sort(), pointing, 'every record that named it was rewritten')
  t.same((await exportLines()).filter(names).map((l) => `${l.type}:${String(l.data.id)}`), [], 'and none names it any more')
  for (const id of pointing) {
    const [type, recordId] = id.split(':') as [string, string]
    const path = { actor: 'actors', transfer: 'transfers', quote: 'quotes', tariff_deadline: 'tariff-deadlines', cooperation_measure: 'cooperation-measures', event: 'events' }[type]!
    await readCited(t, app, `/v1/${path}/${recordId}`)
  }
  const seeded = (await get<{ targeted_party_id: string }>(app, '/v1/tariff-deadlines/us-tariffs-on-mexican-imports-2025')).body
  t.equal(seeded.targeted_party_id, 'mexican-federal-government', 'the seeded deadline targets the survivor')
})
