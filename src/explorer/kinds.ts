/** The kinds of record as the API names them: the feed's `type`, the URL's path, the interface's words. */
import type { Key } from './i18n'

export interface Kind { type: string, path: string, plural: Key, singular: Key }

export const kinds: Kind[] = [
  { type: 'transfer', path: 'transfers', plural: 'transfers', singular: 'k_transfer' },
  { type: 'actor', path: 'actors', plural: 'actors', singular: 'k_actor' },
  { type: 'quote', path: 'quotes', plural: 'quotes', singular: 'k_quote' },
  { type: 'tariff_deadline', path: 'tariff-deadlines', plural: 'tariff_deadlines', singular: 'k_tariff_deadline' },
  { type: 'cooperation_measure', path: 'cooperation-measures', plural: 'cooperation_measures', singular: 'k_cooperation_measure' },
  { type: 'event', path: 'events', plural: 'events', singular: 'k_event' },
  { type: 'source', path: 'sources', plural: 'sources', singular: 'k_source' }
]

export const timelineTypes = ['transfer', 'quote', 'tariff_deadline', 'cooperation_measure', 'event']

export const kindByType = (type: string) => kinds.find((kind) => kind.type === type)
export const kindByPath = (path: string) => kinds.find((kind) => kind.path === path)

/** The explorer's page of a record, from its API URL (`/v1/transfers/x` → `/transfers/x`). */
export const recordPath = (type: string, id: string) => `/${kindByType(type)?.path ?? type}/${encodeURIComponent(id)}`

/** A line that names a record: the first of its naming fields there is. */
export function recordLabel (record: Record<string, unknown>): string {
  for (const field of ['name', 'title', 'headline', 'measure', 'summary', 'text', 'id']) {
    const value = record[field]
    if (typeof value === 'string' && value !== '') return value.length > 140 ? `${value.slice(0, 139)}…` : value
  }
  return String(record.id)
}
