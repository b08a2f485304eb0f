/**
 * The scale curve: the API alone over SYNTHETIC data sets of several sizes (10k, 100k and 1M
 * transfers unless `--scale-sizes` says otherwise), one API server per size, one request at a
 * time (autocannon with one connection, so that latencies are service times rather than
 * queueing), the sizes measured in interleaved rounds (bench/measure.ts), p50/p99 of
 *
 *   deep keyset page  /v1/transfers?limit=50&sort=date&cursor=<the row 90% through the listing>
 *   filtered list     /v1/transfers?from_country=US&to_country=MX&mechanism=deportation&limit=50
 *   … counted         the same with count=true: every matching transfer counted
 *   … estimated       the same with count=estimated: exact up to 1,000 matches, then from a sample
 *   2-D statistic     /v1/stats/transfers?group_by=month,mechanism: every transfer aggregated
 *   search            /v1/search?q=<a word in the same number of transfers at every size>&limit=20
 *
 * and per scenario the ratio p50(largest)/p50(smallest) against its target (≤ 1.5). Run from
 * bench/run.ts, or alone:
 *
 *   npx tsx bench/scale.ts [--scale-sizes 10000,100000,1000000] [--scale-duration 3] [--scale-rounds 3]
 *                          [--scale-warmup 1] [--fresh]
 *
 * Every data set is generated (if need be) before any server starts, so that no measurement
 * runs while the disk still writes a freshly generated file.
 */
import { pathToFileURL } from 'node:url'
import BetterSqlite3 from 'better-sqlite3'
import { CursorCodec } from '../src/query/cursor.js'
import { BenchError, benchCursorSecret, countLabel, flag, numberOption, option } from './config.js'
import { measureRounds, stopMeasuring, type Measurement, type RequestSpec } from './measure.js'
import { searchPath } from './scenarios.js'
import { apiSpec, startServer, stopAll, stopServer, type RunningServer } from './servers.js'
import { describeSyntheticDb, ensureSyntheticDb, summarizeSyntheticDb, syntheticSearchTerm, type SyntheticDb } from './synthetic.js'
import { formatTable, ms } from './table.js'

export const defaultScaleSizes = [10_000, 100_000, 1_000_000]
export const scaleTarget = 1.5
const deepPosition = 0.9
const filteredPath = '/v1/transfers?from_country=US&to_country=MX&mechanism=deportation&limit=50'

interface Probe {
  name: string
  request: RequestSpec
  /** Checks one response before measuring (throws a BenchError). */
  check: (body: { data: Array<{ id: string }> }) => void
}

export interface ScaleCell {
  size: number
  scenario: string
  m: Measurement
}

export interface ScaleOptions {
  sizes: number[]
  /** Seconds of discarded load per cell before its first round. */
  warmup: number
  /** Measured seconds per cell, split into `rounds` rounds. */
  seconds: number
  rounds: number
  fresh: boolean
}

/** `--scale-sizes`, `--scale-duration`, `--scale-rounds`, `--scale-warmup` and `--fresh`. */
export function scaleOptions (argv: readonly string[]): ScaleOptions {
  const raw = option(argv, 'scale-sizes')
  let sizes = defaultScaleSizes
  if (raw !== undefined) {
    sizes = [...new Set(raw.split(',').map((s) => Number(s.trim().replace(/_/g, ''))))].sort((a, b) => a - b)
    if (sizes.some((n) => !Number.isInteger(n) || n < 1000)) {
      throw new BenchError(`--scale-sizes must be comma-separated whole numbers ≥ 1000, got "${raw}"`)
    }
  }
  return {
    sizes,
    seconds: numberOption(argv, 'scale-duration', 3, 1),
    rounds: Math.floor(numberOption(argv, 'scale-rounds', 3, 1)),
    warmup: numberOption(argv, 'scale-warmup', 1, 0),
    fresh: flag(argv, 'fresh')
  }
}

const expectLength = (name: string, n: number) => (body: { data: unknown[] }) => {
  if (body.data.length !== n) throw new BenchError(`scale: ${name} returned ${body.data.length} records, expected ${n}`)
}

