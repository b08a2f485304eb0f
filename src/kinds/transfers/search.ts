import { bodyOf, countryText, listOf, truncate, type SearchDocument } from '../../search/documents.js'
import type { TransferDto } from './schemas.js'

function titleOf (t: TransferDto): string {
  if ((t.summary ?? '').trim() !== '') return truncate(t.summary)
  const people = t.people_count === null ? 'People' : `${t.people_count} ${t.people_count === 1 ? 'person' : 'people'}`
  return `${people}, ${t.from_country} → ${t.to_country}, ${t.date ?? 'date unknown'}`
}

export function transferSearchDocument (t: TransferDto): SearchDocument {
  return {
    title: titleOf(t),
    body: bodyOf([(t.summary ?? '').trim() !== '' ? t.summary : titleOf(t), t.purpose, t.charges, ...listOf<{ description: string }>(t.resources).map((r) => r.description)]),
    keywords: bodyOf([t.mechanism, countryText(t.from_country), countryText(t.to_country), ...listOf<{ actor_id: string }>(t.participants).map((p) => p.actor_id)]),
    date: t.date
  }
}
