import { availableParallelism } from 'node:os'
import { isAbsolute, resolve } from 'node:path'

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof logLevels[number]

/** Requests a client may make a minute, by kind of request. */
export interface RateLimits {
  /** GETs, but searches. */
  reads: number
  searches: number
  /** POST, PATCH and DELETE, imports included. */
  writes: number
}

export interface Config {
  port: number
  host: string
  /** Absolute path of the SQLite file, or `:memory:`. */
  databasePath: string
  /**
   * `DATABASE_URL` (`postgres://…`): serve the knowledge base from PostgreSQL instead of the
   * SQLite file at `databasePath`. Undefined: SQLite.
   */
  databaseUrl?: string | undefined
  logLevel: LogLevel
  /**
   * Key that signs pagination cursors, so a tampered cursor is refused; by default a random one
   * the database keeps (see databaseCursorSecret). Several servers over copies of the data set one.
   */
  cursorSecret: string | undefined
  /** Largest JSON request body, in bytes. */
  bodyLimit: number
  /** Largest NDJSON import body, in bytes. */
  importBodyLimit: number
  /** Origins a browser may read from (`*` for any). */
  corsReadOrigins: string[]
  /** Origins a browser may write from (none by default: writes carry API keys). */
  corsWriteOrigins: string[]
  /**
   * The URL clients reach the API at (`https://kb.example.org`), for absolute links (`Link`, the
   * calendar's URLs); without it links are relative, never made from the request's `Host`.
   */
  publicUrl: string | undefined
  /** Fastify's `trustProxy`: whether (or which hops) to believe for `X-Forwarded-For`/`-Proto`/`-Host`. */
  trustProxy: boolean | number | string[]
  /** Per-client limits a minute, or false for none. */
  rateLimits: RateLimits | false
  /** How long a request may take to arrive whole, its headers to arrive, an idle keep-alive connection to stay open (ms). */
  requestTimeoutMs: number
  headersTimeoutMs: number
  keepAliveTimeoutMs: number
  /** Open connections beyond which new ones are refused. */
  maxConnections: number
  /** Open change-feed streams, in all and per client. */
  maxStreams: number
  maxStreamsPerClient: number
  /** How long a create's `Idempotency-Key` is kept for replays, in hours. */
  idempotencyTtlHours: number
  /**
   * Threads that run searches, the timeline and statistics, each with its own read-only
   * connection; 0 runs them, and writes, in the event loop's thread. With one or more, writes and
   * imports run in a writing thread of their own.
   */
  readWorkers: number
  /** A search, timeline page or statistic running longer than this (ms) is stopped with a 503. */
  readTimeoutMs: number
}

/** What every setting is when its variable is not set (and what `buildApp` uses for what it is not given). */
export const defaults: Omit<Config, 'port' | 'host' | 'databasePath' | 'databaseUrl' | 'logLevel' | 'cursorSecret'> = {
  bodyLimit: 1024 * 1024,
  importBodyLimit: 64 * 1024 * 1024,
  corsReadOrigins: ['*'],
  corsWriteOrigins: [],
  publicUrl: undefined,
  trustProxy: false,
  rateLimits: { reads: 1200, searches: 120, writes: 300 },
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 10_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1024,
  maxStreams: 200,
  maxStreamsPerClient: 5,
  idempotencyTtlHours: 24,
  readWorkers: Math.max(1, availableParallelism() - 1),
  readTimeoutMs: 10_000
}

export class ConfigError extends Error {
  constructor (readonly problems: string[]) {
    super('Invalid configuration:\n' + problems.map((p) => `  - ${p}`).join('\n'))
    this.name = 'ConfigError'
  }
}

