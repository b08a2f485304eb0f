/** What a command of the command line is: its usage, its help, and what it does. */
import type { ProgressStream } from './progress.js'

/** Every option of every command, once: the parser and the help are made from this. */
export const optionSpecs = {
  database: { type: 'string', value: '<path>', help: 'the SQLite file (default: DATABASE_PATH, or ./data/kb.sqlite)' },
  author: { type: 'string', value: '<name>', help: 'the name the history records for the import (default: cli)' },
  force: { type: 'boolean', help: 'replace the file if it exists' },
  name: { type: 'string', value: '<name>', help: 'who or what the key is for, unique (required)' },
  scope: { type: 'string', value: 'write|admin', help: 'write: create, change and delete records, import; admin: that, and manage keys (required)' },
  'expires-in': { type: 'string', value: '<30d|12h>', help: 'make the key stop working after so many days or hours (at most 3650d); without it, it does not expire' },
  json: { type: 'boolean', help: 'print the result as one JSON document on stdout' },
  types: { type: 'string', value: '<type,…>', help: 'only records of these types, comma-separated (source, actor, transfer…)' },
  since: { type: 'string', value: '<time>', help: 'only records created or changed at or after this time (an ISO 8601 timestamp, or a date: from its start, UTC)' },
  from: { type: 'string', value: 'sqlite:<path>', help: 'the SQLite database to copy (default: --database, DATABASE_PATH, or ./data/kb.sqlite)' },
  to: { type: 'string', value: '<postgres://…>', help: 'the PostgreSQL database to copy into, empty (required)' },
  help: { type: 'boolean', short: 'h', help: 'show this help' },
  version: { type: 'boolean', short: 'V', help: 'print the version' }
} as const satisfies Record<string, { type: 'string' | 'boolean', short?: string, value?: string, help: string }>

export type OptionName = keyof typeof optionSpecs

/** Options every command takes, whatever its own. */
export const alwaysAccepted: OptionName[] = ['help', 'version']

/** The options as parsed, once checked against the command's own. */
export interface Options {
  database?: string
  author?: string
  force?: boolean
  name?: string
  scope?: string
  'expires-in'?: string
  json?: boolean
  types?: string
  since?: string
  from?: string
  to?: string
}

/**
 * A command's result: the JSON document `--json` prints, and the lines printed on stdout without
 * it (a command that draws progress writes its summary to stderr itself, after the progress).
 */
export interface Outcome {
  json: object
  stdout?: string[]
}

export interface Invocation {
  /** The arguments after the command's name. */
  operands: string[]
  options: Options
  /** The database file: `--database`, or DATABASE_PATH (read only when a command needs it). */
  databasePath: () => string
  /** Where progress and messages go: standard error. */
  stderr: ProgressStream
}

export interface Command {
  /** As typed: `export`, `keys create`. */
  name: string
  /** The arguments it takes, in order, as the usage names them: `<file.ndjson>`. */
  operands: string[]
  /** How the usage line shows the options the command needs, after its operands. */
  synopsis?: string
  /** The options it takes (`--help` and `--version` go with every command). */
  options: OptionName[]
  /** One line, for the list of commands. */
  summary: string
  /** Paragraphs of its help. */
  description: string[]
  examples: string[]
  /** Usage checks that need no database, made before it is opened (throw a UsageError). */
  check?: (invocation: Invocation) => void | Promise<void>
  run: (invocation: Invocation) => Outcome | Promise<Outcome>
}

/**
 * A mistake in how the command line was typed: exit 2, with the usage of `topic` (a command or a
 * group of them, `keys`; by default the command that was run; none: the list of commands).
 */
export class UsageError extends Error {
  override name = 'UsageError'
  constructor (message: string, readonly topic?: string | null) {
    super(message)
  }
}
