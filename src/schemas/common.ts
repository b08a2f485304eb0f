import { Type, type Static, type TObject, type TOptional, type TProperties, type TSchema, type TString, type TUnsafe } from 'typebox'
import { alternativeRanks, citationSupports } from '../db/schema/citations.js'
import { problems, type ProblemCode } from '../errors.js'
import { partialDatePattern } from '../query/dates.js'

/** `T | null`, written as `type: [T, "null"]` so that OpenAPI 3.1 and the serializer read it plainly. */
export function Nullable<T extends TSchema> (schema: T): TUnsafe<Static<T> | null> {
  const s = schema as unknown as { type: string, enum?: unknown[] }
  return Type.Unsafe<Static<T> | null>({
    ...schema,
    type: [s.type, 'null'],
    ...(s.enum !== undefined ? { enum: [...s.enum, null] } : {})
  })
}

export const StringEnum = <T extends string[]> (values: readonly [...T], options: { description: string, examples?: T[number][] }) =>
  Type.Enum(values, { type: 'string', ...options })

/** The longest id a record may have; the router takes path segments up to this length too. */
export const maxIdLength = 200

/** An id parameter; without an example where none fits with the other filters' (Try it out sends them all). */
export const RecordId = (description: string, example?: string) =>
  Type.String({ description, ...(example === undefined ? {} : { examples: [example] }), minLength: 1, maxLength: maxIdLength })

export const Country = (description: string, example = 'MX') =>
  Type.String({ description: `${description} ISO 3166-1 alpha-2 code.`, pattern: '^[A-Z]{2}$', examples: [example] })

export const PartialDate = (description: string, example = '2025-08-12') =>
  Type.String({
    description: `${description} ISO 8601 date; \`YYYY-MM\` or \`YYYY\` when the source gives only the month or year.`,
    pattern: partialDatePattern,
    format: 'partial-date',
    examples: [example]
  })

/**
 * A record's date, in EDTF: exact at a precision, or bounded (see src/query/dates.ts). Query
 * parameters take plain partial dates (`PartialDate`).
 */
export const EdtfDate = (description: string, example = '2025-08-12') =>
  Type.String({
    description: `${description} An EDTF date (ISO 8601-2): \`YYYY-MM-DD\`, or \`YYYY-MM\` or \`YYYY\` when the source gives only the month or year; or a bound when it gives only that: \`[..2025-08-13]\` on or before, \`[2025-08-13..]\` on or after, \`[2025-07-01..2025-08-13]\` between (both ends at the same precision).`,
    format: 'edtf-date',
    maxLength: 30,
    examples: [example]
  })

export const Precision = (of: string) => Nullable(StringEnum(['year', 'month', 'day'], {
  description: `Precision of \`${of}\`, derived from its length; null when there is no date or when it is bounded.`
}))

/** The derived first and last day of a date, which every filter, sort and statistic reads. */
export const DateBoundsOf = <const F extends string> (of: F) => ({
  [`${of}_earliest`]: Nullable(Type.String({
    description: `The first day \`${of}\` may be (YYYY-MM-DD), derived from it: \`2025-02\` → 2025-02-01; null when there is no date or it is open before (\`[..2025-08-13]\`).`,
    format: 'date'
  })),
  [`${of}_latest`]: Nullable(Type.String({
    description: `The last day \`${of}\` may be (YYYY-MM-DD), derived from it: \`2025-02\` → 2025-02-28; null when there is no date or it is open after (\`[2025-08-13..]\`).`,
    format: 'date'
  }))
}) as { [K in `${F}_earliest` | `${F}_latest`]: TUnsafe<string | null> }

export const Approximate = (of: string) => Type.Boolean({
  description: `True when the source gives \`${of}\` only approximately ("two weeks ago", "nearly").`
})

export const Timestamp = (description: string) =>
  Type.String({ description, format: 'date-time', examples: ['2025-08-13T12:00:00.000Z'] })

export const CitationSupport = StringEnum(citationSupports, {
  description: 'How the excerpt supports the fields it is cited for: `stated` (the excerpt says it), `resolved` (a relative expression such as "Wednesday" resolved against the source\'s metadata, the rule in `note`), `computed` (derived from other facts, named in `note`: 55 = 29 + 26), `inferred` (read from the excerpt without being said), `external` (the value comes from outside the stored sources, `note` says where; the excerpt only places it, and the record lists the field in `external_fields`).',
  examples: ['stated']
})

