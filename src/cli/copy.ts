/** `kb copy`: the knowledge base moved from its SQLite file into an empty PostgreSQL database. */
import { UsageError, type Command } from './command.js'
import { withDb } from './database.js'
import { count, progress } from './progress.js'

/** The SQLite file `--from` names (`sqlite:<path>`), or undefined for the default database. */
function sqlitePath (from: string | undefined): string | undefined {
  if (from === undefined) return undefined
  if (from.startsWith('sqlite:') && from.length > 'sqlite:'.length) return from.slice('sqlite:'.length)
  if (/^postgres(?:ql)?:\/\//.test(from)) throw new UsageError('--from postgres://…: copying out of PostgreSQL is not built yet; copy from SQLite (--from sqlite:<path>, or the default database)')
  throw new UsageError(`--from ${from}: give the SQLite file as sqlite:<path> (sqlite:./data/kb.sqlite)`)
}

function postgresUrl (to: string | undefined): string {
  if (to === undefined) throw new UsageError('copy needs --to postgres://<user>@<host>:<port>/<database>')
  if (!/^postgres(?:ql)?:\/\/./.test(to)) throw new UsageError(`--to ${to}: give a PostgreSQL URL, postgres://<user>@<host>:<port>/<database>`)
  return to
}

export const copyCommand: Command = {
  name: 'copy',
  operands: [],
  synopsis: '--to <postgres://…>',
  options: ['from', 'to', 'database', 'json'],
  summary: 'copy the knowledge base into an empty PostgreSQL database',
  description: [
    'Copies every record, revision, citation, key and kept statistic from the SQLite database (--from sqlite:<path>, or --database, or DATABASE_PATH) into the PostgreSQL database --to names, which must be empty: it is checked (PostgreSQL 15 or later, UTF8, the C collation, so that lists sort as on SQLite) and migrated first. The SQLite file is migrated too, then read in one snapshot, so the server may keep running on it.',
    'The copy is one transaction: identities keep their values (the change feed\'s positions among them) and their sequences continue after them; then every table\'s rows are counted on both sides and every citation is checked against its source\'s text in PostgreSQL. Any failure rolls the whole copy back.',
    'PostgreSQL is the second backend the server is being ported to (the server does not run on it yet). Copying out of PostgreSQL is not built yet.',
    'With --json: {"from", "to", "tables": [{"table", "rows"}], "rows", "citations_verified"}.'
  ],
  examples: ['kb copy --to postgres://kb@127.0.0.1:5432/kb', 'kb copy --from sqlite:./data/kb.sqlite --to postgres://kb@db.internal/kb --json'],
  check ({ options }) {
    sqlitePath(options.from)
    postgresUrl(options.to)
    if (options.from !== undefined && options.database !== undefined) throw new UsageError('give the SQLite database once: --from sqlite:<path> or --database <path>')
  },
  run: async ({ options, databasePath, stderr }) => {
    const to = postgresUrl(options.to)
    const from = sqlitePath(options.from) ?? databasePath()
    const [{ openPgDb }, { copySqliteToPg }, { withoutPassword: shown }] = await Promise.all([import('../db/pg-client.js'), import('../services/copy.js'), import('../config.js')])
    return await withDb(from, async (db) => {
      const target = await openPgDb(to, { max: 1 })
      try {
        let bar: ReturnType<typeof progress> | undefined
        const result = await copySqliteToPg(db, target.pool, {
          onTable: (_copied, done, total) => (bar ??= progress('copy', total, { unit: 'tables', stream: stderr })).update(done)
        })
        const summary = `${db.path} → ${shown(to)}: copied ${count(result.rows)} rows in ${result.tables.length} tables; ${count(result.citationsVerified)} citations verified`
        if (bar !== undefined) bar.done(options.json === true ? undefined : summary)
        return {
          json: { from: db.path, to: shown(to), tables: result.tables, rows: result.rows, citations_verified: result.citationsVerified },
          ...(bar === undefined && options.json !== true ? { stdout: [summary] } : {})
        }
      } finally {
        await target.close()
      }
    }, { existing: true, migrate: true, index: true })
  }
}
