/**
 * The bench servers (bench/api-server.ts, bench/baseline-server.ts) as child processes on free
 * ports of 127.0.0.1: started, waited for (their `BENCH_READY` line), and stopped again.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { BenchError, benchCursorSecret, projectRoot, readyPrefix, type ReadyMessage } from './config.js'

export interface ServerSpec {
  name: string
  script: string
}
export const apiSpec: ServerSpec = { name: 'API', script: 'bench/api-server.ts' }
export const baselineSpec: ServerSpec = { name: 'baseline', script: 'bench/baseline-server.ts' }
export const pgBaselineSpec: ServerSpec = { name: 'baseline', script: 'bench/pg-baseline-server.ts' }

/** What a bench server serves: a SQLite file, or a PostgreSQL database (`postgres://…`). */
export type ServedDatabase = string | { url: string }

export interface RunningServer {
  spec: ServerSpec
  child: ChildProcess
  url: string
}
const running = new Set<RunningServer>()
const stopping = new Set<RunningServer>()
const readyTimeoutMs = 120_000

export function startServer (spec: ServerSpec, database: ServedDatabase): Promise<RunningServer> {
  const served = typeof database === 'string' ? ['--db', database] : ['--database-url', database.url]
  const child = spawn(process.execPath, ['--import', 'tsx', spec.script, ...served, '--port', '0'], {
    cwd: projectRoot,
    env: { ...process.env, BENCH_CURSOR_SECRET: benchCursorSecret },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stderrTail = ''
  child.stderr!.setEncoding('utf8')
  child.stderr!.on('data', (chunk: string) => {
    stderrTail = (stderrTail + chunk).slice(-4000)
    process.stderr.write(chunk.replace(/^(?=.)/gm, `[${spec.name}] `))
  })
  return new Promise((resolve, reject) => {
    let server: RunningServer | undefined
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new BenchError(`${spec.script} printed no ready line within ${readyTimeoutMs / 1000} s`))
    }, readyTimeoutMs)
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (server === undefined && line.startsWith(readyPrefix)) {
        clearTimeout(timer)
        const ready = JSON.parse(line.slice(readyPrefix.length)) as ReadyMessage
        server = { spec, child, url: ready.url }
        running.add(server)
        resolve(server)
      } else {
        console.log(`[${spec.name}] ${line}`)
      }
    })
    child.once('error', (err) => {
      clearTimeout(timer)
      reject(new BenchError(`${spec.script} could not be started: ${err.message}`))
    })
    child.once('exit', (code, signal) => {
      clearTimeout(timer)
      if (server !== undefined) running.delete(server)
      if (server === undefined) {
        reject(new BenchError(`${spec.script} exited (${signal ?? `code ${code}`}) before it was ready${stderrTail === '' ? '' : `:\n${stderrTail}`}`))
      } else if (!stopping.has(server)) {
        console.error(`${spec.script} exited unexpectedly (${signal ?? `code ${code}`})`)
      }
    })
  })
}

export function stopServer (server: RunningServer): Promise<void> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return Promise.resolve()
  stopping.add(server)
  return new Promise((resolve) => {
    const kill = setTimeout(() => server.child.kill('SIGKILL'), 5000)
    server.child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    server.child.kill('SIGTERM')
  })
}

export async function stopAll (): Promise<void> {
  await Promise.all([...running].map(stopServer))
}

// Last resort if the process exits any other way: never leave a server behind.
process.on('exit', () => {
  for (const server of running) server.child.kill('SIGKILL')
})
