/**
 * A throw-away PostgreSQL 15 cluster for tests and the benchmark: initdb into a temporary folder, started on a free
 * port of 127.0.0.1 (its socket in the same folder), stopped and removed when the test ends.
 * PostgreSQL refuses to run as root, so it runs as the `postgres` user (runuser, which needs root).
 */
import { execFile, execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import pg from 'pg'

const run = promisify(execFile)

export const pgBin = '/usr/lib/postgresql/15/bin'

export interface PgCluster {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`: trust authentication, no password. */
  url: string
  port: number
  /** Creates a database as the knowledge base needs it (UTF8, C collation) and returns its URL. */
  createDatabase (name: string): Promise<string>
  /** Stops the server (immediate shutdown) and removes its folder; again, does nothing. */
  stop (): Promise<void>
}

/** Why a cluster cannot be started here, or undefined when it can: the reason to skip a test. */
export function pgClusterUnavailable (): string | undefined {
  if (!existsSync(join(pgBin, 'initdb'))) return `PostgreSQL 15 is not installed (no ${pgBin}/initdb)`
  if (process.getuid?.() !== 0) return 'not running as root: PostgreSQL runs as the postgres user, by runuser, which needs root'
  return undefined
}

/** A port nobody listens on now, on 127.0.0.1. */
async function freePort (): Promise<number> {
  return await new Promise((resolve, reject) => {
    const server = createServer()
    server.unref()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

/** The uid and gid of a user, as `id` says. */
function userIds (user: string): { uid: number, gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, user], { encoding: 'utf8' }).trim())
  return { uid: id('-u'), gid: id('-g') }
}

/**
 * Starts a cluster (UTF-8, C locale: text sorts by bytes, as in SQLite) and stops it in `t`'s
 * teardown, or at the latest when the process exits.
 */
export async function startPgCluster (t: { teardown (fn: () => unknown): void }): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'pg-cluster-'))
  const { uid, gid } = userIds('postgres')
  chownSync(dir, uid, gid)
  const data = join(dir, 'data')
  const asPostgres = async (command: string, args: string[]) =>
    await run('runuser', ['-u', 'postgres', '--', join(pgBin, command), ...args], { cwd: dir })

  let running = false
  let stopped = false
  const stopNow = () => {
    if (stopped) return
    stopped = true
    process.off('exit', stopNow)
    try {
      if (running) execFileSync('runuser', ['-u', 'postgres', '--', join(pgBin, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', 'stop'], { cwd: dir, stdio: 'ignore' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }
  process.on('exit', stopNow)
  const stop = async () => {
    if (stopped) return
    try {
      if (running) await asPostgres('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop'])
    } finally {
      running = false
      stopNow()
    }
  }
  t.teardown(stop)

  try {
    await asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8', '--locale=C'])
    const port = await freePort()
    // The server's output goes to a log file: to pg_ctl's stdout, it would hold the pipe open.
    running = true
    await asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-w', 'start',
      '-o', `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c fsync=off`])
    const url = `postgres://postgres@127.0.0.1:${port}/postgres`
    const createDatabase = async (name: string) => {
      const admin = new pg.Client({ connectionString: url })
      await admin.connect()
      try {
        await admin.query(`CREATE DATABASE ${name} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER libc LC_COLLATE 'C' LC_CTYPE 'C'`)
      } finally {
        await admin.end()
      }
      return url.replace(/\/postgres$/, `/${name}`)
    }
    return { url, port, createDatabase, stop }
  } catch (err) {
    await stop().catch(() => {})
    throw err
  }
}
