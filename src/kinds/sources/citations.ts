import { and, asc, eq, sql, type SQL } from 'drizzle-orm'
import type { FastifyInstance } from 'fastify'
import { Type, type Static } from 'typebox'
import { first, rows, selectFrom, statement, type Dialect, type Read } from '../../db/query.js'
import { citations } from '../../db/schema/citations.js'
import { invalidParameter, notFound } from '../../errors.js'
import { sendPage } from '../../http/list-reply.js'
import { jsonResponse, problemResponses } from '../../http/responses.js'
import { parseList } from '../../query/csv-param.js'
import type { CursorCodec } from '../../query/cursor.js'
import { fetchPage, type PageSpec } from '../../query/page.js'
import { citationDto, groupBy } from '../../repositories/related.js'
import { Citation, IdParams, ListOf, listParam, Nullable, pageParams, RecordId, StringEnum } from '../../schemas/common.js'
import { kindOf } from '../index.js'
import { sources } from './table.js'

/**
 * The kinds of record citations are evidence for: the registry's cited kinds. The sources' kind
 * loads this module before the registry exists, so the list is written out here once, and
 * test/links.test.ts holds it to the registry.
 */
const citedRecordTypes = ['actor', 'transfer', 'quote', 'tariff_deadline', 'cooperation_measure', 'event'] as const

/** A citation as the source it points into sees it: with the record it is evidence for. */
export const SourceCitation = Type.Object({
  ...Citation.properties,
  record_type: StringEnum(citedRecordTypes, { description: 'The kind of record the excerpt is evidence for.', examples: ['transfer'] }),
  record_id: RecordId('The record.', 'transfer-2025-08-12'),
  alternative: Nullable(Type.Integer({ description: 'For the evidence of an alternative value: its position in the record\'s `alternatives`; null for the record\'s own.', minimum: 0 })),
  url: Type.String({ description: 'The record\'s path in this API.', examples: ['/v1/transfers/transfer-2025-08-12'] })
}, { $id: 'SourceCitation', description: 'A citation pointing into a source, with the record it supports.', additionalProperties: false })
export type SourceCitationDto = Static<typeof SourceCitation>

export const SourceCitationList = ListOf('SourceCitation', 'SourceCitationList', 'A page of the citations pointing into a source, in the order of the text.')

export const SourceCitationsQuery = Type.Partial(Type.Object({
  ...pageParams,
  start: Type.Integer({ description: 'With `end`, or alone: only the citations overlapping the passage that starts at this offset (Unicode code points from 0).', minimum: 0, examples: [100] }),
  end: Type.Integer({ description: 'Only the citations overlapping the passage that ends at this offset (exclusive).', minimum: 1, examples: [200] }),
  record_type: listParam('Only citations of these kinds of record.', citedRecordTypes, 'transfer,quote')
}), { additionalProperties: false })
type SourceCitationsQueryType = Static<typeof SourceCitationsQuery>

type CitationRow = typeof citations.$inferSelect

const toDto = (c: CitationRow): SourceCitationDto => ({
  ...citationDto(c),
  record_type: c.recordType as SourceCitationDto['record_type'],
  record_id: c.recordId,
  alternative: c.alternative,
  url: `/v1/${kindOf(c.recordType).path}/${encodeURIComponent(c.recordId)}`
})

/** In the order of the text: by start, then end, then id. */
const pageSpec: PageSpec<CitationRow> = {
  resource: 'source-citations',
  defaultSort: 'start_offset,end_offset',
  sortFields: {
    start_offset: { expr: citations.startOffset, value: (c) => c.startOffset },
    end_offset: { expr: citations.endOffset, value: (c) => c.endOffset },
    id: { expr: citations.id, value: (c) => c.id }
  }
}

/** The citations pointing into sources: all of a page of sources (`include=citations`), or a passage's, paged. */
export function createSourceCitations (dialect: Dialect, codec: CursorCodec) {
  const ofSources = selectFrom(citations, sql`WHERE ${dialect.inPlaceholder(citations.sourceId)}
    ORDER BY ${asc(citations.sourceId)}, ${asc(citations.startOffset)}, ${asc(citations.endOffset)}, ${asc(citations.id)}`)
  const source = statement<{ id: string }>(sql`SELECT ${sources.id} AS id FROM ${sources} WHERE ${sources.id} = ${sql.placeholder('id')}`)
  return {
    /** Every citation of each of these sources, in the order of its text (one query). */
    * ofSources (ids: string[]): Read<Map<string, SourceCitationDto[]>> {
      const groups = groupBy(yield * rows(ofSources, { ids: dialect.list(ids) }), (c) => c.sourceId)
      return new Map([...groups].map(([id, cited]) => [id, cited.map(toDto)]))
    },
    /** One keyset page of a source's citations, those overlapping [start, end) when given; undefined for no such source. */
    * page (sourceId: string, q: SourceCitationsQueryType): Read<{ data: SourceCitationDto[], nextCursor: string | null } | undefined> {
      if ((yield * first(source, { id: sourceId })) === undefined) return undefined
      const { limit = 50, cursor, start, end } = q
      const types = q.record_type === undefined ? undefined : parseList('record_type', q.record_type, citedRecordTypes)
      const where: SQL[] = [eq(citations.sourceId, sourceId)]
      if (end !== undefined) where.push(sql`${citations.startOffset} < ${end}`)
      if (start !== undefined) where.push(sql`${citations.endOffset} > ${start}`)
      if (types !== undefined) where.push(dialect.inList(citations.recordType, types))
      const page = yield * fetchPage(pageSpec, codec, { limit, cursor }, { sourceId, start, end, types }, where,
        (conditions, orderBy, n) => rows(selectFrom(citations, sql`WHERE ${and(...conditions)} ORDER BY ${sql.join(orderBy, sql`, `)} LIMIT ${n}`)))
      return { data: page.rows.map(toDto), nextCursor: page.nextCursor }
    }
  }
}

/** `GET /v1/sources/{id}/citations`: the facts resting on a source, or on a passage of it. */
export async function sourceCitationRoutes (app: FastifyInstance) {
  const { sourceCitations } = app.reads
  app.get('/v1/sources/:id/citations', {
    schema: {
      operationId: 'listSourceCitations',
      tags: ['sources'],
      summary: 'List the facts resting on a source, or on a passage of it',
      description: 'The citations pointing into the source, in the order of its text, each with the record it is evidence for (`record_type`, `record_id`, `url`). `start` and `end` (offsets in Unicode code points, as the citations have them) keep those overlapping a passage: which facts rest on these words?',
      params: IdParams('mexico-hands-over-26-cartel-kingpins'),
      querystring: SourceCitationsQuery,
      response: { 200: jsonResponse('A page of citations.', 'SourceCitationList', { paged: true }), ...problemResponses(400, 404) }
    }
  }, async (request, reply) => {
    const { id } = request.params as { id: string }
    const q = request.query as SourceCitationsQueryType
    if (q.start !== undefined && q.end !== undefined && q.end <= q.start) throw invalidParameter('end', `must be greater than start (${q.start})`)
    const page = await app.read(sourceCitations.page(id, q))
    if (page === undefined) throw notFound('source', id)
    return sendPage(request, reply, page, undefined, Object.keys(SourceCitation.properties))
  })
}
