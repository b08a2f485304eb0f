import { Type, type Static } from 'typebox'
import { Approximate, DateBoundsOf, type DocOf, EdtfDate, evidenceFields, ExternalFields, type FiltersOf, InputOf, ListOf, Nullable, PartialDate, PatchOf, Precision, RecordId, StringEnum, Timestamp } from '../../schemas/common.js'
import { InForce, ValidityParam } from '../../query/validity.js'
import { cooperationMeasureKinds, cooperationMeasureStatuses } from './table.js'

export const CooperationMeasure = Type.Object({
  id: RecordId('Stable id.', 'us-drone-over-central-mexico-2025'),
  kind: StringEnum(cooperationMeasureKinds, { description: 'What sort of measure it is.', examples: ['surveillance_flight'] }),
  title: Type.String({ description: 'Short title.', minLength: 1, maxLength: 500, examples: ['U.S. non-military drone over central Mexico'] }),
  description: Type.String({
    description: 'What the measure is, in a paragraph.',
    minLength: 1,
    maxLength: 10_000,
    examples: ['A U.S. non-military drone operating over central Mexico at Mexico\'s request, to aid an ongoing investigation.']
  }),
  requesting_party_id: Nullable(RecordId('The actor that asked for the measure.', 'government-of-mexico')),
  providing_party_id: Nullable(RecordId('The actor that carries out or gives the measure.', 'government-of-the-united-states')),
  receiving_party_id: Nullable(RecordId('The actor the measure is for.', 'government-of-mexico')),
  place: Nullable(Type.String({ description: 'Where the measure takes place.', maxLength: 500, examples: ['Central Mexico'] })),
  start_date: Nullable(EdtfDate('When the measure began.', '2025-08')),
  start_date_precision: Precision('start_date'),
  start_date_approximate: Approximate('start_date'),
  ...DateBoundsOf('start_date'),
  end_date: Nullable(EdtfDate('When the measure ended.', '2025-12')),
  end_date_precision: Precision('end_date'),
  end_date_approximate: Approximate('end_date'),
  ...DateBoundsOf('end_date'),
  military: Nullable(Type.Boolean({ description: 'Whether the measure is military; null when the source does not say.', examples: [false] })),
  status: StringEnum(cooperationMeasureStatuses, {
    description: 'Status as of `as_of`, as the sources report it: `given` for assurances and commitments made.',
    examples: ['active']
  }),
  as_of: Nullable(EdtfDate('The date the status was reported for.', '2025-08-13')),
  ...DateBoundsOf('as_of'),
  in_force: Type.Optional(InForce),
  transfer_ids: Type.Array(Type.String(), {
    description: 'Transfers this measure applies to (e.g. the people an assurance covers).',
    examples: [['transfer-2025-02', 'transfer-2025-08-12']]
  }),
  external_fields: ExternalFields,
  ...evidenceFields,
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations` (with `include=citations.source`, each with its source in short).' })),
  parties: Type.Optional(Type.Array(Type.Ref('ActorSummary'), { description: 'The requesting, providing and receiving parties, with `include=parties`.' }))
}, { $id: 'CooperationMeasure', description: 'A measure the two governments take together or for each other: a surveillance flight, a legal assurance, an enforcement policy…', additionalProperties: false })
export type CooperationMeasureDto = Static<typeof CooperationMeasure>

export const CooperationMeasureList = ListOf('CooperationMeasure', 'CooperationMeasureList', 'A page of cooperation measures.', { counted: true, estimable: true })

export const cooperationMeasureIncludes = ['citations', 'citations.source', 'parties'] as const

/** What each value of a cooperation measure's filters is. */
export const cooperationMeasureFilterItems = {
  kind: StringEnum(cooperationMeasureKinds, { description: 'A kind of measure.', examples: ['legal_assurance'] }),
  status: StringEnum(cooperationMeasureStatuses, { description: 'A status.', examples: ['given'] }),
  party: RecordId('An actor id.', 'government-of-mexico'),
  transfer: RecordId('A transfer id.', 'transfer-2025-08-12')
}

/** The measures' filters besides those on their fields. */
export const cooperationMeasureFilters = {
  valid_at: PartialDate('Only measures the sources put in force on this date: active or given, between their start (or, unknown, the day a source reported them, `as_of`) and their end (or that report). An unknown start or end is not "always": see `validity`.', '2025-08-13'),
  validity: ValidityParam
}
export type CooperationMeasureFilters = FiltersOf<typeof cooperationMeasureFilters>

export const CooperationMeasureInput = InputOf(CooperationMeasure, {
  $id: 'CooperationMeasureInput',
  description: 'A new cooperation measure. Parties and transfers must exist; every citation is verified against its source.',
  omit: ['citations', 'parties', 'in_force'],
  required: ['kind', 'title', 'description', 'status'],
  record: { exampleId: 'us-drone-over-central-mexico-2025' }
})
export const CooperationMeasurePatch = PatchOf(CooperationMeasureInput, { $id: 'CooperationMeasurePatch', description: 'A JSON Merge Patch (RFC 7396) of a cooperation measure: arrays are replaced whole.' })

export type CooperationMeasureDoc = DocOf<typeof CooperationMeasureInput>

export const cooperationMeasureSchemas = [CooperationMeasure, CooperationMeasureList, CooperationMeasureInput, CooperationMeasurePatch]
