/** What a part of a page is waiting for, or why it has nothing (announced to screen readers). */
import { useWords } from '../i18n'
import type { Loaded } from '../api/client'

export function Status ({ state }: { state: Loaded<unknown> }) {
  const { t } = useWords()
  if (state.error !== undefined) return <p class='error' role='alert'>{t('error', state.error)}</p>
  if (state.data === undefined && state.loading) return <p class='loading' aria-live='polite'>{t('loading')}</p>
  return null
}
