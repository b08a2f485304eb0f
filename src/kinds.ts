import type { RevisionRecordType } from './db/schema/index.js'
import type { Repositories } from './plugins/repositories.js'

export interface KindInfo {
  /** URL segment and OpenAPI tag. */
  path: string
  noun: string
  repository: keyof Repositories
  /** `$id`s of the create and merge-patch bodies. */
  input: string
  patch: string
  /** Operation id stem: `Transfer` → createTransfer, updateTransfer… */
  singular: string
}

/** The six kinds of record, in the order an import writes them (what a record points at comes first). */
export const kinds: Record<RevisionRecordType, KindInfo> = {
  source: { path: 'sources', noun: 'source', repository: 'sources', input: 'SourceInput', patch: 'SourcePatch', singular: 'Source' },
  actor: { path: 'actors', noun: 'actor', repository: 'actors', input: 'ActorInput', patch: 'ActorPatch', singular: 'Actor' },
  transfer: { path: 'transfers', noun: 'transfer', repository: 'transfers', input: 'TransferInput', patch: 'TransferPatch', singular: 'Transfer' },
  quote: { path: 'quotes', noun: 'quote', repository: 'quotes', input: 'QuoteInput', patch: 'QuotePatch', singular: 'Quote' },
  tariff_deadline: { path: 'tariff-deadlines', noun: 'tariff deadline', repository: 'tariffDeadlines', input: 'TariffDeadlineInput', patch: 'TariffDeadlinePatch', singular: 'TariffDeadline' },
  cooperation_measure: { path: 'cooperation-measures', noun: 'cooperation measure', repository: 'cooperationMeasures', input: 'CooperationMeasureInput', patch: 'CooperationMeasurePatch', singular: 'CooperationMeasure' }
}

export const kindTypes = Object.keys(kinds) as RevisionRecordType[]

/** `an actor`, `a transfer`. */
export const withArticle = (noun: string) => (/^[aeiou]/.test(noun) ? `an ${noun}` : `a ${noun}`)
