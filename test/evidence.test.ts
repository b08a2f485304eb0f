import { readdirSync, readFileSync } from 'node:fs'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { projectRoot } from '../src/paths.js'
import type { CitationDto } from '../src/schemas/common.js'
import { assertProblem, buildTestApp, changeFeed, createRecord, get, idsOf, mergePatch, parseCsv, patchRecord, post, readFeed, revisionsOf, SOURCE, writer, type App, type Body, type Change, type Page } from './helpers.js'

// --- Fixtures ------------------------------------------------------------------------------------

/** A citation of the seeded source. */
const cite = (excerpt: string, more: Body = {}) => ({ source_id: SOURCE, excerpt, ...more })

type Supported = CitationDto & { support: string }
type Cited = Body & { id: string, citations: Supported[], external_fields: string[] }

/** A new transfer (the 55 people transferred in 2025) with the citations given. */
const transfer = (id: string, citations: object[], more: Body = {}) => ({
  id,
  date: '2025',
  from_country: 'MX',
  to_country: 'US',
  mechanism: 'unspecified',
  people_count: 55,
  summary: 'The 55 people Mexico transferred to the United States in 2025, counted together.',
  participants: [{ actor_id: 'government-of-mexico', role: 'sent' }, { actor_id: 'government-of-the-united-states', role: 'received' }],
  citations,
  ...more
})

/** A new quote of Sheinbaum's one verbatim word. */
const quote = (id: string, more: Body = {}) => ({
  id,
  speaker_id: 'claudia-sheinbaum-pardo',
  text: 'sovereign',
  kind: 'direct',
  language: 'en',
  citations: [cite('the decision was a “sovereign” one', { fields: ['text'] })],
  ...more
})

/** The `errors[].name` of a problem, in order. */
const names = (problem: { errors?: Array<{ name: string }> }) => (problem.errors ?? []).map((e) => e.name)

/** The change feed's entries of one record, oldest first, with their comments. */
async function changesOf (t: Test, app: App, type: string, id: string) {
  return (await readFeed(t, app, { limit: 500 })).changes.filter((c) => c.type === type && c.id === id) as Array<Change & { comment: string | null }>
}

/** The comments of a record's revisions, oldest first. */
async function commentsOf (app: App, url: string) {
  return (await revisionsOf(app, url)).map((r) => (r as typeof r & { comment: unknown }).comment)
}

// --- The seed, read from its files ---------------------------------------------------------------

interface SeedCitation { source_id: string, excerpt: string, fields: string[], support?: string, note?: string | null }
type SeedRecord = Body & { id: string, citations: SeedCitation[] }

const seedDir = join(projectRoot, 'seeds')
const readJson = <T>(file: string) => JSON.parse(readFileSync(join(seedDir, file), 'utf8')) as T
/** Every seed file of cited records, by the path of its kind (`tariff-deadlines.json` → `tariff-deadlines`). */
const seeded = new Map(readdirSync(seedDir).filter((f) => f.endsWith('.json') && f !== 'sources.json')
  .map((f) => [f.replace(/\.json$/, ''), readJson<SeedRecord[]>(f).filter((r) => Array.isArray(r.citations))]))
const seedSource = readJson<Array<{ id: string, published_on: string, capture_file: string }>>('sources.json').find((s) => s.id === SOURCE)!
const sourceText = readFileSync(join(seedDir, seedSource.capture_file), 'utf8')
const published = seedSource.published_on
const seededQuotes = seeded.get('quotes')!
const seededActors = new Map(seeded.get('actors')!.map((a) => [a.id, a]))

/** Every seeded citation with its record and the path of the record's kind. */
const seededCitations = [...seeded].flatMap(([path, records]) => records.flatMap((record) =>
  record.citations.map((c, i) => ({ record, c, at: `${path}/${record.id} citation ${i} ("${c.excerpt}")` }))))

const dateField = /^(date|.+_date|announced_on|window_start|deadline|as_of|from|to)$/
const numberFields: Record<string, string> = { people_count: 'people_count_approximate', rate_percent: '', window_days: '' }
const hedge = /\b(nearly|about|around|approximately|roughly|some|almost|more than|over|up to|dozens?)\b/i
const numberWords: Record<number, string[]> = { 1: ['one'], 2: ['two'], 3: ['three'], 10: ['ten'], 12: ['twelve', 'a dozen'], 100: ['a hundred'], 1000: ['a thousand'] }
const weekdays = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday']
const months = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December']
const relative = new RegExp(`\\b(${weekdays.join('|')}|yesterday|today|tomorrow|ago|(last|next|this) (week|month|year)|earlier this|later this|in (${months.join('|')}))\\b`, 'i')

/** An ISO date as a day number. */
const dayOf = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000
const isoOf = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10)

/** Whether an excerpt states the number n: in digits (`1,000`, `30%`, `90-day`) or in words (`a dozen`). */
function statesNumber (excerpt: string, n: number): boolean {
  const forms = [String(n), n.toLocaleString('en-US')].map((f) => f.replaceAll(',', '\\,'))
  if (new RegExp(`(?<![\\d.,])(${forms.join('|')})(?![\\d]|[.,]\\d)`).test(excerpt)) return true
  return (numberWords[n] ?? []).some((w) => new RegExp(`\\b${w}\\b`, 'i').test(excerpt))
}

