import { execFile } from 'node:child_process'
import { cpSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import t from 'tap'
import { kinds } from '../src/kinds/index.js'
import { projectRoot } from '../src/paths.js'
import { freshDb } from './helpers.js'

const run = promisify(execFile)

t.test('the committed migrations are current: drizzle-kit generate has nothing to add', async (t) => {
  // Generated into a copy, so that a stale schema fails here instead of writing into migrations/.
  const out = join('tmp', `migrations-check-${process.pid}`)
  mkdirSync(join(projectRoot, 'tmp'), { recursive: true })
  cpSync(join(projectRoot, 'migrations'), join(projectRoot, out), { recursive: true })
  t.teardown(() => rmSync(join(projectRoot, out), { recursive: true, force: true }))
  const before = readdirSync(join(projectRoot, out))
  const { stdout } = await run(join(projectRoot, 'node_modules', '.bin', 'drizzle-kit'), ['generate'], {
    cwd: projectRoot,
    env: { ...process.env, DRIZZLE_OUT: `./${out}` }
  })
  const added = readdirSync(join(projectRoot, out)).filter((f) => !before.includes(f))
  t.same(added, [], `a table in src/ differs from migrations/: run \`npm run db:generate\` and commit the migration\n${stdout}`)
})

t.test('every kind\'s tables exist after migrating: the schema glob of drizzle.config.ts finds each kind\'s table.ts', async (t) => {
  const db = freshDb({ seed: false })
  t.teardown(() => db.close())
  const tables = new Set(db.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[])
  for (const kind of kinds) {
    const { table } = kind.writer(db.sqlite) // its statements would not prepare without the table
    t.ok(tables.has(table), `${kind.type}: table ${table}`)
  }
})
