/**
 * Search: the API's ranked hits with their snippets, a facet of every kind (how many hits each has),
 * the query and the kind in the URL. Keyboard: `/` comes back to the box, ↓ and ↑ move through the
 * results, Enter opens one.
 */
import { useEffect, useRef, useState } from 'preact/hooks'
import { api, useApi } from '../api/client'
import { Status } from '../components/status'
import { formatDate } from '../format'
import { useWords } from '../i18n'
import { kindByType, recordPath } from '../kinds'
import { href, navigate, useLocation } from '../router'

export function SearchPage () {
  const { t, lang } = useWords()
  const { query } = useLocation()
  const q = query.get('q') ?? ''
  const kind = query.get('kind') ?? ''
  const [typed, setTyped] = useState(q)
  const box = useRef<HTMLInputElement>(null)
  const results = useRef<HTMLOListElement>(null)
  useEffect(() => setTyped(q), [q])
  const state = useApi(`search ${q} ${kind}`, async () => q.trim() === ''
    ? { data: undefined, response: new Response(null) }
    : await api.GET('/v1/search', { params: { query: { q, kind: kind || undefined, facets: 'kind', count: true, limit: 50 } } }))

  // Typing searches after a pause; the URL follows without a history entry for every key.
  useEffect(() => {
    if (typed === q) return
    const timer = setTimeout(() => navigate(href('/search', { q: typed, kind }), { replace: true }), 300)
    return () => clearTimeout(timer)
  }, [typed])

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement
      if (event.key === '/' && target.tagName !== 'INPUT' && target.tagName !== 'TEXTAREA' && target.tagName !== 'SELECT') {
        event.preventDefault()
        box.current?.focus()
        return
      }
      if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return
      const links = [...(results.current?.querySelectorAll<HTMLAnchorElement>('a.hit') ?? [])]
      if (links.length === 0) return
      const at = links.indexOf(document.activeElement as HTMLAnchorElement)
      if (at === -1 && target !== box.current) return
      event.preventDefault()
      const next = event.key === 'ArrowDown' ? Math.min(at + 1, links.length - 1) : at - 1
      if (next < 0) box.current?.focus()
      else links[next]?.focus()
    }
    addEventListener('keydown', onKey)
    return () => removeEventListener('keydown', onKey)
  }, [])

  const data = state.data
  const facets = (data?.facets?.kind ?? {}) as Record<string, number>
  return (
    <div class='search'>
      <h1 tabIndex={-1}>{t('search')}</h1>
      <form role='search' onSubmit={(event) => { event.preventDefault(); navigate(href('/search', { q: typed, kind })) }}>
        <label for='q'>{t('searchLabel')}</label>
        <div class='search-row'>
          <input id='q' ref={box} type='search' name='q' value={typed} autoComplete='off' aria-describedby='q-hint' onInput={(event) => setTyped((event.currentTarget as HTMLInputElement).value)} />
          <button type='submit'>{t('search')}</button>
        </div>
        <p id='q-hint' class='hint'>{t('searchHint')}</p>
      </form>
      {q !== '' && <Status state={state} />}
      {data !== undefined && (
        <>
          <nav class='facets' aria-label={t('kinds')}>
            <a href={href('/search', { q })} aria-current={kind === '' ? 'page' : undefined}>{t('allKinds')} ({Object.values(facets).reduce((a, b) => a + b, 0)})</a>
            {Object.entries(facets).filter(([, n]) => n > 0).map(([type, n]) => (
              <a key={type} href={href('/search', { q, kind: type })} aria-current={kind === type ? 'page' : undefined}>{t(kindByType(type)?.plural ?? 'records')} ({n})</a>
            ))}
          </nav>
          <p aria-live='polite' class='count'>{t('hits', data.count ?? data.data.length)}</p>
          <ol class='hits' ref={results}>
            {data.data.map((hit) => (
              <li key={`${hit.kind}:${hit.id}`}>
                <a class='hit' href={href(recordPath(hit.kind, hit.id))}>{hit.title}</a>
                <span class='badge'>{t(kindByType(hit.kind)?.singular ?? 'k_event')}</span>
                {hit.date !== null && <span class='muted'> · {formatDate(hit.date, null, lang)}</span>}
                <p class='snippet'><Snippet html={hit.snippet} /></p>
              </li>
            ))}
          </ol>
        </>
      )}
    </div>
  )
}

const entities: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", apos: "'" }
const decode = (text: string) => text.replace(/&(#\d+|#x[\da-f]+|\w+);/gi, (whole, name: string) =>
  name.startsWith('#x') ? String.fromCodePoint(parseInt(name.slice(2), 16)) : name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : entities[name] ?? whole)

/** A snippet as the API gives it (escaped text, matches in `<mark>`) rendered as text and marks, never as HTML. */
function Snippet ({ html }: { html: string }) {
  const parts = html.split(/(<mark>.*?<\/mark>)/s)
  return <>{parts.map((part, i) => part.startsWith('<mark>') ? <mark key={i}>{decode(part.slice(6, -7))}</mark> : decode(part))}</>
}
