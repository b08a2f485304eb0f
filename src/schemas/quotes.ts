import { Type, type Static, type TSchema } from 'typebox'
import { Approximate, fieldsParam, GetQuery, ListOf, listParam, Nullable, pageParams, PartialDate, Precision, RecordId, selectableFields, sortParam, StringEnum, Timestamp, InputOf, PatchOf } from './common.js'

export const quoteKinds = ['direct', 'partial', 'paraphrase'] as const

const Language = (description: string) =>
  Type.String({ description: `${description} BCP 47 language tag, usually an ISO 639-1 code.`, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$', examples: ['en'] })

export const Quote = Type.Object({
  id: RecordId('Stable id.', 'garcia-harfuch-strategic-move'),
  speaker_id: RecordId('The actor who said it.', 'omar-garcia-harfuch'),
  text: Type.String({
    description: 'What was said: the exact words for `direct` quotes, the source\'s wording for `partial` quotes and paraphrases.',
    examples: ['This is a strategic move to enhance public safety and disrupt criminal influence']
  }),
  kind: StringEnum([...quoteKinds], {
    description: '`direct` when the source quotes the words verbatim, `partial` when only some words are quoted, `paraphrase` when it reports them in its own words.',
    examples: ['direct']
  }),
  language: Language('Language of `text`.'),
  date: Nullable(PartialDate('When it was said.', '2025-08-13')),
  date_precision: Precision('date'),
  date_approximate: Approximate('date'),
  context: Nullable(Type.String({
    description: 'The occasion and circumstances of the statement.',
    examples: ['News conference on the transfer of 26 cartel leaders to the United States.']
  })),
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations`.' })),
  speaker: Type.Optional(Type.Ref('ActorSummary', { description: 'The speaker, with `include=speaker`.' }))
}, { $id: 'Quote', description: 'A statement by an actor, quoted directly, in part, or paraphrased by a source.', additionalProperties: false })
export type QuoteDto = Static<typeof Quote>

export const QuoteList = ListOf('Quote', 'QuoteList', 'A page of quotes.')

export const quoteSortFields = ['date', 'id'] as const
export const quoteIncludes = ['citations', 'speaker'] as const
export const quoteFields = selectableFields(Quote, quoteIncludes)

export const QuoteListQuery = Type.Partial(Type.Object({
  ...pageParams,
  speaker: RecordId('Only quotes by this actor.', 'omar-garcia-harfuch'),
  date_from: PartialDate('Only quotes said on or after this date (partial dates overlap).', '2025-01-01'),
  date_to: PartialDate('Only quotes said on or before this date.', '2025-12-31'),
  language: Language('Only quotes in this language.'),
  kind: StringEnum([...quoteKinds], { description: 'Only quotes of this kind.', examples: ['direct'] }),
  sort: sortParam(quoteSortFields, '-date'),
  include: listParam('Embed related records.', quoteIncludes, 'citations,speaker'),
  fields: fieldsParam(quoteFields)
}), { additionalProperties: false })
export type QuoteListQueryType = Static<typeof QuoteListQuery>

export const QuoteGetQuery = GetQuery(quoteIncludes, quoteFields, 'citations,speaker')

export const quoteSchemas: TSchema[] = [Quote, QuoteList]

export const QuoteInput = InputOf(Quote, {
  $id: 'QuoteInput',
  description: 'A new quote. The speaker must exist, and the text must occur in one of the cited sources.',
  omit: ['citations', 'speaker'],
  required: ['speaker_id', 'text', 'kind', 'language'],
  record: { exampleId: 'garcia-harfuch-strategic-move' }
})
export const QuotePatch = PatchOf(QuoteInput, { $id: 'QuotePatch', description: 'A JSON Merge Patch (RFC 7396) of a quote.' })
quoteSchemas.push(QuoteInput, QuotePatch)
