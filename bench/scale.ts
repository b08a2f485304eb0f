/**
 * The scale curve: the API alone over SYNTHETIC data sets of several sizes (10k, 100k and 1M
 * transfers unless `--scale-sizes` says otherwise), one request at a time (autocannon with one
 * connection, so that latencies are service times rather than queueing), p50/p99 of
 *
 *   deep keyset page  /v1/transfers?limit=50&sort=date&cursor=<the row 90% through the listing>
 *   filtered list     /v1/transfers?from_country=US&to_country=MX&mechanism=deportation&limit=50
 *   search            /v1/search?q=<a word in the same number of transfers at every size>&limit=20
 *
 * and per scenario the ratio p50(largest)/p50(smallest) against its target (≤ 1.5).
 */
import BetterSqlite3 from 'better-sqlite3'
import { CursorCodec } from '../src/query/cursor.js'
import { benchCursorSecret, countLabel } from './config.js'
import { warmAndMeasure, type Measurement, type RequestSpec } from './measure.js'
import { searchPath } from './scenarios.js'
import { apiSpec, BenchError, startServer, stopServer } from './servers.js'
import { describeSyntheticDb, ensureSyntheticDb, syntheticSearchTerm } from './synthetic.js'
import { ms, printTable } from './table.js'

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
  warmup: number
  seconds: number
  fresh: boolean
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
    const [at, next] = sqlite.prepare(`SELECT coalesce(date, '') AS key, id FROM transfers
      ORDER BY coalesce(date, ''), id LIMIT 2 OFFSET ?`).all(offset) as Array<{ key: string, id: string }>
    if (at === undefined || next === undefined) throw new BenchError(`scale: ${dbPath} has no row ${offset + 2} to page from`)
    const cursor = new CursorCodec(benchCursorSecret).encode(CursorCodec.queryDigest('transfers', 'date,id', {}), [at.key, at.id])
    const filtered = sqlite.prepare(`SELECT count(*) FROM transfers
      WHERE from_country = 'US' AND to_country = 'MX' AND mechanism = 'deportation'`).pluck().get() as number
    const hits = sqlite.prepare('SELECT count(*) FROM search_index WHERE search_index MATCH ?').pluck().get(syntheticSearchTerm) as number
    const probes: Probe[] = [
      {
        name: 'deep keyset page',
        request: { path: `/v1/transfers?limit=50&sort=date&cursor=${cursor}` },
        check: (body) => {
          if (body.data[0]?.id !== next.id) throw new BenchError(`scale: the deep page starts at ${body.data[0]?.id}, expected ${next.id}`)
          expectLength('the deep page', 50)(body)
        }
      },
      { name: 'filtered list', request: { path: filteredPath }, check: expectLength('the filtered list', 50) },
      { name: 'search', request: { path: searchPath }, check: expectLength('the search', 20) }
    ]
    const facts = `deep page after row ${(offset + 1).toLocaleString('en-US')} of ${size.toLocaleString('en-US')} (sort=date); ` +
      `filtered list over ${filtered.toLocaleString('en-US')} matching transfers; search "${syntheticSearchTerm}" has ${hits.toLocaleString('en-US')} hits`
    return { probes, facts }
  } finally {
    sqlite.close()
  }
}

export async function runScaleCurve (options: ScaleOptions): Promise<ScaleCell[]> {
  console.log(`\nscale curve: API only, 1 connection (one request at a time), ${options.warmup} s warm-up + ${options.seconds} s per cell, ` +
    `sizes ${options.sizes.map(countLabel).join(', ')}`)
  const cells: ScaleCell[] = []
  for (const size of options.sizes) {
    const data = ensureSyntheticDb({ count: size, fresh: options.fresh })
    console.log(describeSyntheticDb(data))
    const { probes, facts } = probesFor(data.path, size)
    console.log(`  ${countLabel(size)}: ${facts}`)
    const api = await startServer(apiSpec, data.path)
    try {
      for (const probe of probes) {
        const response = await fetch(api.url + probe.request.path)
        const text = await response.text()
        if (response.status !== 200) throw new BenchError(`scale: ${probe.name} answered ${response.status} at ${countLabel(size)}: ${text.slice(0, 500)}`)
        probe.check(JSON.parse(text) as { data: Array<{ id: string }> })
        process.stdout.write(`  ${countLabel(size)} ${probe.name}: measuring…`)
        const m = await warmAndMeasure(api.url, probe.request, options.warmup, options.seconds, 1)
        console.log(` p50 ${ms(m.p50)} ms`)
        cells.push({ size, scenario: probe.name, m })
      }
    } finally {
      await stopServer(api)
    }
  }
  return cells
}

/** The table size × scenario, then per scenario p50(largest)/p50(smallest) against the target. */
export function printScaleCurve (cells: ScaleCell[]): void {
  printTable(['size', 'scenario', 'p50 ms', 'p99 ms', 'req/s (mean)', 'requests'], cells.map((c) => [
    countLabel(c.size),
    c.scenario,
    ms(c.m.p50),
    ms(c.m.p99),
    c.m.reqPerSec.toFixed(1),
    String(c.m.requests) + (c.m.failures > 0 ? ` (${c.m.failures} failed)` : '')
  ]), 2)
  const sizes = [...new Set(cells.map((c) => c.size))]
  if (sizes.length < 2) return
  const smallest = Math.min(...sizes)
  const largest = Math.max(...sizes)
  const ratioName = `p50 ${countLabel(largest)}/${countLabel(smallest)}`
  console.log()
  printTable(['scenario', ...sizes.map((s) => `p50 ${countLabel(s)}`), ratioName, 'target', 'result'],
    [...new Set(cells.map((c) => c.scenario))].map((scenario) => {
      const p50 = (size: number) => cells.find((c) => c.scenario === scenario && c.size === size)?.m.p50 ?? Number.NaN
      const ratio = p50(largest) / p50(smallest)
      return [scenario, ...sizes.map((s) => ms(p50(s))), ratio.toFixed(2), `≤ ${scaleTarget}`, ratio <= scaleTarget ? 'PASS' : 'FAIL']
    }))
}
