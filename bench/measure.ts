/**
 * autocannon runs: req/s, and p50/p99 from each response's own latency. Targets that are compared
 * with each other (the API and its baseline; one scenario at several data sizes) are measured in
 * interleaved rounds, A B A B …, and each one's rounds pooled, so that a change in the load of a
 * shared machine falls on both sides of a ratio rather than on one.
 */
import autocannon, { type Instance } from 'autocannon'

/** One request shape: what is sent and the status every response must have. */
export interface RequestSpec {
  /** Path and query. */
  path: string
  method?: string
  headers?: Record<string, string>
  body?: string
  /** 200 unless given. */
  expectStatus?: number
}

export interface Measurement {
  /** Responses per second over the measured rounds. */
  reqPerSec: number
  /** req/s of each round. */
  rounds: number[]
  /** From each response's own hrtime (autocannon's histogram rounds latencies to whole ms). */
  p50: number
  p99: number
  requests: number
  /** Connection errors, timeouts, and responses with another status than expected. */
  failures: number
}

/** One server and what it is sent. */
export interface Target {
  baseUrl: string
  request: RequestSpec
}

export interface RoundsOptions {
  /** Measured rounds per target, interleaved across the targets. */
  rounds: number
  /** Seconds per round. */
  seconds: number
  /** Seconds of discarded load per target before its first round. */
  warmup: number
  connections: number
}

interface Run {
  latencies: number[]
  requests: number
  seconds: number
  failures: number
}

let current: Instance | undefined

/** Stops the run in progress, if any (on SIGINT). */
export function stopMeasuring (): void {
  current?.stop()
}

function percentile (sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))]!
}

async function run ({ baseUrl, request }: Target, seconds: number, connections: number): Promise<Run> {
  const expectStatus = request.expectStatus ?? 200
  const latencies: number[] = []
  const instance = autocannon({
    url: baseUrl + request.path,
    connections,
    duration: seconds,
    method: request.method ?? 'GET',
    headers: request.headers ?? {},
    ...(request.body !== undefined ? { body: request.body } : {})
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
    return { latencies, requests: result.requests.total, seconds: result.duration, failures: result.errors + result.timeouts + unexpected }
  } finally {
    current = undefined
  }
}

function pool (runs: Run[]): Measurement {
  const sorted = Float64Array.from(runs.flatMap((r) => r.latencies)).sort()
  const requests = runs.reduce((sum, r) => sum + r.requests, 0)
  const seconds = runs.reduce((sum, r) => sum + r.seconds, 0)
  return {
    reqPerSec: requests / seconds,
    rounds: runs.map((r) => r.requests / r.seconds),
    p50: percentile(sorted, 0.5),
    p99: percentile(sorted, 0.99),
    requests,
    failures: runs.reduce((sum, r) => sum + r.failures, 0)
  }
}

/** Warms each target up, then measures them in `rounds` interleaved rounds; one Measurement per target. */
export async function measureRounds (targets: Target[], options: RoundsOptions): Promise<Measurement[]> {
  if (options.warmup > 0) {
    for (const target of targets) await run(target, options.warmup, options.connections)
  }
  const runs: Run[][] = targets.map(() => [])
  for (let round = 0; round < options.rounds; round++) {
    for (const [i, target] of targets.entries()) runs[i]!.push(await run(target, options.seconds, options.connections))
  }
  return runs.map(pool)
}
