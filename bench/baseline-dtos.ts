/**
 * The baselines' Transfer DTO (bench/baseline-server.ts over SQLite, bench/pg-baseline-server.ts
 * over PostgreSQL): built by hand from the rows of the same queries the API runs, key for key in
 * the order of the API's `Transfer` schema, so that a baseline sends the API's bytes. Values come
 * as each driver gives them: SQLite's booleans are 0/1 and its JSON text, PostgreSQL's are
 * booleans and parsed JSON.
 */
import { groupBy } from '../src/repositories/related.js'

export interface TransferRow {
  id: string
  date: string | null
  date_earliest: string | null
  date_latest: string | null
  date_approximate: unknown
  announced_on: string | null
  announced_on_earliest: string | null
  announced_on_latest: string | null
  from_country: string
  to_country: string
  mechanism: string
  people_count: number | null
  people_count_approximate: unknown
  summary: string
  purpose: string | null
  charges: string | null
  created_at: string
  updated_at: string
}
export interface ParticipantRow {
  transfer_id: string
  actor_id: string
  role: string
  organization_id: string | null
  charges: string | null
  wanted_by: string | null
  case_numbers: unknown
  held_at: string | null
}
export interface AlternativeRow { record_id: string, position: number, field: string, value: unknown, rank: string, note: string | null }
export interface ResourceRow { id: string, transfer_id: string, kind: string, quantity: number, approximate: unknown, description: string }
export interface CitationRow {
  id: number
  record_id: string
  source_id: string
  excerpt: string
  start_offset: number
  end_offset: number
  fields: unknown
  support: string
  note: string | null
  alternative: number | null
}

/** The rows of a page's related tables, as the baseline read them. */
export interface RelatedRows {
  participants: ParticipantRow[]
  resources: ResourceRow[]
  /** Every citation of the page, the records' own and their alternatives', by id. */
  citations: CitationRow[]
  alternatives: AlternativeRow[]
}

export const transferColumns = `id, date, date_earliest, date_latest, date_approximate, announced_on, announced_on_earliest, announced_on_latest, from_country, to_country, mechanism, people_count,
  people_count_approximate, summary, purpose, charges, created_at, updated_at`

/** The API's default sort `-date` (canonical `-date,-id`): where the date is placed, then id, descending. */
export const firstPageOrder = 'ORDER BY coalesce(date_earliest, date_latest, \'\') DESC, id DESC'

const bool = (value: unknown) => value === true || value === 1

/** How a driver gives JSON columns: as text (SQLite), or parsed already (PostgreSQL). */
export type JsonOf = <T>(value: unknown) => T
export const jsonText: JsonOf = <T>(value: unknown) => JSON.parse(value as string) as T
export const jsonParsed: JsonOf = <T>(value: unknown) => value as T

const citationOut = (json: JsonOf) => (c: CitationRow) => ({
  id: c.id,
  source_id: c.source_id,
  excerpt: c.excerpt,
  start_offset: c.start_offset,
  end_offset: c.end_offset,
  fields: json<string[]>(c.fields),
  support: c.support,
  note: c.note
})

const precisionOf = (date: string | null) =>
  date === null || date.startsWith('[') ? null : date.length === 4 ? 'year' : date.length === 7 ? 'month' : 'day'

/** The Transfer DTOs of a page's rows. */
export function transferDtos (rows: TransferRow[], related: RelatedRows, withCitations: boolean, json: JsonOf): object[] {
  const cited = citationOut(json)
  const participants = groupBy(related.participants, (p) => p.transfer_id)
  const resources = groupBy(related.resources, (r) => r.transfer_id)
  const own = groupBy(related.citations.filter((c) => c.alternative === null), (c) => c.record_id)
  const alternatives = groupBy(related.alternatives, (a) => a.record_id)
  return rows.map((r) => {
    const citations = own.get(r.id) ?? []
    const external = new Set(citations.filter((c) => c.support === 'external').flatMap((c) => json<string[]>(c.fields)))
    for (const c of citations) if (c.support !== 'external') for (const f of json<string[]>(c.fields)) external.delete(f)
    const alternativesOfRecord = alternatives.get(r.id) ?? []
    const dto: Record<string, unknown> = {
      id: r.id,
      date: r.date,
      date_precision: precisionOf(r.date),
      date_approximate: bool(r.date_approximate),
      date_earliest: r.date_earliest,
      date_latest: r.date_latest,
      announced_on: r.announced_on,
      announced_on_earliest: r.announced_on_earliest,
      announced_on_latest: r.announced_on_latest,
      from_country: r.from_country,
      to_country: r.to_country,
      mechanism: r.mechanism,
      people_count: r.people_count,
      people_count_approximate: bool(r.people_count_approximate),
      summary: r.summary,
      purpose: r.purpose,
      charges: r.charges,
      participants: (participants.get(r.id) ?? []).map((p) => {
        const caseNumbers = json<string[]>(p.case_numbers)
        return {
          actor_id: p.actor_id,
          role: p.role,
          ...(p.organization_id === null ? {} : { organization_id: p.organization_id }),
          ...(p.charges === null ? {} : { charges: p.charges }),
          ...(p.wanted_by === null ? {} : { wanted_by: p.wanted_by }),
          ...(caseNumbers.length === 0 ? {} : { case_numbers: caseNumbers }),
          ...(p.held_at === null ? {} : { held_at: p.held_at })
        }
      }),
      resources: (resources.get(r.id) ?? []).map((x) => ({
        id: x.id, kind: x.kind, quantity: x.quantity, approximate: bool(x.approximate), description: x.description
      })),
      external_fields: [...external].sort(),
      alternatives: alternativesOfRecord.map((a) => ({
        field: a.field,
        value: json<unknown>(a.value),
        rank: a.rank,
        note: a.note,
        citations: related.citations.filter((c) => c.record_id === r.id && c.alternative === a.position).map(cited)
      })),
      disputed_fields: [...new Set(alternativesOfRecord.filter((a) => a.rank === 'normal').map((a) => a.field))].sort(),
      created_at: r.created_at,
      updated_at: r.updated_at
    }
    if (withCitations) dto.citations = citations.map(cited)
    return dto
  })
}

/** The list's first-page query and cursor, as the API signs it: resource, canonical sort, no filters. */
export const listResource = 'transfers'
export const listSort = '-date,-id'
