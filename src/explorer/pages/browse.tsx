/** Every record of a kind, a page at a time: the way into record pages besides search and the timeline. */
import { useState } from 'preact/hooks'
import { getJson, useApi } from '../api/client'
import { Status } from '../components/status'
import { useWords } from '../i18n'
import { kindByPath, kinds, recordLabel } from '../kinds'
import { href } from '../router'

type Page = { data: Array<Record<string, unknown>>, next_cursor: string | null }

export function BrowsePage ({ kindPath }: { kindPath: string }) {
  const { t } = useWords()
  const kind = kindByPath(kindPath) ?? kinds[0]
  const [cursor, setCursor] = useState<string | undefined>(undefined)
  const state = useApi(`browse ${kindPath} ${cursor ?? ''}`, async () => await getJson<Page>(`/v1/${kind?.path ?? 'transfers'}`, { limit: '100', cursor }), { live: true })
  return (
    <div class='browse'>
      <h1 tabIndex={-1}>{t(kind?.plural ?? 'records')}</h1>
      <nav class='facets' aria-label={t('kinds')}>
        {kinds.map((other) => <a key={other.path} href={href(`/${other.path}`)} aria-current={other.path === kind?.path ? 'page' : undefined}>{t(other.plural)}</a>)}
      </nav>
      <Status state={state} />
      <ul class='records'>
        {(state.data?.data ?? []).map((record) => (
          <li key={String(record.id)}><a href={href(`/${kind?.path ?? ''}/${encodeURIComponent(String(record.id))}`)}>{recordLabel(record)}</a></li>
        ))}
      </ul>
      {state.data?.next_cursor !== null && state.data?.next_cursor !== undefined && <button type='button' onClick={() => setCursor(state.data?.next_cursor ?? undefined)}>{t('nextPage')}</button>}
    </div>
  )
}