export const Citation = Type.Object({
  id: Type.Integer({ description: 'Citation id.', examples: [1] }),
  source_id: RecordId('The cited source.', 'mexico-hands-over-26-cartel-kingpins'),
  excerpt: Type.String({
    description: 'The exact text of the source between the offsets.',
    examples: ['Mexico has extradited 26 high-profile cartel leaders to the United States']
  }),
  start_offset: Type.Integer({ description: 'Start of the excerpt in the source\'s stored text, in Unicode code points from 0.', examples: [134] }),
  end_offset: Type.Integer({ description: 'End of the excerpt (exclusive), in Unicode code points.', examples: [207] }),
  fields: Type.Array(Type.String(), {
    description: 'The fields of the record this excerpt supports (`people_count`, `roles.<id>`, `participants.<actor>.<role>`); empty for the record as a whole.',
    examples: [['people_count', 'from_country']]
  }),
  support: CitationSupport,
  note: Nullable(Type.String({ description: 'How the excerpt was read: the rule a `resolved` value follows, the facts a `computed` one comes from, where an `external` one was found.' })),
  source: Type.Optional(Type.Ref('SourceSummary', { description: 'With `include=citations.source`: the cited source, in short (its text is `GET /v1/sources/{id}`).' }))
}, { $id: 'Citation', description: 'Evidence for a record: an exact excerpt of a source, with its offsets.', additionalProperties: false })
export type CitationDto = Static<typeof Citation>

/** The fields of a record whose value rests only on `external` citations: flagged in every representation. */
export const ExternalFields = Type.Array(Type.String(), {
  description: 'Fields (or child rows) whose value no stored source supports: every citation naming them is `external`. Empty when the stored sources support everything cited.',
  examples: [[]]
})

const AlternativeRank = StringEnum(alternativeRanks, {
  description: 'How the value ranks against the record\'s own, which is always the preferred one: `preferred` (another source agreeing with the record\'s value), `normal` (a competing value: the field is then disputed), `deprecated` (weighed and set aside, e.g. a retracted report).',
  examples: ['normal']
})

export const Alternative = Type.Object({
  field: Type.String({ description: 'The top-level field the value is for.', examples: ['people_count'] }),
  value: Type.Unsafe<unknown>({ description: 'The value another source reports, in the field\'s own type.', examples: [27] }),
  rank: AlternativeRank,
  note: Nullable(Type.String({ description: 'Why it ranks as it does, or how the sources differ.' })),
  citations: Type.Array(Type.Ref('Citation'), { description: 'The evidence for this value.' })
}, { $id: 'Alternative', description: 'A value of a field that another source reports: the record holds its preferred value, the others are kept with their evidence.', additionalProperties: false })

export type AlternativeDto = Static<typeof Alternative>

/** Alternatives and what they make disputed, on every cited record. */
export const evidenceFields = {
  alternatives: Type.Array(Type.Ref('Alternative'), { description: 'Values of its fields that other sources report, each with its rank and evidence; the record\'s own values are the preferred ones.' }),
  disputed_fields: Type.Array(Type.String(), {
    description: 'The fields with a `normal` alternative whose value differs from the record\'s: what the sources disagree on.',
    examples: [[]]
  })
}

export const SourceSummary = Type.Object({
  id: RecordId('Source id.', 'mexico-hands-over-26-cartel-kingpins'),
  title: Type.String({ description: 'Title of the document.', examples: ['Mexico Hands Over 26 Cartel Kingpins to US'] }),
  publisher: Nullable(Type.String({ description: 'Who published it; null when unknown.', examples: ['Reuters'] })),
  url: Nullable(Type.String({ description: 'Where it was published; null when unknown.' })),
  language: Type.String({ description: 'BCP 47 language tag of the document.', examples: ['en'] }),
  published_on: Nullable(Type.String({ description: 'When it was published (an EDTF date); null when unknown.', examples: ['2025-08-13'] }))
}, { $id: 'SourceSummary', description: 'The short form of a source, embedded in citations by `include=citations.source`.', additionalProperties: false })

