import { Type, type Static } from 'typebox'
import { Approximate, Country, DateBoundsOf, type DocOf, EdtfDate, evidenceFields, ExternalFields, type FiltersOf, InputOf, ListOf, Nullable, PartialDate, PatchOf, Precision, RecordId, StringEnum, Timestamp } from '../../schemas/common.js'
import { InForce, ValidityParam } from '../../query/validity.js'
import { tariffDeadlineStatuses } from './table.js'

export const TariffDeadline = Type.Object({
  id: RecordId('Stable id.', 'us-tariffs-on-mexican-imports-2025'),
  measure: Type.String({ description: 'The trade measure threatened or imposed.', minLength: 1, maxLength: 500, examples: ['Tariffs on Mexican imports'] }),
  rate_percent: Nullable(Type.Number({ description: 'The tariff rate in percent; null when the source gives none.', minimum: 0, maximum: 10_000, examples: [30] })),
  imposing_country: Country('Country that threatens or imposes the measure.'),
  targeted_country: Country('Country the measure targets.'),
  imposing_party_id: Nullable(RecordId('The actor threatening or imposing the measure.', 'donald-trump')),
  targeted_party_id: Nullable(RecordId('The actor the measure targets.', 'government-of-mexico')),
  announced_on: Nullable(EdtfDate('When the measure was announced.', '2025-07-10')),
  announced_on_precision: Precision('announced_on'),
  announced_on_approximate: Approximate('announced_on'),
  ...DateBoundsOf('announced_on'),
  window_start: Nullable(EdtfDate('When the negotiation or grace period began.', '2025-07-30')),
  window_start_precision: Precision('window_start'),
  window_start_approximate: Approximate('window_start'),
  ...DateBoundsOf('window_start'),
  window_days: Nullable(Type.Integer({ description: 'Length of the negotiation or grace period, in days.', minimum: 0, maximum: 3650, examples: [90] })),
  deadline: Nullable(EdtfDate('When the period ends and the measure would take effect.', '2025-10-28')),
  deadline_precision: Precision('deadline'),
  deadline_approximate: Approximate('deadline'),
  ...DateBoundsOf('deadline'),
  time_zone: Nullable(Type.String({ description: 'IANA time zone the deadline is reckoned in (`America/New_York`, `UTC`).', format: 'time-zone', maxLength: 100, examples: ['America/New_York'] })),
  status: StringEnum(tariffDeadlineStatuses, {
    description: 'Status as recorded from the sources (see `updated_at`), not recomputed from today\'s date: a deadline still `upcoming` here may have passed since.',
    examples: ['upcoming']
  }),
  description: Nullable(Type.String({ description: 'What is at stake, in a paragraph.', maxLength: 10_000 })),
  current_status: StringEnum(tariffDeadlineStatuses, {
    description: 'The status computed for today in `time_zone` (or for `?at=`): an `upcoming` deadline whose day has passed is `lapsed`; `extended`, `averted` and `imposed` stand as recorded.',
    examples: ['lapsed']
  }),
  days_remaining: Nullable(Type.Integer({
    description: 'Whole days from today in the issuing authority\'s `time_zone` (or from `?at=`) to the deadline; negative once it has passed; null unless the deadline is known to the day.',
    examples: [76]
  })),
  in_force: Type.Optional(InForce),
  external_fields: ExternalFields,
  ...evidenceFields,
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations` (with `include=citations.source`, each with its source in short).' })),
  parties: Type.Optional(Type.Array(Type.Ref('ActorSummary'), { description: 'The imposing and targeted parties, with `include=parties`.' }))
}, { $id: 'TariffDeadline', description: 'A trade measure hanging over the cooperation, with the deadline by which it would take effect.', additionalProperties: false })
export type TariffDeadlineDto = Static<typeof TariffDeadline>

export const TariffDeadlineList = ListOf('TariffDeadline', 'TariffDeadlineList', 'A page of tariff deadlines.', { counted: true, estimable: true })

/** `?at=`: the day to compute `current_status` and `days_remaining` for, instead of today. */
export const AtParam = Type.String({
  description: 'Compute `current_status` and `days_remaining` as of this day (YYYY-MM-DD) instead of today in the deadline\'s time zone.',
  pattern: '^\\d{4}-\\d{2}-\\d{2}$',
  format: 'partial-date',
  examples: ['2025-09-01']
})

export const tariffDeadlineIncludes = ['citations', 'citations.source', 'parties'] as const

/** What each value of a tariff deadline's filters is. */
export const tariffDeadlineFilterItems = {
  status: StringEnum(tariffDeadlineStatuses, { description: 'A recorded status.', examples: ['upcoming'] }),
  country: Country('A country.'),
  party: RecordId('An actor id.', 'government-of-mexico')
}

/** The deadlines' filters besides those on their fields, and `at`. */
export const tariffDeadlineFilters = {
  at: AtParam,
  valid_at: PartialDate('Only deadlines the sources put pending on this date: upcoming or extended, inside their window (from its start to the deadline; with either unknown, only on the one date known). An unknown start is not "always": see `validity`.', '2025-09-01'),
  validity: ValidityParam
}
export type TariffDeadlineFilters = FiltersOf<typeof tariffDeadlineFilters>

export const TariffDeadlineInput = InputOf(TariffDeadline, {
  $id: 'TariffDeadlineInput',
  description: 'A new tariff deadline. Parties must exist; every citation is verified against its source.',
  omit: ['citations', 'parties', 'current_status', 'days_remaining', 'in_force'],
  required: ['measure', 'imposing_country', 'targeted_country', 'status'],
  record: { exampleId: 'us-tariffs-on-mexican-imports-2025' }
})
export const TariffDeadlinePatch = PatchOf(TariffDeadlineInput, { $id: 'TariffDeadlinePatch', description: 'A JSON Merge Patch (RFC 7396) of a tariff deadline.' })

export type TariffDeadlineDoc = DocOf<typeof TariffDeadlineInput>

export const tariffDeadlineSchemas = [TariffDeadline, TariffDeadlineList, TariffDeadlineInput, TariffDeadlinePatch]
