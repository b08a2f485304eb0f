// @ts-nocheck: compiled (tsc --strict) by test/clients.test.ts, next to the client it generates in test/.generated/clients/, where the imports below resolve.
/**
 * The scenario through openapi-fetch, typed by openapi-typescript's `paths`. openapi-fetch knows
 * no media type at run time: it sends every body as JSON and reads every answer as JSON unless
 * the call says otherwise, so the import says its body and Content-Type, and the downloads
 * `parseAs: 'text'`, as openapi-fetch's documentation has it.
 */
import createClient from 'openapi-fetch'
import type { components, paths } from './openapi-typescript/kb-api.js'
import { apiKey, baseUrl, expectStatus, expectText, importedIds, importLines, lastImportRequest, recordingFetch, report } from './outcome.js'

type Problem = components['schemas']['Problem']
type ImportResult = components['schemas']['ImportResult']
type TransferList = components['schemas']['TransferList']
type TransferQuery = NonNullable<paths['/v1/transfers']['get']['parameters']['query']>

/** Compiles only while Problem.code is an enum: the codes of the error catalogue, not any string. */
export const codeIsAnEnum: string extends Problem['code'] ? 'Problem.code is any string, not an enum of the catalogue\'s codes' : true = true

const client = createClient<paths>({ baseUrl, fetch: recordingFetch })
const ids = importedIds('openapi-fetch')

/** A page of the transfers by id: `limit` of them after `cursor`. */
async function transfersPage (limit: number, cursor: string | null): Promise<TransferList> {
  const query: TransferQuery = cursor === null ? { limit, sort: 'id' } : { limit, sort: 'id', cursor }
  const { data, error, response } = await client.GET('/v1/transfers', { params: { query } })
  if (data === undefined) throw new Error(`GET /v1/transfers answered ${response.status}: ${JSON.stringify(error)}`)
  return data
}

await report({
  async paging () {
    const pagedIds: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await transfersPage(1, cursor)
      pagedIds.push(...page.data.map((transfer) => transfer.id))
      cursor = page.next_cursor
      pages++
    } while (cursor !== null && pages < 100)
    const onePage = await transfersPage(500, null)
    return { pages, pagedIds, onePageIds: onePage.data.map((transfer) => transfer.id) }
  },

  async revalidation () {
    const first = await client.GET('/v1/transfers', { params: { query: { limit: 1 } } })
    expectStatus('the first page', first.response.status, 200, first.error)
    const etag = first.response.headers.get('etag')
    if (etag === null) throw new Error('the first page has no ETag')
    const again = await client.GET('/v1/transfers', { params: { query: { limit: 1 }, header: { 'if-none-match': etag } } })
    return { status: first.response.status, etag, revalidatedStatus: again.response.status }
  },

  async csv () {
    const { data, error, response } = await client.GET('/v1/transfers.csv', { params: { query: { limit: 500, sort: 'id' } }, parseAs: 'text' })
    if (data === undefined) throw new Error(`the CSV answered ${response.status}: ${JSON.stringify(error)}`)
    return { status: response.status, contentType: response.headers.get('content-type'), text: expectText(data) }
  },

  async calendar () {
    const { data, error, response } = await client.GET('/v1/tariff-deadlines.ics', { parseAs: 'text' })
    if (data === undefined) throw new Error(`the calendar answered ${response.status}: ${JSON.stringify(error)}`)
    return { status: response.status, contentType: response.headers.get('content-type'), text: expectText(data) }
  },

  async import () {
    // The text as it is, as NDJSON's own media type (text/plain, which the document lists first, would do as well).
    const { data, error, response } = await client.POST('/v1/import', {
      body: importLines('openapi-fetch'),
      bodySerializer: (body) => body,
      headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/x-ndjson' }
    })
    if (data === undefined) throw new Error(`the import answered ${response.status}: ${JSON.stringify(error)}`)
    const result: ImportResult = data
    const quote = await client.GET('/v1/quotes/{id}', { params: { path: { id: ids.quote } } })
    if (quote.data === undefined) throw new Error(`the imported quote answered ${quote.response.status}: ${JSON.stringify(quote.error)}`)
    const read = quote.data
    return { sent: lastImportRequest(), status: response.status, records: result.records, byType: result.by_type, quote: { id: read.id, speaker_id: read.speaker_id, text: read.text, context: read.context ?? null } }
  },

  async notFound () {
    const { data, error, response } = await client.GET('/v1/transfers/{id}', { params: { path: { id: 'no-such-transfer' } } })
    if (error === undefined) throw new Error(`expected a 404, got ${response.status}: ${JSON.stringify(data)}`)
    const problem: Problem = error
    const code: Problem['code'] = problem.code
    return { status: response.status, contentType: response.headers.get('content-type'), code, title: problem.title, detail: problem.detail }
  }
})