/**
 * The probes of one data set. The deep page's cursor is made as the API makes it (CursorCodec,
 * the bench secret, the digest of `transfers` sorted `date,id` without filters) from the sort key
 * of the row 90% through the listing; its check is that the page starts at the row after it.
 */
function probesFor (dbPath: string, size: number): { probes: Probe[], facts: string } {
  const sqlite = new BetterSqlite3(dbPath, { readonly: true, fileMustExist: true })
  try {
    const offset = Math.max(0, Math.floor(size * deepPosition) - 1)
    // The API's sort key of a date: where it is placed (src/query/dates.ts).
    const [at, next] = sqlite.prepare(`SELECT coalesce(date_earliest, date_latest, '') AS key, id FROM transfers
      ORDER BY coalesce(date_earliest, date_latest, ''), id LIMIT 2 OFFSET ?`).all(offset) as Array<{ key: string, id: string }>
    if (at === undefined || next === undefined) throw new BenchError(`scale: ${dbPath} has no row ${offset + 2} to page from`)
    const cursor = new CursorCodec(benchCursorSecret).encode(CursorCodec.queryDigest('transfers', 'date,id', {}), [at.key, at.id])
    const filtered = sqlite.prepare(`SELECT count(*) FROM transfers
      WHERE from_country = 'US' AND to_country = 'MX' AND mechanism = 'deportation'`).pluck().get() as number
    const hits = sqlite.prepare('SELECT count(*) FROM search_index WHERE search_index MATCH ?').pluck().get(syntheticSearchTerm) as number
    const transfers = sqlite.prepare('SELECT count(*) FROM transfers').pluck().get() as number
    const probes: Probe[] = [
      {
        name: 'deep keyset page',
        request: { path: `/v1/transfers?limit=50&sort=date&cursor=${cursor}` },
        check: (body) => {
          if (body.data[0]?.id !== next.id) throw new BenchError(`scale: the deep page starts at ${body.data[0]?.id}, expected ${next.id}`)
          expectLength('the deep page', Math.min(50, size - offset - 1))(body)
        }
      },
      { name: 'filtered list', request: { path: filteredPath }, check: expectLength('the filtered list', Math.min(50, filtered)) },
      {
        name: 'filtered list counted',
        request: { path: `${filteredPath}&count=true` },
        check: (body) => {
          expectLength('the counted list', Math.min(50, filtered))(body)
          if ((body as { count?: number }).count !== filtered) throw new BenchError(`scale: the counted list says ${String((body as { count?: number }).count)}, expected ${filtered}`)
        }
      },
      {
        name: 'filtered list estimated',
        request: { path: `${filteredPath}&count=estimated` },
        check: (body) => {
          const { count, count_estimated: estimated } = body as { count?: number, count_estimated?: boolean }
          if (count === undefined || Math.abs(count - filtered) > Math.max(1, filtered * 0.1)) throw new BenchError(`scale: the estimated count says ${String(count)}, ${filtered} match`)
          if (estimated !== (filtered > 1000)) throw new BenchError(`scale: count_estimated is ${String(estimated)} for ${filtered} matches`)
        }
      },
      {
        name: '2-D statistic',
        request: { path: '/v1/stats/transfers?group_by=month,mechanism' },
        check: (body) => {
          const { totals } = body as unknown as { totals?: { occasions?: number } }
          if (totals?.occasions !== transfers) throw new BenchError(`scale: the statistic counts ${String(totals?.occasions)} transfers, expected ${transfers}`)
        }
      },
      { name: 'search', request: { path: searchPath }, check: expectLength('the search', Math.min(20, hits)) }
    ]
    const facts = `deep page after row ${(offset + 1).toLocaleString('en-US')} of ${size.toLocaleString('en-US')} (sort=date); ` +
      `filtered list over ${filtered.toLocaleString('en-US')} matching transfers; search "${syntheticSearchTerm}" has ${hits.toLocaleString('en-US')} hits`
    return { probes, facts }
  } finally {
    sqlite.close()
  }
}

export interface ScaleResult {
  cells: ScaleCell[]
  data: SyntheticDb[]
}

