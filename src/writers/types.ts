/**
 * The documents records are written from: a create body after defaults are applied, a record after
 * a merge patch, a line of an import, an entry of `seeds/`. The API's field names, plus citations.
 */
export interface CitationDoc {
  source_id: string
  excerpt: string
  start_offset?: number
  end_offset?: number
  fields?: string[]
  note?: string | null
}

interface Cited { id: string, citations: CitationDoc[] }

export interface SourceDoc {
  id: string
  title: string
  publisher: string | null
  url: string | null
  language: string
  published_on: string | null
  /** The document as captured; the server stores it and derives the cleaned text citations point into. */
  captured_text: string
}

/** A source entry of `seeds/sources.json`: the capture lives in its own file, kept exactly as captured. */
export interface SeedSourceEntry extends Omit<SourceDoc, 'captured_text'> {
  /** Path of the capture, relative to `seeds/`. */
  capture_file: string
}

export interface ActorDoc extends Cited {
  kind: 'person' | 'government' | 'government_body' | 'organization' | 'criminal_group' | 'group'
  name: string
  country: string | null
  description: string | null
  aliases: Array<{ alias: string, kind: 'alias' | 'nickname' | 'short_name' | 'spanish_name' | 'english_name' | 'acronym', language: string | null }>
  roles: Array<{ id: string, title: string, organization_id: string | null, country: string | null, from: string | null, from_approximate?: boolean, to: string | null, to_approximate?: boolean, as_of: string | null }>
  relations: Array<{ id: string, relation: 'child_of' | 'parent_of' | 'member_of' | 'leader_of' | 'part_of' | 'predecessor_of' | 'successor_of', related_actor_id: string }>
}

export interface TransferDoc extends Cited {
  date: string | null
  date_approximate: boolean
  announced_on: string | null
  from_country: string
  to_country: string
  mechanism: 'extradition' | 'expulsion' | 'deportation' | 'other' | 'unspecified'
  people_count: number | null
  people_count_approximate: boolean
  summary: string
  purpose: string | null
  charges: string | null
  participants: Array<{ actor_id: string, role: 'transferred' | 'organization_of_transferred' | 'requested' | 'announced' | 'sent' | 'received' | 'endorsed' | 'commented' }>
  resources: Array<{ id: string, kind: string, quantity: number, approximate: boolean, description: string }>
}

export interface QuoteDoc extends Cited {
  speaker_id: string
  text: string
  kind: 'direct' | 'partial' | 'paraphrase'
  language: string
  date: string | null
  date_approximate: boolean
  context: string | null
}

export interface TariffDeadlineDoc extends Cited {
  measure: string
  rate_percent: number | null
  imposing_country: string
  targeted_country: string
  imposing_party_id: string | null
  targeted_party_id: string | null
  announced_on: string | null
  announced_on_approximate: boolean
  window_start: string | null
  window_start_approximate: boolean
  window_days: number | null
  deadline: string | null
  deadline_approximate: boolean
  time_zone: string | null
  status: 'upcoming' | 'lapsed' | 'extended' | 'averted' | 'imposed'
  description: string | null
}

export interface CooperationMeasureDoc extends Cited {
  kind: 'surveillance_flight' | 'legal_assurance' | 'enforcement_policy' | 'intelligence_sharing' | 'joint_operation' | 'other'
  title: string
  description: string
  requesting_party_id: string | null
  providing_party_id: string | null
  receiving_party_id: string | null
  place: string | null
  start_date: string | null
  start_date_approximate: boolean
  end_date: string | null
  end_date_approximate: boolean
  military: boolean | null
  status: 'proposed' | 'active' | 'given' | 'ended' | 'cancelled'
  as_of: string | null
  transfer_ids: string[]
}

export interface SeedSet {
  sources: SourceDoc[]
  actors: ActorDoc[]
  transfers: TransferDoc[]
  quotes: QuoteDoc[]
  tariffDeadlines: TariffDeadlineDoc[]
  cooperationMeasures: CooperationMeasureDoc[]
}
