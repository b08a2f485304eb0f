import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { AppError, problems, problemTypeUri, type ProblemCode } from '../errors.js'
import { fixedBody, sendFixed, varyAccept, type FixedBody } from '../http/caching.js'
import { negotiate } from '../http/formats.js'
import { jsonResponse, problemResponses } from '../http/responses.js'
import { kinds } from '../kinds/index.js'
import { productName, version } from '../paths.js'
import { problemSlugs } from '../schemas/meta.js'

const NoQuery = Type.Object({}, { additionalProperties: false })

function problemTypeOf (code: ProblemCode) {
  const { status, title, when } = problems[code]
  return { type: problemTypeUri(code), code, title, status, when }
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
/** The catalogue's Markdown is plain words and `code`: escaped, with its code spans kept. */
const inlineHtml = (markdown: string) => escapeHtml(markdown).replace(/`([^`]+)`/g, '<code>$1</code>')

function page (heading: string, body: string): string {
  return '<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    `<title>${escapeHtml(heading)} · ${escapeHtml(productName)}</title></head>\n<body><main>\n${body}\n</main>\n` +
    '<footer><p><a href="/problems">Every problem type</a> · <a href="/docs">API reference</a> · <a href="/">Home</a></p></footer>\n</body></html>\n'
}

function problemPage (code: ProblemCode): string {
  const { type, status, title, when } = problemTypeOf(code)
  return page(title, `<h1>${escapeHtml(title)}</h1>\n<dl><dt>Status</dt><dd>${status}</dd><dt>Code</dt><dd><code>${code}</code></dd><dt>Type</dt><dd><code>${type}</code></dd></dl>\n` +
    `<p>The API answers with this problem when ${inlineHtml(when)}.</p>\n` +
    '<p>Its body is <code>application/problem+json</code> (RFC 9457): <code>detail</code> says what was wrong with the request, ' +
    '<code>errors</code> (when present) names each bad input, and <code>request_id</code> matches the <code>X-Request-Id</code> header and the server\'s log.</p>')
}

function cataloguePage (): string {
  const rows = (Object.keys(problems) as ProblemCode[]).map((code) => {
    const { type, status, title, when } = problemTypeOf(code)
    return `<tr><td>${status}</td><td><a href="${type}"><code>${code}</code></a></td><td>${escapeHtml(title)}</td><td>${inlineHtml(when)}</td></tr>`
  })
  return page('Problem types', '<h1>Problem types</h1>\n<p>Every error is <code>application/problem+json</code>; its <code>type</code> is one of these pages.</p>\n' +
    `<table><thead><tr><th>Status</th><th>Code</th><th>Title</th><th>When</th></tr></thead><tbody>\n${rows.join('\n')}\n</tbody></table>`)
}

const htmlOrJson = ['application/json', 'text/html'] as const

/**
 * The entry points: `GET /` (what this is, where the docs are), `GET /v1` (every resource and
 * operation family, from the registry) and the problem types that `type` URIs name, as JSON or,
 * for a browser, HTML. All fixed while the process runs, so made once, with ETags.
 */
const metaRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const at = (path: string) => `${app.publicUrl}${path}`
  const root = fixedBody(JSON.stringify({
    name: productName,
    version,
    description: 'Transfers of people between the United States and Mexico, the actors and organisations involved, what they said, tariff deadlines and cooperation measures: every fact with citations of exact source passages.',
    links: { api: at('/v1'), docs: at('/docs'), explore: at('/explore'), openapi: at('/openapi.json'), problems: at('/problems'), health: at('/health'), ready: at('/ready') }
  }))
  const index = fixedBody(JSON.stringify({
    version,
    resources: kinds.map((kind) => ({
      type: kind.type,
      description: kind.description,
      list: at(`/v1/${kind.path}`),
      csv: at(`/v1/${kind.path}.csv`),
      ndjson: at(`/v1/${kind.path}.ndjson`),
      record: at(`/v1/${kind.path}/{id}`),
      example: at(`/v1/${kind.path}/${kind.exampleId}`),
      ...(kind.stats !== undefined ? { stats: at(`/v1/stats/${kind.path}`) } : {})
    })),
    links: {
      search: at('/v1/search'),
      timeline: at('/v1/timeline'),
      changes: at('/v1/changes'),
      changes_stream: at('/v1/changes/stream'),
      export: at('/v1/export'),
      import: at('/v1/import'),
      calendar: at('/v1/tariff-deadlines.ics'),
      keys: at('/v1/keys'),
      docs: at('/docs'),
      openapi: at('/openapi.json')
    }
  }))
  const codes = Object.keys(problems) as ProblemCode[]
  const catalogue = { json: fixedBody(JSON.stringify({ data: codes.map(problemTypeOf) })), html: fixedBody(cataloguePage()) }
  const pages = new Map(codes.map((code) => [problemTypeUri(code), { json: fixedBody(JSON.stringify(problemTypeOf(code))), html: fixedBody(problemPage(code)) }]))

  app.get('/', {
    schema: {
      operationId: 'getRoot',
      tags: ['meta'],
      summary: 'What this server is, and links to its docs and API',
      querystring: NoQuery,
      response: { 200: jsonResponse('The front door.', 'ApiRoot'), ...problemResponses() }
    }
  }, async (request, reply) => sendFixed(request, reply, root, 'application/json; charset=utf-8'))

  app.get('/v1', {
    schema: {
      operationId: 'getApiIndex',
      tags: ['meta'],
      summary: 'Every resource and operation family of the API',
      querystring: NoQuery,
      response: { 200: jsonResponse('The index.', 'ApiIndex'), ...problemResponses() }
    }
  }, async (request, reply) => sendFixed(request, reply, index, 'application/json; charset=utf-8'))

  /** JSON, or HTML for a client that prefers it (a browser following a problem's `type`). */
  const sendJsonOrHtml = (request: Parameters<typeof sendFixed>[0], reply: Parameters<typeof sendFixed>[1], bodies: { json: FixedBody, html: FixedBody }) => {
    const type = negotiate(request.headers.accept, htmlOrJson)
    varyAccept(reply)
    return type === 'text/html'
      ? sendFixed(request, reply, bodies.html, 'text/html; charset=utf-8')
      : sendFixed(request, reply, bodies.json, 'application/json; charset=utf-8')
  }

  app.get('/problems', {
    schema: {
      operationId: 'listProblemTypes',
      tags: ['meta'],
      summary: 'List the problem types (the error catalogue)',
      description: 'Every code an error can carry, with its status, title and when it happens: JSON, or an HTML page for a browser.',
      querystring: NoQuery,
      response: {
        200: { ...jsonResponse('The catalogue.', 'ProblemTypeList'), content: { 'application/json': { schema: Type.Ref('ProblemTypeList') }, 'text/html': { schema: { type: 'string', description: 'The same as a web page.' } } } },
        ...problemResponses()
      }
    }
  }, async (request, reply) => sendJsonOrHtml(request, reply, catalogue))

  app.get('/problems/:type', {
    schema: {
      operationId: 'getProblemType',
      tags: ['meta'],
      summary: 'Describe a problem type',
      description: 'What a problem\'s `type` URI resolves to: the code, status, title and when it happens, as JSON or, for a browser, HTML.',
      params: Type.Object({ type: Type.String({ description: `The code as \`type\` URIs spell it, hyphens for underscores: ${problemSlugs.map((s) => `\`${s}\``).join(', ')}.`, maxLength: 100, examples: ['not-found'] }) }, { additionalProperties: false }),
      querystring: NoQuery,
      response: {
        200: { ...jsonResponse('The problem type.', 'ProblemType'), content: { 'application/json': { schema: Type.Ref('ProblemType') }, 'text/html': { schema: { type: 'string', description: 'The same as a web page.' } } } },
        ...problemResponses(404)
      }
    }
  }, async (request, reply) => {
    const bodies = pages.get(`/problems/${request.params.type}`)
    if (bodies === undefined) throw new AppError('route_not_found', `No problem type is called ${request.params.type}; GET /problems lists them.`)
    return sendJsonOrHtml(request, reply, bodies)
  })
}

export default metaRoutes
