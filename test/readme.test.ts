/**
 * Every curl example of the README (and the key it makes first), run as a reader would paste it: in README order, in one shell,
 * against one freshly seeded server. Each curl must get a 2xx or 3xx, or the status its line
 * announces (`# → 400`); a `# → <text>` line under a command is output it must print.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t from 'tap'
import { projectRoot } from '../src/paths.js'
import { freePort, runSource, tsNodeArgs, waitUntilReady } from './helpers.js'

/** Sections whose commands install, build or deploy: read, not run. */
const notRun = new Set(['Quick start', 'Deploy', 'Command line', 'OpenAPI and SDKs', 'Performance', 'Development'])

interface Example { section: string, script: string }

/** The README's `sh` blocks that call the API, by section. */
function examples (readme: string): Example[] {
  const found: Example[] = []
  for (const part of readme.split(/^## /m).slice(1)) {
    const section = part.slice(0, part.indexOf('\n')).trim()
    if (notRun.has(section)) continue
    for (const [, script] of part.matchAll(/^```sh\n([\s\S]*?)^```$/gm)) {
      if (script!.includes('curl ') || script!.includes('npm run -s kb')) found.push({ section, script: script! })
    }
  }
  return found
}

/**
 * A block as the test shell runs it: a trailing `# → NNN` sets the status the next curl must get,
 * and a `# → text` line checks the output of the one-line command above it.
 */
function instrument (script: string): string {
  const lines = script.split('\n')
  const out: string[] = []
  for (const [i, line] of lines.entries()) {
    const expected = /^# → (.*)$/.exec(line)
    if (expected !== null) {
      const command = out.pop()!
      // `-w '%{http_code}'` printing a 4xx: that status is the one expected
      const status = /^(\d{3})\b/.exec(expected[1]!)?.[1]
      if (status !== undefined && command.includes('%{http_code}')) out.push(`EXPECT=${status}`)
      out.push(`OUT=$(${command})`, 'EXPECT=', 'printf \'%s\\n\' "$OUT"', `expect_output "$OUT" ${shellQuote(expected[1]!)}`)
      continue
    }
    const status = /#.*→ (\d{3})\s*$/.exec(line)
    if (status !== null && lines[i - 1]?.endsWith('\\') !== true) out.push(`EXPECT=${status[1]!}`)
    out.push(line)
  }
  return out.join('\n')
}

const shellQuote = (text: string) => `'${text.replaceAll("'", "'\\''")}'`

const prelude = (cli: string) => `set -euo pipefail
trap 'echo "FAILED: $BASH_COMMAND" >&2' ERR
EXPECT=
HDRS=$(mktemp)
curl () {
  local want="\${EXPECT:-ok}" rc=0 status
  EXPECT=
  if [[ " $* " == *" -N "* ]]; then command curl --no-progress-meter --max-time 2 "$@" || rc=$?; [[ $rc == 0 || $rc == 28 ]]; return; fi
  command curl --no-progress-meter -D "$HDRS" "$@" || rc=$?
  status=$(grep -E '^HTTP/' "$HDRS" | tail -1 | cut -d' ' -f2)
  echo "$status curl $*" >> statuses.log
  if [[ $rc != 0 ]]; then echo "curl exited $rc: $*" >&2; return 1; fi
  if [[ $want == ok && $status =~ ^[23] ]] || [[ $status == "$want" ]]; then return 0; fi
  echo "expected \${want/ok/2xx or 3xx}, got $status: curl $*" >&2
  return 1
}
expect_output () {
  [[ "$1" == *"$2"* ]] && return 0
  echo "expected the output to hold: $2" >&2
  return 1
}
npm () {
  if [[ "$1 $2 $3 $4" == "run -s kb --" ]]; then shift 4; ${cli} "$@"; return; fi
  echo "the README's shell examples run only npm run -s kb --, not: npm $*" >&2
  return 1
}
`

t.test('every curl example of the README works on a freshly seeded server', async (t) => {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8')
  const blocks = examples(readme)
  t.ok(blocks.length >= 15, `${blocks.length} blocks of examples`)

  const dir = mkdtempSync(join(tmpdir(), 'kb-readme-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const port = await freePort()
  const database = join(dir, 'kb.sqlite')
  const server = runSource('server.ts', [], { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database, LOG_LEVEL: 'warn', READ_WORKERS: '1' }, t)
  await waitUntilReady(`http://127.0.0.1:${port}`, server)

  const cli = [process.execPath, ...tsNodeArgs(), join(projectRoot, 'src', 'cli.ts')].map(shellQuote).join(' ')
  const script = prelude(cli) + blocks.map((b) => `# ── ${b.section}\n${instrument(b.script)}`).join('\n')
    .replaceAll('http://127.0.0.1:3000', `http://127.0.0.1:${port}`)
  const result = await new Promise<{ code: number | null, stdout: string, stderr: string }>((resolve) => {
    const child = spawn('bash', ['-c', script], { cwd: dir, env: { ...process.env, DATABASE_PATH: database } })
    let stdout = ''
    let stderr = ''
    child.stdout.on('data', (chunk: Buffer) => { stdout += chunk.toString() })
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString() })
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
  const statuses = readFileSync(join(dir, 'statuses.log'), 'utf8').trim().split('\n')
  t.equal(result.code, 0, `the examples ran to the end (${statuses.length} requests)${result.code === 0 ? '' : `:\n${result.stderr.slice(-3000)}`}`)
  t.ok(statuses.length >= 40, 'every block ran')
  t.ok(statuses.some((s) => s.startsWith('304 ')), 'the caching example got its 304')
  t.ok(statuses.some((s) => s.startsWith('201 ') && s.includes('/v1/import')), 'the import example imported')
})
