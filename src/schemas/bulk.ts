import { Type, type TSchema } from 'typebox'
import { kindTypes } from '../kinds/index.js'

export const ImportResult = Type.Object({
  records: Type.Integer({ description: 'How many records were written.', examples: [kindTypes.length * 2] }),
  by_type: Type.Record(Type.String(), Type.Integer(), { description: 'How many of each kind.', examples: [Object.fromEntries(kindTypes.map((type) => [type, 2]))] })
}, { $id: 'ImportResult', description: 'What an import wrote.', additionalProperties: false })

export const bulkSchemas: TSchema[] = [ImportResult]

/**
 * An import that succeeds on the seed data: a new actor and a new quote, both cited from the seeded
 * source (test/bulk.test.ts imports it).
 */
const source = 'mexico-hands-over-26-cartel-kingpins'
const importExample = [
  {
    type: 'actor',
    data: { id: 'example-law-enforcement-officers', kind: 'group', name: 'The officers of the operation', citations: [{ source_id: source, excerpt: 'nearly 1,000 law enforcement officers' }] }
  },
  {
    type: 'quote',
    data: {
      id: 'example-sovereign-decision',
      speaker_id: 'claudia-sheinbaum-pardo',
      text: 'sovereign',
      kind: 'direct',
      language: 'en',
      citations: [{ source_id: source, excerpt: 'the decision was a “sovereign” one' }]
    }
  }
].map((line) => JSON.stringify(line) + '\n').join('')

/**
 * The body of `POST /v1/import`: the NDJSON text itself, a string whose content is NDJSON
 * (`contentMediaType`, JSON Schema 2020-12 §8.4), under both media types the route takes it as,
 * `text/plain` first and then `application/x-ndjson` (src/routes/bulk.ts).
 *
 * The order is what makes every generated client send the text as-is. orval 7.13's fetch client
 * sends a body as-is only when its one media type is exactly `text/plain` (any other it
 * `JSON.stringify`s), and of media types whose schemas are the same TypeScript type it keeps the
 * first; @hey-api/openapi-ts 0.95 takes the first media type unless one is JSON, and drops its JSON
 * serializer for `text/*`. Both then send `Content-Type: text/plain` and the text untouched.
 * openapi-fetch takes no media type from the document: it always needs a `bodySerializer`. Not
 * `format: binary`, which would type the body `Blob | File` (and orval would send a Blob as `{}`).
 */
export const ImportBody = {
  type: 'string',
  contentMediaType: 'application/x-ndjson',
  description: 'NDJSON: one `{"type": "<kind>", "data": {…}}` object per line, in UTF-8.',
  examples: [importExample]
} as const

/** The answer of `GET /v1/export`: NDJSON that generated clients read as a file (a Blob in @hey-api/openapi-ts, which reads `application/*` as one). */
export const ExportBody = {
  type: 'string',
  format: 'binary',
  contentMediaType: 'application/x-ndjson',
  description: 'NDJSON: one `{"type": "<kind>", "data": {…}}` object per line, each line ending in a newline.'
} as const
