import t, { type Test } from 'tap'
import { kinds, type KindDefinition, type KindType } from '../src/kinds/index.js'
import { assertProblem, buildTestApp, SOURCE, writer, type App, type Body, type Page } from './helpers.js'

type Response = Awaited<ReturnType<App['inject']>>

/** For each kind's list, a filter that matches some of its seeded records and a few fields to pick. */
const samples: Record<KindType, { filter: string, fields: string }> = {
  source: { filter: 'language=en', fields: 'title,published_on' },
  actor: { filter: 'country=US', fields: 'name,aliases' },
  transfer: { filter: 'from_country=MX', fields: 'date,participants' },
  quote: { filter: 'speaker=omar-garcia-harfuch', fields: 'text,date' },
  tariff_deadline: { filter: 'imposing_country=US', fields: 'deadline,current_status' },
  cooperation_measure: { filter: 'military=false', fields: 'title,transfer_ids' },
  event: { filter: 'kind=agreement', fields: 'title,date,parties' }
}

/** The sample of a kind; a kind added to the registry without one fails here, naming it. */
function sampleOf (kind: KindDefinition) {
  const sample = (samples as Partial<Record<string, { filter: string, fields: string }>>)[kind.type]
  if (sample === undefined) throw new Error(`test/formats.test.ts has no filter and fields for ${kind.path}: add them to samples`)
  return sample
}

/**
 * A strict RFC 4180 reader: records end with CRLF; a field is either bare (no comma, quote, CR or
 * LF) or wrapped in double quotes, with a quote inside written twice. Anything else throws.
 */