export const ActorSummary = Type.Object({
  id: RecordId('Actor id.', 'omar-garcia-harfuch'),
  kind: Type.String({ description: 'Actor kind.', examples: ['person'] }),
  name: Type.String({ description: 'Name, with diacritics.', examples: ['Omar García Harfuch'] }),
  country: Nullable(Type.String({ description: 'ISO 3166-1 alpha-2 country code.' }))
}, { $id: 'ActorSummary', description: 'The short form of an actor, embedded by `include=`.', additionalProperties: false })
export type ActorSummaryDto = Static<typeof ActorSummary>

export const ActorLink = Type.Object({
  id: RecordId('The record\'s id.', 'transfer-2025-08-12'),
  role: Type.String({ description: 'The actor\'s part in it: `speaker` of a quote; a transfer participant\'s role (`announced`, `sent`, `organization_of_transferred`…); an event party\'s role; `requesting_party`, `providing_party` or `receiving_party` of a measure; `imposing_party` or `targeted_party` of a deadline.', examples: ['announced'] }),
  date: Nullable(EdtfDate('The record\'s date, as the timeline places it.', '2025-08-12')),
  date_precision: Precision('date'),
  headline: Type.String({ description: 'One line saying what it is, as on the timeline.', examples: ['26 people handed over from MX to US (extradition)'] }),
  url: Type.String({ description: 'Its path in this API.', examples: ['/v1/transfers/transfer-2025-08-12'] })
}, { $id: 'ActorLink', description: 'A record that names an actor, in the role it gives it, embedded by the actor\'s `include=`.', additionalProperties: false })
export type ActorLinkDto = Static<typeof ActorLink>

export const ProblemItem = Type.Object({
  in: StringEnum(['query', 'path', 'header', 'body'], { description: 'Where the bad input was.', examples: ['query'] }),
  name: Type.String({ description: 'The parameter or field.', examples: ['limit'] }),
  detail: Type.String({ description: 'What is wrong with it.', examples: ['must be at most 500'] }),
  line: Type.Optional(Type.Integer({ description: 'For bulk imports: the 1-based line of the body.', minimum: 1 }))
}, { $id: 'ProblemItem', description: 'One bad input of a request.', additionalProperties: false })

export const Problem = Type.Object({
  type: Type.String({ description: 'A URI reference naming the problem type (`/problems/<code>`).', examples: ['/problems/invalid-parameter'] }),
  title: Type.String({ description: 'Short summary of the problem type.', examples: ['Invalid parameter'] }),
  status: Type.Integer({ description: 'The HTTP status code.', examples: [400] }),
  detail: Type.String({ description: 'What went wrong with this request.', examples: ['The query parameter "limit" must be at most 500.'] }),
  instance: Type.String({ description: 'The request path and query this problem occurred on.', examples: ['/v1/transfers?limit=501'] }),
  code: StringEnum(Object.keys(problems) as ProblemCode[], { description: 'Stable machine-readable code from the error catalogue; `type` is its page.', examples: ['invalid_parameter'] }),
  request_id: Type.String({ description: 'The request id, also in the `x-request-id` header and in the server logs.', examples: ['req-1'] }),
  errors: Type.Optional(Type.Array(Type.Ref('ProblemItem'), { description: 'Each bad input, for validation problems.' })),
  deleted_at: Type.Optional(Type.String({ description: 'On a 410: when the record was deleted.', format: 'date-time' })),
  current_etag: Type.Optional(Type.String({ description: 'On a 412: the ETag of the record\'s current revision.' })),
  limit: Type.Optional(Type.String({ description: 'When a limit was hit: which one (`rate_limit_reads`, `rate_limit_searches`, `rate_limit_writes`, `max_streams`, or a limit of the search syntax such as `max_terms`).', examples: ['rate_limit_searches'] }))
}, { $id: 'Problem', description: 'An RFC 9457 problem details object, sent as `application/problem+json`.', additionalProperties: false })

/** Writes take one query parameter, the reason for the change; any other is a 400, not ignored. */
export const CommentQuery = Type.Object({
  comment: Type.Optional(Type.String({
    description: 'Why the change is made, stored on every revision it writes and shown in the history and the change feed (like a commit message).',
    minLength: 1,
    maxLength: 1000,
    examples: ['Second source reports the date']
  }))
}, { additionalProperties: false })

