import { Type, type Static, type TSchema } from 'typebox'
import { revisionActions } from '../db/schema/revisions.js'
import { kinds } from '../kinds/index.js'
import { ListOf, Nullable, StringEnum, Timestamp } from './common.js'

const revisionOf = (singular: string, noun: string) => Type.Object({
  revision: Type.Integer({ description: 'Revision number of the record, from 1.', minimum: 1, examples: [2] }),
  action: StringEnum(revisionActions, { description: 'What the change was.', examples: ['update'] }),
  at: Timestamp('When the change was committed.'),
  author: Type.String({ description: 'Name of the API key that made the change (`seed` for seed data).', examples: ['analyst-desk'] }),
  comment: Nullable(Type.String({ description: 'Why the change was made, as its writer said (`?comment=`); null when not said.', examples: ['Second source reports the date'] })),
  etag: Type.String({ description: 'The ETag of this revision.', examples: ['"r2"'] }),
  record: Type.Ref(singular, { description: `The ${noun} after the change (as it was, for a delete), with its citations.` })
}, { $id: `${singular}Revision`, description: `One change of a ${noun}.`, additionalProperties: false })

/** `<Kind>Revision` and `<Kind>RevisionList` for every kind, so SDKs get typed history. */
export const revisionSchemas: TSchema[] = kinds.flatMap((k) => [
  revisionOf(k.singular, k.noun),
  ListOf(`${k.singular}Revision`, `${k.singular}RevisionList`, `A page of the revisions of a ${k.noun}, oldest first.`)
])

const changeOf = (type: string, singular: string, noun: string) => Type.Object({
  seq: Type.Integer({ description: 'Position in the feed: commit order across the whole knowledge base.', minimum: 1, examples: [42] }),
  cursor: Type.String({ description: 'Resume after this change by passing it as `since` (or as `Last-Event-ID` to the stream).' }),
  type: Type.Literal(type, { description: 'Kind of record: which of the `Change` variants this is.' }),
  id: Type.String({ description: 'Record id.', examples: ['transfer-2025-08-12'] }),
  action: StringEnum(revisionActions, { description: 'What the change was.', examples: ['create'] }),
  revision: Type.Integer({ description: 'The record\'s revision number after the change.', minimum: 1 }),
  at: Timestamp('When the change was committed.'),
  author: Type.String({ description: 'Name of the API key that made the change.' }),
  comment: Nullable(Type.String({ description: 'Why the change was made (`?comment=` on the write); null when not said.' })),
  data: Type.Ref(singular, { description: `The ${noun} after the change (as it was, for a delete), with its citations: what \`GET /v1/<kind>/{id}?include=citations\` answered then.` })
}, { $id: `${singular}Change`, description: `A create, update or delete of ${noun === 'actor' ? 'an' : 'a'} ${noun}.`, additionalProperties: false })

/** One variant a kind, told apart by `type`: generated clients narrow `data` to the record's own type. */
const kindChanges = kinds.map((k) => changeOf(k.type, k.singular, k.noun))

export const Change = Type.Unsafe<Static<typeof kindChanges[number]>>({
  $id: 'Change',
  description: 'One create, update or delete in the knowledge base; `type` says which kind of record `data` is.',
  oneOf: kinds.map((k) => Type.Ref(`${k.singular}Change`)),
  discriminator: { propertyName: 'type', mapping: Object.fromEntries(kinds.map((k) => [k.type, `#/components/schemas/${k.singular}Change`])) }
})

export const ChangeList = Type.Object({
  data: Type.Array(Type.Ref('Change'), { description: 'Changes in commit order.' }),
  next_cursor: Type.String({ description: 'Pass as `since` to read on; at the end of the feed, the position to poll from later.' }),
  has_more: Type.Boolean({ description: 'True when more changes are waiting beyond this page.' })
}, { $id: 'ChangeList', description: 'A page of the change feed.', additionalProperties: false })

export const changeSchemas: TSchema[] = [...kindChanges, Change, ChangeList]

/** `<Kind>Merge`: what `POST /v1/<kind>/{id}/merge` answers, for the kinds whose duplicates may be merged. */
export const mergeSchemas: TSchema[] = [
  Type.Object({
    into: Type.String({ description: 'The record to fold this one into: it survives, with the duplicate\'s names, roles, relations, identifiers and citations.', minLength: 1, maxLength: 200, examples: ['omar-garcia-harfuch'] })
  }, { $id: 'MergeInput', description: 'Which record a duplicate is folded into.', additionalProperties: false }),
  ...kinds.filter((k) => k.merge !== undefined).map((k) => Type.Object({
    merged: Type.String({ description: 'The id of the duplicate: deleted, and answering 308 to `into` from now on.', examples: ['omar-harfuch'] }),
    into: Type.String({ description: 'The id of the survivor.', examples: [k.exampleId] }),
    record: Type.Ref(k.singular, { description: `The ${k.noun} after the merge.` }),
    rewritten: Type.Array(Type.Object({
      type: Type.String({ description: 'Kind of record.', examples: ['transfer'] }),
      id: Type.String({ description: 'Record id.', examples: ['transfer-2025-08-12'] }),
      revision: Type.Integer({ description: 'Its new revision.', minimum: 1 })
    }, { additionalProperties: false }), { description: 'The records that pointed at the duplicate and now point at the survivor, each with a new revision.' })
  }, { $id: `${k.singular}Merge`, description: `The outcome of merging a duplicate ${k.noun} into another.`, additionalProperties: false }))
]
