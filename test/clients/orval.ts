// @ts-nocheck: compiled (tsc --strict) by test/clients.test.ts, next to the client it generates in test/.generated/clients/, where the imports below resolve.
/**
 * The scenario through orval's fetch client, with its mutator (./orval-fetch.ts): one function
 * per operation, answering `{ status, data, headers }` typed for each status the document lists.
 * The import sends its text as the document's first media type, text/plain, as-is: the one type
 * orval's fetch client does not JSON.stringify a body of.
 */
import { getQuote, getTariffDeadlineCalendar, getTransfer, importRecords, listTransfers, listTransfersCsv } from './orval/kb.js'
import type { ImportResult, ListTransfersParams, Problem, TransferList } from './orval/kb.js'
import { apiKey, expectStatus, expectText, importedIds, importLines, lastImportRequest, report } from './outcome.js'

/** Compiles only while Problem.code is an enum: the codes of the error catalogue, not any string. */
export const codeIsAnEnum: string extends Problem['code'] ? 'Problem.code is any string, not an enum of the catalogue\'s codes' : true = true

const ids = importedIds('orval')
const authorization = { headers: { Authorization: `Bearer ${apiKey}` } }

/** A page of the transfers by id: `limit` of them after `cursor`. */
async function transfersPage (limit: number, cursor: string | null): Promise<TransferList> {
  const params: ListTransfersParams = cursor === null ? { limit, sort: 'id' } : { limit, sort: 'id', cursor }
  const res = await listTransfers(params)
  if (res.status !== 200) throw new Error(`GET /v1/transfers answered ${res.status}: ${JSON.stringify(res.data)}`)
  return res.data
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
    const first = await listTransfers({ limit: 1 })
    expectStatus('the first page', first.status, 200, first.data)
    const etag = first.headers.get('etag')
    if (etag === null) throw new Error('the first page has no ETag')
    const again = await listTransfers({ limit: 1 }, { 'if-none-match': etag })
    return { status: first.status, etag, revalidatedStatus: again.status }
  },

  async csv () {
    const res = await listTransfersCsv({ limit: 500, sort: 'id' })
    if (res.status !== 200) throw new Error(`the CSV answered ${res.status}: ${JSON.stringify(res.data)}`)
    return { status: res.status, contentType: res.headers.get('content-type'), text: expectText(res.data) }
  },

  async calendar () {
    const res = await getTariffDeadlineCalendar()
    if (res.status !== 200) throw new Error(`the calendar answered ${res.status}: ${JSON.stringify(res.data)}`)
    return { status: res.status, contentType: res.headers.get('content-type'), text: expectText(res.data) }
  },

  async import () {
    // The import's optional query (its `comment`) comes before the request options.
    const res = await importRecords(importLines('orval'), undefined, authorization)
    if (res.status !== 201) throw new Error(`the import answered ${res.status}: ${JSON.stringify(res.data)}`)
    const result: ImportResult = res.data
    const quote = await getQuote(ids.quote)
    if (quote.status !== 200) throw new Error(`the imported quote answered ${quote.status}: ${JSON.stringify(quote.data)}`)
    const read = quote.data
    return { sent: lastImportRequest(), status: res.status, records: result.records, byType: result.by_type, quote: { id: read.id, speaker_id: read.speaker_id, text: read.text, context: read.context ?? null } }
  },

  async notFound () {
    const res = await getTransfer('no-such-transfer')
    if (res.status !== 404) throw new Error(`expected a 404, got ${res.status}: ${JSON.stringify(res.data)}`)
    const problem: Problem = res.data
    const code: Problem['code'] = problem.code
    return { status: res.status, contentType: res.headers.get('content-type'), code, title: problem.title, detail: problem.detail }
  }
})
