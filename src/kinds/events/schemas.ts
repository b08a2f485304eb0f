import { Type, type Static } from 'typebox'
import { Approximate, Country, DateBoundsOf, type DocOf, EdtfDate, evidenceFields, ExternalFields, InputOf, ListOf, Nullable, PatchOf, Precision, RecordId, StringEnum, Timestamp } from '../../schemas/common.js'
import { eventKinds, eventPartyRoles } from './table.js'

export const EventParty = Type.Object({
  actor_id: RecordId('The actor.', 'omar-garcia-harfuch'),
  role: StringEnum(eventPartyRoles, { description: 'How the actor took part.', examples: ['speaker'] })
}, { $id: 'EventParty', description: 'An actor taking part in an event, with its role.', additionalProperties: false })

export const Event = Type.Object({
  id: RecordId('Stable id.', 'sheinbaum-trump-90-day-agreement-2025'),
  kind: StringEnum(eventKinds, { description: 'What sort of event it is.', examples: ['agreement'] }),
  title: Type.String({ description: 'Short title.', minLength: 1, maxLength: 500, examples: ['Sheinbaum and Trump agree a 90-day negotiation period'] }),
  description: Nullable(Type.String({
    description: 'What happened, in a paragraph.',
    maxLength: 10_000,
    examples: ['Presidents Claudia Sheinbaum and Donald Trump agreed a 90-day negotiation period to avert the 30% tariffs Trump threatened on Mexican imports.']
  })),
  date: Nullable(EdtfDate('When it happened.', '2025-07-30')),
  date_precision: Precision('date'),
  date_approximate: Approximate('date'),
  ...DateBoundsOf('date'),
  place: Nullable(Type.String({ description: 'Where it happened, as the source names it.', maxLength: 500, examples: ['Mexico City'] })),
  country: Nullable(Country('Country it happened in; null when the source does not say.')),
  parties: Type.Array(Type.Ref('EventParty'), { description: 'Actors and organisations taking part, each with a role.' }),
  external_fields: ExternalFields,
  ...evidenceFields,
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations` (with `include=citations.source`, each with its source in short).' })),
  actors: Type.Optional(Type.Array(Type.Ref('ActorSummary'), { description: 'The parties, with `include=actors`.' }))
}, { $id: 'Event', description: 'Something that happened on a date: an agreement, a plea deal, a news conference, a designation…', additionalProperties: false })
export type EventDto = Static<typeof Event>

export const EventList = ListOf('Event', 'EventList', 'A page of events.', { counted: true, estimable: true })

export const eventIncludes = ['citations', 'citations.source', 'actors'] as const

/** What each value of an event's filters is. */
export const eventFilterItems = {
  kind: StringEnum(eventKinds, { description: 'A kind of event.', examples: ['news_conference'] }),
  actor: RecordId('An actor id.', 'omar-garcia-harfuch'),
  role: StringEnum(eventPartyRoles, { description: 'A role of a party.', examples: ['speaker'] }),
  country: Country('A country.')
}

export const EventInput = InputOf(Event, {
  $id: 'EventInput',
  description: 'A new event. Parties must name existing actors; every citation is verified against its source.',
  omit: ['citations', 'actors'],
  required: ['kind', 'title'],
  record: { exampleId: 'sheinbaum-trump-90-day-agreement-2025' }
})
export const EventPatch = PatchOf(EventInput, { $id: 'EventPatch', description: 'A JSON Merge Patch (RFC 7396) of an event: arrays (parties, citations) are replaced whole.' })

export type EventDoc = DocOf<typeof EventInput, { EventParty: typeof EventParty }>

export const eventSchemas = [EventParty, Event, EventList, EventInput, EventPatch]
