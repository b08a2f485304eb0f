/**
 * One autocannon run against one URL: req/s, and p50/p99 from each response's own latency.
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
  reqPerSec: number
  /** From each response's own hrtime (autocannon's histogram rounds latencies to whole ms). */
  p50: number
  p99: number
  requests: number
  /** Connection errors, timeouts, and responses with another status than expected. */
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

export async function measure (baseUrl: string, request: RequestSpec, seconds: number, connections: number): Promise<Measurement> {
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

/** A warm-up run (discarded) and then the measured run. */
export async function warmAndMeasure (baseUrl: string, request: RequestSpec, warmup: number, seconds: number, connections: number): Promise<Measurement> {
  if (warmup > 0) await measure(baseUrl, request, warmup, connections)
  return measure(baseUrl, request, seconds, connections)
}
