import { Type, type Static } from 'typebox'
import { Approximate, Country, DateBoundsOf, type DocOf, EdtfDate, evidenceFields, ExternalFields, type FiltersOf, InputOf, ListOf, Nullable, PartialDate, PatchOf, Precision, RecordId, StringEnum, Timestamp } from '../../schemas/common.js'
import { InForce, ValidityParam } from '../../query/validity.js'
import { identifierSchemeNames, identifierSchemesInWords } from './identifiers.js'
import { actorKinds, actorRelationKinds, aliasKinds } from './table.js'

export const ActorAlias = Type.Object({
  alias: Type.String({ description: 'Another name the actor goes by, with diacritics.', minLength: 1, maxLength: 500, examples: ['El Chapo'] }),
  kind: StringEnum(aliasKinds, { description: 'What kind of name it is.', examples: ['nickname'] }),
  language: Nullable(Type.String({ description: 'BCP 47 language tag of the name; null when it is not language-specific.', examples: ['es'] }))
}, { $id: 'ActorAlias', description: 'Another name of an actor: a nickname, short form, acronym or translation.', additionalProperties: false })

export const ActorRole = Type.Object({
  id: RecordId('Role id.', 'omar-garcia-harfuch--security-minister'),
  title: Type.String({ description: 'The title or position, as the source gives it.', minLength: 1, maxLength: 500, examples: ['Security Minister'] }),
  organization_id: Nullable(RecordId('The actor (government, body, organisation) the role is held in; null when none is named.', 'government-of-mexico')),
  country: Nullable(Country('Country the role belongs to.')),
  from: Nullable(EdtfDate('When the actor took the role; null when the source does not say.', '2024-10-01')),
  from_precision: Precision('from'),
  from_approximate: Approximate('from'),
  ...DateBoundsOf('from'),
  to: Nullable(EdtfDate('When the role ended; null when it is ongoing or the source does not say.', '2025-08-13')),
  to_precision: Precision('to'),
  to_approximate: Approximate('to'),
  ...DateBoundsOf('to'),
  as_of: Nullable(Type.String({
    description: 'The date the source reports the role on (usually its publication date); null when unknown. ISO 8601 date.',
    format: 'date',
    examples: ['2025-08-13']
  })),
  in_force: Type.Optional(InForce)
}, { $id: 'ActorRole', description: 'A role an actor held: a title, optionally within an organisation, over a (possibly open) period.', additionalProperties: false })

export const ActorRelation = Type.Object({
  id: RecordId('Relation id.', 'ovidio-guzman--child-of--joaquin-guzman'),
  relation: StringEnum(actorRelationKinds, { description: 'How this actor relates to the other one, read "<actor> <relation> <related actor>".', examples: ['child_of'] }),
  related_actor_id: RecordId('The other actor.', 'joaquin-guzman')
}, { $id: 'ActorRelation', description: 'A directed link from this actor to another, e.g. `ovidio-guzman` child_of `joaquin-guzman`.', additionalProperties: false })

export const ActorIdentifier = Type.Object({
  scheme: StringEnum(identifierSchemeNames, { description: `The register: ${identifierSchemesInWords}.`, examples: ['wikidata'] }),
  value: Type.String({ description: 'The identifier in that register, in its own format (checked: a Wikidata id is `Q` and digits).', minLength: 1, maxLength: 200, examples: ['Q22686'] }),
  url: Type.String({ description: 'The identifier\'s page in its register.', format: 'uri', examples: ['https://www.wikidata.org/wiki/Q22686'] })
}, { $id: 'ActorIdentifier', description: 'The actor\'s identifier in an outside register (Wikidata, OFAC\'s SDN list, a U.S. court case…): one identifier names one actor.', additionalProperties: false })