/** `?disputed=`, on the list of every cited kind. */
export const DisputedParam = Type.Boolean({
  description: '`true`: only records whose sources disagree (a field with a `normal` alternative, listed in `disputed_fields`); `false`: only records without.',
  // false, not true: Try it out sends every example at once, and the seed disputes nothing.
  examples: [false]
})

/** The parameters every list shares; each resource adds its filters and its `sort`, `include`, `fields`. */
export const pageParams = {
  limit: Type.Integer({ description: 'Records per page, 1 to 500.', minimum: 1, maximum: 500, default: 50, examples: [50] }),
  cursor: Type.String({ description: 'The `next_cursor` of the previous page. Opaque; valid only with the same filters and sort.', minLength: 1, maxLength: 2048 })
}

export const listParam = (description: string, allowed: readonly string[], example: string) =>
  Type.String({ description: `${description} Comma-separated; one or more of: ${allowed.map((a) => `\`${a}\``).join(', ')}.`, examples: [example], minLength: 1, maxLength: 500 })

export const sortParam = (fields: readonly string[], defaultSort: string) =>
  Type.String({
    description: `Sort keys, comma-separated, \`-\` for descending; any of ${fields.map((f) => `\`${f}\``).join(', ')}. Default \`${defaultSort}\`. The id always breaks ties.`,
    examples: [defaultSort],
    minLength: 1,
    maxLength: 200
  })

export const fieldsParam = (fields: readonly string[]) => listParam('Return only these top-level fields (the `id` is always returned).', fields, fields.slice(0, 3).join(','))

/** `count=true`: the number of matching records, with the page. */
export const CountParam = Type.Boolean({
  description: '`true`: add `count`, the number of records matching the filters (all pages), counted in the same snapshot as the page (also sent as `X-Total-Count`, for CSV and NDJSON).',
  examples: [true]
})

/** How many matches `count=estimated` counts exactly before it estimates. */
export const exactCountLimit = 1000

/** A list's `count`: exact (`true`, `exact`) or, on a large table, estimated. */
export const ListCountParam = Type.Unsafe<'true' | 'false' | 'exact' | 'estimated'>(StringEnum(['true', 'false', 'exact', 'estimated'], {
  description: '`true` or `exact`: add `count`, the number of records matching the filters (all pages), counted in the same snapshot as the page (also sent as `X-Total-Count`, for CSV and NDJSON). ' +
    'An exact count reads every match, which takes time in proportion to them (about half a second for a million). `estimated`: the matches among a sample of the table (twenty stretches of 500 records spread over it), scaled to the whole; ' +
    `exact when the sample is the whole table, or when it finds few matches and there are at most ${exactCountLimit.toLocaleString('en-US')} (then counted); otherwise marked \`count_estimated: true\` (sent as \`X-Total-Count-Estimate\`): ` +
    'a bounded cost for a pager or a card saying "about 250,000".',
  examples: ['true']
}))

export const CountField = Type.Integer({ description: 'With `count=true`: how many records match the filters, on every page together (with `count=estimated`, an estimate when `count_estimated` is true).', minimum: 0, examples: [2] })

/** A page of a list; `counted` for lists that take `count=true`, `estimable` for those that take `count=estimated`. */
export const ListOf = (itemRef: string, id: string, description: string, { counted = false, estimable = false } = {}) => Type.Object({
  data: Type.Array(Type.Ref(itemRef), { description: 'The records of this page.' }),
  next_cursor: Nullable(Type.String({ description: 'Pass as `cursor` to get the next page; null on the last page.' })),
  ...(counted ? { count: Type.Optional(CountField) } : {}),
  ...(estimable ? { count_estimated: Type.Optional(Type.Boolean({ description: `With \`count=estimated\`: whether \`count\` is an estimate (more than ${exactCountLimit.toLocaleString('en-US')} matches) rather than exact.`, examples: [false] })) } : {})
}, { $id: id, description, additionalProperties: false })

export const IdParams = (example: string) => Type.Object({
  id: RecordId('The record id.', example)
}, { additionalProperties: false })

/** The query of `GET /{id}`: the resource's `include` and `fields`, nothing else. */
export const GetQuery = (includes: readonly string[], fields: readonly string[], includeExample: string) =>
  Type.Partial(Type.Object({
    ...(includes.length > 0 ? { include: listParam('Embed related records.', includes, includeExample) } : {}),
    fields: fieldsParam(fields)
  }), { additionalProperties: false })

