/**
 * `npm run bench`: the API against a bare node:http baseline over the same SYNTHETIC data.
 *
 *   npx tsx bench/run.ts [--duration 10] [--warmup 2] [--connections 10] [--fresh]
 *                        [--import-records 20000] [--import-runs 3]
 *
 * 1. Makes sure bench/.data/synthetic-100k.sqlite exists (bench/synthetic.ts).
 * 2. Starts bench/api-server.ts and bench/baseline-server.ts as child processes on free ports of
 *    127.0.0.1, and checks that both answer every scenario with byte-identical bodies.
 * 3. Runs autocannon against each scenario, API then baseline, one run at a time, and prints
 *    req/s, latency percentiles and the API/baseline throughput ratio against its target.
 * 4. Imports SYNTHETIC NDJSON through POST /v1/import into a fresh database (bench/import.ts)
 *    and prints records per second (the median of the runs) against its target.
 *
 * Exit code 1 only for errors (a server failing, bodies differing, failed requests); a missed
 * target is reported as FAIL in the table but is not an error.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'
import { createInterface } from 'node:readline'
import autocannon, { type Instance } from 'autocannon'
import { benchCursorSecret, flag, option, projectRoot, readyPrefix, type ReadyMessage } from './config.js'
import { importTarget, measureImport, prepareImportDb } from './import.js'
import { describeSyntheticDb, ensureSyntheticDb, syntheticTransferId } from './synthetic.js'

/** One request shape measured on both servers. Later scenarios (search, 304, import) are more entries. */
interface Scenario {
  name: string
  /** Path and query, the same on both servers. */
  path: string
  /** The API's req/s divided by the baseline's must reach this. */
  minRatio: number
  method?: string
  headers?: Record<string, string>
  body?: string
  /** The status every response must have; 200 unless given. */
  expectStatus?: number
  /** Check before measuring that both servers send the same body bytes; true unless given. */
  compareBodies?: boolean
}

const scenarios: Scenario[] = [
  { name: 'by id', path: `/v1/transfers/${syntheticTransferId(50_000)}`, minRatio: 0.8 },
  { name: 'list', path: '/v1/transfers?limit=50&include=citations', minRatio: 0.7 }
]

interface ServerSpec {
  name: string
  script: string
}
const apiSpec: ServerSpec = { name: 'API', script: 'bench/api-server.ts' }
const baselineSpec: ServerSpec = { name: 'baseline', script: 'bench/baseline-server.ts' }

class BenchError extends Error {}

// ---------------------------------------------------------------------------------------------
// Child servers

interface RunningServer {
  spec: ServerSpec
  child: ChildProcess
  url: string
}
const running = new Set<RunningServer>()
const readyTimeoutMs = 120_000

function startServer (spec: ServerSpec, dbPath: string): Promise<RunningServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', spec.script, '--db', dbPath, '--port', '0'], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_CURSOR_SECRET: benchCursorSecret },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderrTail = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000)
    process.stderr.write(chunk.replace(/^(?=.)/gm, `[${spec.name}] `))
  })
  return new Promise((resolve, reject) => {
    let server: RunningServer | undefined
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new BenchError(`${spec.script} printed no ready line within ${readyTimeoutMs / 1000} s`))
    }, readyTimeoutMs)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (server === undefined && line.startsWith(readyPrefix)) {
        clearTimeout(timer)
        const ready = JSON.parse(line.slice(readyPrefix.length)) as ReadyMessage
        server = { spec, child, url: ready.url }
        running.add(server)
        resolve(server)
      } else {
        console.log(`[${spec.name}] ${line}`)
      }
    })
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(new BenchError(`${spec.script} could not be started: ${err.message}`))
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (server !== undefined) running.delete(server)
      if (server === undefined) {
        reject(new BenchError(`${spec.script} exited (${signal ?? `code ${code}`}) before it was ready${stderrTail === '' ? '' : `:\n${stderrTail}`}`))
      } else if (!stopping.has(server)) {
        console.error(`${spec.script} exited unexpectedly (${signal ?? `code ${code}`})`)
      }
    })
  })
}

const stopping = new Set<RunningServer>()

function stopServer (server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve()
  stopping.add(server)
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 5000)
    server.child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    server.child.kill('SIGTERM')
  })
}

