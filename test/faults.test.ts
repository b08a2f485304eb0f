/**
 * Faults of the storage under a running server, answered honestly: nothing is acknowledged that
 * was not stored where the next start reads it, and `/ready` says what is wrong.
 */
import { copyFileSync, renameSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { createDb, migrateDb } from '../src/db/client.js'
import { seedDatabase } from '../src/seed/load.js'
import { assertProblem, supportedQuote, testConfig, type App } from './helpers.js'

/** A seeded database file of the test's own, and an app over it (writes in the server's thread, or in its writing thread). */
async function onFile (t: Test, readWorkers = 0) {
  const dir = t.testdir()
  const path = join(dir, 'kb.sqlite')
  const db = createDb(path)
  migrateDb(db)
  seedDatabase(db)
  const app = await buildApp({ db, config: { ...testConfig, readWorkers } })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  const authorization = `Bearer ${app.kb.apiKeys.create('desk', 'write').key}`
  return { app, db, dir, path, authorization }
}

const create = (app: App, authorization: string, id: string) =>
  app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: supportedQuote(id) })

for (const readWorkers of [0, 1]) {
  const where = readWorkers === 0 ? 'in the server\'s thread' : 'in its writing thread'

  t.test(`the database file deleted under the server: writes (${where}) are refused with 503, /ready is 503`, async (t) => {
    const { app, path, authorization } = await onFile(t, readWorkers)
    t.equal((await create(app, authorization, 'before')).statusCode, 201)
    for (const file of [path, `${path}-wal`, `${path}-shm`]) rmSync(file, { force: true })
    const refused = await create(app, authorization, 'after')
    const body = assertProblem(t, refused, 503, 'unavailable')
    t.match(body.detail, /deleted or replaced/)
    t.match(refused.headers['retry-after'], /^\d+$/)
    const ready = await app.inject({ url: '/ready' })
    t.match(assertProblem(t, ready, 503, 'unavailable').detail, /deleted or replaced/)
    t.equal((await app.inject({ url: '/health' })).statusCode, 200, 'the process itself is alive')
  })

  t.test(`the database file replaced by another under the server: writes (${where}) are refused, /ready is 503`, async (t) => {
    const { app, dir, path, authorization } = await onFile(t, readWorkers)
    const other = join(dir, 'other.sqlite')
    copyFileSync(path, other)
    renameSync(other, path)
    assertProblem(t, await create(app, authorization, 'after'), 503, 'unavailable')
    assertProblem(t, await app.inject({ url: '/ready' }), 503, 'unavailable')
  })
}

t.test('a full disk is a 507 with Retry-After; /ready is 503 until a write succeeds again', async (t) => {
  const { app, db, authorization } = await onFile(t)
  const pages = Number(db.sqlite.pragma('page_count', { simple: true }))
  db.sqlite.pragma(`max_page_count = ${pages}`) // the file cannot grow, as on a full disk
  const big = { ...supportedQuote('no-room'), context: 'x'.repeat(9000) }
  const full = await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: big })
  t.match(assertProblem(t, full, 507, 'insufficient_storage').detail, /disk holding the database is full; nothing was written/)
  t.equal(full.headers['retry-after'], '60')
  t.equal((await app.inject({ url: '/v1/quotes/no-room' })).statusCode, 404, 'nothing was written')
  t.match(assertProblem(t, await app.inject({ url: '/ready' }), 503, 'unavailable').detail, /^Not ready: The disk holding the database is full/)
  db.sqlite.pragma(`max_page_count = ${pages * 10}`)
  t.equal((await app.inject({ method: 'POST', url: '/v1/quotes', headers: { authorization }, payload: big })).statusCode, 201)
  t.equal((await app.inject({ url: '/ready' })).statusCode, 200, 'ready again once a write succeeds')
})

t.test('a read-only database is a 503 with Retry-After, and /ready says so', async (t) => {
  const { app, db, authorization } = await onFile(t)
  db.sqlite.pragma('query_only = ON')
  const refused = await create(app, authorization, 'read-only')
  t.match(assertProblem(t, refused, 503, 'unavailable').detail, /read-only/)
  t.equal(refused.headers['retry-after'], '60')
  t.match(assertProblem(t, await app.inject({ url: '/ready' }), 503, 'unavailable').detail, /read-only/)
  t.equal((await app.inject({ url: '/v1/quotes?limit=1' })).statusCode, 200, 'reads go on')
})

t.test('closing checkpoints the WAL; a checkpoint that fails is returned, and the database is closed all the same', async (t) => {
  const path = join(t.testdir(), 'kb.sqlite')
  const db = createDb(path)
  migrateDb(db)
  t.equal(db.close(), undefined, 'a clean close')
  const again = createDb(path)
  const pragma = again.sqlite.pragma.bind(again.sqlite)
  again.sqlite.pragma = ((source: string, options?: object) => {
    if (source.startsWith('wal_checkpoint')) throw Object.assign(new Error('disk I/O error'), { code: 'SQLITE_IOERR' })
    return pragma(source, options as never)
  }) as typeof again.sqlite.pragma
  const failed = again.close()
  t.match(failed, { message: 'disk I/O error' })
  t.notOk(again.sqlite.open, 'closed: SQLite replays the WAL on the next open')
  const reopened = createDb(path)
  t.equal(reopened.sqlite.pragma('integrity_check', { simple: true }), 'ok')
  reopened.close()
})
