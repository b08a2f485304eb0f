import { createHash, createHmac, timingSafeEqual } from 'node:crypto'
import { AppError } from '../errors.js'

/**
 * Opaque keyset cursors. A cursor carries the sort key of the last record of a page and a digest
 * of the query it belongs to, signed so that a client cannot forge or edit it. Because it holds
 * key values rather than an offset, inserts between pages neither skip nor repeat records.
 */
export type CursorKey = Array<string | number>

interface CursorPayload {
  v: 1
  /** Digest of the resource, sort and filters the cursor was issued for. */
  q: string
  /** Sort key values of the last record returned. */
  k: CursorKey
}

export class CursorCodec {
  constructor (private readonly secret: string) {}

  /** A short digest naming one query: the same resource, sort and filters give the same digest. */
  static queryDigest (resource: string, sort: string, filters: Record<string, unknown>): string {
    const parts = Object.keys(filters).sort().filter((k) => filters[k] !== undefined)
      .map((k) => `${k}=${JSON.stringify(filters[k])}`)
    return createHash('sha256').update(`${resource}\n${sort}\n${parts.join('&')}`).digest('base64url').slice(0, 16)
  }

  encode (query: string, key: CursorKey): string {
    const body = Buffer.from(JSON.stringify({ v: 1, q: query, k: key } satisfies CursorPayload)).toString('base64url')
    return `${body}.${this.sign(body)}`
  }

  /** Decodes a cursor for `query`; anything else is a 400 `invalid_cursor` naming the parameter. */
  decode (cursor: string, query: string, keyLength: number, param: CursorParam = { in: 'query', name: 'cursor' }): CursorKey {
    const invalidCursor = (detail: string) => invalidCursorError(detail, param)
    const [body, signature, extra] = cursor.split('.')
    if (body === undefined || signature === undefined || extra !== undefined || !this.verify(body, signature)) {
      throw invalidCursor('is not a cursor this API issued (it may have been truncated or edited)')
    }
    let payload: CursorPayload
    try {
      payload = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as CursorPayload
    } catch {
      throw invalidCursor('cannot be decoded')
    }
    if (payload === null || typeof payload !== 'object' || payload.v !== 1 || !Array.isArray(payload.k)) {
      throw invalidCursor('was issued by an incompatible version of the API')
    }
    // Signed, but checked all the same: a key is made of strings and finite numbers only.
    if (!payload.k.every((k) => typeof k === 'string' || (typeof k === 'number' && Number.isFinite(k)))) {
      throw invalidCursor('holds a key this API does not issue')
    }
    if (payload.q !== query || payload.k.length !== keyLength) {
      throw invalidCursor('belongs to a different query; keep the same filters and sort when paging, or start again without a cursor')
    }
    return payload.k
  }

  /** A cursor holding one position (a sequence or revision number): a whole number from 0. */
  decodePosition (cursor: string, query: string, param: CursorParam = { in: 'query', name: 'cursor' }): number {
    const [position] = this.decode(cursor, query, 1, param)
    if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
      throw invalidCursorError('holds a key this API does not issue', param)
    }
    return position
  }

  private sign (body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url').slice(0, 22)
  }

  private verify (body: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(body))
    const given = Buffer.from(signature)
    return expected.length === given.length && timingSafeEqual(expected, given)
  }
}

/** Where a cursor came from, for the error: `cursor` and `since` in the query, `Last-Event-ID` as a header. */
export interface CursorParam { in: 'query' | 'header', name: string }

function invalidCursorError (detail: string, param: CursorParam): AppError {
  const where = param.in === 'query' ? 'query parameter' : 'header'
  return new AppError('invalid_cursor', `The ${where} "${param.name}" ${detail}.`, [{ in: param.in, name: param.name, detail }])
}
