/**
 * What the explorer's browser runs share (test/explorer.test.ts, `npm run screenshots`, the
 * explorer's budgets in bench/explorer.ts): Debian's Chromium driven by playwright-core (never a
 * downloaded browser), a current build of the explorer, and the views worth looking at.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type Browser, type Page, type Request } from 'playwright-core'
import { createApiKeys } from '../src/auth/api-keys.js'
import { createDb } from '../src/db/client.js'
import { explorerFolder, projectRoot } from '../src/paths.js'

export const chromiumPath = '/usr/bin/chromium'
export const chromiumArgs = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']

export async function launchChromium (): Promise<Browser> {
  return await chromium.launch({ executablePath: chromiumPath, args: chromiumArgs })
}

export const viewports = {
  desktop: { width: 1280, height: 900 },
  phone: { width: 390, height: 844 }
} as const

function newest (path: string): number {
  const stat = statSync(path)
  return stat.isDirectory() ? Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry)))) : stat.mtimeMs
}

/** Builds the explorer (vite build into dist/explorer) unless the build is newer than its sources. */
export function ensureExplorerBuilt () {
  const page = join(explorerFolder, 'index.html')
  const sources = Math.max(newest(join(projectRoot, 'src', 'explorer')), newest(join(projectRoot, 'vite.config.ts')))
  if (existsSync(page) && statSync(page).mtimeMs >= sources) return
  const build = spawnSync(process.execPath, [join(projectRoot, 'node_modules', 'vite', 'bin', 'vite.js'), 'build'], { cwd: projectRoot, encoding: 'utf8' })
  if (build.status !== 0) throw new Error(`vite build failed:\n${build.stdout}${build.stderr}`)
}

/** The seeded founding source, the transfer it reports and the fact the evidence view opens on. */
export const seededSource = 'mexico-hands-over-26-cartel-kingpins'
export const seededTransfer = 'transfer-2025-08-12'

export interface View { name: string, path: string, ready: string }

/** Each page of the explorer on the seed data, with what shows it is drawn. */
export const views: View[] = [
  { name: 'overview', path: '/explore/', ready: '.overview[data-ready]' },
  { name: 'timeline', path: '/explore/timeline', ready: 'ol.entries li' },
  { name: 'record', path: `/explore/transfers/${seededTransfer}`, ready: 'table.fields tbody tr' },
  { name: 'evidence', path: `/explore/evidence/${seededSource}?record=transfer:${seededTransfer}&field=people_count`, ready: 'mark.selected' },
  { name: 'search', path: '/explore/search?q=cartel', ready: 'ol.hits li' },
  { name: 'actor-es', path: '/explore/actors/omar-garcia-harfuch?lang=es', ready: 'table.fields tbody tr' }
]

/** Opens a view and waits until it is drawn (and its fonts and charts laid out). */
export async function openView (page: Page, base: string, view: View) {
  await page.goto(`${base}${view.path}`)
  await page.waitForSelector(view.ready, { timeout: 30_000 })
  await page.evaluate(async () => { await (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts.ready })
}

export interface SeededServer { base: string, database: string, stop: () => Promise<void> }

/**
 * `src/server.ts` over a freshly seeded database in a temporary folder, on a free port of
 * 127.0.0.1, as `npm start` serves it; `stop()` ends it (SIGTERM) and removes the folder.
 */
export async function startSeededServer (): Promise<SeededServer> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo
      probe.close(() => resolve(port))
    })
  })
  const dir = mkdtempSync(join(tmpdir(), 'kb-explorer-'))
  const database = join(dir, 'kb.sqlite')
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: projectRoot,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database, LOG_LEVEL: 'warn', READ_WORKERS: '1' },
    stdio: ['ignore', 'inherit', 'inherit']
  })
  const exited = new Promise((resolve) => child.once('exit', resolve))
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM')
    await exited
    rmSync(dir, { recursive: true, force: true })
  }
  const base = `http://127.0.0.1:${port}`
  for (let tries = 0; ; tries++) {
    try { if ((await fetch(`${base}/ready`)).ok) break } catch {}
    if (tries > 600 || child.exitCode !== null) {
      await stop()
      throw new Error('the server did not start within 60 s')
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  return { base, database, stop }
}

/** A write key made in the server's database file (as `kb keys create` makes one beside a running server). */
export function writeKey (database: string, name: string): string {
  const db = createDb(database)
  try {
    return createApiKeys(db).create(name, 'write').key
  } finally {
    db.close()
  }
}

/**
 * The API GETs a page made (the event stream aside), and those it asked again without
 * If-None-Match: the explorer's promise is that there are none.
 */
export function revalidation (requests: Request[]): { gets: number, repeated: number, bare: string[] } {
  const gets = requests.filter((request) => request.method() === 'GET' && new URL(request.url()).pathname.startsWith('/v1/') && !request.url().includes('/v1/changes/stream'))
  const seen = new Set<string>()
  const bare: string[] = []
  let repeated = 0
  for (const request of gets) {
    if (seen.has(request.url())) {
      repeated++
      if (request.headers()['if-none-match'] === undefined) bare.push(request.url())
    }
    seen.add(request.url())
  }
  return { gets: gets.length, repeated, bare }
}
