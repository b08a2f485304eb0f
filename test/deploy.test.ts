/**
 * The production path (README, "Deploy"): the compiled server and command line run on the
 * production dependencies alone. The build is made in a directory of its own (never the project's
 * dist/, which `npm start` serves), then given a node_modules holding copies of exactly the
 * production dependency closure: copies, not links, since Node resolves a link to its real path
 * and would find the dev dependencies beside it. scripts/deploy-check.sh does the same from a
 * fresh clone with npm itself (npm ci, npm run build, npm prune --omit=dev).
 * KB_DEPLOY_TEST_KEEP=1 leaves the temporary folder for a look around.
 */
import { spawn, spawnSync } from 'node:child_process'
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join, relative, sep } from 'node:path'
import t, { type Test } from 'tap'
import { loadConfig } from '../src/config.js'
import { projectRoot, version } from '../src/paths.js'
import { freePort, supportedQuote, waitUntilReady, type SourceProcess } from './helpers.js'

/**
 * The environment a production process gets: none of the test runner's (its NODE_OPTIONS loads
 * tap's TypeScript and coverage hooks from the dev dependencies), nor npm's of the test run.
 */
function productionEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, LANG: 'C.UTF-8', ...extra }
  for (const name of ['TMPDIR', 'npm_config_cache']) if (process.env[name] !== undefined) env[name] = process.env[name]
  return env
}

