/**
 * `npm run bench`: the API against a bare node:http baseline over the same SYNTHETIC data.
 *
 *   npx tsx bench/run.ts [--duration 10] [--rounds 5] [--warmup 2] [--connections 10] [--fresh]
 *                        [--scenarios "by id,list,search,304"] [--no-import]
 *                        [--import-records 20000] [--import-runs 3]
 *                        [--no-scale] [--scale-sizes 10000,100000,1000000] [--scale-duration 3]
 *                        [--scale-rounds 3] [--scale-warmup 1] [--hostile-seconds 10] [--write]
 *
 * 1. Makes sure bench/.data/synthetic-100k.sqlite exists (bench/synthetic.ts; `--fresh`
 *    regenerates every synthetic file the run uses).
 * 2. Starts bench/api-server.ts and bench/baseline-server.ts as child processes on free ports of
 *    127.0.0.1, and checks that both answer every scenario (bench/scenarios.ts) as expected:
 *    byte-identical bodies, or for the 304 scenario the expected statuses.
 * 3. Runs autocannon against each scenario, one run at a time: `--duration` seconds per server,
 *    in `--rounds` rounds alternating API and baseline (bench/measure.ts), and prints req/s,
 *    latency percentiles and the API/baseline throughput ratio against its target.
 * 4. Imports SYNTHETIC NDJSON through POST /v1/import into a fresh database (bench/import.ts)
 *    and prints records per second (the median of the runs) against its target.
 * 5. Unless `--no-scale`: the scale curve (bench/scale.ts), the API alone over 10k, 100k and 1M
 *    synthetic transfers, p50/p99 per size and the p50 ratio of the largest to the smallest size.
 * 6. The hostile load (bench/hostile.ts): /health's latency while clients do the worst the API
 *    lets them (expensive searches, streams that never read, a large import).
 * 7. The explorer's budgets in Chromium (bench/explorer.ts): its JavaScript gzipped, the overview's
 *    first render, no request repeated without If-None-Match.
 * 8. With `--write`: the tables, with the commit and machine they were measured on, in bench/RESULTS.md.
 *
 * `--backend postgres` measures the API on PostgreSQL instead (bench/postgres.ts): a throw-away
 * PostgreSQL 15 cluster on loopback, the same synthetic data copied into it, the read scenarios
 * against a bare node-postgres baseline (bench/pg-baseline-server.ts).
 *
 * `--scenarios` names the parts to run: "by id", "list", "search", "304", "import", "scale",
 * "hostile", "explorer"; all of them by default.
 *
 * Exit code 1 only for errors (a server failing, bodies differing, failed requests); a missed
 * target is reported as FAIL in the tables but is not an error.
 */
import { execFileSync } from 'node:child_process'
import { existsSync, writeFileSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import { join } from 'node:path'
import { BenchError, benchFolder, flag, numberOption, option, projectRoot } from './config.js'
import { importTarget, measureImport, prepareImportDb } from './import.js'
import { stopMeasuring } from './measure.js'
import { explorerTargets, runExplorerBudgets } from './explorer.js'
import { runHostile } from './hostile.js'
import { formatScaleCurve, runScaleCurve, scaleOptions, type ScaleResult } from './scale.js'
import { runPostgresBench } from './postgres.js'
import { buildScenarios, compareScenarios, formatScenarioTable, type ScenarioRow } from './scenarios.js'
import { chromiumPath } from '../scripts/explorer-browser.js'
import { apiSpec, baselineSpec, startServer, stopAll, stopServer } from './servers.js'
import { describeSyntheticDb, ensureSyntheticDb, summarizeSyntheticDb } from './synthetic.js'

const resultsPath = join(benchFolder, 'RESULTS.md')

/** `--write`: the run's tables, with what was run where, as bench/RESULTS.md (committed, so a reader sees the latest figures). */
function writeResults (report: string[], argv: readonly string[], run: { rounds: number, duration: number, warmup: number, connections: number }): void {
  let commit = 'unknown'
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: projectRoot, encoding: 'utf8' }).trim()
    if (execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: projectRoot, encoding: 'utf8' }).trim() !== '') commit += ' with uncommitted changes'
  } catch {}
  const options = argv.filter((a) => a !== '--write').join(' ')
  writeFileSync(resultsPath, [
    '# Benchmark results',
    '',
    `The last run written by \`npm run bench -- --write${options === '' ? '' : ` ${options}`}\`, on ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC,`,
    `commit ${commit}, Node ${process.version}, ${availableParallelism()} CPUs shared by the load generator and the servers;`,
    `${run.rounds} rounds of ${run.duration / run.rounds} s per server and scenario, alternating, after ${run.warmup} s of warm-up, ${run.connections} connections.`,
    'What each scenario measures and why is in the README\'s *Performance* section. Rerun on your own machine before relying on a ratio.',
    '',
    '```text',
    report.join('\n\n'),
    '```',
    ''
  ].join('\n'))
}

