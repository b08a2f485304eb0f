import t from 'tap'
import type { Static } from 'typebox'
import type { ActorAlias, ActorDto } from '../src/kinds/actors/schemas.js'
import { assertCitationsQuoteTheirSources, assertQueryProblem, buildTestApp, get, getOnePage, getRecord, idsOf, type Page, type Resolved } from './helpers.js'

type Actor = Resolved<ActorDto, { aliases: Array<Static<typeof ActorAlias>> }>

/** Every seeded actor, by name in code-point order (so "Cártel…" comes after "Claudia…"). */
const byName = [
  'claudia-sheinbaum-pardo', 'cjng', 'sinaloa-cartel', 'david-saucedo', 'donald-trump', 'government-of-mexico',
  'government-of-the-united-states', 'joaquin-guzman', 'omar-garcia-harfuch', 'ovidio-guzman', 'pam-bondi',
  'us-department-of-justice', 'unnamed-experts'
]

t.test('GET /v1/actors lists every actor by name, as { data, next_cursor }', async (t) => {
  const { app } = await buildTestApp(t)
  const body = await getOnePage<Actor>(t, app, '/v1/actors')
  t.same(body.data.map((a) => a.id), byName)
  const names = body.data.map((a) => a.name)
  t.same(names, [...names].sort(), 'names in code-point order')
  t.notOk(body.data.some((a) => 'citations' in a), 'no citations unless included')

  const page = await get<Page<Actor>>(app, '/v1/actors?limit=5')
  t.same(page.body.data.map((a) => a.id), byName.slice(0, 5))
  t.type(page.body.next_cursor, 'string')
  t.match(page.res.headers.link, /rel="first", <[^>]+cursor=[^>]+>; rel="next"$/)
})

t.test('GET /v1/actors/omar-garcia-harfuch returns the whole seeded record', async (t) => {
  const { app } = await buildTestApp(t)
  const record = await getRecord<Actor>(t, app, '/v1/actors/omar-garcia-harfuch')
  t.same(record, {
    id: 'omar-garcia-harfuch',
    kind: 'person',
    name: 'Omar García Harfuch',
    country: 'MX',
    description: 'Mexico\'s Security Minister; announced the transfer of 26 cartel leaders to the United States at a news conference on 13 August 2025.',
    aliases: [{ alias: 'García Harfuch', kind: 'short_name', language: null }],
    roles: [{
      id: 'omar-garcia-harfuch--security-minister',
      title: 'Security Minister',
      organization_id: 'government-of-mexico',
      country: 'MX',
      from: null,
      from_precision: null,
      from_approximate: false,
      from_earliest: null,
      from_latest: null,
      to: null,
      to_precision: null,
      to_approximate: false,
      to_earliest: null,
      to_latest: null,
      as_of: '2025-08-13'
    }],
    relations: [],
    identifiers: [],
    external_fields: [],
    alternatives: [],
    disputed_fields: []
  })
})

t.test('an organisation has its Spanish and English names; relations link actors both ways', async (t) => {
  const { app } = await buildTestApp(t)
  const cjng = await get<Actor>(app, '/v1/actors/cjng')
  t.match(cjng.body, { kind: 'criminal_group', name: 'Cártel de Jalisco Nueva Generación', country: 'MX' })
  t.same(cjng.body.aliases, [
    { alias: 'Jalisco New Generation Cartel', kind: 'english_name', language: 'en' },
    { alias: 'Jalisco New Generation', kind: 'short_name', language: 'en' },
    { alias: 'CJNG', kind: 'acronym', language: null }
  ])
  const ovidio = await get<Actor>(app, '/v1/actors/ovidio-guzman')
  t.same(ovidio.body.relations, [{ id: 'ovidio-guzman--child-of--joaquin-guzman', relation: 'child_of', related_actor_id: 'joaquin-guzman' }])
  const joaquin = await get<Actor>(app, '/v1/actors/joaquin-guzman')
  t.same(joaquin.body.relations, [{ id: 'joaquin-guzman--parent-of--ovidio-guzman', relation: 'parent_of', related_actor_id: 'ovidio-guzman' }])
  t.same(joaquin.body.aliases.map((a) => a.alias), ['El Chapo'])
})

t.test('name matches the name or any alias, ignoring case and diacritics', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/actors?name=garcia%20harfuch'), ['omar-garcia-harfuch'], 'no diacritics needed')
  t.same(await idsOf(t, app, '/v1/actors?name=GARC%C3%8DA'), ['omar-garcia-harfuch'], 'upper case, with diacritics')
  t.same(await idsOf(t, app, '/v1/actors?name=el+chapo'), ['joaquin-guzman'], 'through an alias')
  t.same(await idsOf(t, app, '/v1/actors?name=CJNG'), ['cjng'], 'through an acronym')
  t.same(await idsOf(t, app, '/v1/actors?name=jalisco%20new%20generation'), ['cjng'], 'through the English name')
  t.same(await idsOf(t, app, '/v1/actors?name=guzman'), ['joaquin-guzman', 'ovidio-guzman'])
  t.same(await idsOf(t, app, '/v1/actors?name=justice%20department'), ['us-department-of-justice'])
  t.same(await idsOf(t, app, '/v1/actors?name=zambada'), [])
  t.same(await idsOf(t, app, '/v1/actors?name=%25'), [], '% is a plain character, not a wildcard')
})