export async function runScaleCurve (options: ScaleOptions): Promise<ScaleResult> {
  const { sizes, rounds } = options
  console.log(`\nscale curve: API only, 1 connection (one request at a time), sizes ${sizes.map(countLabel).join(', ')}; ` +
    `per cell ${options.warmup} s warm-up, then ${rounds} × ${options.seconds / rounds} s, the sizes alternating`)
  const sets = sizes.map((count) => {
    const data = ensureSyntheticDb({ count, fresh: options.fresh })
    console.log(describeSyntheticDb(data))
    return data
  })
  const probes = sets.map((data) => {
    const { probes, facts } = probesFor(data.path, data.count)
    console.log(`  ${countLabel(data.count)}: ${facts}`)
    return probes
  })
  const servers: RunningServer[] = []
  try {
    for (const data of sets) servers.push(await startServer(apiSpec, data.path))
    for (const [i, server] of servers.entries()) {
      for (const probe of probes[i]!) {
        const response = await fetch(server.url + probe.request.path)
        const text = await response.text()
        if (response.status !== 200) throw new BenchError(`scale: ${probe.name} answered ${response.status} at ${countLabel(sizes[i]!)}: ${text.slice(0, 500)}`)
        probe.check(JSON.parse(text) as { data: Array<{ id: string }> })
      }
    }
    const cells: ScaleCell[] = []
    for (const [p, { name }] of probes[0]!.entries()) {
      process.stdout.write(`  ${name}: measuring…`)
      const measured = await measureRounds(servers.map((server, i) => ({ baseUrl: server.url, request: probes[i]![p]!.request })),
        { rounds, seconds: options.seconds / rounds, warmup: options.warmup, connections: 1 })
      console.log(measured.map((m, i) => ` ${countLabel(sizes[i]!)} p50 ${ms(m.p50)} ms`).join(','))
      cells.push(...measured.map((m, i) => ({ size: sizes[i]!, scenario: name, m })))
    }
    return { cells, data: sets }
  } finally {
    await Promise.all(servers.map(stopServer))
  }
}

/** The table size × scenario, then per scenario p50(largest)/p50(smallest) against the target. */
export function formatScaleCurve (cells: ScaleCell[]): string {
  const sorted = [...cells].sort((a, b) => a.size - b.size)
  const table = formatTable(['size', 'scenario', 'p50 ms', 'p99 ms', 'req/s', 'requests'], sorted.map((c) => [
    countLabel(c.size),
    c.scenario,
    ms(c.m.p50),
    ms(c.m.p99),
    c.m.reqPerSec.toFixed(1),
    String(c.m.requests) + (c.m.failures > 0 ? ` (${c.m.failures} failed)` : '')
  ]), 2)
  const sizes = [...new Set(cells.map((c) => c.size))]
  if (sizes.length < 2) return table
  const smallest = Math.min(...sizes)
  const largest = Math.max(...sizes)
  const ratioName = `p50 ${countLabel(largest)}/${countLabel(smallest)}`
  return table + '\n\n' + formatTable(['scenario', ...sizes.map((s) => `p50 ${countLabel(s)}`), ratioName, 'target', 'result'],
    [...new Set(cells.map((c) => c.scenario))].map((scenario) => {
      const p50 = (size: number) => cells.find((c) => c.scenario === scenario && c.size === size)?.m.p50 ?? Number.NaN
      const ratio = p50(largest) / p50(smallest)
      return [scenario, ...sizes.map((s) => ms(p50(s))), ratio.toFixed(2), `≤ ${scaleTarget}`, ratio <= scaleTarget ? 'PASS' : 'FAIL']
    }))
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.once('SIGINT', () => {
    stopMeasuring()
    stopAll().then(() => process.exit(130), () => process.exit(130))
  })
  try {
    const { cells, data } = await runScaleCurve(scaleOptions(process.argv.slice(2)))
    console.log('\n' + formatScaleCurve(cells))
    console.log(`\nsynthetic data sets: ${data.map(summarizeSyntheticDb).join(', ')}`)
    if (cells.some((c) => c.m.failures > 0)) throw new BenchError('requests failed; the figures are not valid')
  } catch (err) {
    console.error(err instanceof BenchError ? `error: ${err.message}` : err)
    process.exitCode = 1
  } finally {
    await stopAll()
  }
}