async function main (): Promise<number> {
  const argv = process.argv.slice(2)
  const backend = option(argv, 'backend') ?? 'sqlite'
  if (backend === 'postgres') return await runPostgresBench(argv)
  if (backend !== 'sqlite') throw new BenchError(`--backend must be sqlite or postgres, got "${backend}"`)
  const duration = numberOption(argv, 'duration', 10, 1)
  const rounds = Math.floor(numberOption(argv, 'rounds', 5, 1))
  const warmup = numberOption(argv, 'warmup', Math.min(2, duration), 0)
  const connections = Math.floor(numberOption(argv, 'connections', 10, 1))
  const importRecords = Math.floor(numberOption(argv, 'import-records', 20_000, 1))
  const importRuns = Math.floor(numberOption(argv, 'import-runs', 3, 1))
  const scale = flag(argv, 'no-scale') ? undefined : scaleOptions(argv)
  const fresh = flag(argv, 'fresh')
  const only = option(argv, 'scenarios')?.split(',').map((name) => name.trim())
  const parts = ['import', 'scale', 'hostile', 'explorer']
  const wants = (part: string) => only === undefined || only.includes(part)
  const withImport = !flag(argv, 'no-import') && wants('import')
  const withScale = scale !== undefined && wants('scale')

  // API against baseline.
  const data = ensureSyntheticDb({ fresh })
  console.log(describeSyntheticDb(data))
  const rows: ScenarioRow[] = []
  const compared = only?.filter((name) => !parts.includes(name))
  if (compared === undefined || compared.length > 0) {
    const [api, baseline] = await Promise.all([startServer(apiSpec, data.path), startServer(baselineSpec, data.path)])
    console.log(`API      ${api.url} (pid ${api.child.pid})`)
    console.log(`baseline ${baseline.url} (pid ${baseline.child.pid})`)

    const all = await buildScenarios(api)
    const unknown = compared?.filter((name) => !all.some((s) => s.name === name)) ?? []
    if (unknown.length > 0) throw new BenchError(`--scenarios: nothing is called ${unknown.map((n) => `"${n}"`).join(', ')}; there are ${[...all.map((s) => s.name), ...parts].map((n) => `"${n}"`).join(', ')}`)
    const scenarios = all.filter((s) => compared === undefined || compared.includes(s.name))
    rows.push(...await compareScenarios(api, baseline, scenarios, { rounds, seconds: duration / rounds, warmup, connections }))
    await stopServer(api)
    await stopServer(baseline)
  }

  // Import throughput.
  let imported: Awaited<ReturnType<typeof measureImport>> | undefined
  if (withImport) {
    const importDb = prepareImportDb()
    const importer = await startServer(apiSpec, importDb.path)
    console.log(`\nimport: ${importRuns} runs of ${importRecords} SYNTHETIC transfers (each with participants, a resource and 2 citations to verify) into a fresh database`)
    imported = await measureImport(importer.url, importDb.key, importRecords, importRuns)
    await stopServer(importer)
  }

  // Scale curve.
  const curve: ScaleResult = withScale ? await runScaleCurve(scale) : { cells: [], data: [] }

  // Hostile load.
  const hostile = wants('hostile') ? await runHostile({ seconds: numberOption(argv, 'hostile-seconds', 10, 1) }) : undefined

  // The explorer's budgets, in Chromium (skipped, saying so, where there is none).
  const explorer = !wants('explorer') ? undefined : existsSync(chromiumPath) ? await runExplorerBudgets() : `explorer: not measured, no ${chromiumPath} (apt-get install chromium); targets: JavaScript ≤ ${explorerTargets.scriptKb} KB gzipped, first render ≤ ${explorerTargets.firstRenderMs} ms`

  const report: string[] = []
  if (rows.length > 0) report.push(formatScenarioTable(rows))
  if (imported !== undefined) {
    const rate = Math.round(imported.recordsPerSecond)
    report.push(`import throughput: ${rate} records/s (median of ${importRuns} runs of ${imported.records} records) | target ≥ ${importTarget} | ${rate >= importTarget ? 'PASS' : 'FAIL'}`)
  }
  if (withScale) report.push(formatScaleCurve(curve.cells))
  if (explorer !== undefined) report.push(explorer)
  if (hostile !== undefined) report.push(`hostile load (GET /health, one request at a time, on a copy of the 100k data):\n${hostile.report}`)
  const sets = [data, ...curve.data.filter((d) => d.path !== data.path)].sort((a, b) => a.count - b.count)
  report.push(`synthetic data sets: ${sets.map(summarizeSyntheticDb).join(', ')}`)
  console.log('\n' + report.join('\n\n'))
  if (flag(argv, 'write')) {
    writeResults(report, argv, { rounds, duration, warmup, connections })
    console.log(`\nwrote ${resultsPath}`)
  }

  const failed = [...rows, ...curve.cells.map((c) => ({ scenario: `scale ${c.scenario} at ${c.size}`, m: c.m }))].filter((r) => r.m.failures > 0)
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
