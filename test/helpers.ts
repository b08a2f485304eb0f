import type { Test } from 'tap'
import { buildApp, type App } from '../src/app.js'
import { createDb, migrateDb, type Db } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'

export const testConfig = { cursorSecret: 'test-cursor-secret-0123456789' }

/** A fresh in-memory database, migrated with the real migrations and (by default) seeded. */
export function freshDb ({ seed = true } = {}): Db {
  const db = createDb(':memory:')
  migrateDb(db)
  if (seed) seedDatabase(db)
  return db
}

/** An app over its own fresh database, closed when the test ends. */
export async function buildTestApp (t: Test, { seed = true } = {}): Promise<{ app: App, db: Db }> {
  const db = freshDb({ seed })
  const app = await buildApp({ db, config: testConfig })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  return { app, db }
}

/** Asserts the RFC 9457 shape every error shares, and returns the body. */
export function assertProblem (t: Test, res: { statusCode: number, headers: Record<string, unknown>, body: string }, status: number, code: string) {
  t.equal(res.statusCode, status, `status ${status}`)
  t.match(String(res.headers['content-type']), /^application\/problem\+json/, 'problem+json content type')
  const body = JSON.parse(res.body) as Record<string, unknown>
  t.match(body, {
    type: `/problems/${code.replaceAll('_', '-')}`,
    title: String,
    status,
    detail: String,
    instance: String,
    code,
    request_id: String
  }, 'problem details shape')
  t.notMatch(res.body, /at .+\.(ts|js):\d+|SQLITE|SELECT /, 'no stack traces or SQL')
  return body as { errors?: Array<{ in: string, name: string, detail: string }>, detail: string }
}

/**
 * The environment for a child process (a real server, the CLI) that a test starts: the test's
 * own, with these additions.
 */
export function childEnv (extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return { ...process.env, ...extra }
}

/**
 * The node arguments that load TypeScript in a child process: under tap, the loader tap's own test
 * processes use (@tapjs/typescript), so that the coverage tap collects from the children maps to
 * the same lines as the tests' own (children started through `--import tsx` had their files'
 * coverage merged as one line each, which hid most of the code from the summary); outside tap, tsx.
 */
export function tsNodeArgs (): string[] {
  const tapLoader = process.execArgv.filter((arg) => arg.includes('@tapjs/typescript'))
  return tapLoader.length > 0 ? tapLoader : ['--import', 'tsx']
}