function parseCsv (text: string): string[][] {
  const rows: string[][] = []
  let row: string[] = []
  let i = 0
  const endField = () => {
    if (text.startsWith('\r\n', i)) {
      rows.push(row)
      row = []
      i += 2
    } else if (text[i] === ',') {
      i += 1
      if (i === text.length) throw new Error('a record may not end with a comma and no line break')
    } else if (i !== text.length) {
      throw new Error(`unexpected ${JSON.stringify(text[i])} at ${i}`)
    }
  }
  while (i < text.length) {
    if (text[i] === '"') {
      let field = ''
      i += 1
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quoted field')
        if (text[i] === '"') {
          if (text[i + 1] !== '"') break
          field += '"'
          i += 2
        } else {
          field += text[i]
          i += 1
        }
      }
      i += 1
      row.push(field)
    } else {
      const end = text.slice(i).search(/[,\r\n"]/)
      const field = end === -1 ? text.slice(i) : text.slice(i, i + end)
      i += field.length
      if (text[i] === '"' || (text[i] === '\n') || (text[i] === '\r' && text[i + 1] !== '\n')) {
        throw new Error(`a bare field may not hold quotes, CR or LF (at ${i})`)
      }
      row.push(field)
    }
    endField()
  }
  if (row.length > 0) rows.push(row)
  return rows
}

/** How a JSON value reads in a CSV cell: empty for null, JSON for arrays and objects, text otherwise. */
function cell (value: unknown): string {
  if (value === null || value === undefined) return ''
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

/** A CSV body as records keyed by the header row, after checking every row has the header's width. */
function csvRecords (t: Test, body: string) {
  const [header = [], ...rows] = parseCsv(body)
  for (const [i, row] of rows.entries()) t.equal(row.length, header.length, `row ${i + 1} has ${header.length} cells`)
  return { header, records: rows.map((row) => Object.fromEntries(header.map((h, i) => [h, row[i]]))) }
}

/** Asserts a CSV answer holds exactly the JSON records, cell by cell, in the same order. */
function assertCsvMatchesJson (t: Test, res: Response, json: Body[], what: string) {
  t.equal(res.statusCode, 200, `${what}: 200`)
  t.match(res.headers['content-type'], /^text\/csv; charset=utf-8/, `${what}: text/csv`)
  t.notOk(res.headers['content-length'], `${what}: streamed, without a Content-Length`)
  t.ok(res.body.endsWith('\r\n'), `${what}: every record ends with CRLF`)
  const { header, records } = csvRecords(t, res.body)
  t.equal(header[0], 'id', `${what}: the header row starts with id`)
  t.equal(new Set(header).size, header.length, `${what}: no column twice`)
  t.equal(records.length, json.length, `${what}: one row a record`)
  for (const [i, record] of json.entries()) {
    for (const key of Object.keys(record)) t.ok(header.includes(key), `${what}: a column for ${key}`)
    t.same(records[i], Object.fromEntries(header.map((h) => [h, cell(record[h])])), `${what}: row ${i + 1} holds ${String(record.id)}`)
  }
}

/** Asserts an NDJSON answer is one JSON record a line, the same as the JSON list's data. */
function assertNdjsonMatchesJson (t: Test, res: Response, json: Body[], what: string) {
  t.equal(res.statusCode, 200, `${what}: 200`)
  t.match(res.headers['content-type'], /^application\/x-ndjson/, `${what}: application/x-ndjson`)
  t.notOk(res.headers['content-length'], `${what}: streamed, without a Content-Length`)
  const lines = res.body.split('\n')
  t.equal(lines.pop(), '', `${what}: every line ends with a newline`)
  t.same(lines.map((l) => JSON.parse(l) as Body), json, `${what}: one record a line, as in the JSON list`)
}

/** The list's URL in a format of its own: `/v1/quotes?limit=3` → `/v1/quotes.csv?limit=3`. */
function inFormat (url: string, format: 'csv' | 'ndjson'): string {
  const [path, query] = url.split('?')
  return `${path!}.${format}${query === undefined ? '' : `?${query}`}`
}

async function jsonList (app: App, url: string): Promise<Page<Body>> {
  const res = await app.inject({ url })
  if (res.statusCode !== 200) throw new Error(`${url} answered ${res.statusCode}: ${res.body}`)
  return res.json<Page<Body>>()
}

for (const kind of kinds) {
  const { path } = kind
  const { filter, fields } = sampleOf(kind)
  t.test(`GET /v1/${path} answers CSV and NDJSON too, with the same records, filters and fields`, async (t) => {
    const { app } = await buildTestApp(t)
    const url = `/v1/${path}?limit=500`
    const { data } = await jsonList(app, url)
    t.ok(data.length > 0, 'the seeded list is not empty')

    const byAccept = await app.inject({ url: inFormat(url, 'csv'), headers: { accept: 'text/csv' } })
    assertCsvMatchesJson(t, byAccept, data, 'Accept: text/csv')
    t.match(byAccept.headers['content-type'], /header=present/, 'the media type says there is a header row')
    const byFormat = await app.inject({ url: inFormat(url, 'csv') })
    assertCsvMatchesJson(t, byFormat, data, '.csv')
    t.equal(byFormat.body, byAccept.body, '.csv answers the same CSV whatever the Accept')
    t.equal(byFormat.headers['content-disposition'], `attachment; filename="${path}.csv"`, 'a file name for a browser that saves it')

    assertNdjsonMatchesJson(t, await app.inject({ url: inFormat(url, 'ndjson'), headers: { accept: 'application/x-ndjson' } }), data, 'Accept: application/x-ndjson')
    const refused = assertProblem(t, await app.inject({ url, headers: { accept: 'text/csv' } }), 406, 'not_acceptable')
    t.match(refused.detail, `text/csv is at /v1/${path}.csv`, 'Accept: text/csv on the JSON list names the CSV operation')
    assertNdjsonMatchesJson(t, await app.inject({ url: inFormat(url, 'ndjson') }), data, '.ndjson')

    const filtered = `${url}&${filter}`
    const some = (await jsonList(app, filtered)).data
    t.ok(some.length > 0, `${filter} matches some records`)
    assertCsvMatchesJson(t, await app.inject({ url: inFormat(filtered, 'csv') }), some, `${filter} as CSV`)
    assertNdjsonMatchesJson(t, await app.inject({ url: inFormat(filtered, 'ndjson') }), some, `${filter} as NDJSON`)

    const picked = `${filtered}&fields=${fields}`
    const sparse = (await jsonList(app, picked)).data
    const csv = await app.inject({ url: inFormat(picked, 'csv') })
    assertCsvMatchesJson(t, csv, sparse, `fields=${fields} as CSV`)
    t.same(csvRecords(t, csv.body).header, ['id', ...fields.split(',')], 'fields= picks the columns, id first')
    assertNdjsonMatchesJson(t, await app.inject({ url: inFormat(picked, 'ndjson') }), sparse, `fields=${fields} as NDJSON`)
  })
}

t.test('CSV and NDJSON pages carry the same Link header as JSON, and the pages add up to the whole list', async (t) => {
  const { app } = await buildTestApp(t)
  const { data: all } = await jsonList(app, '/v1/quotes?limit=500')
  t.ok(all.length > 3, 'more quotes than one page holds')

  for (const format of ['csv', 'ndjson']) {
    let url: string | undefined = inFormat('/v1/quotes?limit=3', format as 'csv' | 'ndjson')
    const ids: string[] = []
    let pages = 0
    while (url !== undefined) {
      const res = await app.inject({ url })
      t.equal(res.statusCode, 200, `${url}: 200`)
      const page = format === 'csv'
        ? csvRecords(t, res.body).records.map((r) => r.id!)
        : res.body.trim().split('\n').map((l) => (JSON.parse(l) as Body).id as string)
      ids.push(...page)
      pages += 1
      const link = res.headers.link as string | undefined
      if (link === undefined) {
        url = undefined
      } else {
        const next = /<([^>]+)>; rel="next"/.exec(link)
        if (next === null) {
          url = undefined
          continue
        }
        const href = new URL(next[1]!, 'http://127.0.0.1')
        t.equal(href.pathname, `/v1/quotes.${format}`, 'the next page keeps the format')
        url = href.pathname + href.search
      }
    }
    t.equal(pages, Math.ceil(all.length / 3), `${format}: as many pages as in JSON`)
    t.same(ids, all.map((q) => q.id), `${format}: every quote once, in the JSON order`)
  }

  const csv = await app.inject({ url: '/v1/quotes.csv?limit=3' })
  const json = await app.inject({ url: '/v1/quotes?limit=3' })
  t.equal(String(csv.headers.link).replace('/v1/quotes.csv', '/v1/quotes').replace('/v1/quotes.csv', '/v1/quotes'), json.headers.link, 'the CSV pages with the JSON\'s cursors')
})

t.test('CSV quotes a field holding commas or double quotes; curly quotes stay as they are', async (t) => {
  const { app } = await buildTestApp(t)
  const { data } = await jsonList(app, '/v1/quotes?limit=500')
  const sovereign = data.find((q) => q.id === 'sheinbaum-sovereign-decision')!
  t.match(sovereign.text, /“sovereign”.*,/, 'the seeded quote holds curly quotes and a comma')

  const res = await app.inject({ url: '/v1/quotes.csv?limit=500' })
  t.ok(res.body.includes(`,"${String(sovereign.text)}",`), 'the text is wrapped in double quotes, the curly ones kept as is')
  assertCsvMatchesJson(t, res, data, 'quotes')
})

t.test('CSV doubles a double quote inside a field and keeps a line break inside the quotes; the text round-trips', async (t) => {
  const { app, authorization } = await writer(t)
  const name = 'Comisión "Norte", Sur'
  const description = 'Said: "we will not yield, not now"\nand then, after a pause,\r\n"nor later".'
  const created = await app.inject({
    method: 'POST',
    url: '/v1/actors',
    headers: { authorization },
    payload: {
      id: 'comision-norte-sur',
      kind: 'government_body',
      name,
      country: 'MX',
      description,
      aliases: [{ alias: 'La "Norte", en corto', kind: 'nickname', language: 'es' }],
      citations: [{ source_id: SOURCE, excerpt: 'according to Security Minister Omar García Harfuch' }]
    }
  })
  t.equal(created.statusCode, 201, 'an actor with awkward text is created')

  const context = 'He said, "not a bargain"\nand left.'
  const quote = await app.inject({
    method: 'POST',
    url: '/v1/quotes',
    headers: { authorization },
    payload: {
      id: 'garcia-harfuch-strategic-move-again',
      speaker_id: 'omar-garcia-harfuch',
      text: 'This is a strategic move to enhance public safety and disrupt criminal influence',
      kind: 'direct',
      language: 'en',
      date: '2025-08-13',
      context,
      citations: [{ source_id: SOURCE, excerpt: 'This is a strategic move to enhance public safety and disrupt criminal influence' }]
    }
  })
  t.equal(quote.statusCode, 201, 'a quote with awkward context is created')

  const actors = await app.inject({ url: '/v1/actors.csv?name=norte' })
  t.ok(actors.body.includes(',"Comisión ""Norte"", Sur",'), 'the name is quoted, its quotes doubled')
  t.ok(actors.body.includes('"Said: ""we will not yield, not now""\nand then, after a pause,\r\n""nor later""."'), 'the line breaks stay inside the quoted field')
  const { records } = csvRecords(t, actors.body)
  t.equal(records.length, 1, 'one record, however many lines its text spans')
  t.equal(records[0]!.name, name, 'the name round-trips')
  t.equal(records[0]!.description, description, 'the description round-trips, line breaks and all')
  t.same(JSON.parse(records[0]!.aliases!), [{ alias: 'La "Norte", en corto', kind: 'nickname', language: 'es' }], 'the aliases cell is JSON, quoted as a whole')

  const quotes = await app.inject({ url: '/v1/quotes.csv?limit=500' })
  const row = csvRecords(t, quotes.body).records.find((r) => r.id === 'garcia-harfuch-strategic-move-again')
  t.equal(row?.context, context, 'the quote\'s context round-trips')
  t.ok(quotes.body.includes('"He said, ""not a bargain""\nand left."'), 'quoted, quotes doubled, the line break kept')

  const ndjson = await app.inject({ url: '/v1/actors.ndjson?name=norte' })
  t.equal(ndjson.body.split('\n').length, 2, 'NDJSON keeps the record on one line (JSON escapes the line breaks)')
  t.match(JSON.parse(ndjson.body) as Body, { name, description })
})

t.test('CSV writes nested values (aliases, roles, citations) as JSON in one cell', async (t) => {
  const { app } = await buildTestApp(t)
  const url = '/v1/actors?limit=500&include=citations'
  const { data } = await jsonList(app, url)
  const res = await app.inject({ url: inFormat(url, 'csv') })
  assertCsvMatchesJson(t, res, data, 'actors with citations')
  const { header, records } = csvRecords(t, res.body)
  t.ok(header.includes('citations'), 'embedded citations get a column')
  const harfuch = data.find((a) => a.id === 'omar-garcia-harfuch')!
  const row = records.find((r) => r.id === 'omar-garcia-harfuch')!
  t.same(JSON.parse(row.aliases!), harfuch.aliases, 'aliases parse back from their cell')
  t.same(JSON.parse(row.roles!), harfuch.roles, 'roles parse back from their cell')
  t.same(JSON.parse(row.citations!), harfuch.citations, 'citations parse back from their cell')
})

t.test('An Accept the list cannot answer is a 406 naming the Accept header', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/quotes', headers: { accept: 'application/xml' } })
  const problem = assertProblem(t, res, 406, 'not_acceptable')
  t.same(problem.errors?.map((e) => [e.in, e.name]), [['header', 'accept']], 'the error names the accept header')
  t.match(problem.detail, /application\/json/, 'and says what the list can be answered as')
  t.notOk(res.headers.etag, 'no ETag on an error')
})

t.test('GET by id answers JSON only: Accept: text/csv is a 406', async (t) => {
  const { app } = await buildTestApp(t)
  for (const accept of ['text/csv', 'application/x-ndjson']) {
    const res = await app.inject({ url: '/v1/quotes/garcia-harfuch-strategic-move', headers: { accept } })
    const problem = assertProblem(t, res, 406, 'not_acceptable')
    t.same(problem.errors?.map((e) => e.name), ['accept'], `Accept: ${accept} is refused, naming accept`)
  }
  const json = await app.inject({ url: '/v1/quotes/garcia-harfuch-strategic-move', headers: { accept: 'text/csv, application/json;q=0.1' } })
  t.equal(json.statusCode, 200, 'JSON at any q is enough')
  t.match(json.headers['content-type'], /^application\/json/)
})

t.test('Accept negotiates by preference: wildcards, q-values and order', async (t) => {
  const { app } = await buildTestApp(t)
  const cases: Array<[string, string, RegExp | number]> = [
    ['/v1/transfers', '*/*', /^application\/json/],
    ['/v1/transfers', 'application/*', /^application\/json/],
    ['/v1/transfers', 'text/csv;q=0.5, application/json;q=0.9', /^application\/json/],
    ['/v1/transfers', 'text/html, */*;q=0.8', /^application\/json/],
    ['/v1/transfers', 'text/csv', 406],
    ['/v1/transfers', 'application/json;q=0', 406],
    ['/v1/transfers.csv', 'text/*', /^text\/csv/],
    ['/v1/transfers.csv', 'text/html, */*;q=0.8', /^text\/csv/],
    ['/v1/transfers.csv', 'application/json', 406],
    ['/problems/not-found', 'text/html, application/xhtml+xml, */*;q=0.8', /^text\/html/],
    ['/problems/not-found', 'text/html;q=0.5, application/json', /^application\/json/],
    ['/problems/not-found', '*/*', /^application\/json/]
  ]
  for (const [url, accept, expected] of cases) {
    const res = await app.inject({ url, headers: { accept } })
    if (typeof expected === 'number') {
      assertProblem(t, res, expected, 'not_acceptable')
      continue
    }
    t.equal(res.statusCode, 200, `${url} with Accept: ${accept} → 200`)
    t.match(res.headers['content-type'], expected, `${url} with Accept: ${accept} → ${expected.source.slice(1)}`)
  }
  const none = await app.inject({ url: '/v1/transfers' })
  t.match(none.headers['content-type'], /^application\/json/, 'no Accept → JSON')
  const csvOnly = await app.inject({ url: '/v1/transfers.csv', headers: { accept: 'application/json' } })
  const problem = assertProblem(t, csvOnly, 406, 'not_acceptable')
  t.match(problem.detail, /text\/csv/, '.csv answers CSV or nothing')
})

t.test('?format= is gone: the formats have operations of their own', async (t) => {
  const { app } = await buildTestApp(t)
  const res = await app.inject({ url: '/v1/transfers?format=csv' })
  const problem = assertProblem(t, res, 400, 'unknown_parameter')
  t.same(problem.errors?.map((e) => [e.in, e.name]), [['query', 'format']])
})

t.test('bom=true starts the CSV with a UTF-8 byte order mark; no bom, no mark; NDJSON never takes it', async (t) => {
  const { app } = await buildTestApp(t)
  const plain = await app.inject({ url: '/v1/actors.csv?name=guzman' })
  const marked = await app.inject({ url: '/v1/actors.csv?name=guzman&bom=true' })
  t.equal(plain.rawPayload[0], 0x69, 'without bom the first byte is the "i" of id')
  t.same([...marked.rawPayload.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'with bom=true the body starts with EF BB BF')
  t.equal(marked.rawPayload.subarray(3).toString('utf8'), plain.body, 'and is otherwise the same CSV')
  t.match(plain.body, /Guzmán/, 'the UTF-8 text itself is the same')
  assertProblem(t, await app.inject({ url: '/v1/actors.ndjson?bom=true' }), 400, 'unknown_parameter')
})

t.test('A CSV has no column for what was not asked for: measure_ids only with include=measures', async (t) => {
  const { app } = await buildTestApp(t)
  const plain = csvRecords(t, (await app.inject({ url: '/v1/transfers.csv' })).body)
  t.notOk(plain.header.includes('measure_ids'), 'no always-empty measure_ids column')
  const included = csvRecords(t, (await app.inject({ url: '/v1/transfers.csv?include=measures' })).body)
  t.ok(included.header.includes('measure_ids'), 'include=measures adds it')
  t.ok(included.records.some((r) => (r.measure_ids ?? '').includes('us-no-death-penalty-assurance-2025')), 'and fills it')
})
