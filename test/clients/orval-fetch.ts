import { baseUrl, recordingFetch } from './outcome.js'

/**
 * The fetch orval's generated functions call: its `override.mutator`, the way orval's guide to its
 * fetch client customises it. orval 7.13's own fetch client cannot serve here: it fetches the bare
 * path (`/v1/transfers`, a URL Node cannot fetch; its `baseUrl` option is a constant written into
 * the code at generation), and it JSON.parses every answer but NDJSON, CSV and iCalendar too
 * (node_modules/@orval/fetch/dist/index.js). This one puts the base URL, known at run time, before
 * the path, and answers as orval types the answers: NDJSON as the response itself (`stream`), any
 * other body as `data`, JSON (problems too) parsed and anything else as text. The request goes as
 * orval made it: method, headers and body untouched (through recordingFetch, which notes the import).
 */
export async function orvalFetch<T> (url: string, init: RequestInit): Promise<T> {
  const res = await recordingFetch(new URL(url, baseUrl), init)
  const contentType = res.headers.get('content-type') ?? ''
  if (/^application\/(x-)?nd-?json\b/.test(contentType)) return { status: res.status, stream: res, headers: res.headers } as T
  const text = await res.text()
  const data: unknown = /^application\/([\w.-]+\+)?json\b/.test(contentType) && text !== '' ? JSON.parse(text) : text
  return { status: res.status, data, headers: res.headers } as T
}
