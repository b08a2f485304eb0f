/** What a citation is evidence for, and how it supports it: shared by the record pages and the evidence view. */
import type { Schemas } from '../api/client'
import type { Key, Translate } from '../i18n'

/** A cited field as the record names it (`participants.cjng.organization_of_transferred` → `participants`). */
export const topField = (field: string) => field.split('.')[0] ?? field

/** Whether a citation is evidence for a record's field, or for a part of it. */
export const covers = (citation: { fields: string[] }, field: string) => citation.fields.some((cited) => topField(cited) === field)

/** What each kind of support means, in the interface's words. */
export const supportWords: Record<Schemas['Citation']['support'], Key> = {
  stated: 'supportStated',
  resolved: 'supportResolved',
  computed: 'supportComputed',
  inferred: 'supportInferred',
  external: 'supportExternal'
}

export function SupportBadge ({ support, t }: { support: Schemas['Citation']['support'], t: Translate }) {
  return <span class={`support support-${support}`} title={t(supportWords[support])}>{support}</span>
}