/** Reads and validates the configuration; every bad value is reported at once. */
export function loadConfig (env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const problems: string[] = []

  const portText = env.PORT ?? '3000'
  const port = Number(portText)
  if (!/^\d+$/.test(portText) || port > 65535) {
    problems.push(`PORT must be a whole number from 0 to 65535, got "${portText}"`)
  }

  const host = env.HOST ?? '127.0.0.1'
  if (host.trim() === '') problems.push('HOST must not be empty (use 127.0.0.1, 0.0.0.0 or a hostname)')

  const rawPath = env.DATABASE_PATH ?? './data/kb.sqlite'
  if (rawPath.trim() === '') problems.push('DATABASE_PATH must not be empty (a file path, or :memory:)')
  const databasePath = rawPath === ':memory:' || isAbsolute(rawPath) ? rawPath : resolve(cwd, rawPath)
  const databaseUrl = env.DATABASE_URL === undefined || env.DATABASE_URL === '' ? undefined : env.DATABASE_URL
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/[^\s]+$/.test(databaseUrl)) {
    problems.push(`DATABASE_URL must be a PostgreSQL URL like postgres://user:password@host:5432/kb, got "${withoutPassword(databaseUrl)}"`)
  }

  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel
  if (!logLevels.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${env.LOG_LEVEL}"`)
  }

  const cursorSecret = env.CURSOR_SECRET
  if (cursorSecret !== undefined && cursorSecret.length < 16) problems.push('CURSOR_SECRET must be at least 16 characters long')

  const whole = (name: string, fallback: number, min = 1) => wholeNumber(env, name, fallback, min, problems)
  const rateLimits = env.RATE_LIMIT === 'off'
    ? false as const
    : {
        reads: whole('RATE_LIMIT_READS', (defaults.rateLimits as RateLimits).reads),
        searches: whole('RATE_LIMIT_SEARCHES', (defaults.rateLimits as RateLimits).searches),
        writes: whole('RATE_LIMIT_WRITES', (defaults.rateLimits as RateLimits).writes)
      }
  if (env.RATE_LIMIT !== undefined && env.RATE_LIMIT !== 'off' && env.RATE_LIMIT !== 'on') problems.push(`RATE_LIMIT must be on or off, got "${env.RATE_LIMIT}"`)

  const config: Config = {
    port,
    host,
    databasePath,
    databaseUrl,
    logLevel,
    cursorSecret,
    bodyLimit: whole('BODY_LIMIT', defaults.bodyLimit),
    importBodyLimit: whole('IMPORT_BODY_LIMIT', defaults.importBodyLimit),
    corsReadOrigins: origins(env, 'CORS_READ_ORIGINS', defaults.corsReadOrigins, problems),
    corsWriteOrigins: origins(env, 'CORS_WRITE_ORIGINS', defaults.corsWriteOrigins, problems),
    publicUrl: publicUrlOf(env.PUBLIC_URL, problems),
    trustProxy: trustProxyOf(env.TRUST_PROXY, problems),
    rateLimits,
    requestTimeoutMs: whole('REQUEST_TIMEOUT_MS', defaults.requestTimeoutMs),
    headersTimeoutMs: whole('HEADERS_TIMEOUT_MS', defaults.headersTimeoutMs),
    keepAliveTimeoutMs: whole('KEEP_ALIVE_TIMEOUT_MS', defaults.keepAliveTimeoutMs),
    maxConnections: whole('MAX_CONNECTIONS', defaults.maxConnections),
    maxStreams: whole('MAX_STREAMS', defaults.maxStreams, 0),
    maxStreamsPerClient: whole('MAX_STREAMS_PER_CLIENT', defaults.maxStreamsPerClient, 0),
    idempotencyTtlHours: whole('IDEMPOTENCY_TTL_HOURS', defaults.idempotencyTtlHours),
    readWorkers: whole('READ_WORKERS', defaults.readWorkers, 0),
    readTimeoutMs: whole('READ_TIMEOUT_MS', defaults.readTimeoutMs)
  }
  if (config.headersTimeoutMs > config.requestTimeoutMs) problems.push('HEADERS_TIMEOUT_MS must not be longer than REQUEST_TIMEOUT_MS')
  if (problems.length > 0) throw new ConfigError(problems)
  return config
}

function wholeNumber (env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, problems: string[]): number {
  const raw = env[name]
  if (raw === undefined) return fallback
  if (!/^\d{1,12}$/.test(raw) || Number(raw) < min) {
    problems.push(`${name} must be a whole number of at least ${min}, got "${raw}"`)
    return fallback
  }
  return Number(raw)
}

/** A comma-separated list of origins (`https://dash.example.org`), or `*`. */
function origins (env: NodeJS.ProcessEnv, name: string, fallback: string[], problems: string[]): string[] {
  const raw = env[name]
  if (raw === undefined) return fallback
  const list = raw.split(',').map((o) => o.trim()).filter((o) => o !== '')
  const bad = list.filter((o) => o !== '*' && !/^https?:\/\/[^/\s]+$/.test(o))
  if (bad.length > 0) problems.push(`${name} must be * or comma-separated origins like https://dashboard.example.org, got ${bad.map((b) => `"${b}"`).join(', ')}`)
  return list
}

/** A PostgreSQL URL fit for messages and logs: its password, if any, hidden. */
export const withoutPassword = (url: string) => url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')

/** `https://kb.example.org` or `https://example.org/kb`: no query, no fragment, no trailing slash. */
function publicUrlOf (raw: string | undefined, problems: string[]): string | undefined {
  if (raw === undefined || raw === '') return undefined
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    problems.push(`PUBLIC_URL must be an absolute http or https URL like https://kb.example.org, got "${raw}"`)
    return undefined
  }
  if (!['http:', 'https:'].includes(url.protocol) || url.search !== '' || url.hash !== '' || url.username !== '' || url.password !== '') {
    problems.push(`PUBLIC_URL must be an http or https URL without query, fragment or credentials, got "${raw}"`)
    return undefined
  }
  return url.href.replace(/\/+$/, '')
}

/** `true`, `false`, a number of proxy hops, or comma-separated addresses and CIDR ranges. */
function trustProxyOf (raw: string | undefined, problems: string[]): boolean | number | string[] {
  if (raw === undefined || raw === '' || raw === 'false') return false
  if (raw === 'true') return true
  if (/^\d{1,3}$/.test(raw)) return Number(raw)
  const list = raw.split(',').map((a) => a.trim()).filter((a) => a !== '')
  const bad = list.filter((a) => !/^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(a))
  if (bad.length > 0 || list.length === 0) problems.push(`TRUST_PROXY must be true, false, a number of hops or comma-separated addresses/CIDR ranges, got "${raw}"`)
  return list
}
