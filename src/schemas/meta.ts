import { Type } from 'typebox'
import { problems, problemTypeUri, type ProblemCode } from '../errors.js'
import { version } from '../paths.js'
import { StringEnum } from './common.js'

const Href = (description: string, example: string) => Type.String({ description, examples: [example] })

export const ApiRoot = Type.Object({
  name: Type.String({ description: 'The product.', examples: ['U.S.–Mexico Security Cooperation Knowledge Base'] }),
  version: Type.String({ description: 'The server\'s version (package.json\'s), also in `Server-Version`.', examples: [version] }),
  description: Type.String({ description: 'What the API holds.' }),
  links: Type.Object({
    api: Href('The API\'s index: every resource and operation family.', '/v1'),
    docs: Href('The interactive reference.', '/docs'),
    explore: Href('The explorer: charts, the timeline, records and their evidence, search, in a browser.', '/explore'),
    openapi: Href('The OpenAPI 3.1 document.', '/openapi.json'),
    problems: Href('The problem types errors name in `type`.', '/problems'),
    health: Href('Liveness probe.', '/health'),
    ready: Href('Readiness probe.', '/ready')
  }, { description: 'Where everything is (absolute under `PUBLIC_URL`).', additionalProperties: false })
}, { $id: 'ApiRoot', description: 'The server\'s front door: what it is and where to go next.', additionalProperties: false })

export const ApiResource = Type.Object({
  type: Type.String({ description: 'The record kind, as in the change feed and search hits.', examples: ['transfer'] }),
  description: Type.String({ description: 'What its records are.' }),
  list: Href('The list (JSON; CSV or NDJSON by `Accept`).', '/v1/transfers'),
  csv: Href('The list as CSV.', '/v1/transfers.csv'),
  ndjson: Href('The list as NDJSON.', '/v1/transfers.ndjson'),
  record: Href('One record, by id (an RFC 6570 template).', '/v1/transfers/{id}'),
  example: Href('A seeded record.', '/v1/transfers/transfer-2025-08-12'),
  stats: Type.Optional(Href('Its statistics.', '/v1/stats/transfers'))
}, { $id: 'ApiResource', description: 'One kind of record and where its operations are.', additionalProperties: false })

export const ApiIndex = Type.Object({
  version: Type.String({ description: 'The server\'s version.', examples: [version] }),
  resources: Type.Array(Type.Ref('ApiResource'), { description: 'Every kind of record, in the registry\'s order.' }),
  links: Type.Object({
    search: Href('Full-text search across every kind.', '/v1/search'),
    timeline: Href('Dated records of every kind in date order.', '/v1/timeline'),
    changes: Href('The change feed (JSON pages).', '/v1/changes'),
    changes_stream: Href('The change feed as Server-Sent Events.', '/v1/changes/stream'),
    export: Href('The whole knowledge base as NDJSON.', '/v1/export'),
    import: Href('NDJSON import (POST, with a key).', '/v1/import'),
    calendar: Href('Tariff deadlines as iCalendar.', '/v1/tariff-deadlines.ics'),
    keys: Href('API keys (with an admin key).', '/v1/keys'),
    docs: Href('The interactive reference.', '/docs'),
    openapi: Href('The OpenAPI 3.1 document.', '/openapi.json')
  }, { description: 'The operations that are not one kind\'s.', additionalProperties: false })
}, { $id: 'ApiIndex', description: 'The API\'s index: what `/v1` holds.', additionalProperties: false })

const codes = Object.keys(problems) as ProblemCode[]

export const ProblemType = Type.Object({
  type: Type.String({ description: 'This page: the `type` of problems with this code.', examples: ['/problems/not-found'] }),
  code: StringEnum(codes, { description: 'The code problems of this type carry.', examples: ['not_found'] }),
  title: Type.String({ description: 'The title problems of this type carry.', examples: ['Record not found'] }),
  status: Type.Integer({ description: 'Their HTTP status.', examples: [404] }),
  when: Type.String({ description: 'When the API answers with it (Markdown).', examples: ['no record has this id'] })
}, { $id: 'ProblemType', description: 'A problem type of the error catalogue: what a problem\'s `type` URI describes.', additionalProperties: false })

export const ProblemTypeList = Type.Object({
  data: Type.Array(Type.Ref('ProblemType'), { description: 'Every problem type, by status.' })
}, { $id: 'ProblemTypeList', description: 'The error catalogue.', additionalProperties: false })

/** `not-found`, as problem `type` URIs spell codes. */
export const problemSlugs = codes.map((code) => problemTypeUri(code).slice('/problems/'.length))

export const metaSchemas = [ApiRoot, ApiResource, ApiIndex, ProblemType, ProblemTypeList]
