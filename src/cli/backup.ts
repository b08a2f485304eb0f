/** `kb backup`: a consistent copy through SQLite's online backup, safe while the server writes. */
import { existsSync } from 'node:fs'
import type { Command } from './command.js'
import { withDb } from './database.js'
import { checkTarget, fileError, sameFile, tempBeside } from './files.js'
import { bytes, count, progress } from './progress.js'

/** A backup copies what is there: it neither creates, migrates nor indexes the database. */
const asItIs = { existing: true, migrate: false, index: false }

const exists = (file: string) => new Error(`${file} exists already; backup does not overwrite it (add --force to replace it, or choose another file)`)

/**
 * Makes the copy a file of its own, in rollback-journal mode (it needs no -wal beside it; the
 * server turns WAL on again when it opens it), and checks it.
 */
async function finish (path: string): Promise<string> {
  const { default: BetterSqlite3 } = await import('better-sqlite3')
  const copy = new BetterSqlite3(path)
  try {
    copy.pragma('journal_mode = DELETE')
    return String(copy.pragma('integrity_check', { simple: true }))
  } finally {
    copy.close()
  }
}

export const backup: Command = {
  name: 'backup',
  operands: ['<file.sqlite>'],
  options: ['database', 'force', 'json'],
  summary: 'a consistent copy, safe while the server runs',
  description: [
    'Copies the database as it is (without migrating it) through SQLite\'s online backup while the server may go on reading and writing, into a temporary file beside <file.sqlite>; checks the copy with PRAGMA integrity_check, then renames it into place. A failure leaves nothing behind. The copy is one file, in rollback-journal mode, with nothing beside it; the server turns WAL on again when it opens it.',
    'An existing <file.sqlite> is left untouched unless --force is given; with it, the file is replaced only once the new copy is complete and checked.',
    'With --json: {"file", "database", "pages", "page_size", "bytes", "integrity_check", "replaced"}.'
  ],
  examples: ['kb backup backups/kb-2025-08-13.sqlite', 'kb backup backups/latest.sqlite --force', 'kb backup /mnt/backup/kb.sqlite --database /srv/kb/kb.sqlite --json'],
  check ({ operands: [file], options, databasePath }) {
    checkTarget(file!)
    if (options.force !== true && existsSync(file!)) throw exists(file!)
    if (sameFile(file!, databasePath())) throw new Error(`${file} is the database being backed up; choose another file`)
  },
  run: ({ operands: [file], options, databasePath, stderr }) => withDb(databasePath(), async (db) => {
    const target = file!
    const pageSize = db.sqlite.pragma('page_size', { simple: true }) as number
    const replaced = options.force === true && existsSync(target)
    let bar: ReturnType<typeof progress> | undefined
    const barOf = (total: number) => (bar ??= progress('backup', total, { unit: (done) => `${count(done)} of ${count(total)} pages of ${bytes(pageSize)}`, stream: stderr }))
    const temp = tempBeside(target)
    let pages: number
    try {
      const result = await db.sqlite.backup(temp.path, {
        progress ({ totalPages, remainingPages }) {
          barOf(totalPages).update(totalPages - remainingPages)
          return 256
        }
      })
      pages = result.totalPages
      const check = await finish(temp.path)
      if (check !== 'ok') throw new Error(`the copy failed its integrity check (${check}); run the backup again`)
      if (options.force === true) temp.replace(target)
      else if (!temp.place(target)) throw exists(target)
    } catch (err) {
      temp.discard()
      throw (err as { code?: unknown }).code !== undefined ? fileError('write', target, err) : err
    }
    barOf(pages).done()
    return {
      json: { file: target, database: db.path, pages, page_size: pageSize, bytes: pages * pageSize, integrity_check: 'ok', replaced },
      stdout: [`${target}: backup of ${db.path} complete, integrity_check ok`]
    }
  }, asItIs)
}
