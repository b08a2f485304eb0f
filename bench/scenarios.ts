/**
 * The API-vs-baseline scenarios over the 100k SYNTHETIC data set, and the check before measuring
 * that both servers answer each one as expected (the same body bytes, unless a scenario compares
 * unlike requests).
 */
import { availableParallelism } from 'node:os'
import { BenchError } from './config.js'
import { measureRounds, type Measurement, type RequestSpec, type RoundsOptions } from './measure.js'
import { formatTable, ms } from './table.js'
import type { RunningServer } from './servers.js'
import { syntheticSearchTerm, syntheticTransferId } from './synthetic.js'

export interface Scenario {
  name: string
  /** What the API is sent. */
  api: RequestSpec
  /** What the baseline is sent; the same as the API unless given. */
  baseline?: RequestSpec
  /** The API's req/s divided by the baseline's must reach this. */
  minRatio: number
  /** Check before measuring that both servers send the same body bytes; true unless given. */
  compareBodies?: boolean
}

export const baselineRequest = (scenario: Scenario): RequestSpec => scenario.baseline ?? scenario.api

export const searchPath = `/v1/search?q=${syntheticSearchTerm}&limit=20`
const revalidatedPath = '/v1/transfers?limit=50'

/**
 * The scenarios; the 304 one needs the ETag the running API gives its list (which changes at
 * midnight UTC: a run across it would report the 200s that follow as failed requests).
 */
export async function buildScenarios (api: RunningServer): Promise<Scenario[]> {
  const response = await fetch(api.url + revalidatedPath)
  await response.arrayBuffer()
  const etag = response.headers.get('etag')
  if (response.status !== 200 || etag === null) {
    throw new BenchError(`GET ${revalidatedPath} answered ${response.status}${etag === null ? ' without an ETag' : ''}; the 304 scenario needs one`)
  }
  return [
    { name: 'by id', api: { path: `/v1/transfers/${syntheticTransferId(50_000)}` }, minRatio: 0.8 },
    { name: 'list', api: { path: '/v1/transfers?limit=50&include=citations' }, minRatio: 0.7 },
    { name: 'search', api: { path: searchPath }, minRatio: 0.7 },
    {
      name: '304',
      api: { path: revalidatedPath, headers: { 'if-none-match': etag }, expectStatus: 304 },
      baseline: { path: '/hello', headers: { 'if-none-match': '"hello"' }, expectStatus: 304 },
      // Every request goes through Fastify's routing and hooks, a 304 too: the ratio is reported, not chased.
      minRatio: 0.5,
      compareBodies: false
    }
  ]
}

/** `GET /v1/search?q=quetzal&limit=20`, with `If-None-Match: "v0-…"` → 304 */
export function describeRequest (request: RequestSpec): string {
  const headers = Object.entries(request.headers ?? {}).map(([name, value]) => `${name}: ${value}`)
  return `${request.method ?? 'GET'} ${request.path}${headers.length > 0 ? ` (${headers.join(', ')})` : ''} → ${request.expectStatus ?? 200}`
}

async function fetchBytes (url: string, request: RequestSpec): Promise<{ status: number, type: string | null, body: Buffer }> {
  const response = await fetch(url + request.path, { method: request.method ?? 'GET', headers: request.headers, body: request.body })
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) }
}

function firstDifference (a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return n
}