t.test('kind, country and organization filter actors', async (t) => {
  const { app } = await buildTestApp(t)
  t.same(await idsOf(t, app, '/v1/actors?kind=criminal_group'), ['cjng', 'sinaloa-cartel'])
  t.same(await idsOf(t, app, '/v1/actors?kind=government_body'), ['us-department-of-justice'])
  t.same(await idsOf(t, app, '/v1/actors?kind=organization'), [])
  t.same(await idsOf(t, app, '/v1/actors?country=US'), ['donald-trump', 'government-of-the-united-states', 'pam-bondi', 'us-department-of-justice'])
  t.same(await idsOf(t, app, '/v1/actors?country=CA'), [])
  t.same(await idsOf(t, app, '/v1/actors?kind=person&country=MX'),
    ['claudia-sheinbaum-pardo', 'david-saucedo', 'joaquin-guzman', 'omar-garcia-harfuch', 'ovidio-guzman'])
  t.same(await idsOf(t, app, '/v1/actors?organization=government-of-mexico'), ['claudia-sheinbaum-pardo', 'omar-garcia-harfuch'])
  t.same(await idsOf(t, app, '/v1/actors?organization=us-department-of-justice'), ['pam-bondi'])
  t.same(await idsOf(t, app, '/v1/actors?organization=cjng'), [])
})

t.test('sort orders by name or id, ascending or descending', async (t) => {
  const { app } = await buildTestApp(t)
  const byId = [...byName].sort()
  t.same(await idsOf(t, app, '/v1/actors?sort=name'), byName)
  t.same(await idsOf(t, app, '/v1/actors?sort=-name'), [...byName].reverse())
  t.same(await idsOf(t, app, '/v1/actors?sort=id'), byId)
  t.same(await idsOf(t, app, '/v1/actors?sort=-id'), [...byId].reverse())

  await assertQueryProblem(t, app, '/v1/actors?sort=country', 'invalid_parameter', { name: 'sort', detail: /country/ })
})

t.test('include=citations embeds the evidence, each excerpt an exact slice of its source', async (t) => {
  const { app } = await buildTestApp(t)
  const { res, body } = await get<Actor>(app, '/v1/actors/omar-garcia-harfuch?include=citations')
  t.equal(res.statusCode, 200)
  t.match(body.citations, [
    { source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'according to Security Minister Omar García Harfuch', start_offset: Number, end_offset: Number, fields: ['name', 'roles.omar-garcia-harfuch--security-minister'], support: 'stated' },
    { source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'García Harfuch said during a news conference', start_offset: Number, end_offset: Number, fields: ['aliases'], support: 'stated' },
    { source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'Mexican officials announced Wednesday', start_offset: Number, end_offset: Number, fields: ['description'], support: 'resolved', note: /Wednesday/ }
  ])
  t.equal(body.citations!.length, 3)
  await assertCitationsQuoteTheirSources(t, app, body.citations!)

  const list = await get<Page<Actor>>(app, '/v1/actors?include=citations')
  for (const actor of list.body.data) t.ok(actor.citations!.length > 0, `${actor.id} has evidence`)
  await assertCitationsQuoteTheirSources(t, app, list.body.data.flatMap((a) => a.citations!))

  await assertQueryProblem(t, app, '/v1/actors?include=speaker', 'invalid_parameter', { name: 'include', detail: /speaker/ })
})

t.test('fields= returns only the named fields, plus the id', async (t) => {
  const { app } = await buildTestApp(t)
  const list = await get<Page<Actor>>(app, '/v1/actors?fields=name&kind=criminal_group')
  t.equal(list.res.statusCode, 200)
  t.same(list.body, {
    data: [
      { id: 'cjng', name: 'Cártel de Jalisco Nueva Generación' },
      { id: 'sinaloa-cartel', name: 'Cártel de Sinaloa' }
    ],
    next_cursor: null
  })
  const one = await get<Actor>(app, '/v1/actors/joaquin-guzman?fields=aliases,country')
  t.same(one.body, { id: 'joaquin-guzman', aliases: [{ alias: 'El Chapo', kind: 'nickname', language: 'es' }], country: 'MX' })

  await assertQueryProblem(t, app, '/v1/actors?fields=name,age', 'invalid_parameter', { name: 'fields', detail: /age/ })
})

t.test('invalid filter values are 400 problems naming the parameter', async (t) => {
  const { app } = await buildTestApp(t)
  for (const [query, name] of [
    ['kind=cartel', 'kind'],
    ['country=mx', 'country'],
    ['country=MEX', 'country'],
    ['name=', 'name'],
    [`name=${'a'.repeat(201)}`, 'name'],
    ['organization=', 'organization'],
    ['limit=x', 'limit']
  ] as const) {
    await assertQueryProblem(t, app, `/v1/actors?${query}`, 'invalid_parameter', { name }, `${query.slice(0, 20)} names ${name}`)
  }
  await assertQueryProblem(t, app, '/v1/actors?alias=CJNG', 'unknown_parameter', { name: 'alias' })
})
