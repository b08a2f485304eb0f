/**
 * "Try it out" in /docs, in a real browser: Debian's Chromium driven by playwright-core, against a
 * server started with PORT=4555 (the document's `servers` is relative, so the page calls the port
 * it was served from). Each operation is run with the examples the page fills in.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium } from 'playwright-core'
import t from 'tap'
import { runSource, waitUntilReady } from './helpers.js'

const executablePath = '/usr/bin/chromium'
const port = 4555
const base = `http://127.0.0.1:${port}`

/** Operations to try, by tag and operationId, with the status each must answer. */
const operations = [
  ['transfers', 'listTransfers'],
  ['transfers', 'getTransfer'],
  ['transfers', 'listTransfersCsv'],
  ['actors', 'listActors'],
  ['search', 'search'],
  ['timeline', 'getTimeline'],
  ['tariff-deadlines', 'getTariffDeadlineCalendar']
] as const

t.test('"Try it out" succeeds in headless Chromium on a server started with PORT=4555', { skip: existsSync(executablePath) ? false : `no ${executablePath} (apt-get install chromium)` }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kb-docs-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const server = runSource('server.ts', [], { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: join(dir, 'kb.sqlite'), LOG_LEVEL: 'warn', READ_WORKERS: '1' }, t)
  await waitUntilReady(base, server)

  const browser = await chromium.launch({
    executablePath,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
  t.teardown(() => browser.close())
  const page = await browser.newPage()
  const failures: string[] = []
  page.on('pageerror', (err) => failures.push(err.message))

  await page.goto(`${base}/docs`)
  t.equal(await page.title(), 'U.S.–Mexico Security Cooperation Knowledge Base: API reference', 'the page is titled after the product')
  await page.waitForSelector('.opblock', { timeout: 30_000 })

  for (const [tag, operationId] of operations) {
    const block = page.locator(`#operations-${tag}-${operationId}`)
    await block.locator('.opblock-summary').first().click()
    await block.locator('.try-out__btn').click()
    const request = page.waitForResponse((res) => res.request().resourceType() === 'fetch' && res.url().startsWith(`${base}/v1/`), { timeout: 30_000 })
    await block.locator('.execute').click()
    const response = await request
    t.equal(new URL(response.url()).port, String(port), `${operationId}: called the port that served the page`)
    t.equal(response.status(), 200, `${operationId}: ${response.url()} answered 200`)
    const shown = block.locator('.live-responses-table tr.response .response-col_status').first()
    await shown.waitFor({ timeout: 10_000 })
    const text = (await shown.innerText()).trim()
    t.match(text, /^200\b/, `${operationId}: the page shows 200 (${JSON.stringify(text)})`)
    await block.locator('.opblock-summary').first().click() // collapse again
  }
  t.same(failures, [], 'no script errors on the page')
})