/** Top-level fields a client may pick with `fields=`: every property but the `include=` ones. */
export const selectableFields = (schema: { properties: Record<string, unknown> }, includes: readonly string[]) =>
  Object.keys(schema.properties).filter((k) => !includes.includes(k))

/** Ids of new records: lower-case letters, digits and hyphens, readable (`transfer-2025-08-12`). */
export const NewRecordId = (example: string) => Type.String({
  description: 'Stable, readable id. Optional on create: one is made from the record (a slug of its name, title or date) when omitted.',
  pattern: '^[a-z0-9][a-z0-9-]*$',
  minLength: 1,
  maxLength: maxIdLength,
  examples: [example]
})

/** An optional input field with the value it takes when omitted (so every stored document is complete). */
export function Default<T extends TSchema> (schema: T, value: unknown) {
  return Type.Optional(Type.Unsafe<Static<T>>({ ...schema, default: value }))
}

export const CitationInput = Type.Object({
  source_id: RecordId('The cited source; it must exist.', 'mexico-hands-over-26-cartel-kingpins'),
  excerpt: Type.String({ description: 'Exact text of the source. Without offsets it must occur exactly once.', minLength: 1, maxLength: 10000, examples: ['90 vehicles'] }),
  start_offset: Type.Optional(Type.Integer({ description: 'Start, in code points; give both offsets or neither.', minimum: 0, maximum: 5_000_000 })),
  end_offset: Type.Optional(Type.Integer({ description: 'End (exclusive), in code points.', minimum: 1, maximum: 5_000_000 })),
  fields: Default(Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { description: 'Fields of the record the excerpt supports: top-level fields, or child rows (`roles.<id>`, `relations.<id>`, `aliases.<alias>`, `identifiers.<scheme>:<value>`, `participants.<actor>.<role>`, `resources.<id>`, `parties.<actor>.<role>`). Anything else is a 422.', maxItems: 100 }), []),
  support: Default(CitationSupport, 'stated'),
  note: Default(Nullable(Type.String({ description: 'How the excerpt was read; required for `resolved`, `computed`, `inferred` and `external` support (the rule, the facts, the reasoning, the outside source).', maxLength: 2000 })), null)
}, { $id: 'CitationInput', description: 'Evidence to attach: the server checks the excerpt against the source text and fills in missing offsets.', additionalProperties: false })

export const CitationsInput = Type.Array(Type.Ref('CitationInput'), {
  description: 'At least one citation; every one is verified against its source before anything is written.',
  minItems: 1,
  maxItems: 500
})

export const AlternativeInput = Type.Object({
  field: Type.String({ description: 'A top-level field of the record.', minLength: 1, maxLength: 200, examples: ['people_count'] }),
  value: Type.Unsafe<unknown>({ description: 'The value another source reports; it must be valid for the field.', examples: [27] }),
  rank: Default(AlternativeRank, 'normal'),
  note: Default(Nullable(Type.String({ description: 'Why it ranks as it does.', maxLength: 2000 })), null),
  citations: Type.Array(Type.Ref('CitationInput'), {
    description: 'The evidence for this value (its `fields` empty or naming the field), verified as the record\'s are.',
    minItems: 1,
    maxItems: 100
  })
}, { $id: 'AlternativeInput', description: 'A value of a field that another source reports.', additionalProperties: false, required: ['field', 'value', 'citations'] })

const AlternativesInput = Type.Array(Type.Ref('AlternativeInput'), {
  description: 'Values of its fields that other sources report, each with its evidence; the record\'s own values are the preferred ones.',
  maxItems: 100
})

export const commonSchemas = [Citation, Alternative, AlternativeInput, SourceSummary, ActorSummary, ActorLink, ProblemItem, Problem, CitationInput]

type Properties = Record<string, TSchema>

function defaultFor (schema: TSchema): unknown {
  const type = (schema as { type?: unknown }).type
  if (Array.isArray(type) && type.includes('null')) return null
  if (type === 'boolean') return false
  if (type === 'array') return []
  return undefined
}

/** The fields of a response schema a create body leaves to the server. */
type ServerFields = `${string}_precision` | `${string}_earliest` | `${string}_latest` | 'created_at' | 'updated_at' | 'external_fields' | 'disputed_fields'

