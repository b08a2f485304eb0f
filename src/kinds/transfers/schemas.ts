import { Type, type Static, type TOptional, type TUnsafe } from 'typebox'
import { Approximate, Country, DateBoundsOf, type DocOf, EdtfDate, evidenceFields, ExternalFields, InputOf, ListOf, Nullable, PatchOf, Precision, RecordId, StringEnum, Timestamp } from '../../schemas/common.js'
import { participantRoles, transferMechanisms } from './table.js'

/** What the sources may say of a person transferred; each detail is left out when they say nothing. */
const personDetails = {
  organization_id: Type.Optional(RecordId('The organisation (an actor) the person belongs to, which the statistics attribute them to.', 'cjng')),
  charges: Type.Optional(Type.String({ description: 'What the person is charged with, as the sources say.', minLength: 1, maxLength: 2000, examples: ['Drug trafficking'] })),
  wanted_by: Type.Optional(Type.String({ description: 'The court, district or authority that wants the person.', minLength: 1, maxLength: 500, examples: ['U.S. District Court for the Northern District of Illinois'] })),
  case_numbers: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { description: 'The case numbers against the person.', minItems: 1, maxItems: 50, examples: [['1:09-cr-00383']] })),
  held_at: Type.Optional(Type.String({ description: 'Where the person was held before the transfer.', minLength: 1, maxLength: 500, examples: ['Altiplano prison'] }))
}

export const TransferParticipant = Type.Object({
  actor_id: RecordId('The actor.', 'government-of-the-united-states'),
  role: StringEnum(participantRoles, { description: 'How the actor took part.', examples: ['requested'] }),
  ...personDetails
}, { $id: 'TransferParticipant', description: 'An actor taking part in a transfer, with its role. A person `transferred` may carry what the sources say of them (`organization_id`, `charges`, `wanted_by`, `case_numbers`, `held_at`, each present only when known and citable as `participants.<actor>.transferred.<detail>`).', additionalProperties: false })

/** What a participant may carry besides its actor and role: a person transferred's details. */
export const participantDetails = ['organization_id', 'charges', 'wanted_by', 'case_numbers', 'held_at'] as const

/** In a create body or patch, a detail may also be null (or `[]`): not known, as when left out. */
const personDetailsInput = Object.fromEntries(Object.entries(personDetails).map(([name, schema]) => {
  const { minItems: _minItems, ...bare } = schema as typeof schema & { minItems?: number }
  return [name, Type.Optional(name === 'case_numbers' ? Type.Unsafe(bare) : Nullable(bare))]
})) as { [K in keyof typeof personDetails]: TOptional<TUnsafe<Static<typeof personDetails[K]> | null>> }

const TransferParticipantInput = Type.Object({
  actor_id: RecordId('The actor; it must exist.', 'government-of-the-united-states'),
  role: StringEnum(participantRoles, { description: 'How the actor took part.', examples: ['requested'] }),
  ...personDetailsInput
}, { description: 'An actor taking part in a transfer; the details are for people transferred (the organisation must exist).', additionalProperties: false })

export const TransferResource = Type.Object({
  id: RecordId('Resource id.', 'transfer-2025-08-12--vehicles'),
  kind: Type.String({ description: 'What was used.', minLength: 1, maxLength: 100, examples: ['vehicles'] }),
  quantity: Type.Integer({ description: 'How many; for approximate figures the figure the source gives.', minimum: 0, maximum: 10_000_000, examples: [90] }),
  approximate: Type.Boolean({ description: 'True for figures like "nearly 1,000" or "a dozen".' }),
  description: Type.String({ description: 'The figure as the source words it.', minLength: 1, maxLength: 1000, examples: ['90 vehicles'] })
}, { $id: 'TransferResource', description: 'Resources an operation used.', additionalProperties: false })

export const Transfer = Type.Object({
  id: RecordId('Stable id.', 'transfer-2025-08-12'),
  date: Nullable(EdtfDate('When the people were handed over.')),
  date_precision: Precision('date'),
  date_approximate: Approximate('date'),
  ...DateBoundsOf('date'),
  announced_on: Nullable(EdtfDate('When the transfer was announced.', '2025-08-13')),
  ...DateBoundsOf('announced_on'),
  from_country: Country('Country that handed the people over.'),
  to_country: Country('Country that received them.'),
  mechanism: StringEnum(transferMechanisms, { description: 'Legal mechanism as the source reports it; `unspecified` when it does not say.', examples: ['extradition'] }),
  people_count: Nullable(Type.Integer({ description: 'Number of people transferred.', minimum: 0, maximum: 1_000_000, examples: [26] })),
  people_count_approximate: Approximate('people_count'),
  summary: Type.String({ description: 'One-paragraph summary.', minLength: 1, maxLength: 10_000 }),
  purpose: Nullable(Type.String({ description: 'The stated aim of the transfer.', maxLength: 10_000 })),
  charges: Nullable(Type.String({ description: 'Charges the people face in the receiving country.', maxLength: 10_000 })),
  participants: Type.Array(Type.Ref('TransferParticipant'), { description: 'Actors and organisations involved, each with a role.' }),
  resources: Type.Array(Type.Ref('TransferResource'), { description: 'The operation\'s resources.' }),
  external_fields: ExternalFields,
  ...evidenceFields,
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations` (with `include=citations.source`, each with its source in short).' })),
  actors: Type.Optional(Type.Array(Type.Ref('ActorSummary'), { description: 'The participants, with `include=actors`.' })),
  measure_ids: Type.Optional(Type.Array(Type.String(), {
    description: 'With `include=measures`: the cooperation measures (such as legal assurances) that apply to this transfer. They are the measures\' links, so they are embedded on request rather than part of the transfer\'s own revision.',
    examples: [['us-no-death-penalty-assurance-2025']]
  }))
}, { $id: 'Transfer', description: 'People handed over from one country to another on one occasion.', additionalProperties: false })
export type TransferDto = Static<typeof Transfer>

export const TransferList = ListOf('Transfer', 'TransferList', 'A page of transfers.', { counted: true, estimable: true })

export const transferIncludes = ['citations', 'citations.source', 'actors', 'measures'] as const

/** What each value of a transfer's filters is. */
export const transferFilterItems = {
  country: Country('A country.'),
  mechanism: StringEnum(transferMechanisms, { description: 'A mechanism.', examples: ['extradition'] }),
  actor: RecordId('An actor id.', 'cjng'),
  role: StringEnum(participantRoles, { description: 'A participant\'s role.', examples: ['transferred'] })
}

export const TransferInput = InputOf(Transfer, {
  $id: 'TransferInput',
  description: 'A new transfer. Participants must name existing actors; every citation is verified against its source.',
  omit: ['measure_ids', 'citations', 'actors'],
  required: ['from_country', 'to_country', 'mechanism', 'summary'],
  override: {
    participants: Type.Array(TransferParticipantInput, { description: 'Who took part, and how; actors (and the organisations of people transferred) must exist.', maxItems: 10_000 })
  },
  record: { exampleId: 'transfer-2025-08-12' }
})
export const TransferPatch = PatchOf(TransferInput, { $id: 'TransferPatch', description: 'A JSON Merge Patch (RFC 7396) of a transfer: arrays (participants, resources, citations) are replaced whole.' })

export type TransferDoc = DocOf<typeof TransferInput, { TransferParticipant: typeof TransferParticipant, TransferResource: typeof TransferResource }>

export const transferSchemas = [TransferParticipant, TransferResource, Transfer, TransferList, TransferInput, TransferPatch]
