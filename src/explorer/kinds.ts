/**
 * The kinds of record as the API names them: the feed's `type`, the URL's path, the interface's
 * words, what a record page embeds. The registry on the server is the list; this map is typed by the
 * OpenAPI document's kinds (`SearchHit.kind`, `TimelineEntry.kind`), so a kind added there fails the
 * explorer's type-check until it is described here.
 */
import type { Schemas } from './api/client'
import type { Key } from './i18n'

export type KindType = Schemas['SearchHit']['kind']
type TimelineType = Schemas['TimelineEntry']['kind']

export interface Kind { type: KindType, path: string, plural: Key, singular: Key, includes: string }

const byType: Record<KindType, Omit<Kind, 'type'>> = {
  transfer: { path: 'transfers', plural: 'transfers', singular: 'k_transfer', includes: 'citations,actors,measures' },
  actor: { path: 'actors', plural: 'actors', singular: 'k_actor', includes: 'citations,quotes,transfers,events,measures,deadlines' },
  quote: { path: 'quotes', plural: 'quotes', singular: 'k_quote', includes: 'citations,speaker' },
  tariff_deadline: { path: 'tariff-deadlines', plural: 'tariff_deadlines', singular: 'k_tariff_deadline', includes: 'citations,parties' },
  cooperation_measure: { path: 'cooperation-measures', plural: 'cooperation_measures', singular: 'k_cooperation_measure', includes: 'citations,parties' },
  event: { path: 'events', plural: 'events', singular: 'k_event', includes: 'citations,actors' },
  source: { path: 'sources', plural: 'sources', singular: 'k_source', includes: 'citations' }
}

export const kinds: Kind[] = Object.entries(byType).map(([type, kind]) => ({ type: type as KindType, ...kind }))

/** The kinds on the timeline, in the order its filter lists them (every one: the Record says so). */
const onTimeline: Record<TimelineType, true> = { transfer: true, quote: true, tariff_deadline: true, cooperation_measure: true, event: true }
export const timelineTypes = Object.keys(onTimeline) as TimelineType[]

export const kindByType = (type: string) => kinds.find((kind) => kind.type === type)
export const kindByPath = (path: string) => kinds.find((kind) => kind.path === path)

/** The explorer's page of a record (`/transfers/<id>`). */
export const recordPath = (type: string, id: string) => `/${kindByType(type)?.path ?? type}/${encodeURIComponent(id)}`

/** A line that names a record: the first of its naming fields there is. */
export function recordLabel (record: Record<string, unknown>): string {
  for (const field of ['name', 'title', 'headline', 'measure', 'summary', 'text', 'id']) {
    const value = record[field]
    if (typeof value === 'string' && value !== '') return value.length > 140 ? `${value.slice(0, 139)}…` : value
  }
  return String(record.id)
}