async function stopAll (): Promise<void> {
  await Promise.all([...running].map(stopServer))
}

// Last resort if the process exits any other way: never leave a server behind.
process.on('exit', () => {
  for (const server of running) server.child.kill('SIGKILL')
})

// ---------------------------------------------------------------------------------------------
// Byte-identity check

async function fetchBytes (url: string, scenario: Scenario): Promise<{ status: number, type: string | null, body: Buffer }> {
  const response = await fetch(url, { method: scenario.method ?? 'GET', headers: scenario.headers, body: scenario.body })
  return { status: response.status, type: response.headers.get('content-type'), body: Buffer.from(await response.arrayBuffer()) }
}

function firstDifference (a: Buffer, b: Buffer): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i
  return n
}

async function checkSameBytes (scenario: Scenario, api: RunningServer, baseline: RunningServer): Promise<number> {
  const expectStatus = scenario.expectStatus ?? 200
  const [a, b] = await Promise.all([fetchBytes(api.url + scenario.path, scenario), fetchBytes(baseline.url + scenario.path, scenario)])
  for (const [name, r] of [['API', a], ['baseline', b]] as const) {
    if (r.status !== expectStatus) {
      throw new BenchError(`${scenario.name}: ${name} answered ${scenario.path} with ${r.status}, expected ${expectStatus}: ${r.body.toString('utf8').slice(0, 500)}`)
    }
  }
  if (scenario.compareBodies !== false && !a.body.equals(b.body)) {
    const at = firstDifference(a.body, b.body)
    const around = (body: Buffer) => JSON.stringify(body.subarray(Math.max(0, at - 80), at + 80).toString('utf8'))
    throw new BenchError([
      `${scenario.name}: the bodies of ${scenario.path} differ (API ${a.body.length} bytes, baseline ${b.body.length} bytes), first at byte ${at}:`,
      `  API:      …${around(a.body)}…`,
      `  baseline: …${around(b.body)}…`
    ].join('\n'))
  }
  if (a.type !== b.type) console.warn(`note: ${scenario.name}: content-type differs (API ${a.type}, baseline ${b.type})`)
  return a.body.length
}

// ---------------------------------------------------------------------------------------------
// Measuring

interface Measurement {
  reqPerSec: number
  /** From each response's own hrtime (autocannon's histogram rounds latencies to whole ms). */
  p50: number
  p99: number
  requests: number
  /** Connection errors, timeouts, and responses with another status than expected. */
  failures: number
}

let current: Instance | undefined

function percentile (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

async function measure (url: string, scenario: Scenario, seconds: number, connections: number): Promise<Measurement> {
  const expectStatus = scenario.expectStatus ?? 200
  const latencies: number[] = []
  const instance = autocannon({
    url,
    connections,
    duration: seconds,
    method: scenario.method ?? 'GET',
    headers: scenario.headers ?? {},
    ...(scenario.body !== undefined ? { body: scenario.body } : {})
  })
  current = instance
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    if (status === expectStatus) latencies.push(ms)
  })
  try {
    const result = await instance
    const unexpected = Object.entries(result.statusCodeStats)
      .filter(([status]) => Number(status) !== expectStatus)
      .reduce((sum, [, s]) => sum + s.count, 0)
    const sorted = Float64Array.from(latencies).sort()
    return {
      reqPerSec: result.requests.mean,
      p50: percentile(sorted, 0.5),
      p99: percentile(sorted, 0.99),
      requests: result.requests.total,
      failures: result.errors + result.timeouts + unexpected
    }
  } finally {
    current = undefined
  }
}

// ---------------------------------------------------------------------------------------------
// Report

interface Row {
  scenario: string
  m: Measurement
  ratio?: { value: number, target: number }
}

function printTable (rows: Row[]): void {
  const header = ['scenario', 'req/s (mean)', 'p50 ms', 'p99 ms', 'requests', 'API/baseline req/s', 'target', 'result']
  const lines = rows.map((r) => [
    r.scenario,
    r.m.reqPerSec.toFixed(1),
    r.m.p50.toFixed(2),
    r.m.p99.toFixed(2),
    String(r.m.requests) + (r.m.failures > 0 ? ` (${r.m.failures} failed)` : ''),
    r.ratio === undefined ? '' : r.ratio.value.toFixed(2),
    r.ratio === undefined ? '' : `≥ ${r.ratio.target}`,
    r.ratio === undefined ? '' : r.ratio.value >= r.ratio.target ? 'PASS' : 'FAIL'
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)))
  const format = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(' | ')
  console.log(format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('-|-'))
  for (const l of lines) console.log(format(l))
}

