import { Type, type Static } from 'typebox'
import { Approximate, DateBoundsOf, type DocOf, EdtfDate, evidenceFields, ExternalFields, InputOf, ListOf, Nullable, PatchOf, Precision, RecordId, StringEnum, Timestamp } from '../../schemas/common.js'
import { quoteKinds } from './table.js'

export const Language = (description: string) =>
  Type.String({ description: `${description} BCP 47 language tag, usually an ISO 639-1 code.`, pattern: '^[a-z]{2,3}(-[A-Za-z0-9]{1,8})*$', examples: ['en'] })

export const Quote = Type.Object({
  id: RecordId('Stable id.', 'garcia-harfuch-strategic-move'),
  speaker_id: RecordId('The actor who said it.', 'omar-garcia-harfuch'),
  text: Type.String({
    description: 'What was said: the exact words for `direct` quotes, the source\'s wording for `partial` quotes and paraphrases.',
    minLength: 1,
    maxLength: 10_000,
    examples: ['This is a strategic move to enhance public safety and disrupt criminal influence']
  }),
  kind: StringEnum(quoteKinds, {
    description: '`direct` when the source quotes the words verbatim, `partial` when only some words are quoted, `paraphrase` when it reports them in its own words.',
    examples: ['direct']
  }),
  language: Language('Language of `text`.'),
  date: Nullable(EdtfDate('When it was said.', '2025-08-13')),
  date_precision: Precision('date'),
  date_approximate: Approximate('date'),
  ...DateBoundsOf('date'),
  context: Nullable(Type.String({
    description: 'The occasion and circumstances of the statement.',
    maxLength: 10_000,
    examples: ['News conference on the transfer of 26 cartel leaders to the United States.']
  })),
  rendered_from: Nullable(Language('The language the words were said in when the source gives them translated (`text` is then the source\'s rendering in `language`); null when the source quotes them in the language they were said in.')),
  original_text: Nullable(Type.String({
    description: 'The words as said, in `rendered_from`, when a source gives them; null otherwise.',
    minLength: 1,
    maxLength: 10_000
  })),
  external_fields: ExternalFields,
  ...evidenceFields,
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('Citation'), { description: 'Evidence, with `include=citations` (with `include=citations.source`, each with its source in short).' })),
  speaker: Type.Optional(Type.Ref('ActorSummary', { description: 'The speaker, with `include=speaker`.' }))
}, { $id: 'Quote', description: 'A statement by an actor, quoted directly, in part, or paraphrased by a source.', additionalProperties: false })
export type QuoteDto = Static<typeof Quote>

export const QuoteList = ListOf('Quote', 'QuoteList', 'A page of quotes.', { counted: true, estimable: true })

export const quoteIncludes = ['citations', 'citations.source', 'speaker'] as const

/** What each value of a quote's filters is. */
export const quoteFilterItems = {
  speaker: RecordId('An actor id.', 'omar-garcia-harfuch'),
  // BCP 47 tags ignore case: `EN` finds what is stored as `en`.
  language: Type.String({ ...Language('A language (case does not matter).'), pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$' }),
  kind: StringEnum(quoteKinds, { description: 'A kind of quote.', examples: ['direct'] }),
  rendered_from: Type.String({ ...Language('A language the words were said in (case does not matter).'), pattern: '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$', examples: ['es'] })
}

export const QuoteInput = InputOf(Quote, {
  $id: 'QuoteInput',
  description: 'A new quote. The speaker must exist, and the text must occur in one of the cited sources.',
  omit: ['citations', 'speaker'],
  required: ['speaker_id', 'text', 'kind', 'language'],
  record: { exampleId: 'garcia-harfuch-strategic-move' }
})
export const QuotePatch = PatchOf(QuoteInput, { $id: 'QuotePatch', description: 'A JSON Merge Patch (RFC 7396) of a quote.' })

export type QuoteDoc = DocOf<typeof QuoteInput>

export const quoteSchemas = [Quote, QuoteList, QuoteInput, QuotePatch]
