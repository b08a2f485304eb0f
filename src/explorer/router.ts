/**
 * The view is the URL: a path under /explore and its query (`lang`, filters, the selected fact), so a
 * view can be bookmarked and shared. Links are plain `<a href>`; a click without a modifier key is
 * taken over (pushState) instead of reloading the page, and back and forward work.
 */
import { useEffect, useState } from 'preact/hooks'

export const base = '/explore'

export interface Location { path: string, query: URLSearchParams }

function current (): Location {
  const path = location.pathname.startsWith(base) ? location.pathname.slice(base.length) || '/' : '/'
  return { path: path.length > 1 ? path.replace(/\/$/, '') : path, query: new URLSearchParams(location.search) }
}

const listeners = new Set<() => void>()
addEventListener('popstate', () => listeners.forEach((listener) => listener()))

/** Goes to an explorer URL (`/explore/timeline?…`); `replace` for changes not worth a history entry (typing). */
export function navigate (href: string, { replace = false } = {}) {
  if (href === location.pathname + location.search) return
  history[replace ? 'replaceState' : 'pushState'](null, '', href)
  listeners.forEach((listener) => listener())
}

export function useLocation (): Location {
  const [at, setAt] = useState(current)
  useEffect(() => {
    const update = () => setAt(current())
    listeners.add(update)
    return () => { listeners.delete(update) }
  }, [])
  return at
}

/** An explorer URL: a path under /explore and a query, empty values left out, `lang` kept. */
export function href (path: string, query: Record<string, string | undefined | null> = {}): string {
  const params = new URLSearchParams()
  for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== null && value !== '') params.set(key, value)
  const lang = new URLSearchParams(location.search).get('lang')
  if (lang !== null && !params.has('lang')) params.set('lang', lang)
  const search = params.toString()
  return `${base}${path === '/' ? '/' : path}${search === '' ? '' : `?${search}`}`
}

/** Clicks on links to explorer pages stay in the page (but with a modifier key, or to elsewhere). */
export function interceptLinks (root: HTMLElement) {
  root.addEventListener('click', (event) => {
    if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return
    const link = (event.target as Element).closest('a')
    if (link === null || link.target !== '' || link.hasAttribute('download') || link.origin !== location.origin) return
    if (!link.pathname.startsWith(base) || link.pathname.startsWith(`${base}/assets/`)) return
    event.preventDefault()
    navigate(link.pathname + link.search)
  })
}
