/**
 * Makes sure dist/ holds a current build before `npm start` and `npm run kb` (their pre-scripts).
 * Plain JavaScript, so that it runs where the dev dependencies are not installed.
 *
 * - dist/ current (newer than every file of src/ and the tsconfigs; or there is no src/): nothing.
 * - dist/ missing or older, TypeScript installed: `npm run build`, its output on stderr (so that
 *   `npm run -s kb -- export -` writes nothing but the export to stdout).
 * - dist/ older, TypeScript not installed (a pruned production install): a warning, and the
 *   existing build runs.
 * - dist/ missing, TypeScript not installed: a message saying to build before pruning; exit 1.
 *
 * `--check` only reports whether dist/ is current (exit 0) or not (exit 1), building nothing.
 */
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
/** The entry points and the explorer's page: every build rewrites them, so the oldest of these dates the build. */
const outputs = ['dist/src/server.js', 'dist/src/cli.js', 'dist/explorer/index.html'].map((file) => join(root, file))
const cli = join(root, 'dist/src/cli.js')
const inputs = ['src', 'tsconfig.json', 'tsconfig.build.json', 'vite.config.ts'].map((file) => join(root, file))

/** The most recently modified file among `paths` (folders searched through): its path and time (0 for none). */
function newest (paths) {
  let found = { path: '', at: 0 }
  const visit = (path) => {
    if (!existsSync(path)) return
    const stat = statSync(path)
    if (stat.isDirectory()) for (const entry of readdirSync(path)) visit(join(path, entry))
    else if (stat.mtimeMs > found.at) found = { path, at: stat.mtimeMs }
  }
  paths.forEach(visit)
  return found
}

/** Where the installed TypeScript compiler is, if it is installed. */
function typescript () {
  try {
    return createRequire(join(root, 'package.json')).resolve('typescript/package.json')
  } catch {
    return undefined
  }
}

/** `bin` points at dist/src/cli.js: keep it executable (npm sets the mode when it links a bin, not otherwise). */
function makeCliExecutable () {
  if (process.platform === 'win32' || !existsSync(cli)) return
  const mode = statSync(cli).mode
  if ((mode & 0o111) !== 0o111) chmodSync(cli, mode | 0o111)
}

const built = outputs.every((file) => existsSync(file))
const builtAt = built ? Math.min(...outputs.map((file) => statSync(file).mtimeMs)) : 0
const source = newest(inputs)
const current = built && source.at <= builtAt

if (process.argv.includes('--check')) {
  console.error(current ? 'dist/ is current.' : built ? 'dist/ is older than src/.' : 'dist/ has no build.')
  process.exit(current ? 0 : 1)
}

if (current) {
  makeCliExecutable()
  process.exit(0)
}

if (typescript() === undefined) {
  if (built) {
    console.error(`Warning: dist/ is older than ${relative(root, source.path)}, but TypeScript is not installed (a production install) to rebuild it:\n` +
      'running the existing build. To deploy new sources, build them where the dev dependencies are installed:\n' +
      '  npm ci && npm run build && npm prune --omit=dev')
    makeCliExecutable()
    process.exit(0)
  }
  console.error('There is no build in dist/, and TypeScript is not installed to make one (the dev dependencies were\n' +
    'omitted or pruned). Build before pruning:\n' +
    '  npm ci && npm run build && npm prune --omit=dev\n' +
    'or install the dev dependencies again (npm install) and run this command again.')
  process.exit(1)
}

console.error(built
  ? `dist/ is older than ${relative(root, source.path)}: building (npm run build).`
  : 'No build in dist/ yet: building (npm run build).')
// npm runs this script with npm_execpath set to its own CLI; run the build with the same npm.
const npm = process.env.npm_execpath
const build = npm !== undefined && /\.[cm]?js$/.test(npm)
  ? spawnSync(process.execPath, [npm, 'run', 'build'], { cwd: root, stdio: ['ignore', 2, 2] })
  : spawnSync('npm', ['run', 'build'], { cwd: root, stdio: ['ignore', 2, 2], shell: process.platform === 'win32' })
if (build.status !== 0) {
  console.error(build.error !== undefined ? `Could not run npm run build: ${build.error.message}` : 'The build failed (above); nothing was started.')
  process.exit(build.status ?? 1)
}
makeCliExecutable()
