import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendPage } from '../http/list-reply.js'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { csvPageRoute, jsonResponse, problemResponses } from '../http/responses.js'
import { inWords, kinds } from '../kinds/index.js'
import { SearchHit, SearchQuery, type SearchQueryType } from '../schemas/search.js'

const hitFields = Object.keys(SearchHit.properties)

/** What the index holds, in words: every kind, the evidence (sources) by its text. */
const searched = inWords([...kinds.filter((k) => k.evidence === undefined).map((k) => `${k.noun}s`), ...kinds.filter((k) => k.evidence !== undefined).map((k) => `the ${k.noun}s' text`)])

const search: FastifyPluginAsyncTypebox = async (app) => {
  const handler = async (request: FastifyRequest, reply: FastifyReply) => sendPage(request, reply, await app.backend.run('search', request.query as SearchQueryType), undefined, hitFields)
  app.get('/v1/search', {
    schema: {
      operationId: 'search',
      tags: ['search'],
      summary: 'Search every kind of record',
      description: `Full-text search across ${searched}, ` +
        'ranked by relevance (BM25, best first; ties by kind and id). Case and diacritics are ignored, and words match their English and Spanish stems too ' +
        '(`tariff` finds `tariffs`, `carteles` finds `Cártel`, Spanish `-ción` meets English `-tion`), a record with the words as typed ranking above one with another form of them; ' +
        'snippets come from the text a person reads, never from ids. Actors are found by their aliases ' +
        'and organisations by their Spanish and English names. `q` takes words (all must occur), `"quoted phrases"`, `prefix*` terms, ' +
        '`OR`, `NOT` and parentheses; a query FTS5 cannot read is a 400 naming `q`. The index is updated in the same transaction as every write. ' +
        'Pages follow `next_cursor` (and the `Link` header); a cursor is valid only for the same `q` and filters.',
      querystring: SearchQuery,
      response: { 200: jsonResponse('A page of hits, best first.', 'SearchResults', { paged: true, counted: true }), ...problemResponses(400, 406, 503) }
    }
  }, handler)
  app.get('/v1/search.csv', csvPageRoute({
    operationId: 'searchCsv',
    tags: ['search'],
    summary: 'Search every kind of record, as CSV',
    description: 'The page of hits `/v1/search` answers, as RFC 4180 CSV: a header row (kind, id, title, snippet, score, url, date), then one row a hit. Page with `Link: rel="next"` as for JSON.',
    querystring: SearchQuery,
    what: 'hits',
    errors: [400, 406, 503]
  }), handler)
}

export default search
