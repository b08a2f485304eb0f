/**
 * How the explorer talks to the API, as any dashboard could: a client typed from the committed
 * OpenAPI document (openapi-fetch over the types `npm run openapi` generates), answers kept with
 * their ETags and asked for again with `If-None-Match` (an unchanged answer is a bodyless 304), and
 * the change feed's event stream saying when to ask again.
 */
import createClient from 'openapi-fetch'
import { useEffect, useRef, useState } from 'preact/hooks'
import type { components, paths } from './openapi'

export type Schemas = components['schemas']

interface Kept { etag: string, body: string, type: string }
/** Answers kept for revalidation, at most this many (a long session visits many records). */
const keptAnswers = 300
const kept = new Map<string, Kept>()
let serverTime: string | undefined

/**
 * `fetch` for GETs: sends the ETag of the answer kept for this URL, and turns a 304 back into that
 * answer. The browser's own cache is bypassed (`no-store`) so that every request is one this code
 * decides, and the If-None-Match it carries is visible to anyone reading the network log.
 */
export async function revalidatingFetch (request: Request): Promise<Response> {
  if (request.method !== 'GET') return await fetch(request)
  const hit = kept.get(request.url)
  const headers = new Headers(request.headers)
  if (hit !== undefined) headers.set('if-none-match', hit.etag)
  const response = await fetch(new Request(request, { headers, cache: 'no-store' }))
  serverTime ??= response.headers.get('date') ?? undefined
  if (response.status === 304 && hit !== undefined) {
    keep(request.url, hit)
    return new Response(hit.body, { status: 200, headers: { 'content-type': hit.type, etag: hit.etag } })
  }
  const etag = response.headers.get('etag')
  if (response.ok && etag !== null) keep(request.url, { etag, body: await response.clone().text(), type: response.headers.get('content-type') ?? 'application/json' })
  return response
}

/** Keeps an answer as the most recently used; the least recently used go beyond `keptAnswers`. */
function keep (url: string, answer: Kept) {
  kept.delete(url)
  kept.set(url, answer)
  for (const oldest of kept.keys()) {
    if (kept.size <= keptAnswers) break
    kept.delete(oldest)
  }
}

export const api = createClient<paths>({ baseUrl: location.origin, fetch: revalidatingFetch })

/** A GET of any API URL through the same revalidation (for pages that serve every kind alike). */
export async function getJson<T> (path: string, query: Record<string, string | undefined> = {}): Promise<Answer<T>> {
  const url = new URL(path, location.origin)
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.set(key, value)
  const response = await revalidatingFetch(new Request(url, { headers: { accept: 'application/json' } }))
  const body: unknown = await response.json()
  return response.ok ? { data: body as T, response } : { error: body as Schemas['Problem'], response }
}

export interface Answer<T> { data?: T, error?: unknown, response: Response }

/** A problem+json's words, or the status. */
export function problemText (error: unknown, response?: Response): string {
  const problem = error as Partial<Schemas['Problem']> | undefined
  return problem?.detail ?? problem?.title ?? `HTTP ${response?.status ?? '?'}`
}

// The change feed: one EventSource for the page, from the server's time when the page first asked
// (its `Date`), so nothing written after the page loaded is missed; a burst of changes (an import)
// asks once. Reconnects resume by Last-Event-ID, which EventSource sends by itself.
type Listener = () => void
const changeListeners = new Set<Listener>()
const statusListeners = new Set<(status: LiveStatus) => void>()
export type LiveStatus = 'connecting' | 'live' | 'offline'
let status: LiveStatus = 'connecting'
let stream: EventSource | undefined
let pending: ReturnType<typeof setTimeout> | undefined

function setStatus (next: LiveStatus) {
  status = next
  statusListeners.forEach((listener) => listener(next))
}

function openStream () {
  if (stream !== undefined || typeof EventSource === 'undefined') return
  const since = new Date(serverTime ?? Date.now()).toISOString()
  stream = new EventSource(`/v1/changes/stream?since=${encodeURIComponent(since)}`)
  stream.addEventListener('open', () => setStatus('live'))
  stream.addEventListener('error', () => setStatus(stream?.readyState === EventSource.CLOSED ? 'offline' : 'connecting'))
  stream.addEventListener('change', () => {
    clearTimeout(pending)
    pending = setTimeout(() => changeListeners.forEach((listener) => listener()), 100)
  })
}

export function useLiveStatus (): LiveStatus {
  const [value, setValue] = useState(status)
  useEffect(() => {
    statusListeners.add(setValue)
    return () => { statusListeners.delete(setValue) }
  }, [])
  return value
}

export interface Loaded<T> { data?: T, error?: string, loading: boolean }

/**
 * Loads `load()` now and again whenever the change feed reports a write (`live`), keeping the
 * shown data when the answer is the same one (same ETag: a 304). `key` names the request: a new
 * key loads afresh.
 */
export function useApi<T> (key: string, load: () => Promise<Answer<T>>, { live = false } = {}): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true })
  const etag = useRef<string | null>(null)
  useEffect(() => {
    let cancelled = false
    etag.current = null
    setState((previous) => ({ ...previous, loading: true }))
    const run = async () => {
      try {
        const { data, error, response } = await load()
        if (cancelled) return
        const tag = response.headers.get('etag')
        if (data !== undefined && tag !== null && tag === etag.current) return
        etag.current = tag
        setState(data !== undefined ? { data, loading: false } : { error: problemText(error, response), loading: false })
      } catch (err) {
        if (!cancelled) setState({ error: (err as Error).message, loading: false })
      }
    }
    run().then(() => { if (live) openStream() }, () => {})
    if (live) changeListeners.add(run)
    return () => {
      cancelled = true
      changeListeners.delete(run)
    }
  }, [key])
  return state
}
