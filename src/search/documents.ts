import type { RevisionRecordType } from '../db/schema/index.js'
import type { ActorDto } from '../schemas/actors.js'
import type { CooperationMeasureDto } from '../schemas/cooperation-measures.js'
import type { QuoteDto } from '../schemas/quotes.js'
import type { SourceDto } from '../schemas/sources.js'
import type { TariffDeadlineDto } from '../schemas/tariff-deadlines.js'
import type { TransferDto } from '../schemas/transfers.js'

/** What the search index holds for one record: the hit's title, the text searched, and the date filtered on. */
export interface SearchDocument {
  title: string
  body: string
  date: string | null
}

const titleLength = 120

/** Cuts long text at a word boundary, with an ellipsis. */
export function truncate (text: string, max = titleLength): string {
  const flat = text.replace(/\s+/g, ' ').trim()
  if (flat.length <= max) return flat
  const cut = flat.slice(0, max - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.–—-]+$/, '')}…`
}

/**
 * Joins the searchable parts of a record. Control characters are dropped: snippets mark matches
 * with two of them before they are turned into `<mark>` tags.
 */
const bodyOf = (parts: Array<string | null | undefined>) =>
  parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '')
    // eslint-disable-next-line no-control-regex
    .map((p) => p.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, ' '))
    .join(' · ')

/** Country codes with their English and Spanish names, so `mexico`, `méxico` and `MX` all match. */
const countryNames = ['en', 'es'].map((locale) => new Intl.DisplayNames([locale], { type: 'region', fallback: 'code' }))
const countryText = (code: string) => [code, ...countryNames.map((names) => names.of(code) ?? code)].join(' ')

function transferTitle (t: TransferDto): string {
  if ((t.summary ?? '').trim() !== '') return truncate(t.summary)
  const people = t.people_count === null ? 'People' : `${t.people_count} ${t.people_count === 1 ? 'person' : 'people'}`
  return `${people}, ${t.from_country} → ${t.to_country}, ${t.date ?? 'date unknown'}`
}

// The DTO types leave referenced schemas (`Type.Ref`) untyped: the parts read here. A rebuild
// reads old revisions too, so a list a record did not have then counts as empty.
const listOf = <T> (value: unknown): T[] => (Array.isArray(value) ? value as T[] : [])
interface Alias { alias: string }
interface Role { title: string }
interface Resource { description: string }
interface Participant { actor_id: string }

const builders: { [K in RevisionRecordType]: (record: never) => SearchDocument } = {
  actor: (a: ActorDto) => ({
    title: a.name,
    body: bodyOf([a.name, ...listOf<Alias>(a.aliases).map((x) => x.alias), ...listOf<Role>(a.roles).map((r) => r.title), a.description]),
    date: null
  }),
  transfer: (t: TransferDto) => ({
    title: transferTitle(t),
    body: bodyOf([
      t.summary, t.purpose, t.charges, t.mechanism, countryText(t.from_country), countryText(t.to_country),
      ...listOf<Resource>(t.resources).map((r) => r.description), ...listOf<Participant>(t.participants).map((p) => p.actor_id)
    ]),
    date: t.date
  }),
  quote: (q: QuoteDto) => ({
    title: truncate(q.text),
    body: bodyOf([q.text, q.context, q.speaker_id]),
    date: q.date
  }),
  tariff_deadline: (d: TariffDeadlineDto) => ({
    title: d.measure,
    body: bodyOf([d.measure, d.description]),
    date: d.deadline
  }),
  cooperation_measure: (m: CooperationMeasureDto) => ({
    title: m.title,
    body: bodyOf([m.title, m.description, m.place]),
    date: m.start_date ?? m.as_of
  }),
  source: (s: SourceDto) => ({
    title: s.title,
    body: bodyOf([s.title, s.publisher, s.text]),
    date: s.published_on
  })
}

/**
 * The search document of a record, from the record as the API shows it (what a revision stores).
 * The body repeats the title so that a phrase is found whichever column it falls in.
 */
export function searchDocumentOf (type: RevisionRecordType, record: object): SearchDocument {
  const doc = builders[type](record as never)
  return { ...doc, date: doc.date ?? null }
}
