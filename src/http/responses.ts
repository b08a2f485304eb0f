import { Type, type TObject, type TProperties } from 'typebox'
import { problems, type ProblemCode } from '../errors.js'

const statusText: Record<number, string> = {
  304: 'Not modified: the `If-None-Match` ETag is current.',
  400: 'The request has a bad or unknown parameter, or is not valid HTTP.',
  404: 'No record has this id.',
  406: 'None of the accepted media types can be produced.',
  408: 'The request did not arrive in time.',
  414: 'A path segment is longer than any id.',
  429: 'This client is past its rate limit: retry after `Retry-After` seconds.',
  431: 'The request headers are too large.',
  500: 'An unexpected failure; the body carries no internals.',
  503: 'The service is not ready, or busy: retry after `Retry-After` seconds.',
  507: 'The disk holding the database is full: nothing was written.'
}

/** What any request can meet before its operation runs: a bad URL, a slow or oversized request, an `Accept` it cannot satisfy. */
const always = [400, 406, 408, 431, 500]

/**
 * Response entries for the problem statuses an operation can return, besides those any request
 * can meet (`always`); `rateLimited`: whether the operation counts against the rate limits (429).
 */
export function problemResponses (...statuses: number[]) {
  return problemResponsesOf(statuses)
}

/** The probes: never rate-limited. */
export function probeProblemResponses (...statuses: number[]) {
  return problemResponsesOf(statuses, false)
}

function problemResponsesOf (statuses: number[], rateLimited = true) {
  const entries = [...new Set([...statuses, ...always, ...(rateLimited ? [429] : [])])].sort((a, b) => a - b).map((status) => [status, {
    description: statusText[status] ?? Object.values(problems).find((p) => p.status === status)?.title ?? 'Problem',
    content: { 'application/problem+json': { schema: Type.Ref('Problem') } }
  }])
  return Object.fromEntries(entries) as Record<number, unknown>
}

const requestIdHeader = {
  'X-Request-Id': { type: 'string', description: 'The request id: the incoming `X-Request-Id` when it is a safe token, otherwise a new UUID. It appears in the logs and in problem bodies.' }
}

const linkHeader = {
  Link: { type: 'string', description: 'RFC 8288 links: `<url>; rel="first"` (the same query from its start) and `<url>; rel="next"` (absent on the last page of a list).' }
}

/** The answer of a list that counts (`count=true`). */
const countHeader = {
  'X-Total-Count': { type: 'integer', description: 'With `count=true`: how many records match the filters, on every page together.' },
  'X-Total-Count-Estimate': { type: 'integer', description: 'With `count=estimated` on a list, instead of `X-Total-Count` when there are too many matches to count: an estimate of them.' }
}

/** What every rate-limited answer says of the client's budget (draft-ietf-httpapi-ratelimit-headers). */
const rateLimitHeaders = {
  'RateLimit-Limit': { type: 'integer', description: 'Requests of this kind (reads, searches or writes) the client may make in the current minute.' },
  'RateLimit-Remaining': { type: 'integer', description: 'Of those, how many are left.' },
  'RateLimit-Reset': { type: 'integer', description: 'Seconds until the budget is whole again.' }
}

/**
 * A JSON answer; `limited`: false for the probes, which rate limits leave alone; `headers`: those
 * of the operation's own (`ETag`, `Location`), besides what every answer has.
 */
export function jsonResponse (description: string, ref: string, { paged = false, counted = false, limited = true, headers = {} }: { paged?: boolean, counted?: boolean, limited?: boolean, headers?: Record<string, { type: string, description: string }> } = {}) {
  return {
    description,
    headers: { ...headers, ...(paged ? linkHeader : {}), ...(counted ? countHeader : {}), ...requestIdHeader, ...(limited ? rateLimitHeaders : {}) },
    content: { 'application/json': { schema: Type.Ref(ref) } }
  }
}

export type { ProblemCode }

/** `?csv_formulas=`: whether CSV cells that a spreadsheet would run as formulas are neutralised. */
export const CsvFormulasParam = Type.Enum(['escape', 'raw'], {
  type: 'string',
  description: 'CSV only. `escape` (the default) puts a `\'` before every text cell beginning with `=`, `+`, `-`, `@`, a tab or a carriage return, so that a spreadsheet shows it instead of running it as a formula (OWASP\'s advice against CSV injection); `raw` sends the text as stored, for programs that read the CSV themselves.'
})

/** `?bom=true`: a UTF-8 byte order mark first, for spreadsheets that otherwise guess another encoding. */
export const BomParam = Type.Boolean({
  description: 'CSV only. `true` puts a UTF-8 byte order mark before the header row: Excel (and other spreadsheets opening a CSV by double-click) then reads the text as UTF-8 and shows `Guzmán`, not `GuzmÃ¡n`. Programs reading the CSV themselves should leave it out.',
  examples: [true]
})

/** The query of a CSV variant: its JSON operation's, plus how to write the CSV. */
export const CsvQuery = <P extends TProperties> (query: TObject<P>) =>
  Type.Object({ ...query.properties, csv_formulas: Type.Optional(CsvFormulasParam), bom: Type.Optional(BomParam) }, { additionalProperties: false })

/**
 * A list's page in a text format (CSV or NDJSON): a string under its own media type, paged by
 * `Link` like the JSON. `binary` for NDJSON, which clients (@hey-api/openapi-ts) read as a Blob
 * whatever the schema, as they do every `application/*` type that is not JSON.
 */
export function textListResponse (description: string, mediaType: string, schemaDescription: string, format?: 'binary') {
  return {
    description,
    headers: {
      'Content-Disposition': { type: 'string', description: '`attachment` with a file name (`transfers.csv`), for browsers that save it.' },
      ...linkHeader,
      ...countHeader,
      ...requestIdHeader,
      ...rateLimitHeaders
    },
    content: { [mediaType]: { schema: { type: 'string', ...(format === undefined ? {} : { format }), description: schemaDescription } } }
  }
}

/**
 * The route options of a page's CSV twin (`/v1/search.csv` beside `/v1/search`): its JSON
 * operation's query plus the CSV options, and a page of `what` as RFC 4180 CSV, paged by `Link`
 * like the JSON. `description` says what a row is.
 */
export function csvPageRoute<P extends TProperties> ({ operationId, tags, summary, description, querystring, what, errors = [400, 406] }: {
  operationId: string
  tags: string[]
  summary: string
  description: string
  querystring: TObject<P>
  /** What the page holds, for the answer's description: `hits`, `changes`. */
  what: string
  errors?: number[]
}) {
  return {
    config: { produces: ['text/csv'] },
    schema: {
      operationId,
      tags,
      summary,
      description,
      querystring: CsvQuery(querystring),
      response: { 200: textListResponse(`A page of ${what}, as CSV.`, 'text/csv', 'RFC 4180 CSV with a header row.'), ...problemResponses(...errors) }
    }
  }
}
