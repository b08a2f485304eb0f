/**
 * How the server serves the explorer's bundle (src/plugins/explorer.ts), over a stand-in bundle in
 * a temporary folder: the page at every path under /explore (deep links), its assets cached for
 * good, the page's own security policy, and a clear 404 when nothing is built.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import t, { type Test } from 'tap'
import { buildApp } from '../src/app.js'
import { assertProblem, freshDb, testConfig } from './helpers.js'

const page = '<!doctype html><html lang="en"><head><title>Explorer</title><script type="module" src="/explore/assets/app-abc123.js"></script></head><body><div id="app"></div></body></html>'

async function appWith (t: Test, folder: string) {
  const db = freshDb({ seed: false })
  const app = await buildApp({ db, config: testConfig, explorerFolder: folder })
  t.teardown(async () => {
    await app.close()
    db.close()
  })
  return app
}

function bundle (t: Test) {
  const folder = mkdtempSync(join(tmpdir(), 'kb-explorer-'))
  t.teardown(() => rmSync(folder, { recursive: true, force: true }))
  mkdirSync(join(folder, 'assets'))
  writeFileSync(join(folder, 'index.html'), page)
  writeFileSync(join(folder, 'assets', 'app-abc123.js'), 'console.log("explorer")\n'.repeat(100))
  return folder
}

t.test('every path under /explore is the page, so a view\'s URL can be shared and reloaded', async (t) => {
  const app = await appWith(t, bundle(t))
  for (const url of ['/explore', '/explore/', '/explore/timeline?types=transfer&lang=es', '/explore/evidence/mexico-hands-over-26-cartel-kingpins?record=transfer:x&field=people_count']) {
    const res = await app.inject({ url })
    t.equal(res.statusCode, 200, url)
    t.equal(res.body, page, `${url}: the page`)
    t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
    t.equal(res.headers['cache-control'], 'public, no-cache', `${url}: revalidated each time, as the page names the current assets`)
    const csp = String(res.headers['content-security-policy'])
    t.match(csp, /script-src 'self';/, 'scripts from this origin only, none inline')
    t.match(csp, /connect-src 'self';/, 'calls this origin\'s API only')
    t.match(csp, /frame-ancestors 'none'/)
    t.equal(res.headers['x-frame-options'], 'DENY')
    t.equal(res.headers['referrer-policy'], 'no-referrer')
  }
  const first = await app.inject({ url: '/explore/' })
  const again = await app.inject({ url: '/explore/search', headers: { 'if-none-match': String(first.headers.etag) } })
  t.equal(again.statusCode, 304, 'the page revalidates by its ETag')
  t.equal((await app.inject({ method: 'HEAD', url: '/explore' })).statusCode, 200, 'HEAD')
})

t.test('the assets, named by their content\'s hash, are cached for a year; a missing one is a 404 problem', async (t) => {
  const app = await appWith(t, bundle(t))
  const res = await app.inject({ url: '/explore/assets/app-abc123.js', headers: { 'accept-encoding': 'gzip' } })
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /javascript/)
  t.match(res.headers['cache-control'], /max-age=31536000/)
  t.match(res.headers['cache-control'], /immutable/)
  t.equal(res.headers['content-encoding'], 'gzip', 'compressed')
  const missing = await app.inject({ url: '/explore/assets/app-000000.js' })
  assertProblem(t, missing, 404, 'route_not_found')
  const outside = await app.inject({ url: '/explore/assets/..%2F..%2Fpackage.json' })
  t.not(outside.statusCode, 200, 'nothing outside the bundle is served')
})

t.test('without a build, /explore says how to make one; GET / links the explorer', async (t) => {
  const app = await appWith(t, join(tmpdir(), 'kb-no-explorer-here'))
  for (const url of ['/explore', '/explore/timeline']) {
    const res = await app.inject({ url })
    assertProblem(t, res, 404, 'route_not_found')
    t.match(JSON.parse(res.body).detail, /explorer is not built.*npm run build/, `${url}: says what to do`)
  }
  const root = JSON.parse((await app.inject({ url: '/' })).body) as { links: Record<string, string> }
  t.equal(root.links.explore, '/explore', 'GET / links the explorer')
})
