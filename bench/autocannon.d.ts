/** The part of autocannon's programmatic API that bench/run.ts uses (the package ships no types). */
declare module 'autocannon' {
  import type { EventEmitter } from 'node:events'

  interface Histogram {
    average: number
    mean: number
    stddev: number
    min: number
    max: number
    total: number
    p50: number
    p90: number
    p99: number
  }

  interface Options {
    url: string
    connections?: number
    duration?: number
    timeout?: number
    pipelining?: number
    method?: string
    headers?: Record<string, string>
    body?: string | Buffer
    title?: string
  }

  interface Result {
    title?: string
    url: string
    requests: Histogram & { sent: number }
    latency: Histogram
    throughput: Histogram
    duration: number
    errors: number
    timeouts: number
    mismatches: number
    non2xx: number
    statusCodeStats: Record<string, { count: number }>
  }

  interface Instance extends EventEmitter, PromiseLike<Result> {
    stop (): void
  }

  function autocannon (opts: Options): Instance

  export type { Histogram, Instance, Options, Result }
  export default autocannon
}
