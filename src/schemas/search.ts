import { Type, type Static, type TSchema } from 'typebox'
import { kindTypes } from '../kinds/index.js'
import { CountParam, EdtfDate, ListOf, listParam, Nullable, pageParams, PartialDate, RecordId, StringEnum } from './common.js'

export const SearchHit = Type.Object({
  kind: StringEnum([...kindTypes], { description: 'The kind of record found.', examples: ['actor'] }),
  id: RecordId('The record\'s id.', 'omar-garcia-harfuch'),
  title: Type.String({
    description: 'The record\'s name or title: an actor\'s name, a transfer\'s summary, a quote\'s text (shortened), a deadline\'s measure, a measure\'s or source\'s title.',
    examples: ['Omar García Harfuch']
  }),
  snippet: Type.String({
    description: 'A short passage of the record around the best match, as HTML: the text is escaped, each matching term is wrapped in `<mark>`…`</mark>`, and `…` marks text left out.',
    examples: ['…according to Security Minister <mark>Omar</mark> <mark>García</mark> <mark>Harfuch</mark>.']
  }),
  score: Type.Number({
    description: 'Relevance (BM25, a match in the title counting more than one in the text): positive, higher is better. Comparable only within one query.',
    exclusiveMinimum: 0,
    examples: [3.61]
  }),
  url: Type.String({ description: 'Path of the record in this API.', examples: ['/v1/actors/omar-garcia-harfuch'] }),
  date: Nullable(EdtfDate('The date the date filters use (through its bounds, as every date filter): a transfer\'s or quote\'s date, a deadline, a measure\'s start (or status) date, a source\'s publication date; null for actors and undated records.', '2025-08-13'))
}, { $id: 'SearchHit', description: 'One record matching a search.', additionalProperties: false })
export type SearchHitDto = Static<typeof SearchHit>

export const SearchResults = Type.Object({
  ...ListOf('SearchHit', 'SearchResultsPage', 'A page of search hits, best first.', { counted: true }).properties,
  facets: Type.Optional(Type.Object({
    kind: Type.Record(Type.String(), Type.Integer({ minimum: 1 }), { description: 'How many hits each kind of record has, whatever `kind` keeps (kinds without hits are left out).', examples: [{ quote: 6, transfer: 2 }] })
  }, { description: 'With `facets=kind`: the hits counted by kind.', additionalProperties: false }))
}, { $id: 'SearchResults', description: 'A page of search hits, best first.', additionalProperties: false })

export const SearchQuery = Type.Object({
  q: Type.String({
    description: 'What to search for. Case and diacritics are ignored (`garcia harfuch` finds García Harfuch); words must all occur (`AND` is implied), ' +
      '`OR` and `NOT` combine terms, `"quoted phrases"` match in order, `prefix*` matches word beginnings, and parentheses group. ' +
      'Actors are found by their aliases, organisations by their Spanish and English names.',
    minLength: 1,
    maxLength: 200,
    examples: ['garcia harfuch', '"non-military drone"', 'extradi*']
  }),
  kind: Type.Optional(listParam('Only hits of these kinds.', kindTypes, 'transfer,quote')),
  date_from: Type.Optional(PartialDate('Only records that may be dated on or after this date (dates overlap, as in every list); records without a date, such as actors, never match a date filter.', '2025-01-01')),
  date_to: Type.Optional(PartialDate('Only records that may be dated on or before this date.', '2025-12-31')),
  limit: Type.Optional(Type.Integer({ description: 'Hits per page, 1 to 100.', minimum: 1, maximum: 100, default: 20, examples: [20] })),
  cursor: Type.Optional(pageParams.cursor),
  count: Type.Optional(CountParam),
  facets: Type.Optional(listParam('Count the hits by these dimensions, in `facets`: `kind` (every kind\'s hits, whatever `kind` keeps).', ['kind'], 'kind'))
}, { additionalProperties: false })
export type SearchQueryType = Static<typeof SearchQuery>

export const searchSchemas: TSchema[] = [SearchHit, SearchResults]
