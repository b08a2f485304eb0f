import { isAbsolute, resolve } from 'node:path'

export const logLevels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const
export type LogLevel = typeof logLevels[number]

export interface Config {
  port: number
  host: string
  /** Absolute path of the SQLite file, or `:memory:`. */
  databasePath: string
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

  const logLevel = (env.LOG_LEVEL ?? 'info') as LogLevel
  if (!logLevels.includes(logLevel)) {
    problems.push(`LOG_LEVEL must be one of ${logLevels.join(', ')}, got "${env.LOG_LEVEL}"`)
  }

  const cursorSecret = env.CURSOR_SECRET
  if (cursorSecret !== undefined && cursorSecret.length < 16) problems.push('CURSOR_SECRET must be at least 16 characters long')

  const bodyLimit = byteSize(env, 'BODY_LIMIT', 1024 * 1024, problems)
  const importBodyLimit = byteSize(env, 'IMPORT_BODY_LIMIT', 64 * 1024 * 1024, problems)

  const corsReadOrigins = origins(env, 'CORS_READ_ORIGINS', ['*'], problems)
  const corsWriteOrigins = origins(env, 'CORS_WRITE_ORIGINS', [], problems)

  if (problems.length > 0) throw new ConfigError(problems)
  return { port, host, databasePath, logLevel, cursorSecret, bodyLimit, importBodyLimit, corsReadOrigins, corsWriteOrigins }
}

function byteSize (env: NodeJS.ProcessEnv, name: string, fallback: number, problems: string[]): number {
  const raw = env[name]
  if (raw === undefined) return fallback
  if (!/^[1-9]\d{0,11}$/.test(raw)) {
    problems.push(`${name} must be a whole number of bytes greater than 0, got "${raw}"`)
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