/** The properties `InputOf` derives, as TypeBox types, so that `Static<>` reads the create body. */
type InputProperties<P extends TProperties, Omitted extends string, Required extends string, Override extends TProperties, IsRecord extends boolean> = {
  [K in Exclude<keyof P & string, ServerFields | Omitted | (IsRecord extends true ? 'id' : never)>]:
  K extends Required ? (K extends keyof Override ? Override[K] : P[K]) : TOptional<K extends keyof Override ? Override[K] : P[K]>
} & (IsRecord extends true ? { id: TOptional<TString>, citations: typeof CitationsInput } : unknown)

/**
 * The create body of a resource, derived from its response schema: the same fields minus the
 * server's own (`*_precision`, `*_earliest`, `*_latest`, timestamps, embedded relations, anything in `omit`), optional ones
 * with the value they take when omitted, plus an optional `id` and the required citations.
 */
export function InputOf<P extends TProperties, Omitted extends string = never, Required extends string = never, Override extends TProperties = {}, Rec extends { exampleId: string } | undefined = undefined> (output: TObject<P>, opts: {
  $id?: string
  description: string
  omit?: readonly Omitted[]
  required: readonly Required[]
  override?: Override
  /** Top-level records take an optional new id and their citations; nested items do not. */
  record?: Rec
}): TObject<InputProperties<P, Omitted, Required, Override, Rec extends { exampleId: string } ? true : false>> {
  const properties: Properties = {}
  if (opts.record !== undefined) properties.id = Type.Optional(NewRecordId(opts.record.exampleId))
  for (const [name, schema] of Object.entries(output.properties) as Array<[string, TSchema]>) {
    if (name === 'id' && opts.record !== undefined) continue
    if (/_(precision|earliest|latest)$/.test(name) || ['created_at', 'updated_at', 'external_fields', 'disputed_fields'].includes(name) || (opts.omit as readonly string[] | undefined)?.includes(name)) continue
    const field = name === 'alternatives' && opts.record !== undefined ? AlternativesInput : (opts.override as Properties | undefined)?.[name] ?? schema
    if ((opts.required as readonly string[]).includes(name)) {
      properties[name] = field
    } else {
      const value = defaultFor(field)
      properties[name] = value === undefined ? Type.Optional(field) : Default(field, value)
    }
  }
  if (opts.record !== undefined) properties.citations = CitationsInput
  return Type.Object(properties, {
    ...(opts.$id !== undefined ? { $id: opts.$id } : {}),
    description: opts.description,
    additionalProperties: false
  }) as never
}

/**
 * The document a record is written from (a create body after defaults are applied, a record
 * after a merge patch, an import line, a seed entry): the create body's type with every field
 * present, since each optional one has a default, except the `id` a create may leave out.
 * `Refs` types the schemas the body refers to by `$id`.
 */
export type DocOf<Input extends TSchema, Refs extends TProperties = {}> =
  Omit<Required<Static<Input, Refs & { CitationInput: typeof CitationInput }>>, 'id'> & { id?: string }

/** The parsed query of a kind's list filters: every one optional. */
export type FiltersOf<P extends TProperties> = Partial<Static<TObject<P>>>

/** A citation of a document, as a create body gives it. */
export type CitationDoc = Static<typeof CitationInput>

/**
 * A JSON Merge Patch (RFC 7396) body for a create body: every field optional, none defaulted,
 * and `null` to reset a field to its default. Arrays are replaced whole.
 */
export function PatchOf (input: { properties: Properties }, opts: { $id: string, description: string, omit?: string[] }) {
  const properties: Properties = {}
  for (const [name, schema] of Object.entries(input.properties)) {
    if (name === 'id' || opts.omit?.includes(name)) continue
    const { default: _default, ...bare } = schema as TSchema & { default?: unknown, type?: string | string[], enum?: unknown[] }
    const types = Array.isArray(bare.type) ? bare.type : [bare.type]
    properties[name] = Type.Optional(types.includes('null')
      ? Type.Unsafe(bare)
      : Type.Unsafe({ ...bare, type: [...types, 'null'], ...(bare.enum !== undefined ? { enum: [...bare.enum, null] } : {}) }))
  }
  return Type.Object(properties, { $id: opts.$id, description: opts.description, additionalProperties: false, minProperties: 1 })
}
