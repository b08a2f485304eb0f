import { AppError } from '../errors.js'

interface Range { type: string, subtype: string, q: number, order: number }

function parseAccept (header: string): Range[] {
  return header.split(',').map((part, order) => {
    const [media = '', ...params] = part.trim().split(';')
    const [type = '', subtype = ''] = media.trim().toLowerCase().split('/')
    const q = params.map((p) => p.trim().split('=')).find(([k]) => k === 'q')?.[1]
    return { type, subtype, q: q === undefined ? 1 : Number(q), order }
  }).filter((r) => r.type !== '' && r.q > 0 && !Number.isNaN(r.q))
    .sort((a, b) => b.q - a.q || a.order - b.order)
}

/**
 * The media type to answer with: the client's most preferred one that the route produces (the
 * route's first for wildcards or no Accept at all); a 406 naming what the route can produce if none.
 */
export function negotiate (accept: string | undefined, produces: readonly string[]): string {
  if (accept === undefined || accept.trim() === '') return produces[0]!
  for (const range of parseAccept(accept)) {
    const match = produces.find((m) => {
      const [type, subtype] = m.split('/')
      return (range.type === '*' || range.type === type) && (range.subtype === '*' || range.subtype === subtype)
    })
    if (match !== undefined) return match
  }
  throw new AppError('not_acceptable', `This resource can be answered as ${produces.join(', ')}; the Accept header (${accept}) allows none of them.`,
    [{ in: 'header', name: 'accept', detail: `allows none of ${produces.join(', ')}` }])
}

/** What a spreadsheet runs as a formula when a cell begins with it (OWASP, "CSV Injection"). */
const formulaStart = /^[=+\-@\t\r]/

/**
 * RFC 4180 field: quoted when it holds a comma, quote, CR or LF; objects and arrays as JSON. A
 * text that a spreadsheet would run as a formula gets a leading `'` unless `raw` (numbers never
 * do: `-3` is a number, not a formula).
 */
export function csvField (value: unknown, raw = false): string {
  if (value === null || value === undefined) return ''
  let text = typeof value === 'object' ? JSON.stringify(value) : String(value)
  if (!raw && typeof value === 'string' && formulaStart.test(text)) text = `'${text}`
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text
}

/** CSV lines; `bom`: a UTF-8 byte order mark first, for spreadsheets that would guess another encoding. */
export function * csvLines (columns: readonly string[], records: ReadonlyArray<Record<string, unknown>>, raw = false, bom = false): Generator<string> {
  yield (bom ? '\uFEFF' : '') + columns.map((c) => csvField(c)).join(',') + '\r\n'
  for (const record of records) yield columns.map((c) => csvField(record[c], raw)).join(',') + '\r\n'
}

export function * ndjsonLines (records: readonly unknown[]): Generator<string> {
  for (const record of records) yield JSON.stringify(record) + '\n'
}
