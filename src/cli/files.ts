/**
 * Files the command line writes are made beside their target under a temporary name, then renamed
 * into place once complete: nobody sees half a file, and a failure (or Ctrl-C) leaves the target
 * as it was.
 */
import { randomBytes } from 'node:crypto'
import { existsSync, linkSync, renameSync, rmSync, statSync } from 'node:fs'
import { constants } from 'node:os'
import { basename, dirname, join } from 'node:path'

/** What SQLite may leave beside a database file. */
const sqliteSidecars = ['-journal', '-wal', '-shm']

const pending = new Set<string>()

function removeWithSidecars (path: string): void {
  for (const suffix of ['', ...sqliteSidecars]) rmSync(path + suffix, { force: true })
}

function interrupted (signal: NodeJS.Signals): void {
  for (const path of pending) removeWithSidecars(path)
  process.stderr.write(`${process.stderr.isTTY ? '\n' : ''}kb: interrupted; nothing was written\n`)
  process.exit(128 + constants.signals[signal])
}

function track (path: string): void {
  pending.add(path)
  if (pending.size > 1) return
  process.on('SIGINT', interrupted)
  process.on('SIGTERM', interrupted)
}

function untrack (path: string): void {
  pending.delete(path)
  if (pending.size > 0) return
  process.off('SIGINT', interrupted)
  process.off('SIGTERM', interrupted)
}

/** An error naming the file the user gave (not a temporary name) and why it could not be used. */
export function fileError (action: 'read' | 'write', file: string, err: unknown): Error {
  const code = (err as { code?: unknown }).code
  const reasons: Record<string, string> = {
    ENOENT: action === 'read' ? 'no such file' : 'its folder does not exist',
    ENOTDIR: 'a part of its path is not a folder',
    EISDIR: 'it is a folder',
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOSPC: 'the disk is full',
    EROFS: 'the file system is read-only',
    SQLITE_FULL: 'the disk is full',
    SQLITE_CANTOPEN: 'it cannot be created there'
  }
  const reason = typeof code === 'string' && code in reasons ? reasons[code] : (err as Error).message
  return new Error(`cannot ${action} ${file}: ${reason}${action === 'write' ? '; nothing was written' : ''}`)
}

/** Fails early, naming `file`, when it could not be written: its folder is missing, or it is a folder. */
export function checkTarget (file: string): void {
  let folder
  try {
    folder = statSync(dirname(file))
  } catch (err) {
    throw fileError('write', file, err)
  }
  if (!folder.isDirectory()) throw fileError('write', file, { code: 'ENOTDIR' })
  if (statSync(file, { throwIfNoEntry: false })?.isDirectory() === true) throw fileError('write', file, { code: 'EISDIR' })
}

/** True when both paths name one existing file (through links or different spellings too). */
export function sameFile (a: string, b: string): boolean {
  try {
    const [x, y] = [statSync(a), statSync(b)]
    return x.dev === y.dev && x.ino === y.ino
  } catch {
    return false
  }
}

export interface TempFile {
  path: string
  /** Removes it (and what SQLite left beside it). */
  discard (): void
  /**
   * Renames it to the target, replacing any file there, whose SQLite sidecars are removed too: a
   * stale journal or WAL beside the new file would be replayed into it.
   */
  replace (target: string): void
  /** Moves it to the target unless a file is there (checked atomically where links are possible): false then. */
  place (target: string): boolean
}

/** A new temporary name beside `target`, removed if the process is interrupted before it is used. */
export function tempBeside (target: string): TempFile {
  const path = join(dirname(target), `.${basename(target)}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`)
  track(path)
  const done = () => untrack(path)
  return {
    path,
    discard () {
      removeWithSidecars(path)
      done()
    },
    replace (target) {
      renameSync(path, target)
      for (const suffix of sqliteSidecars) rmSync(target + suffix, { force: true })
      done()
    },
    place (target) {
      try {
        linkSync(path, target) // fails if the target exists, where a check then a rename could race
        rmSync(path)
      } catch (err) {
        const code = (err as { code?: unknown }).code
        if (code === 'EEXIST') return false
        if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'ENOSYS') throw err
        if (existsSync(target)) return false // a file system without hard links
        renameSync(path, target)
      }
      done()
      return true
    }
  }
}
