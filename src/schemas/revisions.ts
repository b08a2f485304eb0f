import { Type, type TSchema } from 'typebox'
import { revisionActions } from '../db/schema/revisions.js'
import { kinds, kindTypes } from '../kinds/index.js'
import { ListOf, StringEnum, Timestamp } from './common.js'

const revisionOf = (singular: string, noun: string) => Type.Object({
  revision: Type.Integer({ description: 'Revision number of the record, from 1.', minimum: 1, examples: [2] }),
  action: StringEnum(revisionActions, { description: 'What the change was.', examples: ['update'] }),
  at: Timestamp('When the change was committed.'),
  author: Type.String({ description: 'Name of the API key that made the change (`seed` for seed data).', examples: ['analyst-desk'] }),
  etag: Type.String({ description: 'The ETag of this revision.', examples: ['"r2"'] }),
  record: Type.Ref(singular, { description: `The ${noun} after the change (as it was, for a delete), with its citations.` })
}, { $id: `${singular}Revision`, description: `One change of a ${noun}.`, additionalProperties: false })

/** `<Kind>Revision` and `<Kind>RevisionList` for every kind, so SDKs get typed history. */
export const revisionSchemas: TSchema[] = kinds.flatMap((k) => [
  revisionOf(k.singular, k.noun),
  ListOf(`${k.singular}Revision`, `${k.singular}RevisionList`, `A page of the revisions of a ${k.noun}, oldest first.`)
])

export const Change = Type.Object({
  seq: Type.Integer({ description: 'Position in the feed: commit order across the whole knowledge base.', minimum: 1, examples: [42] }),
  cursor: Type.String({ description: 'Resume after this change by passing it as `since` (or as `Last-Event-ID` to the stream).' }),
  type: StringEnum([...kindTypes], { description: 'Kind of record.', examples: ['transfer'] }),
  id: Type.String({ description: 'Record id.', examples: ['transfer-2025-08-12'] }),
  action: StringEnum(revisionActions, { description: 'What the change was.', examples: ['create'] }),
  revision: Type.Integer({ description: 'The record\'s revision number after the change.', minimum: 1 }),
  at: Timestamp('When the change was committed.'),
  author: Type.String({ description: 'Name of the API key that made the change.' }),
  data: Type.Object({}, { additionalProperties: true, description: 'The record after the change (as it was, for a delete), with its citations: the same shape as `GET /v1/<kind>/{id}?include=citations`.' })
}, { $id: 'Change', description: 'One create, update or delete in the knowledge base.', additionalProperties: false })

export const ChangeList = Type.Object({
  data: Type.Array(Type.Ref('Change'), { description: 'Changes in commit order.' }),
  next_cursor: Type.String({ description: 'Pass as `since` to read on; at the end of the feed, the position to poll from later.' }),
  has_more: Type.Boolean({ description: 'True when more changes are waiting beyond this page.' })
}, { $id: 'ChangeList', description: 'A page of the change feed.', additionalProperties: false })

export const changeSchemas: TSchema[] = [Change, ChangeList]
