// @ts-nocheck: compiled (tsc --strict) by test/clients.test.ts, next to the client it generates in test/.generated/clients/, where the imports below resolve.
/**
 * The scenario through @hey-api/openapi-ts's SDK on its fetch client: one function per operation,
 * the client configured once (base URL, the key for the operations that need one, and a fetch that
 * notes the import request). The import sends its text as the document's first media type,
 * text/plain, as-is: the SDK drops its JSON serializer for text bodies.
 */
import { client } from './hey-api/client.gen.js'
import { getQuote, getTariffDeadlineCalendar, getTransfer, importRecords, listTransfers, listTransfersCsv } from './hey-api/sdk.gen.js'
import type { ImportResult, ListTransfersData, Problem, TransferList } from './hey-api/types.gen.js'
import { apiKey, baseUrl, expectStatus, expectText, importedIds, importLines, lastImportRequest, recordingFetch, report } from './outcome.js'

/** Compiles only while Problem.code is an enum: the codes of the error catalogue, not any string. */
export const codeIsAnEnum: string extends Problem['code'] ? 'Problem.code is any string, not an enum of the catalogue\'s codes' : true = true

client.setConfig({ baseUrl, auth: apiKey, fetch: recordingFetch })
const ids = importedIds('hey-api')

/** A page of the transfers by id: `limit` of them after `cursor`. */
async function transfersPage (limit: number, cursor: string | null): Promise<TransferList> {
  const query: ListTransfersData['query'] = cursor === null ? { limit, sort: 'id' } : { limit, sort: 'id', cursor }
  const { data, error, response } = await listTransfers({ query })
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
    const first = await listTransfers({ query: { limit: 1 } })
    expectStatus('the first page', first.response.status, 200, first.error)
    const etag = first.response.headers.get('etag')
    if (etag === null) throw new Error('the first page has no ETag')
    const again = await listTransfers({ query: { limit: 1 }, headers: { 'if-none-match': etag } })
    return { status: first.response.status, etag, revalidatedStatus: again.response.status }
  },

  async csv () {
    const { data, error, response } = await listTransfersCsv({ query: { limit: 500, sort: 'id' } })
    if (data === undefined) throw new Error(`the CSV answered ${response.status}: ${JSON.stringify(error)}`)
    return { status: response.status, contentType: response.headers.get('content-type'), text: expectText(data) }
  },

  async calendar () {
    const { data, error, response } = await getTariffDeadlineCalendar()
    if (data === undefined) throw new Error(`the calendar answered ${response.status}: ${JSON.stringify(error)}`)
    return { status: response.status, contentType: response.headers.get('content-type'), text: expectText(data) }
  },

  async import () {
    const { data, error, response } = await importRecords({ body: importLines('hey-api') })
    if (data === undefined) throw new Error(`the import answered ${response.status}: ${JSON.stringify(error)}`)
    const result: ImportResult = data
    const quote = await getQuote({ path: { id: ids.quote } })
    if (quote.data === undefined) throw new Error(`the imported quote answered ${quote.response.status}: ${JSON.stringify(quote.error)}`)
    const read = quote.data
    return { sent: lastImportRequest(), status: response.status, records: result.records, byType: result.by_type, quote: { id: read.id, speaker_id: read.speaker_id, text: read.text, context: read.context ?? null } }
  },

  async notFound () {
    const { data, error, response } = await getTransfer({ path: { id: 'no-such-transfer' } })
    if (error === undefined) throw new Error(`expected a 404, got ${response.status}: ${JSON.stringify(data)}`)
    const problem: Problem = error
    const code: Problem['code'] = problem.code
    return { status: response.status, contentType: response.headers.get('content-type'), code, title: problem.title, detail: problem.detail }
  }
})
