import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Shared settings of the benchmark scripts. Everything here concerns SYNTHETIC data only. */
export const benchFolder = dirname(fileURLToPath(import.meta.url))
export const projectRoot = resolve(benchFolder, '..')
/** Git-ignored; the benchmark never touches `seeds/` or the real database. */
export const benchDataFolder = join(benchFolder, '.data')
/** The size the API-vs-baseline scenarios run on; the scale curve adds other sizes (bench/scale.ts). */
export const syntheticTransferCount = 100_000

/** `10k`, `100k`, `1m`; other counts as they are. */
export function countLabel (count: number): string {
  if (count >= 1_000_000 && count % 1_000_000 === 0) return `${count / 1_000_000}m`
  if (count >= 1000 && count % 1000 === 0) return `${count / 1000}k`
  return String(count)
}

/** bench/.data/synthetic-<10k|100k|1m>.sqlite */
export const syntheticDbPathFor = (count: number) => join(benchDataFolder, `synthetic-${countLabel(count)}.sqlite`)
export const syntheticDbPath = syntheticDbPathFor(syntheticTransferCount)

/** Both servers sign cursors with this secret, so that their `next_cursor` values are identical. */
export const benchCursorSecret = process.env.BENCH_CURSOR_SECRET ?? 'bench-synthetic-cursor-secret'

/** The line a bench server prints on stdout once it listens: `BENCH_READY <json>`. */
export const readyPrefix = 'BENCH_READY '
export interface ReadyMessage {
  server: string
  url: string
}

/** `--name value` or `--name=value` from argv, else the environment variable, else undefined. */
export function option (argv: readonly string[], name: string, envName?: string): string | undefined {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!
    if (arg === `--${name}`) return argv[i + 1]
    if (arg.startsWith(`--${name}=`)) return arg.slice(name.length + 3)
  }
  return envName === undefined ? undefined : process.env[envName]
}

export function flag (argv: readonly string[], name: string): boolean {
  return argv.includes(`--${name}`)
}

/** A failure of the benchmark itself (a server, a check, an option): reported, exit code 1. */
export class BenchError extends Error {}

/** `--name <number>`, at least `min`; `fallback` when not given. */
export function numberOption (argv: readonly string[], name: string, fallback: number, min: number): number {
  const raw = option(argv, name)
  if (raw === undefined) return fallback
  const value = Number(raw)
  if (!Number.isFinite(value) || value < min) throw new BenchError(`--${name} must be a number ≥ ${min}, got "${raw}"`)
  return value
}

/** The `--db` and `--port` options of a bench server (also BENCH_DB / BENCH_PORT). Port 0 picks a free port. */
export function serverOptions (argv: readonly string[]): { dbPath: string, port: number } {
  const dbPath = resolve(option(argv, 'db', 'BENCH_DB') ?? syntheticDbPath)
  const portText = option(argv, 'port', 'BENCH_PORT') ?? '0'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) throw new Error(`--port must be 0 to 65535, got "${portText}"`)
  return { dbPath, port }
}