/** Checks statuses (and body bytes) of one scenario on both servers; returns a line describing it. */
export async function checkScenario (scenario: Scenario, api: RunningServer, baseline: RunningServer): Promise<string> {
  const baselineSpec = baselineRequest(scenario)
  const [a, b] = await Promise.all([fetchBytes(api.url, scenario.api), fetchBytes(baseline.url, baselineSpec)])
  for (const [name, request, r] of [['API', scenario.api, a], ['baseline', baselineSpec, b]] as const) {
    const expectStatus = request.expectStatus ?? 200
    if (r.status !== expectStatus) {
      throw new BenchError(`${scenario.name}: ${name} answered ${request.path} with ${r.status}, expected ${expectStatus}: ${r.body.toString('utf8').slice(0, 500)}`)
    }
  }
  if (scenario.compareBodies === false) {
    return `${scenario.name}: API ${describeRequest(scenario.api)}; baseline ${describeRequest(baselineSpec)} (bodies not compared)`
  }
  if (!a.body.equals(b.body)) {
    const at = firstDifference(a.body, b.body)
    const around = (body: Buffer) => JSON.stringify(body.subarray(Math.max(0, at - 80), at + 80).toString('utf8'))
    throw new BenchError([
      `${scenario.name}: the bodies of ${scenario.api.path} differ (API ${a.body.length} bytes, baseline ${b.body.length} bytes), first at byte ${at}:`,
      `  API:      …${around(a.body)}…`,
      `  baseline: …${around(b.body)}…`
    ].join('\n'))
  }
  if (a.type !== b.type) console.warn(`note: ${scenario.name}: content-type differs (API ${a.type}, baseline ${b.type})`)
  return `${scenario.name}: same bytes, ${describeRequest(scenario.api)} (${a.body.length} bytes)`
}

/** A line of the scenario table: a server's measurement, and for the API its ratio to the baseline. */
export interface ScenarioRow {
  scenario: string
  m: Measurement
  /** API (or reference) req/s over the baseline's; judged against `target` when there is one. */
  ratio?: { value: number, target?: number }
}

/**
 * Checks every scenario on both servers, then measures each (bench/measure.ts): the API and the
 * baseline alternating, round by round.
 */
export async function compareScenarios (api: RunningServer, baseline: RunningServer, scenarios: Scenario[], options: RoundsOptions): Promise<ScenarioRow[]> {
  for (const scenario of scenarios) console.log(await checkScenario(scenario, api, baseline))
  console.log(`\nautocannon: ${options.connections} connections, one run at a time; per scenario ${options.warmup} s warm-up each, then ` +
    `${options.rounds} × ${options.seconds} s per server, alternating API and baseline; ` +
    `node ${process.version}, ${availableParallelism()} CPUs (load generator and server share them)\n`)
  const rows: ScenarioRow[] = []
  for (const scenario of scenarios) {
    process.stdout.write(`${scenario.name}: measuring…`)
    const [a, b] = await measureRounds([
      { baseUrl: api.url, request: scenario.api },
      { baseUrl: baseline.url, request: baselineRequest(scenario) }
    ], options) as [Measurement, Measurement]
    const perRound = (m: Measurement) => m.rounds.map((r) => r.toFixed(0)).join(', ')
    console.log(` API ${a.reqPerSec.toFixed(1)} req/s (rounds ${perRound(a)}), baseline ${b.reqPerSec.toFixed(1)} req/s (rounds ${perRound(b)})`)
    rows.push({ scenario: `API ${scenario.name}`, m: a, ratio: { value: a.reqPerSec / b.reqPerSec, target: scenario.minRatio } })
    rows.push({ scenario: `baseline ${scenario.name}`, m: b })
  }
  return rows
}

export function formatScenarioTable (rows: ScenarioRow[]): string {
  return formatTable(['scenario', 'req/s', 'p50 ms', 'p99 ms', 'requests', 'API/baseline req/s', 'target', 'result'], rows.map((r) => [
    r.scenario,
    r.m.reqPerSec.toFixed(1),
    ms(r.m.p50),
    ms(r.m.p99),
    String(r.m.requests) + (r.m.failures > 0 ? ` (${r.m.failures} failed)` : ''),
    r.ratio === undefined ? '' : r.ratio.value.toFixed(2),
    r.ratio?.target === undefined ? '' : `≥ ${r.ratio.target}`,
    r.ratio?.target === undefined ? '' : r.ratio.value >= r.ratio.target ? 'PASS' : 'FAIL'
  ]))
}