// ---------------------------------------------------------------------------------------------

function numberOption (argv: string[], name: string, fallback: number, min: number): number {
  const raw = option(argv, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new BenchError(`--${name} must be a number ≥ ${min}, got "${raw}"`)
  return value
}

async function main (): Promise<number> {
  const argv = process.argv.slice(2)
  const duration = numberOption(argv, 'duration', 10, 1)
  const warmup = numberOption(argv, 'warmup', Math.min(2, duration), 0)
  const connections = Math.floor(numberOption(argv, 'connections', 10, 1))

  const data = ensureSyntheticDb({ fresh: flag(argv, 'fresh') })
  console.log(describeSyntheticDb(data))

  const [api, baseline] = await Promise.all([startServer(apiSpec, data.path), startServer(baselineSpec, data.path)])
  console.log(`API      ${api.url} (pid ${api.child.pid})`)
  console.log(`baseline ${baseline.url} (pid ${baseline.child.pid})`)

  for (const scenario of scenarios) {
    const bytes = await checkSameBytes(scenario, api, baseline)
    console.log(`same bytes: ${scenario.name} ${scenario.path} (${bytes} bytes)`)
  }

  console.log(`\nautocannon: ${connections} connections, ${warmup} s warm-up + ${duration} s per run, one run at a time; ` +
    `node ${process.version}, ${availableParallelism()} CPUs (load generator and server share them)\n`)
  const rows: Row[] = []
  for (const scenario of scenarios) {
    const results = new Map<ServerSpec, Measurement>()
    for (const server of [api, baseline]) {
      const url = server.url + scenario.path
      process.stdout.write(`${server.spec.name} ${scenario.name}: warm-up…`)
      if (warmup > 0) await measure(url, scenario, warmup, connections)
      process.stdout.write(' measuring…')
      const m = await measure(url, scenario, duration, connections)
      results.set(server.spec, m)
      console.log(` ${m.reqPerSec.toFixed(1)} req/s`)
    }
    const a = results.get(apiSpec)!
    const b = results.get(baselineSpec)!
    rows.push({ scenario: `API ${scenario.name}`, m: a, ratio: { value: a.reqPerSec / b.reqPerSec, target: scenario.minRatio } })
    rows.push({ scenario: `baseline ${scenario.name}`, m: b })
  }

  await stopServer(api)
  await stopServer(baseline)

  const importRecords = Math.floor(numberOption(argv, 'import-records', 20_000, 1))
  const importRuns = Math.floor(numberOption(argv, 'import-runs', 3, 1))
  const importDb = prepareImportDb()
  const importer = await startServer(apiSpec, importDb.path)
  console.log(`\nimport: ${importRuns} runs of ${importRecords} SYNTHETIC transfers (each with participants, a resource and 2 citations to verify) into a fresh database`)
  const imported = await measureImport(importer.url, importDb.key, importRecords, importRuns)
  await stopServer(importer)

  console.log()
  printTable(rows)
  const rate = Math.round(imported.recordsPerSecond)
  console.log(`\nimport throughput: ${rate} records/s (median of ${importRuns} runs of ${imported.records} records) | target ≥ ${importTarget} | ${rate >= importTarget ? 'PASS' : 'FAIL'}`)
  const failed = rows.filter((r) => r.m.failures > 0)
  if (failed.length > 0) {
    console.error(`\nerror: requests failed during ${failed.map((r) => r.scenario).join(', ')}; the figures are not valid`)
    return 1
  }
  return 0
}

let interrupted = false
process.once('SIGINT', () => {
  interrupted = true
  console.error('\ninterrupted, stopping the servers')
  current?.stop()
  stopAll().then(() => process.exit(130), () => process.exit(130))
})

try {
  process.exitCode = await main()
} catch (err) {
  if (!interrupted) console.error(err instanceof BenchError ? `error: ${err.message}` : err)
  process.exitCode = 1
} finally {
  await stopAll()
}
