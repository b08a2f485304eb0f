/**
 * The explorer: a Preact app over the public API only (src/explorer/api/client.ts), served by the
 * API's own server at /explore. The URL is the view; the language is the URL's `lang` or the browser's.
 */
import { render } from 'preact'
import { useEffect, useRef } from 'preact/hooks'
import { useLiveStatus } from './api/client'
import { useWords } from './i18n'
import { kindByPath } from './kinds'
import { BrowsePage } from './pages/browse'
import { EvidencePage } from './pages/evidence'
import { Overview } from './pages/overview'
import { RecordPage } from './pages/record'
import { SearchPage } from './pages/search'
import { Timeline } from './pages/timeline'
import { base, href, interceptLinks, useLocation } from './router'

function Page ({ path }: { path: string }) {
  const parts = path.split('/').filter((part) => part !== '').map(decodeURIComponent)
  const [first, second] = parts
  if (first === undefined) return <Overview />
  if (first === 'timeline' && parts.length === 1) return <Timeline />
  if (first === 'search' && parts.length === 1) return <SearchPage />
  if (first === 'evidence' && second !== undefined && parts.length === 2) return <EvidencePage sourceId={second} />
  if (kindByPath(first) !== undefined && parts.length === 1) return <BrowsePage kindPath={first} />
  if (kindByPath(first) !== undefined && second !== undefined && parts.length === 2) return <RecordPage kindPath={first} id={second} />
  return <NotFound />
}

function NotFound () {
  const { t } = useWords()
  return <><h1 tabIndex={-1}>{t('notFound')}</h1><p><a href={href('/')}>{t('overview')}</a></p></>
}

function App () {
  const { path, query } = useLocation()
  const { t, lang } = useWords()
  const live = useLiveStatus()
  const section = path.split('/')[1] ?? ''

  // A new view: its title, its language, and the focus on its heading (as a page load would).
  useEffect(() => {
    document.documentElement.lang = lang
    const heading = document.querySelector<HTMLElement>('main h1')
    document.title = `${heading?.textContent ?? t('explorer')} · ${t('explorer')} · ${t('product')}`
  })
  const shown = useRef(path)
  useEffect(() => {
    if (shown.current === path) return // the first view, or a change of its query only (a filter, a chosen fact)
    shown.current = path
    document.querySelector<HTMLElement>('main h1')?.focus()
  }, [path])

  const other = lang === 'en' ? 'es' : 'en'
  const switchTo = new URLSearchParams(query)
  switchTo.set('lang', other)
  const nav: Array<[string, string, string]> = [['', '/', t('overview')], ['timeline', '/timeline', t('timeline')], ['search', '/search', t('search')], ['transfers', '/transfers', t('browse')]]
  return (
    <>
      <a class='skip' href='#main'>{t('skip')}</a>
      <header class='top'>
        <a class='brand' href={href('/')}>{t('product')}</a>
        <nav aria-label={t('explorer')}>
          <ul>
            {nav.map(([key, to, label]) => (
              <li key={key}><a href={href(to)} aria-current={section === key || (key === 'transfers' && kindByPath(section) !== undefined) ? 'page' : undefined}>{label}</a></li>
            ))}
            <li><a href='/docs'>{t('api')}</a></li>
          </ul>
        </nav>
        <div class='tools'>
          <span class={`live live-${live}`} role='status'>{t(live === 'live' ? 'live' : live === 'offline' ? 'offline' : 'connecting')}</span>
          <a href={`${base}${path === '/' ? '/' : path}?${switchTo.toString()}`} hrefLang={other} lang={other}>{other === 'es' ? 'Español' : 'English'}</a>
        </div>
      </header>
      <main id='main'>
        <Page path={path} />
      </main>
    </>
  )
}

const root = document.getElementById('app')
if (root !== null) {
  root.replaceChildren()
  interceptLinks(document.body)
  render(<App />, root)
}