/** The sentence of the source that holds `text` (sentences end at . ! ? with an optional closing quote, not at "U.S."). */
function sentenceOf (text: string): string | undefined {
  const at = sourceText.indexOf(text)
  if (at < 0) return undefined
  const ends = [...sourceText.matchAll(/(?<!\bU\.S|\bU)[.!?][”"]?(?=\s|$)|\n/g)].map((m) => m.index + m[0].length)
  const start = ends.filter((e) => e <= at).at(-1) ?? 0
  const end = ends.find((e) => e >= at + text.length) ?? sourceText.length
  return sourceText.slice(start, end).trim()
}

/**
 * Whether the equation of a `computed` note balances: the last number or date of each term
 * left of `=`, and the first of each term right of it, summed, dates as day numbers
 * ("about 2025-07-30 + 90 days = about 2025-10-28", "55 … = 29 … + the 26 …"). Returns the
 * tokens it read, or undefined when the two sides differ.
 */
function balance (note: string): string[] | undefined {
  const sides = note.split('=')
  if (sides.length !== 2) return undefined
  const token = /\d{4}-\d{2}-\d{2}|\d[\d,]*/g
  const read = (side: string, pick: 'first' | 'last') => side.split('+').map((term) => {
    const found = term.match(token) ?? []
    return (pick === 'first' ? found[0] : found.at(-1))?.replace(/,$/, '')
  })
  const left = read(sides[0]!, 'last')
  const right = read(sides[1]!, 'first')
  if ([...left, ...right].some((x) => x === undefined)) return undefined
  const sum = (xs: Array<string | undefined>) => xs.reduce((s, x) => s + (/-/.test(x!) ? dayOf(x!) : Number(x!.replaceAll(',', ''))), 0)
  return sum(left) === sum(right) ? [...left, ...right] as string[] : undefined
}

/** The value a citation field names: a top-level field, or a child row (`roles.<id>`, `resources.<id>`). */
function valueOf (record: SeedRecord, field: string): unknown {
  const [head, ...rest] = field.split('.')
  if (rest.length === 0) return record[field]
  const rows = record[head!] as Array<Record<string, unknown>> | undefined
  const key = rest.join('.')
  return rows?.find((r) => r.id === key || r.alias === key || `${String(r.actor_id)}.${String(r.role)}` === key)
}

/** The fields of a seeded record that only `external` citations name: what `external_fields` must say. */
function externalOf (record: SeedRecord): string[] {
  const named = (external: boolean) => new Set(record.citations.filter((c) => (c.support === 'external') === external).flatMap((c) => c.fields))
  const other = named(false)
  return [...named(true)].filter((f) => !other.has(f)).sort()
}

/**
 * What a citation claims beyond what its excerpt gives, by its support: a stated date, number or
 * quote must be in the excerpt; a resolved one needs a relative expression it resolves correctly
 * against the publication date; a computed one an equation that balances or the facts it names.
 */
function supportProblems (record: SeedRecord, c: SeedCitation, at: string): string[] {
  const problems: string[] = []
  const support = c.support
  if (support === undefined) return [`${at}: no explicit support`]
  if (support !== 'stated' && (c.note ?? '').trim() === '') problems.push(`${at}: ${support} without a note`)

  if (support === 'stated') {
    for (const field of c.fields) {
      const value = valueOf(record, field)
      if (dateField.test(field) && value !== null) {
        if (!c.excerpt.includes(String(value))) problems.push(`${at}: states ${field} ${String(value)}, which it does not contain`)
      }
      if (field.startsWith('roles.')) {
        for (const bound of ['from', 'to'] as const) {
          const date = (value as Record<string, unknown> | undefined)?.[bound]
          if (date != null && !c.excerpt.includes(String(date))) problems.push(`${at}: states ${field}'s ${bound} ${String(date)}, which it does not contain`)
        }
      }
      const numbers: Array<[string, number, boolean | undefined]> = []
      if (field in numberFields && typeof value === 'number') {
        const flag = numberFields[field] === '' ? undefined : record[numberFields[field]!] as boolean
        numbers.push([field, value, flag])
      }
      if (field.startsWith('resources.')) {
        const row = value as { quantity: number | null, approximate: boolean } | undefined
        if (row === undefined) problems.push(`${at}: no resource ${field}`)
        else if (row.quantity !== null) numbers.push([`${field} quantity`, row.quantity, row.approximate])
      }
      for (const [what, n, approximate] of numbers) {
        if (!statesNumber(c.excerpt, n)) problems.push(`${at}: states ${what} ${n}, which it does not contain`)
        if (approximate !== undefined && approximate !== hedge.test(c.excerpt)) problems.push(`${at}: ${what} approximate is ${approximate}, but the excerpt ${approximate ? 'does not hedge' : 'hedges'}`)
      }
      if (field === 'text' && record.text !== undefined) {
        const text = String(record.text)
        const sentence = sentenceOf(text)
        if (!c.excerpt.includes(text) && !(sentence?.includes(c.excerpt) ?? false)) problems.push(`${at}: the quote's text is neither in the excerpt nor is the excerpt in its sentence`)
        if (sentence === undefined) problems.push(`${at}: the quote's text is not in the source`)
      }
    }
  }

  if (support === 'resolved') {
    const expression = relative.exec(c.excerpt)?.[0]
    if (expression === undefined) problems.push(`${at}: resolved, but the excerpt has no relative expression`)
    if (!(c.note ?? '').includes(published)) problems.push(`${at}: resolved, but its note does not name the publication date ${published}`)
    for (const field of c.fields.filter((f) => dateField.test(f))) {
      const value = String(valueOf(record, field))
      const day = /^\d{4}-\d{2}-\d{2}$/.test(value) ? dayOf(value) : undefined
      const weekday = weekdays.find((w) => expression === w)
      const month = months.findIndex((m) => expression?.toLowerCase() === `in ${m.toLowerCase()}`)
      const weeksAgo = /(\w+) weeks? ago/i.exec(c.excerpt)
      const ok = weekday !== undefined
        ? day !== undefined && weekdays[new Date(day * 86_400_000).getUTCDay()] === weekday && day <= dayOf(published) && day > dayOf(published) - 7
        : month >= 0
          ? value === `${published.slice(0, 4)}-${String(month + 1).padStart(2, '0')}`
          : weeksAgo !== null
            ? value === isoOf(dayOf(published) - 7 * ({ one: 1, two: 2, three: 3, a: 1 }[weeksAgo[1]!.toLowerCase()] ?? Number(weeksAgo[1])))
            : true
      if (!ok) problems.push(`${at}: ${field} ${value} is not what "${expression ?? ''}" resolves to against ${published}`)
    }
  }

  if (support === 'computed') {
    const note = c.note ?? ''
    if (note.includes('=')) {
      const tokens = balance(note)
      if (tokens === undefined) problems.push(`${at}: the equation of its note does not balance: ${note}`)
      for (const field of c.fields) {
        const value = valueOf(record, field)
        if (tokens !== undefined && (typeof value === 'number' || typeof value === 'string') && !tokens.includes(String(value))) problems.push(`${at}: ${field} ${String(value)} is not in the equation of its note`)
      }
    } else {
      const facts = c.fields.flatMap((f) => [valueOf(record, f)].flat()).map(String)
      if (facts.length === 0 || facts.some((f) => !note.includes(f))) problems.push(`${at}: computed, but the note neither has "=" nor names the facts (${facts.join(', ')})`)
    }
  }
  return problems
}

// --- support -------------------------------------------------------------------------------------

t.test('every citation says how it supports its fields: stated (the default), resolved, computed, inferred or external', async (t) => {
  const { app, authorization } = await writer(t)
  const citations: Array<{ source_id: string, excerpt: string, fields?: string[], support?: string, note?: string }> = [
    cite('the 55 individuals transferred this year', { fields: ['people_count'] }),
    cite('the 55 individuals transferred this year', { fields: ['summary'], support: 'stated' }),
    cite('the 55 individuals transferred this year', { fields: ['date'], support: 'resolved', note: `"this year" resolved against the publication date ${published}: 2025.` }),
    cite('following a similar transfer of 29 cartel leaders in February', { fields: ['people_count'], support: 'computed', note: '55 = 29 in February + 26 in August.' }),
    cite('Mexico has extradited 26 high-profile cartel leaders to the United States', { fields: ['from_country', 'to_country'], support: 'inferred', note: 'Both transfers went the same way.' }),
    cite('Mexican officials announced Wednesday', { fields: ['mechanism'], support: 'external', note: 'U.S. Justice Department press release of 2025-08-12.' })
  ]
  const expected = citations.map((c) => ({ excerpt: c.excerpt, fields: c.fields, support: c.support ?? 'stated', note: c.note ?? null }))
  const created = await post(app, authorization, '/v1/transfers', transfer('transfers-2025-all', citations))
  t.equal(created.statusCode, 201, 'a record citing with each support value is created')
  t.match(created.json<Cited>().citations, expected, 'the POST answers each citation with its support; a citation without one is stated')
  t.equal(created.json<Cited>().citations.length, citations.length)

  const read = await get<Cited>(app, '/v1/transfers/transfers-2025-all?include=citations')
  t.equal(read.res.statusCode, 200)
  t.match(read.body.citations, expected, 'include=citations shows each support')
  t.equal(read.body.citations.length, citations.length)
  t.notOk('citations' in (await get<Body>(app, '/v1/transfers/transfers-2025-all')).body, 'without include=citations there are none')
  const [change] = await changesOf(t, app, 'transfer', 'transfers-2025-all')
  t.match((change!.data as unknown as Cited).citations, expected, 'and so does the change feed\'s data')
  t.match((await revisionsOf(app, '/v1/transfers/transfers-2025-all'))[0]!.record.citations, expected, 'and the revision')
  t.same(read.body.external_fields, ['mechanism'], 'the field cited only as external is flagged')

  const feed = await changeFeed(app)
  for (const support of ['resolved', 'computed', 'inferred', 'external']) {
    for (const note of [undefined, null, '', '   ']) {
      const c = cite('Mexican officials announced Wednesday', { fields: ['date'], support, ...(note === undefined ? {} : { note }) })
      const res = await post(app, authorization, '/v1/transfers', transfer(`no-note-${support}`, [c]))
      const problem = assertProblem(t, res, 422, 'unprocessable')
      t.same(names(problem), ['/citations/0/note'], `${support} with note ${JSON.stringify(note)}: a 422 naming /citations/0/note only`)
      t.match(problem.errors![0]!.detail, new RegExp(`"${support}"`), 'saying which support needs it')
    }
  }
  const second = await post(app, authorization, '/v1/transfers', transfer('no-note-second', [citations[0]!, cite('90 vehicles', { support: 'inferred' })]))
  t.same(names(assertProblem(t, second, 422, 'unprocessable')), ['/citations/1/note'], 'the index is the citation\'s')
  const patched = await mergePatch(app, authorization, '/v1/transfers/transfers-2025-all', { citations: [cite('90 vehicles', { support: 'computed' })] })
  t.same(names(assertProblem(t, patched, 422, 'unprocessable')), ['/citations/0/note'], 'a PATCH is checked the same way')

  const bogus = await post(app, authorization, '/v1/transfers', transfer('bogus-support', [cite('90 vehicles', { support: 'hearsay', note: 'x' })]))
  const invalid = assertProblem(t, bogus, 400, 'invalid_body')
  t.same(names(invalid), ['/citations/0/support'], 'an unknown support value is a 400 of the schema, naming /citations/0/support')
  t.match(invalid.errors![0]!.detail, /stated, resolved, computed, inferred, external/, 'listing the values it takes')
  t.equal((await post(app, authorization, '/v1/transfers', transfer('null-support', [cite('90 vehicles', { support: null })]))).statusCode, 400, 'null is not a support value either')
  t.equal(await changeFeed(app), feed, 'none of the refused writes wrote anything')
  t.equal((await get(app, '/v1/transfers/no-note-resolved')).res.statusCode, 404)
})

// --- fields --------------------------------------------------------------------------------------

t.test('a citation names fields of its record or child rows it has; anything else is a 422 and writes nothing', async (t) => {
  const { app, authorization } = await writer(t)
  const actor = (id: string, fields: string[][], more: Body = {}) => ({
    id,
    kind: 'government_body',
    name: 'Secretaría de Seguridad y Protección Ciudadana',
    country: 'MX',
    aliases: [{ alias: 'Security Ministry', kind: 'english_name', language: 'en' }],
    roles: [{ id: `${id}--head`, title: 'Security Minister', organization_id: 'government-of-mexico', country: 'MX', as_of: published }],
    relations: [{ id: `${id}--part-of--government-of-mexico`, relation: 'part_of', related_actor_id: 'government-of-mexico' }],
    citations: fields.map((f) => cite('according to Security Minister Omar García Harfuch', { fields: f })),
    ...more
  })
  const feed = await changeFeed(app)
  const bad = await post(app, authorization, '/v1/actors', actor('sspc', [['bogus_field', 'roles.nonexistent']]))
  const problem = assertProblem(t, bad, 422, 'unprocessable')
  t.same(names(problem), ['/citations/0/fields/0', '/citations/0/fields/1'], 'both names are refused, each by its pointer')
  t.match(problem.errors, [{ in: 'body', detail: /"bogus_field"/ }, { in: 'body', detail: /"roles\.nonexistent"/ }], 'each detail quotes the name')
  t.match(problem.errors![0]!.detail, /"name"/, 'and lists what the actor has')
  t.equal((await get(app, '/v1/actors/sspc')).res.statusCode, 404, 'the actor was not created')
  t.equal(await changeFeed(app), feed, 'the change feed has no new entry')

  const more = await post(app, authorization, '/v1/actors', actor('sspc', [['name'], ['id', 'citations', 'people_count', 'aliases.SSPC', 'relations.sspc--head', 'external_fields']]))
  t.same(names(assertProblem(t, more, 422, 'unprocessable')), [0, 1, 2, 3, 4, 5].map((j) => `/citations/1/fields/${j}`),
    'id, citations, another kind\'s field, a missing alias, a role id given as a relation and a field the server derives are refused too')
  t.equal(await changeFeed(app), feed, 'still nothing written')

  const parts = ['name', 'aliases', 'roles.sspc--head', 'aliases.Security Ministry', 'relations.sspc--part-of--government-of-mexico']
  const created = await createRecord<Cited>(app, authorization, '/v1/actors', actor('sspc', [parts]))
  t.same((await get<Cited>(app, '/v1/actors/sspc?include=citations')).body.citations[0]!.fields, parts, 'top-level fields and the body\'s own roles, aliases and relations are accepted and kept')
  t.equal(created.id, 'sspc')

  const participants = [
    'participants.government-of-mexico.sent',
    'participants.government-of-the-united-states.received',
    'resources.transfers-2025-all--vehicles',
    'people_count'
  ]
  const resources = [{ id: 'transfers-2025-all--vehicles', kind: 'vehicles', quantity: 90, approximate: false, description: '90 vehicles' }]
  t.equal((await post(app, authorization, '/v1/transfers', transfer('transfers-2025-all', [cite('90 vehicles', { fields: participants })], { resources }))).statusCode, 201,
    'a transfer\'s participants.<actor>.<role> and resources.<id> are accepted')
  const wrongRole = await post(app, authorization, '/v1/transfers', transfer('transfers-2025-wrong', [cite('90 vehicles', { fields: ['participants.government-of-mexico.received', 'participants.cjng.sent', 'roles.x'] })]))
  t.same(names(assertProblem(t, wrongRole, 422, 'unprocessable')), ['/citations/0/fields/0', '/citations/0/fields/1', '/citations/0/fields/2'],
    'a participant in a role it does not have, an actor that is not a participant, and an actor\'s child row are refused')

  const before = await get<Cited>(app, '/v1/actors/omar-garcia-harfuch?include=citations')
  const role = 'roles.omar-garcia-harfuch--security-minister'
  const cited = before.body.citations.findIndex((c) => c.fields.includes(role))
  t.ok(cited >= 0, 'the seeded minister cites his role')
  const j = before.body.citations[cited]!.fields.indexOf(role)
  const dropRole = await mergePatch(app, authorization, '/v1/actors/omar-garcia-harfuch', { roles: [] })
  t.same(names(assertProblem(t, dropRole, 422, 'unprocessable')), [`/citations/${cited}/fields/${j}`], 'a PATCH removing a role its citations still name is a 422 naming that field')
  const after = await get<Cited>(app, '/v1/actors/omar-garcia-harfuch?include=citations')
  t.equal(after.res.headers.etag, before.res.headers.etag, 'the actor is unchanged')
  t.same(after.body, before.body)
  const ownRole = await mergePatch(app, authorization, '/v1/actors/sspc', { roles: [] })
  t.same(names(assertProblem(t, ownRole, 422, 'unprocessable')), ['/citations/0/fields/2'], 'so is one of a created actor')
  const both = await patchRecord(app, authorization, '/v1/actors/sspc', { roles: [], citations: [cite('according to Security Minister Omar García Harfuch', { fields: ['name'] })] })
  t.same(both.json<Cited>().roles, [], 'removing the role with the citation that names it goes through')
})

// --- external_fields -----------------------------------------------------------------------------

t.test('external_fields flags the fields only external citations support, in JSON, CSV and NDJSON', async (t) => {
  const { app, authorization } = await writer(t)
  const seededTransfer = (await get<Cited>(app, '/v1/transfers/transfer-2025-08-12')).body
  t.same(seededTransfer.external_fields, ['date'], 'the seeded transfer of 12 August: its date is known only from outside the stored source')
  t.same((await get<Cited>(app, '/v1/actors/cjng')).body.external_fields, ['aliases.CJNG'], 'the CJNG acronym too')
  t.same((await get<Cited>(app, '/v1/transfers/transfer-2025-02')).body.external_fields, [], 'nothing of the February transfer')

  for (const path of ['actors', 'transfers', 'quotes', 'tariff-deadlines', 'cooperation-measures']) {
    const { res, body } = await get<Page<Cited>>(app, `/v1/${path}?limit=500`)
    t.equal(res.statusCode, 200)
    const listed = new Map(body.data.map((r) => [r.id, r.external_fields]))
    const records = seeded.get(path)!
    t.equal(listed.size, records.length, `every seeded record of ${path} is listed`)
    for (const record of records) t.same(listed.get(record.id), externalOf(record), `${path}/${record.id}: external_fields are the fields only its external citations name`)
  }

  const created = await createRecord<Cited>(app, authorization, '/v1/transfers', transfer('transfers-2025-all', [
    cite('the 55 individuals transferred this year', { fields: ['people_count', 'date'], support: 'resolved', note: `"this year" against ${published}` }),
    cite('Mexican officials announced Wednesday', { fields: ['date', 'mechanism', 'participants.government-of-mexico.sent'], support: 'external', note: 'Justice Department, 2025-08-12.' })
  ]))
  t.same(created.external_fields, ['mechanism', 'participants.government-of-mexico.sent'], 'a field cited both external and otherwise is not flagged; child rows are')
  const stated = await patchRecord(app, authorization, '/v1/transfers/transfers-2025-all', {
    citations: [
      cite('Mexican officials announced Wednesday', { fields: ['date', 'mechanism'], support: 'external', note: 'Justice Department, 2025-08-12.' }),
      cite('Mexico has extradited 26 high-profile cartel leaders', { fields: ['date', 'mechanism'], support: 'stated' })
    ]
  })
  t.same(stated.json<Cited>().external_fields, [], 'cited both external and stated: not flagged')
  t.same((await get<Cited>(app, '/v1/transfers/transfers-2025-all')).body.external_fields, [], 'GET agrees')

  const csv = await app.inject({ url: '/v1/transfers.csv' })
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /^text\/csv/)
  const [header, ...rows] = parseCsv(csv.body)
  const column = header!.indexOf('external_fields')
  t.ok(column >= 0, 'the CSV header has external_fields')
  t.equal(rows.length, seeded.get('transfers')!.length + 1, 'one row a transfer')
  const row = rows.find((r) => r[0] === 'transfer-2025-08-12')!
  t.equal(row.length, header!.length, 'the row has every column')
  t.same(JSON.parse(row[column]!), ['date'], 'the seeded transfer\'s row has ["date"] in it')
  t.same(JSON.parse(rows.find((r) => r[0] === 'transfer-2025-02')![column]!), [], 'and the February one []')
  const ndjson = await app.inject({ url: '/v1/transfers.ndjson' })
  t.equal(ndjson.statusCode, 200)
  const lines = ndjson.body.trimEnd().split('\n').map((l) => JSON.parse(l) as Cited)
  t.same(lines.find((l) => l.id === 'transfer-2025-08-12')!.external_fields, ['date'], 'so does its NDJSON line')
})

// --- the seed, citation by citation --------------------------------------------------------------

t.test('every seeded citation\'s support matches what its excerpt says', async (t) => {
  t.equal(published, '2025-08-13', 'the founding source was published on 13 August 2025')
  t.ok(seededCitations.length > 50, `${seededCitations.length} seeded citations`)
  t.notMatch(sourceText, /\d{4}-\d{2}(-\d{2})?/, 'the article has no ISO dates: a date field can never be stated by it')
  t.same(seededCitations.filter(({ c }) => !sourceText.includes(c.excerpt)).map(({ at }) => at), [], 'every excerpt is in the source')

  const problems = seededCitations.flatMap(({ record, c, at }) => supportProblems(record, c, at))
  const counts = new Map<string, number>()
  for (const { c } of seededCitations) counts.set(String(c.support), (counts.get(String(c.support)) ?? 0) + 1)
  t.same(problems, [], 'no seeded citation claims more support than its excerpt gives')
  t.ok(['stated', 'resolved', 'computed', 'inferred', 'external'].every((s) => (counts.get(s) ?? 0) > 0), `the seed uses every support value: ${JSON.stringify(Object.fromEntries(counts))}`)

  const mexicans = seededQuotes.filter((q) => q.rendered_from === 'es')
  for (const q of mexicans) {
    t.equal(seededActors.get(String(q.speaker_id))?.country, 'MX', `${q.id}: rendered from Spanish, said by a Mexican`)
    t.same(q.citations.filter((c) => c.fields.includes('rendered_from')).map((c) => c.support), ['inferred'], `${q.id}: rendered_from rests on one inferred citation`)
  }
  t.same(seededQuotes.filter((q) => q.rendered_from !== 'es' && seededActors.get(String(q.speaker_id))?.country === 'MX').map((q) => q.id), [], 'every quote of a Mexican speaker is rendered from Spanish')

  const { app } = await buildTestApp(t)
  for (const [path, records] of seeded) {
    for (const record of records) {
      const { res, body } = await get<Cited>(app, `/v1/${path}/${record.id}?include=citations`)
      t.equal(res.statusCode, 200)
      t.same(body.citations.map((c) => [c.excerpt, c.fields, c.support, c.note]), record.citations.map((c) => [c.excerpt, c.fields, c.support, c.note ?? null]),
        `${path}/${record.id}: the API serves each seeded citation with its support and note`)
    }
  }
})

t.test('the seed checks catch a citation that claims more than its excerpt gives', async (t) => {
  /** The problems supportProblems finds in a seeded record after `change`. */
  const after = (path: string, id: string, change: (r: SeedRecord) => void) => {
    const record = structuredClone(seeded.get(path)!.find((r) => r.id === id)!)
    t.same(record.citations.flatMap((c, i) => supportProblems(record, c, `${id} citation ${i}`)), [], `${id} passes as seeded`)
    change(record)
    return record.citations.flatMap((c, i) => supportProblems(record, c, `${id} citation ${i}`))
  }
  const citation = (r: SeedRecord, field: string, support?: string) => r.citations.find((c) => c.fields.includes(field) && (support === undefined || c.support === support))!
  const cases: Array<[string, string, string, (r: SeedRecord) => void, RegExp]> = [
    ['a date stated by an excerpt without it', 'transfers', 'transfer-2025-08-12', (r) => { citation(r, 'date').support = 'stated' }, /states date 2025-08-12/],
    ['a wrong count', 'transfers', 'transfer-2025-08-12', (r) => { r.people_count = 27 }, /states people_count 27/],
    ['a hedged number recorded as exact', 'transfers', 'transfer-2025-08-12', (r) => { (r.resources as Body[])[0]!.approximate = false }, /officers quantity approximate is false/],
    ['"a dozen" as 13', 'transfers', 'transfer-2025-08-12', (r) => { (r.resources as Body[])[2]!.quantity = 13 }, /military-aircraft quantity 13/],
    ['a wrong rate', 'tariff-deadlines', 'us-tariffs-on-mexican-imports-2025', (r) => { r.rate_percent = 25 }, /states rate_percent 25/],
    ['a quote its excerpt does not give', 'quotes', 'saucedo-buying-time', (r) => { citation(r, 'text').excerpt = 'Mexican security analyst David Saucedo noted' }, /neither in the excerpt/],
    ['"in February" as March', 'transfers', 'transfer-2025-02', (r) => { r.date = '2025-03' }, /date 2025-03 is not what "in February" resolves to/],
    ['"Wednesday" as a Tuesday', 'transfers', 'transfer-2025-08-12', (r) => { r.announced_on = '2025-08-12' }, /announced_on 2025-08-12 is not what "Wednesday"/],
    ['"two weeks ago" as 13 days', 'tariff-deadlines', 'us-tariffs-on-mexican-imports-2025', (r) => { r.window_start = '2025-07-31' }, /window_start 2025-07-31/],
    ['a resolved note without the publication date', 'transfers', 'transfer-2025-02', (r) => { citation(r, 'date').note = '"in February": February.' }, /does not name the publication date/],
    ['a resolved excerpt without a relative expression', 'transfers', 'transfer-2025-02', (r) => { citation(r, 'date').excerpt = 'a similar transfer of 29 cartel leaders' }, /no relative expression/],
    ['an equation that does not balance', 'tariff-deadlines', 'us-tariffs-on-mexican-imports-2025', (r) => { citation(r, 'deadline').note = 'Window start (about 2025-07-30) + 90 days = about 2025-10-29.' }, /does not balance/],
    ['a computed value its equation does not give', 'tariff-deadlines', 'us-tariffs-on-mexican-imports-2025', (r) => { r.deadline = '2025-10-29' }, /deadline 2025-10-29 is not in the equation/],
    ['a computed note naming no facts', 'cooperation-measures', 'us-no-death-penalty-assurance-2025', (r) => { citation(r, 'transfer_ids').note = 'The two transfers of the year.' }, /neither has "=" nor names the facts/],
    ['an inferred citation without a note', 'transfers', 'transfer-2025-02', (r) => { citation(r, 'from_country').note = ' ' }, /inferred without a note/],
    ['a citation without an explicit support', 'actors', 'cjng', (r) => { delete r.citations[0]!.support }, /no explicit support/]
  ]
  for (const [what, path, id, change, expected] of cases) t.match(after(path, id, change).join('\n'), expected, `${what} is caught`)
  const sameSentence = after('quotes', 'saucedo-buying-time', (r) => { citation(r, 'text').excerpt = '” Saucedo said' })
  t.same(sameSentence, [], 'an excerpt from the quote\'s own sentence is enough')
})

// --- comments ------------------------------------------------------------------------------------

t.test('?comment= on a write is stored on its revision and shown in the history and the change feed', async (t) => {
  const { app, authorization } = await writer(t)
  const url = '/v1/quotes/sheinbaum-sovereign'
  const c1 = 'From the founding article — “sovereign”, café & co = 1?'
  const c2 = 'x'.repeat(1000)
  const c3 = 'Duplicate of sheinbaum-sovereign-decision'
  const created = await app.inject({ method: 'POST', url: `/v1/quotes?comment=${encodeURIComponent(c1)}`, headers: { authorization }, payload: quote('sheinbaum-sovereign') })
  t.equal(created.statusCode, 201, 'POST with a comment')
  t.notOk('comment' in created.json<Body>(), 'the comment belongs to the revision, not the record')
  t.equal((await app.inject({ method: 'PATCH', url: `${url}?comment=${c2}`, headers: { authorization }, payload: { context: 'A one-word quote.' } })).statusCode, 200, 'PATCH with a comment of 1000 characters')
  await patchRecord(app, authorization, url, { date: published })
  t.equal((await app.inject({ method: 'DELETE', url: `${url}?comment=${encodeURIComponent(c3)}`, headers: { authorization } })).statusCode, 204, 'DELETE with a comment')
  t.same(await commentsOf(app, url), [c1, c2, null, c3], 'each revision has its comment, null where none was given')
  t.same((await changesOf(t, app, 'quote', 'sheinbaum-sovereign')).map((c) => [c.action, c.comment]), [['create', c1], ['update', c2], ['update', null], ['delete', c3]], 'so has each change')
  t.same(await commentsOf(app, '/v1/transfers/transfer-2025-08-12'), [null], 'the seed has no comments')

  const ndjson = [quote('imported-1'), quote('imported-2')].map((data) => JSON.stringify({ type: 'quote', data })).join('\n') + '\n'
  const comment = 'Bulk load of 2 quotes'
  const imported = await app.inject({ method: 'POST', url: `/v1/import?comment=${encodeURIComponent(comment)}`, headers: { authorization, 'content-type': 'application/x-ndjson' }, payload: ndjson })
  t.equal(imported.statusCode, 201, 'an import with a comment')
  for (const id of ['imported-1', 'imported-2']) {
    t.same(await commentsOf(app, `/v1/quotes/${id}`), [comment], `${id}: the import's comment is on its revision`)
    t.same((await changesOf(t, app, 'quote', id)).map((c) => c.comment), [comment], 'and its change')
  }
  const plain = await app.inject({ method: 'POST', url: '/v1/import', headers: { authorization, 'content-type': 'application/x-ndjson' }, payload: JSON.stringify({ type: 'quote', data: quote('imported-3') }) })
  t.equal(plain.statusCode, 201)
  t.same(await commentsOf(app, '/v1/quotes/imported-3'), [null], 'an import without a comment: null')

  const feed = await changeFeed(app)
  const writes = [
    { method: 'POST' as const, url: '/v1/quotes', payload: quote('refused') },
    { method: 'PATCH' as const, url: '/v1/quotes/imported-1', payload: { context: 'refused' } },
    { method: 'DELETE' as const, url: '/v1/quotes/imported-1' },
    { method: 'POST' as const, url: '/v1/import', payload: JSON.stringify({ type: 'quote', data: quote('refused') }), headers: { 'content-type': 'application/x-ndjson' } }
  ]
  for (const w of writes) {
    const at = (query: string) => app.inject({ method: w.method, url: `${w.url}?${query}`, headers: { authorization, ...w.headers }, ...(w.payload === undefined ? {} : { payload: w.payload }) })
    const long = assertProblem(t, await at(`comment=${'y'.repeat(1001)}`), 400, 'invalid_parameter')
    t.match(long.errors, [{ in: 'query', name: 'comment', detail: /1000/ }], `${w.method} ${w.url}: a comment of 1001 characters is a 400 naming comment`)
    t.match(assertProblem(t, await at('comment='), 400, 'invalid_parameter').errors, [{ in: 'query', name: 'comment' }], 'an empty one too')
    t.match(assertProblem(t, await at('reason=typo'), 400, 'unknown_parameter').errors, [{ in: 'query', name: 'reason' }], 'any other parameter is a 400 naming it')
    t.match(assertProblem(t, await at('comment=ok&dry_run=1'), 400, 'unknown_parameter').errors, [{ in: 'query', name: 'dry_run' }], 'with a comment as well')
  }
  t.equal(await changeFeed(app), feed, 'no refused write wrote anything')
  t.equal((await get(app, '/v1/quotes/refused')).res.statusCode, 404, 'the refused quote is not there')
  t.equal((await get<Body>(app, '/v1/quotes/imported-1')).body.context, null, 'and imported-1 was neither patched nor deleted')
})

t.test('the change stream carries the comment', async (t) => {
  const { app } = await buildTestApp(t)
  await app.listen({ port: 0, host: '127.0.0.1' })
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  const last = (await readFeed(t, app, { limit: 500 })).changes.at(-1)!
  await createRecord(app, authorization, '/v1/quotes?comment=streamed', quote('streamed'))

  const controller = new AbortController()
  t.teardown(() => controller.abort())
  const timer = setTimeout(() => controller.abort(), 10_000)
  const res = await fetch(`${base}/v1/changes/stream`, { headers: { 'last-event-id': last.cursor }, signal: controller.signal })
  t.equal(res.status, 200)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let data: string | undefined
  while (data === undefined) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    data = /^data: (.*)$/m.exec(buffer.slice(0, buffer.lastIndexOf('\n\n') + 1))?.[1]
  }
  clearTimeout(timer)
  controller.abort()
  t.match(JSON.parse(data ?? 'null'), { type: 'quote', id: 'streamed', action: 'create', comment: 'streamed' }, 'the streamed change has its comment')
})

// --- quotes: rendered_from and original_text -----------------------------------------------------

t.test('quotes say which language a translated quote was said in, and may keep the original words', async (t) => {
  const { app, authorization } = await writer(t)
  const rendered = seededQuotes.filter((q) => q.rendered_from === 'es').map((q) => q.id).sort()
  t.equal(rendered.length, 6, 'six seeded quotes are rendered from Spanish')
  t.same((await idsOf(t, app, '/v1/quotes?rendered_from=es&limit=500')).sort(), rendered, '?rendered_from=es returns exactly them')
  t.same(await idsOf(t, app, '/v1/quotes?rendered_from=fr'), [], 'no quote is rendered from French')
  t.match(assertProblem(t, await app.inject({ url: '/v1/quotes?rendered_from=Spanish' }), 400, 'invalid_parameter').errors, [{ in: 'query', name: 'rendered_from' }], 'a value that is not a language tag is a 400')
  const seededQuote = (await get<Cited>(app, '/v1/quotes/bondi-american-shores')).body
  t.same([seededQuote.rendered_from, seededQuote.original_text, seededQuote.external_fields], [null, null, []], 'a quote said in English has neither')

  t.same((await get<Page<unknown>>(app, '/v1/search?q=soberana')).body.data, [], 'nothing mentions "soberana" yet')
  const original = 'La decisión fue soberana'
  const body = quote('sheinbaum-soberana', {
    rendered_from: 'es',
    original_text: original,
    citations: [
      cite('the decision was a “sovereign” one', { fields: ['text'] }),
      cite('Mexican President Claudia Sheinbaum emphasized', { fields: ['rendered_from', 'original_text'], support: 'external', note: 'Presidencia de la República, stenographic version of the morning conference.' })
    ]
  })
  const created = await post(app, authorization, '/v1/quotes', body)
  t.equal(created.statusCode, 201)
  t.match(created.json(), { rendered_from: 'es', original_text: original, language: 'en', text: 'sovereign' }, 'rendered_from and original_text are stored and returned')
  t.same(created.json<Cited>().external_fields, ['original_text', 'rendered_from'], 'the two fields only an external citation names are flagged')
  t.match((await get(app, '/v1/quotes/sheinbaum-soberana')).body, { rendered_from: 'es', original_text: original }, 'GET returns them')
  t.equal((await idsOf(t, app, '/v1/quotes?rendered_from=es&limit=500')).length, 7, 'the filter finds the new quote too')
  const found = (await get<Page<{ kind: string, id: string }>>(app, '/v1/search?q=soberana')).body.data
  t.match(found, [{ kind: 'quote', id: 'sheinbaum-soberana' }], 'search finds it by a word only its original text has')
  t.equal(found.length, 1)

  const feed = await changeFeed(app)
  const orphan = await post(app, authorization, '/v1/quotes', quote('orphan-original', { original_text: original }))
  t.same(names(assertProblem(t, orphan, 422, 'unprocessable')), ['/original_text'], 'original_text without rendered_from is a 422 naming /original_text')
  const same = await post(app, authorization, '/v1/quotes', quote('same-language', { rendered_from: 'en' }))
  t.same(names(assertProblem(t, same, 422, 'unprocessable')), ['/rendered_from'], 'rendered_from equal to language is a 422 naming /rendered_from')
  const both = await post(app, authorization, '/v1/quotes', quote('orphan-original', { original_text: original, citations: [cite('not in the article')] }))
  t.same(names(assertProblem(t, both, 422, 'unprocessable')).sort(), ['/citations/0/excerpt', '/original_text'], 'with a citation that does not match as well, both are named')
  const unset = await mergePatch(app, authorization, '/v1/quotes/sheinbaum-soberana', { rendered_from: null })
  t.same(names(assertProblem(t, unset, 422, 'unprocessable')), ['/original_text'], 'a PATCH leaving original_text without rendered_from too')
  t.equal(await changeFeed(app), feed, 'none of them was written')

  const cleared = await patchRecord(app, authorization, '/v1/quotes/sheinbaum-soberana', { rendered_from: null, original_text: null, citations: [cite('the decision was a “sovereign” one', { fields: ['text'] })] })
  const clearedQuote = cleared.json<Cited>()
  t.same([clearedQuote.rendered_from, clearedQuote.original_text, clearedQuote.external_fields], [null, null, []], 'both can be cleared together')
  t.same((await get<Page<unknown>>(app, '/v1/search?q=soberana')).body.data, [], 'and search forgets the original words')
})
