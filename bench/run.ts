/**
 * `npm run bench`: the API against a bare node:http baseline over the same SYNTHETIC data.
 *
 *   npx tsx bench/run.ts [--duration 10] [--warmup 2] [--connections 10] [--fresh]
 *                        [--import-records 20000] [--import-runs 3]
 *                        [--no-scale] [--scale-sizes 10000,100000,1000000] [--scale-duration 3] [--scale-warmup 1]
 *
 * 1. Makes sure bench/.data/synthetic-100k.sqlite exists (bench/synthetic.ts; `--fresh`
 *    regenerates every synthetic file the run uses).
 * 2. Starts bench/api-server.ts and bench/baseline-server.ts as child processes on free ports of
 *    127.0.0.1, and checks that both answer every scenario (bench/scenarios.ts) as expected:
 *    byte-identical bodies, or for the 304 scenario the expected statuses.
 * 3. Runs autocannon against each scenario, API then baseline, one run at a time, and prints
 *    req/s, latency percentiles and the API/baseline throughput ratio against its target.
 * 4. Imports SYNTHETIC NDJSON through POST /v1/import into a fresh database (bench/import.ts)
 *    and prints records per second (the median of the runs) against its target.
 * 5. Unless `--no-scale`: the scale curve (bench/scale.ts), the API alone over 10k, 100k and 1M
 *    synthetic transfers, p50/p99 per size and the p50 ratio of the largest to the smallest size.
 *
 * Exit code 1 only for errors (a server failing, bodies differing, failed requests); a missed
 * target is reported as FAIL in the tables but is not an error.
 */
import { availableParallelism } from 'node:os'
import { flag, option } from './config.js'
import { importTarget, measureImport, prepareImportDb } from './import.js'
import { warmAndMeasure, stopMeasuring, type Measurement } from './measure.js'
import { defaultScaleSizes, printScaleCurve, runScaleCurve, type ScaleCell } from './scale.js'
import { baselineRequest, buildScenarios, checkScenario } from './scenarios.js'
import { apiSpec, baselineSpec, BenchError, startServer, stopAll, stopServer } from './servers.js'
import { describeSyntheticDb, ensureSyntheticDb } from './synthetic.js'
import { ms, printTable } from './table.js'

interface Row {
  scenario: string
  m: Measurement
  ratio?: { value: number, target: number }
}

function printScenarioTable (rows: Row[]): void {
  printTable(['scenario', 'req/s (mean)', 'p50 ms', 'p99 ms', 'requests', 'API/baseline req/s', 'target', 'result'], rows.map((r) => [
    r.scenario,
    r.m.reqPerSec.toFixed(1),
    ms(r.m.p50),
    ms(r.m.p99),
    String(r.m.requests) + (r.m.failures > 0 ? ` (${r.m.failures} failed)` : ''),
    r.ratio === undefined ? '' : r.ratio.value.toFixed(2),
    r.ratio === undefined ? '' : `≥ ${r.ratio.target}`,
    r.ratio === undefined ? '' : r.ratio.value >= r.ratio.target ? 'PASS' : 'FAIL'
  ]))
}

function numberOption (argv: string[], name: string, fallback: number, min: number): number {
  const raw = option(argv, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new BenchError(`--${name} must be a number ≥ ${min}, got "${raw}"`)
  return value
}

function sizesOption (argv: string[]): number[] {
  const raw = option(argv, 'scale-sizes')
  if (raw === undefined) return defaultScaleSizes
  const sizes = raw.split(',').map((s) => Number(s.trim().replace(/_/g, '')))
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
    throw new BenchError(`--scale-sizes must be comma-separated whole numbers ≥ 1000, got "${raw}"`)
  }
  return [...new Set(sizes)].sort((a, b) => a - b)
}

async function main (): Promise<number> {
  const argv = process.argv.slice(2)
  const duration = numberOption(argv, 'duration', 10, 1)
  const warmup = numberOption(argv, 'warmup', Math.min(2, duration), 0)
  const connections = Math.floor(numberOption(argv, 'connections', 10, 1))
  const importRecords = Math.floor(numberOption(argv, 'import-records', 20_000, 1))
  const importRuns = Math.floor(numberOption(argv, 'import-runs', 3, 1))
  const scale = !flag(argv, 'no-scale')
  const scaleSizes = sizesOption(argv)
  const scaleSeconds = numberOption(argv, 'scale-duration', 3, 1)
  const scaleWarmup = numberOption(argv, 'scale-warmup', 1, 0)
  const fresh = flag(argv, 'fresh')

  // API against baseline.
  const data = ensureSyntheticDb({ fresh })
  console.log(describeSyntheticDb(data))

  const [api, baseline] = await Promise.all([startServer(apiSpec, data.path), startServer(baselineSpec, data.path)])
  console.log(`API      ${api.url} (pid ${api.child.pid})`)
  console.log(`baseline ${baseline.url} (pid ${baseline.child.pid})`)

  const scenarios = await buildScenarios(api)
  for (const scenario of scenarios) console.log(await checkScenario(scenario, api, baseline))

  console.log(`\nautocannon: ${connections} connections, ${warmup} s warm-up + ${duration} s per run, one run at a time; ` +
    `node ${process.version}, ${availableParallelism()} CPUs (load generator and server share them)\n`)
  const rows: Row[] = []
  for (const scenario of scenarios) {
    const results: Measurement[] = []
    for (const [server, request] of [[api, scenario.api], [baseline, baselineRequest(scenario)]] as const) {
      process.stdout.write(`${server.spec.name} ${scenario.name}: measuring…`)
      const m = await warmAndMeasure(server.url, request, warmup, duration, connections)
      results.push(m)
      console.log(` ${m.reqPerSec.toFixed(1)} req/s`)
    }
    const [a, b] = results as [Measurement, Measurement]
    rows.push({ scenario: `API ${scenario.name}`, m: a, ratio: { value: a.reqPerSec / b.reqPerSec, target: scenario.minRatio } })
    rows.push({ scenario: `baseline ${scenario.name}`, m: b })
  }

  await stopServer(api)
  await stopServer(baseline)

  // Import throughput.
  const importDb = prepareImportDb()
  const importer = await startServer(apiSpec, importDb.path)
  console.log(`\nimport: ${importRuns} runs of ${importRecords} SYNTHETIC transfers (each with participants, a resource and 2 citations to verify) into a fresh database`)
  const imported = await measureImport(importer.url, importDb.key, importRecords, importRuns)
  await stopServer(importer)

  // Scale curve.
  const cells: ScaleCell[] = scale
    ? await runScaleCurve({ sizes: scaleSizes, warmup: scaleWarmup, seconds: scaleSeconds, fresh })
    : []

  console.log()
  printScenarioTable(rows)
  const rate = Math.round(imported.recordsPerSecond)
  console.log(`\nimport throughput: ${rate} records/s (median of ${importRuns} runs of ${imported.records} records) | target ≥ ${importTarget} | ${rate >= importTarget ? 'PASS' : 'FAIL'}`)
  if (scale) {
    console.log()
    printScaleCurve(cells)
  }

  const failed = [...rows, ...cells.map((c) => ({ scenario: `scale ${c.scenario} at ${c.size}`, m: c.m }))].filter((r) => r.m.failures > 0)
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
  stopMeasuring()
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
