/**
 * `npm run bench -- --backend postgres`: the API served from PostgreSQL against a bare
 * node-postgres baseline (bench/pg-baseline-server.ts) over the same database and loopback.
 *
 * 1. Makes sure the synthetic 100k SQLite set exists (bench/synthetic.ts), starts a throw-away
 *    PostgreSQL 15 cluster on 127.0.0.1 (scripts/pg-cluster.ts: needs Debian's `postgresql` and
 *    root, as PostgreSQL runs as its own user), and copies the set into it with `kb copy`'s
 *    service (every citation re-verified), then ANALYZE; the copy's time is reported.
 * 2. Starts bench/api-server.ts and the baseline on it, checks that both send the same bytes, and
 *    measures the read scenarios PostgreSQL serves: by id (target ≥ 0.7 of the baseline), list
 *    (≥ 0.6) and the 304 (≥ 0.5). Search is not served on PostgreSQL yet: it is reported so.
 * 3. Stops the servers and the cluster (its folder removed).
 */
import { createDb } from '../src/db/client.js'
import { openPgDb } from '../src/db/pg-client.js'
import { copySqliteToPg } from '../src/services/copy.js'
import { pgClusterUnavailable, startPgCluster } from '../scripts/pg-cluster.js'
import { BenchError, flag, numberOption, option } from './config.js'
import { buildScenarios, compareScenarios, formatScenarioTable } from './scenarios.js'
import { apiSpec, pgBaselineSpec, startServer, stopServer } from './servers.js'
import { describeSyntheticDb, ensureSyntheticDb } from './synthetic.js'

/** The targets on PostgreSQL, API over baseline req/s. */
const targets: Record<string, number> = { 'by id': 0.7, list: 0.6, 304: 0.5 }

export async function runPostgresBench (argv: readonly string[]): Promise<number> {
  const duration = numberOption(argv, 'duration', 10, 1)
  const rounds = Math.floor(numberOption(argv, 'rounds', 5, 1))
  const warmup = numberOption(argv, 'warmup', Math.min(2, duration), 0)
  const connections = Math.floor(numberOption(argv, 'connections', 10, 1))
  const only = option(argv, 'scenarios')?.split(',').map((name) => name.trim())
  const unavailable = pgClusterUnavailable()
  if (unavailable !== undefined) throw new BenchError(`--backend postgres starts a throw-away PostgreSQL 15 cluster, and cannot here: ${unavailable}`)

  const data = ensureSyntheticDb({ fresh: flag(argv, 'fresh') })
  console.log(describeSyntheticDb(data))
  const teardowns: Array<() => unknown> = []
  try {
    const cluster = await startPgCluster({ teardown: (fn) => teardowns.push(fn) })
    const url = await cluster.createDatabase('kb_bench')
    const started = performance.now()
    const source = createDb(data.path, { readonly: true })
    const target = await openPgDb(url, { max: 2 })
    let copied
    try {
      copied = await copySqliteToPg(source, target.pool)
      await target.pool.query('ANALYZE')
    } finally {
      source.close()
      await target.close()
    }
    const copySeconds = (performance.now() - started) / 1000
    console.log(`copied into PostgreSQL 15 on 127.0.0.1:${cluster.port}: ${copied.rows.toLocaleString('en-US')} rows, ${copied.citationsVerified.toLocaleString('en-US')} citations re-verified, in ${copySeconds.toFixed(1)} s`)

    const [api, baseline] = await Promise.all([startServer(apiSpec, { url }), startServer(pgBaselineSpec, { url })])
    console.log(`API      ${api.url} (pid ${api.child.pid})`)
    console.log(`baseline ${baseline.url} (pid ${baseline.child.pid})`)
    const scenarios = (await buildScenarios(api))
      .filter((s) => s.name in targets && (only === undefined || only.includes(s.name)))
      .map((s) => ({ ...s, minRatio: targets[s.name]! }))
    const rows = await compareScenarios(api, baseline, scenarios, { rounds, seconds: duration / rounds, warmup, connections })
    await stopServer(api)
    await stopServer(baseline)

    console.log(`\nPostgreSQL 15 (synthetic ${data.count.toLocaleString('en-US')} transfers, copied in ${copySeconds.toFixed(1)} s), API from DATABASE_URL against bench/pg-baseline-server.ts:`)
    console.log(formatScenarioTable(rows))
    console.log('search: not measured, not served on PostgreSQL yet (501)')
    const failed = rows.filter((r) => r.m.failures > 0)
    if (failed.length > 0) {
      console.error(`\nerror: requests failed during ${failed.map((r) => r.scenario).join(', ')}; the figures are not valid`)
      return 1
    }
    return 0
  } finally {
    for (const teardown of teardowns.reverse()) await teardown()
  }
}
