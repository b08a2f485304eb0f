/**
 * Hostile load: how long `GET /health` takes while clients do the worst the API lets them, on a
 * copy of the SYNTHETIC 100k database (bench/.data/hostile.sqlite; the import below writes to it).
 *
 *   npx tsx bench/run.ts --scenarios hostile    (or npx tsx bench/hostile.ts)
 *
 * Phases, each `seconds` long, /health measured by autocannon (1 connection) throughout:
 *   quiet     nothing else: the floor;
 *   searches  4 clients sending, back to back, the most expensive search the API accepts;
 *   streams   8 clients holding /v1/changes/stream open without ever reading (the server's RSS is
 *             read before and after);
 *   import    a 20,000-record NDJSON import running.
 * Targets: /health p99 ≤ 50 ms in each phase; RSS growth ≤ 100 MB with the idle streams. The server
 * (bench/api-server.ts) runs with its defaults but for the rate limits, set so high that every
 * request is served: this measures what the server does with the load, not how soon it refuses it.
 */
import { copyFileSync, readFileSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import autocannon from 'autocannon'
import { createApiKeys } from '../src/auth/api-keys.js'
import { createDb } from '../src/db/client.js'
import { searchLimits } from '../src/search/match-query.js'
import { BenchError, benchDataFolder } from './config.js'
import { importNdjson } from './import-data.js'
import { apiSpec, startServer, stopAll, stopServer, type RunningServer } from './servers.js'
import { ensureSyntheticDb } from './synthetic.js'
import { formatTable, ms } from './table.js'

export const healthTargetMs = 50
export const rssTargetMb = 100

/**
 * The most expensive search the API accepts on this data: as many prefix terms as it takes, each as
 * short as it may be, and then as many words as are left, each one in every synthetic record, all
 * OR-ed so that every record matches every branch and has to be ranked.
 */
export const hostileSearch = [
  ...['sy', 'tr', 'pe', 'nu'].slice(0, searchLimits.max_prefix_terms).map((p) => `${p}*`),
  ...['synthetic', 'transfer', 'people', 'handed', 'over', 'numbered', 'sentence', 'reported', 'announced', 'confirmed', 'noted', 'stated']
].slice(0, searchLimits.max_terms).join(' OR ')

interface Phase { phase: string, p50: number, p99: number, max: number, requests: number, note: string }

/** /health's latencies over `seconds`, one request at a time. */
async function health (url: string, seconds: number): Promise<Omit<Phase, 'phase' | 'note'>> {
  const latencies: number[] = []
  const instance = autocannon({ url: `${url}/health`, connections: 1, duration: seconds })
  instance.on('response', (_c: unknown, status: number, _b: number, took: number) => { if (status === 200) latencies.push(took) })
  const result = await instance
  if (result.errors + result.timeouts > 0 || latencies.length === 0) throw new BenchError(`/health failed ${result.errors + result.timeouts} times`)
  latencies.sort((a, b) => a - b)
  const at = (p: number) => latencies[Math.min(latencies.length - 1, Math.ceil(p * latencies.length) - 1)]!
  return { p50: at(0.5), p99: at(0.99), max: latencies.at(-1)!, requests: latencies.length }
}

/** The server process's resident memory, in MB (Linux). */
function rssMb (pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').split('\n').find((l) => l.startsWith('VmRSS:'))
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? Number.NaN) / 1024
}

/** Clients that keep `path` busy until `stop()`: each sends the next request when its last one is answered. */
function busyClients (url: string, count: number, path: string) {
  const state = { running: true }
  const answered = new Map<number, number>()
  const loops = Array.from({ length: count }, async () => {
    while (state.running) {
      const res = await fetch(url + path)
      await res.arrayBuffer()
      answered.set(res.status, (answered.get(res.status) ?? 0) + 1)
    }
  })
  return {
    async stop () {
      state.running = false
      await Promise.all(loops)
      return [...answered].map(([status, n]) => `${n} × ${status}`).join(', ')
    }
  }
}

export async function runHostile ({ seconds = 10 } = {}): Promise<{ phases: Phase[], rssGrowthMb: number, report: string }> {
  const source = ensureSyntheticDb({ fresh: false })
  const path = join(benchDataFolder, 'hostile.sqlite')
  for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true })
  copyFileSync(source.path, path)
  const db = createDb(path)
  const { key } = createApiKeys(db).create(`hostile-${Date.now()}`, 'write')
  db.close()

  const api: RunningServer = await startServer(apiSpec, path)
  const pid = api.child.pid!
  const phases: Phase[] = []
  try {
    const check = await fetch(`${api.url}/v1/search?q=${encodeURIComponent(hostileSearch)}&limit=20`)
    console.log(`hostile search (${check.status}): ${hostileSearch}`)
    await check.arrayBuffer()

    phases.push({ phase: 'quiet', ...await health(api.url, seconds), note: '' })

    const searchers = busyClients(api.url, 4, `/v1/search?q=${encodeURIComponent(hostileSearch)}&limit=20`)
    const during = await health(api.url, seconds)
    phases.push({ phase: '4 clients searching', ...during, note: `searches answered: ${await searchers.stop()}` })

    const before = rssMb(pid)
    const sockets: Socket[] = []
    for (let i = 0; i < 8; i++) {
      const socket = connect(Number(new URL(api.url).port), '127.0.0.1')
      socket.pause() // never reads
      socket.write('GET /v1/changes/stream HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n')
      sockets.push(socket)
    }
    const idle = await health(api.url, seconds)
    const after = rssMb(pid)
    for (const socket of sockets) socket.destroy()
    phases.push({ phase: '8 streams never read', ...idle, note: `server RSS ${before.toFixed(0)} → ${after.toFixed(0)} MB` })

    const { body, records } = importNdjson(20_000, `synthetic-hostile-${Date.now()}`)
    const started = Date.now()
    const importing = fetch(`${api.url}/v1/import`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/x-ndjson' }, body })
      .then(async (res) => ({ status: res.status, text: await res.text(), seconds: (Date.now() - started) / 1000 }))
    const importPhase = await health(api.url, seconds)
    const imported = await importing
    if (imported.status !== 201) throw new BenchError(`the import answered ${imported.status}: ${imported.text.slice(0, 300)}`)
    phases.push({ phase: `import of ${records} records`, ...importPhase, note: `import took ${imported.seconds.toFixed(1)} s${imported.seconds > seconds ? ' (longer than the phase: /health was measured while it ran)' : ''}` })

    const rssGrowthMb = after - before
    const table = formatTable(['phase', '/health p50 ms', 'p99 ms', 'max ms', 'requests', 'target p99', 'result', ''], phases.map((p) => [
      p.phase, ms(p.p50), ms(p.p99), ms(p.max), String(p.requests), `≤ ${healthTargetMs}`, p.phase === 'quiet' ? '' : p.p99 <= healthTargetMs ? 'PASS' : 'FAIL', p.note
    ]))
    const report = `${table}\n\nserver RSS growth with 8 idle streams: ${rssGrowthMb.toFixed(1)} MB | target ≤ ${rssTargetMb} | ${rssGrowthMb <= rssTargetMb ? 'PASS' : 'FAIL'}`
    return { phases, rssGrowthMb, report }
  } finally {
    await stopServer(api)
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    console.log('\n' + (await runHostile()).report)
  } catch (err) {
    console.error(err instanceof BenchError ? `error: ${err.message}` : err)
    process.exitCode = 1
  } finally {
    await stopAll()
  }
}
