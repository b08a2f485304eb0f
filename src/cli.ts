/**
 * The knowledge base's command line: `npm run kb -- <command>`. Every command exits non-zero on
 * failure with a message saying what to do.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import BetterSqlite3 from 'better-sqlite3'
import { progress } from './cli/progress.js'
import { ConfigError, loadConfig } from './config.js'
import { createDb, migrateDb, type Db } from './db/client.js'
import { apiKeyScopes, type ApiKeyScope } from './db/schema/api-keys.js'
import { AppError } from './errors.js'
import { createKnowledgeBase } from './knowledge-base.js'
import { rebuildSearchIndex } from './search/indexer.js'
import { isEmpty, SeedError, seedDatabase } from './seed/load.js'
import { exportLines, importLines, parseNdjson } from './services/bulk.js'

const usage = `Usage: npm run kb -- <command> [options]

Commands:
  migrate                         apply pending migrations
  seed                            migrate, then load seeds/ into an empty database
  import <file.ndjson>            import records (one transaction: all or nothing)
  export <file.ndjson | ->        write the whole knowledge base as NDJSON
  backup <file.sqlite>            consistent copy with SQLite's online backup (safe while the server runs)
  reindex                         rebuild the search index from every record's latest revision
  keys create --name <name> --scope write|admin [--expires-in 30d|12h]
                                  make an API key; the key alone is printed on the last line, once
  keys list                       list keys (never the keys themselves)
  keys revoke <name|id>           revoke a key

Options:
  --database <path>               the SQLite file (default: DATABASE_PATH, or ./data/kb.sqlite)
  --author <name>                 name recorded in the history for an import (default: cli)`

class UsageError extends Error {}

/** Opens, migrates and (if it is still empty) indexes a database, as the server does at start-up. */
function openDb (path: string): Db {
  const db = createDb(path)
  migrateDb(db)
  rebuildSearchIndex(db)
  return db
}

function parse (argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        database: { type: 'string' },
        name: { type: 'string' },
        scope: { type: 'string' },
        'expires-in': { type: 'string' },
        author: { type: 'string' },
        help: { type: 'boolean', short: 'h' }
      }
    })
  } catch (err) {
    throw new UsageError((err as Error).message)
  }
}

async function run (argv: string[]): Promise<void> {
  const { values, positionals } = parse(argv)
  const [command, ...rest] = positionals
  if (values.help === true) {
    console.log(usage)
    return
  }
  if (command === undefined) throw new UsageError('no command given')
  const databasePath = values.database ?? loadConfig().databasePath

  switch (command) {
    case 'migrate': {
      none(rest, 'migrate')
      onlyOptions(values, 'migrate', ['database'])
      const db = openDb(databasePath)
      db.close()
      console.log(`${databasePath}: migrations applied`)
      return
    }
    case 'seed': {
      none(rest, 'seed')
      onlyOptions(values, 'seed', ['database'])
      const db = openDb(databasePath)
      try {
        if (!isEmpty(db)) throw new Error(`${databasePath} already holds records; seeding is only for an empty database (use import to add records)`)
        const result = seedDatabase(db)
        console.log(`${databasePath}: seeded ${result.records} records with ${result.citations} verified citations`)
      } finally {
        db.close()
      }
      return
    }
    case 'import': {
      const file = one(rest, 'import <file.ndjson>')
      onlyOptions(values, 'import', ['database', 'author'])
      const text = readFileSync(file, 'utf8')
      const { lines, problems } = parseNdjson(text)
      const db = openDb(databasePath)
      try {
        const bar = progress('import', lines.length)
        const result = importLines(createKnowledgeBase(db).writes, lines, values.author ?? 'cli', problems, (done) => bar.update(done))
        bar.done(`${file}: imported ${result.records} records (${Object.entries(result.by_type).filter(([, n]) => n > 0).map(([t, n]) => `${n} ${t}`).join(', ')})`)
      } finally {
        db.close()
      }
      return
    }
    case 'export': {
      const file = one(rest, 'export <file.ndjson | ->')
      onlyOptions(values, 'export', ['database'])
      const db = openDb(databasePath)
      try {
        const kb = createKnowledgeBase(db)
        const lines = exportLines(kb.writes, kb.repositories)
        if (file === '-') {
          process.stdout.write(lines.join(''))
        } else {
          writeFileSync(file, lines.join(''))
          console.error(`${file}: exported ${lines.length} records`)
        }
      } finally {
        db.close()
      }
      return
    }
    case 'backup': {
      const file = one(rest, 'backup <file.sqlite>')
      onlyOptions(values, 'backup', ['database'])
      const db = openDb(databasePath)
      try {
        let bar: ReturnType<typeof progress> | undefined
        await db.sqlite.backup(file, {
          progress ({ totalPages, remainingPages }) {
            bar ??= progress('backup', totalPages)
            bar.update(totalPages - remainingPages)
            return 256
          }
        })
        bar?.done()
      } finally {
        db.close()
      }
      const copy = new BetterSqlite3(file, { readonly: true })
      const check = copy.pragma('integrity_check', { simple: true })
      copy.close()
      if (check !== 'ok') throw new Error(`the backup ${file} failed its integrity check (${String(check)}); run the backup again`)
      console.log(`${file}: backup of ${databasePath} complete, integrity_check ok`)
      return
    }
    case 'reindex': {
      none(rest, 'reindex')
      onlyOptions(values, 'reindex', ['database'])
      const db = openDb(databasePath)
      try {
        const records = rebuildSearchIndex(db, { force: true })
        console.log(`${databasePath}: search index rebuilt from ${records} records`)
      } finally {
        db.close()
      }
      return
    }
    case 'keys':
      return keys(rest, values, databasePath)
    default:
      throw new UsageError(`unknown command "${command}"`)
  }
}