function run (command: string, args: string[], cwd: string, env = productionEnv()) {
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', timeout: 120_000 })
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}${result.error?.message ?? ''}` }
}

/**
 * `run` without blocking the event loop: while a server runs, a blocked loop would leave fetch's
 * idle keep-alive connections open after the server closed them, and reuse one.
 */
async function runAsync (command: string, args: string[], cwd: string, env = productionEnv()) {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const status = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { status, stdout, stderr, output: stdout + stderr }
}

/**
 * A long-running command in a process group of its own, as a service manager runs it: npm, the
 * shell it runs the script in, and the server. `closed` resolves once all of them have let go of
 * its output. The whole group is killed at the end of the test.
 */
function start (command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, t: Test): SourceProcess & { closed: Promise<void> } {
  const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
  const exited = new Promise<{ code: number | null, signal: NodeJS.Signals | null, stdout: string, stderr: string }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })))
  const closed = new Promise<void>((resolve) => child.on('close', () => resolve()))
  t.teardown(() => {
    try { process.kill(-child.pid!, 'SIGKILL') } catch {} // ESRCH: the group has ended
  })
  return { child, exited, closed, output: () => stdout + stderr }
}

/** Asserts a command exited 0, showing its output when it did not. */
function succeeded (t: Test, result: { status: number | null, output: string }, command: string) {
  if (!t.equal(result.status, 0, `${command} exits 0`)) t.comment(result.output)
}

/** Bytes and files under a folder, links not followed. */
function sizeOf (dir: string): { bytes: number, files: number } {
  let bytes = 0
  let files = 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) {
      const inner = sizeOf(path)
      bytes += inner.bytes
      files += inner.files
    } else {
      bytes += lstatSync(path).size
      files++
    }
  }
  return { bytes, files }
}

t.test('.env.example lists every variable the configuration reads, each default as it is', async (t) => {
  const read = new Set<string>()
  const recording = new Proxy({}, { get: (_target, name) => { if (typeof name === 'string') read.add(name) } }) as NodeJS.ProcessEnv
  loadConfig(recording)
  const text = readFileSync(join(projectRoot, '.env.example'), 'utf8')
  const listed = new Map([...text.matchAll(/^# ([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => [m[1]!, m[2]!]))
  t.same([...listed.keys()].sort(), [...read].sort(), 'the variables of .env.example are exactly those src/config.ts reads')
  const defaults = loadConfig({}, projectRoot)
  for (const [name, value] of listed) {
    if (value === '') continue // no fixed default: unset means "none", or depends on the machine
    t.same(loadConfig({ [name]: value }, projectRoot), defaults, `${name}=${value} is its default`)
  }
  t.notMatch(text, /^[A-Z][A-Z0-9_]*=/m, 'every line is commented out: a copy changes nothing until edited')
  t.match(readFileSync(join(projectRoot, '.gitignore'), 'utf8'), /^\.env$/m, '.env (which holds secrets) is ignored by git')
})

t.test('the build runs on production dependencies alone: npm start, the CLI, npm run kb', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-deploy-'))
  if (process.env.KB_DEPLOY_TEST_KEEP === undefined) t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  else t.comment(`kept: ${dir}`)
  const app = join(dir, 'app')
  const env = productionEnv()

  // What a clone holds (the parts the build and the server read), built where the dev dependencies are.
  for (const entry of ['src', 'scripts', 'migrations', 'seeds', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts']) {
    cpSync(join(projectRoot, entry), join(app, entry), { recursive: true })
  }
  symlinkSync(join(projectRoot, 'node_modules'), join(app, 'node_modules'), 'dir')
  const build = run('node', ['scripts/build-if-needed.mjs'], app, env)
  succeeded(t, build, 'scripts/build-if-needed.mjs builds a missing dist/ with tsc')
  t.match(build.stderr, /No build in dist\/ yet: building/)
  t.equal(build.stdout, '', 'and says so, and prints the build, on stderr alone')
  const cli = join(app, 'dist/src/cli.js')
  t.ok(existsSync(join(app, 'dist/src/server.js')) && existsSync(cli), 'dist/src/server.js and dist/src/cli.js are built')
  t.ok(existsSync(join(app, 'dist/explorer/index.html')), 'and the explorer\'s bundle, dist/explorer')
  t.equal(statSync(cli).mode & 0o111, 0o111, 'dist/src/cli.js, package.json\'s bin, is executable')
  t.match(readFileSync(cli, 'utf8'), /^#!\/usr\/bin\/env node\n/, 'and keeps its #!/usr/bin/env node line')
  const builtAt = statSync(cli).mtimeMs
  const again = run('node', ['scripts/build-if-needed.mjs'], app, env)
  t.same([again.status, again.output], [0, ''], 'a current dist/ is left alone, silently')
  t.equal(statSync(cli).mtimeMs, builtAt, 'and not rebuilt')

  // The production dependency closure, copied.
  unlinkSync(join(app, 'node_modules'))
  const listing = run('npm', ['ls', '--omit=dev', '--all', '--parseable'], projectRoot, env)
  const closure = listing.stdout.split('\n').filter((line) => line !== '' && line !== projectRoot)
  t.ok(closure.length > 10, `npm ls lists the production dependencies (${closure.length})`) || t.comment(listing.stderr)
  for (const path of closure) {
    const rel = relative(projectRoot, path)
    if (!rel.startsWith(`node_modules${sep}`)) throw new Error(`npm ls listed ${path}, outside node_modules`)
    const nested = join(path, 'node_modules')
    // A package's own node_modules holds its dependencies, listed (and copied) on their own lines.
    cpSync(path, join(app, rel), { recursive: true, dereference: true, filter: (source) => source !== nested })
  }
  const modules = join(app, 'node_modules')
  const size = sizeOf(modules)
  t.comment(`production node_modules: ${closure.length} packages, ${size.files} files, ${(size.bytes / 1048576).toFixed(1)} MiB`)
  const resolve = createRequire(join(app, 'package.json')).resolve
  for (const dev of ['typescript', 'tsx', 'tap', 'eslint']) {
    t.notOk(existsSync(join(modules, dev)), `${dev} is not installed`)
    t.throws(() => resolve(`${dev}/package.json`), { code: 'MODULE_NOT_FOUND' }, 'and cannot be resolved from the production tree')
  }

  const database = join(dir, 'kb.sqlite')
  const backup = join(dir, 'backup.sqlite')

  /** `npm start` in the production tree, ready; `stop()` sends SIGTERM as systemd does and waits for the end. */
  async function serve (t: Test) {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const server = start('npm', ['start'], app, productionEnv({ PORT: String(port), DATABASE_PATH: database }), t)
    await waitUntilReady(base, server)
    const stop = async () => {
      // To the group, as systemd and Ctrl-C send it: npm alone would pass it to the shell it runs
      // the script in, which ends, leaving the server running (see the README's systemd unit).
      process.kill(-server.child.pid!, 'SIGTERM')
      await server.closed
      t.match(server.output(), /"msg":"shutting down: finishing in-flight requests"/, 'SIGTERM shuts the server down gracefully')
      const alive = () => { try { return process.kill(-server.child.pid!, 0) } catch { return false } }
      for (let i = 0; i < 50 && alive(); i++) await new Promise((resolve) => setTimeout(resolve, 100))
      t.notOk(alive(), 'and nothing of npm start is left running')
    }
    return { base, server, stop }
  }

  const write = (base: string, key: string, id: string) => fetch(`${base}/v1/quotes`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(supportedQuote(id))
  })

  t.test('npm start serves the build', async (t) => {
    const { base, server, stop } = await serve(t)
    t.notMatch(server.output(), /building/, 'npm start did not build: dist/ was current')

    const health = await fetch(`${base}/health`)
    t.same(await health.json(), { status: 'ok', version }, `/health names version ${version}`)
    const transfer = await fetch(`${base}/v1/transfers/transfer-2025-08-12?include=citations`)
    t.equal(transfer.status, 200, 'GET /v1/transfers/transfer-2025-08-12 answers 200')
    t.match(await transfer.json(), { id: 'transfer-2025-08-12', people_count: 26, citations: [{ source_id: String }] }, 'the seeded data is served')
    const search = await fetch(`${base}/v1/search?q=sheinbaum`)
    t.equal(search.status, 200, 'a search answers (in a reading thread, loaded from dist/)')
    const explorer = await fetch(`${base}/explore`)
    t.equal(explorer.status, 200, 'the explorer is served from the build, with no dev dependency')
    const script = /src="(\/explore\/assets\/[^"]+\.js)"/.exec(await explorer.text())?.[1]
    t.equal((await fetch(`${base}${script ?? '/explore/assets/none.js'}`)).status, 200, `and its script (${script})`)

    await t.test('the CLI', async (t) => {
      const direct = await runAsync(cli, ['--version'], app, env)
      succeeded(t, direct, './dist/src/cli.js --version')
      t.equal(direct.stdout.trim(), version, `prints ${version}`)
      const viaNode = await runAsync('node', ['dist/src/cli.js', '--help'], app, env)
      succeeded(t, viaNode, 'node dist/src/cli.js --help')
      t.match(viaNode.stdout, /keys create/)

      const created = await runAsync('npm', ['run', '-s', 'kb', '--', 'keys', 'create', '--name', 'deploy-test', '--scope', 'write', '--database', database], app, env)
      succeeded(t, created, 'npm run -s kb -- keys create')
      const key = created.stdout.trim().split('\n').at(-1)!
      t.equal((await write(base, key, 'quote-deploy-test')).status, 201, 'the key it printed writes through the running server')

      const exported = await runAsync('npm', ['run', '-s', 'kb', '--', 'export', '-', '--database', database], app, env)
      succeeded(t, exported, 'npm run -s kb -- export -')
      const lines = exported.stdout.trim().split('\n')
      t.doesNotThrow(() => lines.forEach((line) => JSON.parse(line)), 'its stdout is NDJSON and nothing else')
      t.ok(lines.some((line) => line.includes('"quote-deploy-test"')), 'holding the record just written')

      succeeded(t, await runAsync('node', ['dist/src/cli.js', 'backup', backup, '--database', database], app, env), 'kb backup while the server runs')
      t.ok(existsSync(backup), 'writes the copy')
      t.equal((await write(base, key, 'quote-after-backup')).status, 201, 'a write after the backup')
    })
    await stop()
  })

  t.test('without TypeScript, build-if-needed runs what is built, and says what to do when nothing is', async (t) => {
    const future = new Date(Date.now() + 60_000)
    utimesSync(join(app, 'src/app.ts'), future, future)
    const stale = run('node', ['scripts/build-if-needed.mjs'], app, env)
    t.equal(stale.status, 0, 'a dist/ older than src/ still runs')
    t.match(stale.stderr, /dist\/ is older than src\/app\.ts, but TypeScript is not installed/)
    t.match(stale.stderr, /npm ci && npm run build && npm prune --omit=dev/)

    renameSync(join(app, 'dist'), join(app, 'dist.moved'))
    const missing = run('npm', ['start'], app, productionEnv({ PORT: '0', DATABASE_PATH: join(dir, 'never.sqlite') }))
    t.not(missing.status, 0, 'npm start without a build and without TypeScript fails')
    t.match(missing.stderr, /There is no build in dist\/, and TypeScript is not installed/)
    t.match(missing.stderr, /npm ci && npm run build && npm prune --omit=dev/, 'saying how to build before pruning')
    t.notOk(existsSync(join(dir, 'never.sqlite')), 'and starts nothing')
    mkdirSync(join(app, 'dist')) // an empty dist/ is no build either
    t.equal(run('node', ['scripts/build-if-needed.mjs', '--check'], app, env).status, 1, '--check: an empty dist/ is not current')
    rmSync(join(app, 'dist'), { recursive: true })
    renameSync(join(app, 'dist.moved'), join(app, 'dist'))
  })

  t.test('shipped without src/ (built elsewhere), it restores a backup', async (t) => {
    for (const entry of ['src', 'tsconfig.json', 'tsconfig.build.json']) rmSync(join(app, entry), { recursive: true })
    t.equal(run('node', ['scripts/build-if-needed.mjs', '--check'], app, env).status, 0, 'without src/, dist/ counts as current')
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${database}${suffix}`, { force: true })
    cpSync(backup, database)
    const { base, stop } = await serve(t)
    t.equal((await fetch(`${base}/v1/quotes/quote-deploy-test`)).status, 200, 'the server serves the copy: what was written before the backup')
    t.equal((await fetch(`${base}/v1/quotes/quote-after-backup`)).status, 404, 'and not what came after')
    await stop()
  })
})