export const Actor = Type.Object({
  id: RecordId('Stable id.', 'omar-garcia-harfuch'),
  kind: StringEnum(actorKinds, { description: 'What kind of actor this is.', examples: ['person'] }),
  name: Type.String({ description: 'Full name, with diacritics.', minLength: 1, maxLength: 500, examples: ['Omar García Harfuch'] }),
  country: Nullable(Country('Country the actor belongs to; null when unknown or international.')),
  description: Nullable(Type.String({ description: 'Who or what the actor is, in a sentence or two.', maxLength: 10_000 })),
  aliases: Type.Array(Type.Ref('ActorAlias'), { description: 'Other names: nicknames, short forms, acronyms, Spanish and English names.' }),
  roles: Type.Array(Type.Ref('ActorRole'), { description: 'Roles the actor held over time.' }),
  relations: Type.Array(Type.Ref('ActorRelation'), { description: 'Links from this actor to other actors.' }),
  identifiers: Type.Array(Type.Ref('ActorIdentifier'), { description: 'Identifiers in outside registers, for reconciling with Wikidata, sanctions lists and court dockets.' }),
  external_fields: ExternalFields,
  ...evidenceFields,
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations` (with `include=citations.source`, each with its source in short).' })),
  quotes: Type.Optional(Type.Array(Type.Ref('ActorLink'), { description: 'What the actor said, newest first, with `include=quotes`.' })),
  transfers: Type.Optional(Type.Array(Type.Ref('ActorLink'), { description: 'The transfers the actor took part in, newest first, each with the actor\'s role, with `include=transfers`.' })),
  events: Type.Optional(Type.Array(Type.Ref('ActorLink'), { description: 'The events the actor was a party to, newest first, with `include=events`.' })),
  measures: Type.Optional(Type.Array(Type.Ref('ActorLink'), { description: 'The cooperation measures the actor requested, provides or receives, with `include=measures`.' })),
  deadlines: Type.Optional(Type.Array(Type.Ref('ActorLink'), { description: 'The tariff deadlines the actor imposes or is targeted by, with `include=deadlines`.' }))
}, { $id: 'Actor', description: 'A person, organisation, government body or criminal group.', additionalProperties: false })
export type ActorDto = Static<typeof Actor>

export const ActorList = ListOf('Actor', 'ActorList', 'A page of actors.', { counted: true, estimable: true })

/** `citations`, and what points at the actor: the kinds whose definitions declare `actorLinks`. */
export const actorIncludes = ['citations', 'citations.source', 'quotes', 'transfers', 'events', 'measures', 'deadlines'] as const

/** What each value of an actor's filters is. */
export const actorFilterItems = {
  kind: StringEnum(actorKinds, { description: 'A kind of actor.', examples: ['person'] }),
  country: Country('A country.'),
  organization: RecordId('An organisation\'s actor id.', 'government-of-mexico'),
  identifier: Type.String({
    description: `An identifier, as \`<scheme>:<value>\`; schemes: ${identifierSchemeNames.map((n) => `\`${n}\``).join(', ')}.`,
    pattern: `^(${identifierSchemeNames.join('|')}):.+$`,
    // No example: Try it out sends every example at once, and no actor is both Trump and García Harfuch.
    maxLength: 220
  })
}

/** The actors' filters besides those on their fields. */
export const actorFilters = {
  name: Type.String({
    description: 'Only actors whose name or any alias contains this text, ignoring case and diacritics (`garcia harfuch`, `el chapo`, `cjng`).',
    examples: ['garcia harfuch'],
    minLength: 1,
    maxLength: 200
  }),
  valid_at: PartialDate('Only actors the sources put in a role on this date, with only those roles: between its start (or, unknown, the day a source reported it, `as_of`) and its end (or that report). An unknown start or end is not "always": see `validity`.', '2025-08-13'),
  validity: ValidityParam
}
export type ActorFilters = FiltersOf<typeof actorFilters>

const ActorAliasInput = InputOf(ActorAlias, { description: 'Another name of an actor.', required: ['alias', 'kind'] })
const ActorIdentifierInput = InputOf(ActorIdentifier, { description: 'An identifier of the actor in an outside register; its format is checked.', omit: ['url'], required: ['scheme', 'value'] })
const ActorRoleInput = InputOf(ActorRole, { description: 'A role the actor held.', omit: ['in_force'], required: ['id', 'title'] })

export const ActorInput = InputOf(Actor, {
  $id: 'ActorInput',
  description: 'A new actor. Role organisations and related actors must exist; every citation is verified against its source.',
  omit: ['citations'],
  required: ['kind', 'name'],
  override: {
    aliases: Type.Array(ActorAliasInput, { description: 'Other names: nicknames, short forms, acronyms, Spanish and English names.', maxItems: 200 }),
    roles: Type.Array(ActorRoleInput, { description: 'Roles the actor held over time; organisations must exist.', maxItems: 200 }),
    relations: Type.Array(Type.Ref('ActorRelation'), { description: 'Links from this actor to other existing actors.', maxItems: 200 }),
    identifiers: Type.Array(ActorIdentifierInput, { description: 'Identifiers in outside registers; each (scheme, value) may name one actor only.', maxItems: 100 })
  },
  record: { exampleId: 'omar-garcia-harfuch' }
})
export const ActorPatch = PatchOf(ActorInput, { $id: 'ActorPatch', description: 'A JSON Merge Patch (RFC 7396) of an actor: arrays (aliases, roles, relations, citations) are replaced whole.' })

export type ActorDoc = DocOf<typeof ActorInput, { ActorRelation: typeof ActorRelation }>

export const actorSchemas = [ActorAlias, ActorRole, ActorRelation, ActorIdentifier, Actor, ActorList, ActorInput, ActorPatch]