function keys (rest: string[], values: { name?: string, scope?: string, author?: string, 'expires-in'?: string }, databasePath: string) {
  const [sub, ...args] = rest
  if (sub === undefined || !['create', 'list', 'revoke'].includes(sub)) throw new UsageError('keys takes create, list or revoke')
  if (sub !== 'revoke') none(args, `keys ${sub}`)
  onlyOptions(values, `keys ${sub}`, sub === 'create' ? ['database', 'name', 'scope', 'expires-in'] : ['database'])
  const db = openDb(databasePath)
  const { apiKeys } = createKnowledgeBase(db)
  try {
    switch (sub) {
      case 'create': {
        if (values.name === undefined || values.name.trim() === '') throw new UsageError('keys create needs --name <name>')
        if (!apiKeyScopes.includes(values.scope as ApiKeyScope)) throw new UsageError(`keys create needs --scope ${apiKeyScopes.join('|')}`)
        if (apiKeys.list().some((k) => k.name === values.name)) throw new Error(`a key named "${values.name}" exists already; choose another name or revoke it first`)
        const { key, info } = apiKeys.create(values.name, values.scope as ApiKeyScope, hoursOf(values['expires-in']))
        console.log(`Created key ${info.id} "${info.name}" with scope ${info.scope}. It is shown once; store it now:`)
        console.log(key)
        return
      }
      case 'list': {
        const all = apiKeys.list()
        if (all.length === 0) console.log('no keys yet: npm run kb -- keys create --name <name> --scope write')
        for (const k of all) console.log(`${k.id}\t${k.name}\t${k.scope}\t${k.prefix}…\tcreated ${k.created_at}\t${stateOf(k)}`)
        return
      }
      case 'revoke': {
        const target = one(args, 'keys revoke <name|id>')
        const key = apiKeys.revoke(target)
        if (key === undefined) throw new Error(`no key has the name or id "${target}" (see: npm run kb -- keys list)`)
        console.log(`key ${key.id} "${key.name}" revoked at ${key.revoked_at}`)
        return
      }
      default:
        throw new UsageError('keys takes create, list or revoke')
    }
  } finally {
    db.close()
  }
}

/** `--expires-in 30d` or `12h`, in hours; undefined when not given. */
function hoursOf (raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined
  const match = /^([1-9]\d{0,5})([dh])$/.exec(raw)
  if (match === null) throw new UsageError(`--expires-in takes a number of days or hours, like 30d or 12h (got "${raw}")`)
  return Number(match[1]) * (match[2] === 'd' ? 24 : 1)
}

function stateOf (k: { revoked_at: string | null, expires_at: string | null }): string {
  if (k.revoked_at !== null) return `revoked ${k.revoked_at}`
  if (k.expires_at === null) return 'active'
  return k.expires_at <= new Date().toISOString() ? `expired ${k.expires_at}` : `active, expires ${k.expires_at}`
}

function one (args: string[], form: string): string {
  if (args.length !== 1) throw new UsageError(`usage: ${form}`)
  return args[0]!
}

/** A command that takes no arguments refuses any, rather than ignoring them. */
function none (args: string[], command: string): void {
  if (args.length > 0) throw new UsageError(`${command} takes no arguments (got ${args.map((a) => `"${a}"`).join(' ')})`)
}

/** The options `onlyOptions` checks; `--help` is accepted by every command. */
const commandOptions = ['database', 'name', 'scope', 'author', 'expires-in'] as const
type OptionName = typeof commandOptions[number]

/** Options given to a command that has no use for them are refused, rather than ignored. */
function onlyOptions (values: Partial<Record<OptionName, unknown>>, command: string, allowed: OptionName[]): void {
  const misplaced = commandOptions.filter((o) => values[o] !== undefined && !allowed.includes(o))
  if (misplaced.length > 0) throw new UsageError(`${command} does not take ${misplaced.map((o) => `--${o}`).join(', ')}`)
}

try {
  await run(process.argv.slice(2))
} catch (err) {
  if (err instanceof UsageError) {
    console.error(`kb: ${err.message}\n\n${usage}`)
    process.exitCode = 2
  } else if (err instanceof AppError) {
    console.error(`kb: ${err.detail}`)
    for (const p of err.errors ?? []) console.error(`  ${p.line !== undefined ? `line ${p.line}: ` : ''}${p.name} ${p.detail}`)
    process.exitCode = 1
  } else if (err instanceof ConfigError || err instanceof SeedError) {
    console.error(`kb: ${err.message}`)
    process.exitCode = 1
  } else {
    console.error(`kb: ${(err as Error).message}`)
    process.exitCode = 1
  }
}
