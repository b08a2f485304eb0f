import { Type, type Static } from 'typebox'
import { DateBoundsOf, Default, type DocOf, EdtfDate, ListOf, NewRecordId, Nullable, PatchOf, Precision, RecordId, Timestamp } from '../../schemas/common.js'

const languageTag = '^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$'

export const Source = Type.Object({
  id: RecordId('Stable id.', 'mexico-hands-over-26-cartel-kingpins'),
  title: Type.String({ description: 'Title of the document.', examples: ['Mexico Hands Over 26 Cartel Kingpins to US'] }),
  publisher: Nullable(Type.String({ description: 'Who published it; null when unknown.', examples: ['Reuters'] })),
  url: Nullable(Type.String({ description: 'Where it was published; null when unknown.', examples: ['https://example.com/mexico-hands-over-26-cartel-kingpins'] })),
  language: Type.String({ description: 'BCP 47 language tag of the document.', examples: ['en'] }),
  published_on: Nullable(EdtfDate('When it was published; null when unknown.', '2025-08-13')),
  published_on_precision: Precision('published_on'),
  ...DateBoundsOf('published_on'),
  text: Type.String({ description: 'The cleaned text of the document. Citation offsets count Unicode code points into this text.' }),
  text_sha256: Type.String({ description: 'SHA-256 of `text` (UTF-8), lower-case hex.', pattern: '^[0-9a-f]{64}$', examples: ['9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'] }),
  created_at: Timestamp('When the record was created.'),
  updated_at: Timestamp('When the record last changed.'),
  citations: Type.Optional(Type.Array(Type.Ref('SourceCitation'), { description: 'With `include=citations`: every citation pointing into the source, in the order of its text, each with the record it supports (`GET /v1/sources/{id}/citations` pages them and finds a passage\'s).' }))
}, { $id: 'Source', description: 'A captured document that citations point into.', additionalProperties: false })
export type SourceDto = Static<typeof Source>

export const SourceList = ListOf('Source', 'SourceList', 'A page of sources.', { counted: true, estimable: true })

/** Sources embed nothing, so their queries take no `include`. */
export const sourceIncludes = ['citations'] as const

/** What each value of a source's filters is. */
export const sourceFilterItems = {
  language: Type.String({ description: 'A BCP 47 language tag (case does not matter).', pattern: languageTag, examples: ['en'] })
}

export const SourceInput = Type.Object({
  id: Type.Optional(NewRecordId('mexico-hands-over-26-cartel-kingpins')),
  title: Type.String({ description: 'Title of the document.', minLength: 1, maxLength: 1000 }),
  publisher: Default(Nullable(Type.String({ description: 'Who published it; null when unknown.', maxLength: 500 })), null),
  url: Default(Nullable(Type.String({ description: 'Where it was published; null when unknown.', maxLength: 2000 })), null),
  language: Type.String({ description: 'BCP 47 language tag of the document.', pattern: languageTag, examples: ['en'] }),
  published_on: Default(Nullable(EdtfDate('When it was published; null when unknown.', '2025-08-13')), null),
  captured_text: Type.String({
    description: 'The document as captured, page chrome included. The server keeps it, and stores a cleaned text (without close buttons, "Also Read" teasers or share footers) with its sha256; citations point into the cleaned text.',
    minLength: 1,
    maxLength: 5_000_000
  })
}, { $id: 'SourceInput', description: 'A new source: a captured document.', additionalProperties: false })

export const SourcePatch = PatchOf(SourceInput, {
  $id: 'SourcePatch',
  description: 'A JSON Merge Patch (RFC 7396) of a source\'s metadata. Its text cannot change, since citations point into it: add a new source instead.',
  omit: ['captured_text']
})

/** A source's document: its metadata and the capture, kept exactly as captured. */
export type SourceDoc = DocOf<typeof SourceInput>

export const sourceSchemas = [Source, SourceList, SourceInput, SourcePatch]
