/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * The explorer in a real browser (Debian's Chromium, driven by playwright-core) against a freshly
 * seeded server started as a user starts it: the overview's numbers, the evidence view marking the
 * passage of a fact, a write through the API reaching open pages without a reload (and every repeated
 * request revalidated with If-None-Match), keyboard search, Spanish, shareable URLs, and axe-core on
 * every page at a desktop's and a phone's size.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page, Request } from 'playwright-core'
import t from 'tap'
import { kinds } from '../src/kinds/index.js'
import { chromiumPath, ensureExplorerBuilt, launchChromium, openView, revalidation, seededSource, seededTransfer, viewports, views, writeKey } from '../scripts/explorer-browser.js'
import { copyOfExample, freePort, runSource, waitUntilReady } from './helpers.js'

// A browser and a server on 2 cores beside the rest of the suite: more time than tap's default.
t.setTimeout(600_000)

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

/** The cells of the table rows of a chart, as text. */
const tableOf = async (page: Page, chart: string) => await page.$$eval(`#${chart} table tbody tr`, (rows) => rows.map((row) => [...row.children].map((cell) => cell.textContent?.trim() ?? '')))

t.test('the explorer in headless Chromium', { skip: !existsSync(chromiumPath) ? `no ${chromiumPath} (apt-get install chromium)` : false }, async (t) => {
  ensureExplorerBuilt()
  const dir = mkdtempSync(join(tmpdir(), 'kb-explorer-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))
  const port = await freePort()
  const base = `http://127.0.0.1:${port}`
  const database = join(dir, 'kb.sqlite')
  const server = runSource('server.ts', [], { PORT: String(port), HOST: '127.0.0.1', DATABASE_PATH: database, LOG_LEVEL: 'warn', READ_WORKERS: '1' }, t)
  await waitUntilReady(base, server)
  const browser = await launchChromium()
  t.teardown(() => browser.close())
  const context = await browser.newContext({ viewport: viewports.desktop, locale: 'en-US' })
  const problems: string[] = []
  const watch = (page: Page) => {
    page.on('pageerror', (err) => problems.push(`${page.url()}: ${err.message}`))
    page.on('console', (message) => { if (message.type() === 'error') problems.push(`${page.url()}: console: ${message.text()}`) })
    return page
  }

  t.test('the overview charts the 2025 totals: 2 transfers, 55 people', async (t) => {
    const page = watch(await context.newPage())
    await page.goto(`${base}/explore`)
    await page.waitForSelector('#transfers-by-year[data-ready] svg')
    t.same(await tableOf(page, 'transfers-by-year'), [['2025', '2', '55']], 'its table: year, transfers, people')
    t.equal(await page.textContent('#transfers-by-year .headline'), '2025: 2 transfers, 55 people.')
    const labels = await page.$$eval('#transfers-by-year svg text', (texts) => texts.map((text) => text.textContent))
    t.ok(labels.includes('55') && labels.includes('2'), 'the bars are labelled 55 and 2')
    await page.waitForSelector('#people-by-organization[data-ready]')
    t.match(await page.textContent('#people-by-organization figcaption'), /0 of 55 people.*55 \(100%\) are not attributed/s, 'the unattributed share, said')
    const csv = await page.getAttribute('#transfers-by-year a[download]', 'href')
    const res = await fetch(`${base}${csv ?? ''}`)
    t.match(await res.text(), /2025.*2.*55/, 'its CSV link gives the same numbers')
    const monthRow = async (month: string) => (await tableOf(page, 'by-month')).find((row) => row[0] === month)
    t.same(await monthRow('2025-08'), ['2025-08', '26', '0'], 'by month and mechanism: 26 people extradited in August')
    await page.check('#by-month input[value=occasions]')
    await page.waitForURL(/by_month=transfers/)
    await page.waitForFunction(() => document.querySelector('#by-month h2')?.textContent === 'Transfers by month and legal mechanism')
    t.same(await monthRow('2025-08'), ['2025-08', '1', '0'], 'or one transfer, the chart\'s count switched in the URL')
    t.match(await page.textContent('#deadlines'), /Tariffs on Mexican imports.*passed \d+ d \d\d:\d\d:\d\d ago/s, 'the deadline\'s countdown')
    await page.close()
  })

  t.test('from a record to its evidence: the excerpt of people_count is marked and explained', async (t) => {
    const page = watch(await context.newPage())
    await page.goto(`${base}/explore/transfers/${seededTransfer}`)
    await page.click('#field-people_count .evidence a')
    await page.waitForSelector('mark.selected')
    t.match(page.url(), new RegExp(`/explore/evidence/${seededSource}\\?record=transfer%3A${seededTransfer}&field=people_count`), 'the URL names the fact')
    const excerpt = 'Mexico has extradited 26 high-profile cartel leaders to the United States'
    const marked = await page.$$eval('mark.selected', (marks) => marks.map((mark) => mark.textContent).join(''))
    t.equal(marked, excerpt, 'exactly the excerpt is marked')
    const box = await page.locator('mark.selected').first().boundingBox()
    t.ok(box !== null && box.y >= 0 && box.y < viewports.desktop.height, 'and scrolled into view')
    const panel = await page.textContent('.selected-fact') ?? ''
    t.match(panel, /stated: the excerpt says it/, 'its support')
    await page.waitForSelector('.same-passage li')
    const others = await page.$$eval('.same-passage li', (items) => items.map((item) => item.textContent))
    t.ok(others.includes(`${seededTransfer} · mechanism`), 'the other facts on the passage (the mechanism among them)')
    t.notOk(others.includes(`${seededTransfer} · people_count`), 'but not the chosen one')
    t.ok(await page.$eval('button[aria-pressed="true"]', (button) => button.textContent === 'people_count'), 'the chosen fact is pressed')
    await page.click('.fact-record:has-text("garcia-harfuch-news-conference") button:has-text("date")')
    await page.waitForURL(/field=date/)
    t.match(await page.textContent('.selected-fact'), /garcia-harfuch-news-conference-2025-08-13/, 'choosing another fact marks its passage')
    await page.close()
  })

  t.test('a record page for every kind: fields beside evidence, related records, history and as_of', async (t) => {
    const page = watch(await context.newPage())
    for (const kind of kinds) {
      await page.goto(`${base}/explore/${kind.path}/${kind.exampleId}`)
      await page.waitForSelector('table.fields tbody tr')
      await page.waitForSelector('#history-title ~ .table-scroll tbody tr')
      t.ok(((await page.textContent('main h1')) ?? '').length > 0, `${kind.path}/${kind.exampleId}: named`)
      if (kind.path !== 'sources') t.ok(await page.$('table.fields .evidence a[href^="/explore/evidence/"]'), `${kind.path}: a field links to its evidence`)
      else t.notOk(await page.$('table.fields .evidence'), 'a source is the evidence: no citations beside its own fields')
      t.ok(await page.$('#related-title'), `${kind.path}: related records`)
    }
    await page.goto(`${base}/explore/actors/omar-garcia-harfuch`)
    await page.waitForSelector('#related-title')
    t.match(await page.textContent('article'), /26 people handed over from MX to US \(extradition\)/, 'an actor lists the records that name it')
    await page.click('#history-title ~ .table-scroll tbody tr a')
    await page.waitForSelector('.notice[role=status]')
    t.match(page.url(), /as_of=/, 'a revision opens the record as of its time, in the URL')
    t.match(await page.textContent('.notice[role=status]'), /Showing the record as it was at/)
    await page.waitForSelector('table.fields .evidence a')
    t.notOk(await page.$('.error'), 'the record as it was, with its evidence')
    await page.close()
  })

  t.test('a write through the API reaches the open timeline and overview without a reload', async (t) => {
    const requests: Request[] = []
    const timeline = watch(await context.newPage())
    const overview = watch(await context.newPage())
    for (const page of [timeline, overview]) page.on('request', (request) => requests.push(request))
    await timeline.goto(`${base}/explore/timeline`)
    await overview.goto(`${base}/explore/`)
    await timeline.waitForSelector('ol.entries li')
    await overview.waitForSelector('.overview[data-ready]')
    await timeline.waitForSelector('.live-live')
    await overview.waitForSelector('.live-live')
    for (const page of [timeline, overview]) await page.evaluate(() => { (window as { notReloaded?: boolean }).notReloaded = true })

    const key = writeKey(database, 'explorer-test')
    const transfer = copyOfExample(kinds.find((kind) => kind.type === 'transfer')!)
    const res = await fetch(`${base}/v1/transfers`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(transfer) })
    t.equal(res.status, 201, 'created through the API')

    await timeline.waitForSelector(`li[data-id="${transfer.id}"]`, { timeout: 20_000 })
    t.pass('the new transfer is on the open timeline')
    await overview.waitForFunction(() => document.querySelector('#transfers-by-year tbody tr')?.textContent === '2025381', undefined, { timeout: 20_000 })
    t.same(await tableOf(overview, 'transfers-by-year'), [['2025', '3', '81']], 'and in the overview\'s totals')
    for (const page of [timeline, overview]) t.ok(await page.evaluate(() => (window as { notReloaded?: boolean }).notReloaded), 'without a reload')

    const { repeated, bare } = revalidation(requests)
    t.ok(repeated > 0, `requests were repeated after the write (${repeated})`)
    t.same(bare, [], 'every repeated request carried If-None-Match')
    await timeline.close()
    await overview.close()
  })

  t.test('search by keyboard: type, ↓ to the first hit, Enter opens it; facets by kind', async (t) => {
    const page = watch(await context.newPage())
    await page.goto(`${base}/explore/search`)
    await page.waitForSelector('#q')
    await page.click('main h1')
    await page.keyboard.press('/')
    t.ok(await page.evaluate(() => document.activeElement?.id === 'q'), '/ focuses the search box')
    await page.keyboard.type('garcia harfuch')
    await page.waitForSelector('ol.hits li')
    await page.waitForURL(/q=garcia\+harfuch/)
    t.match(await page.textContent('ol.hits li'), /García Harfuch/, 'diacritics folded, the name marked')
    t.ok(await page.$('ol.hits mark'), 'matches in <mark>')
    const facets = await page.$$eval('.facets a', (links) => links.map((link) => link.textContent))
    t.ok(facets.some((facet) => /^Actors \(\d+\)$/.test(facet ?? '')), `facets by kind with counts (${facets.join(', ')})`)
    await page.keyboard.press('ArrowDown')
    const first = await page.evaluate(() => document.activeElement?.getAttribute('href'))
    t.match(first, /^\/explore\//, '↓ moves to the first hit')
    await page.keyboard.press('Enter')
    await page.waitForURL((url) => url.pathname === first?.split('?')[0])
    await page.waitForSelector('table.fields')
    t.pass('Enter opens it')
    await page.close()
  })

  t.test('the view is the URL: filters survive a reload; ?lang=es is Spanish', async (t) => {
    const page = watch(await context.newPage())
    await page.goto(`${base}/explore/`)
    await page.click('header nav a:has-text("Timeline")')
    await page.waitForSelector('ol.entries li')
    t.equal(await page.evaluate(() => document.activeElement?.textContent), 'Timeline', 'a new view moves the focus to its heading, as a page load would')
    for (const type of ['quote', 'tariff_deadline', 'cooperation_measure', 'event']) await page.uncheck(`input[name=types][value=${type}]`)
    await page.click('form.filters button[type=submit]')
    await page.waitForURL(/types=transfer$/)
    const expected = (await (await fetch(`${base}/v1/timeline?types=transfer&count=true`)).json() as { count: number }).count
    await page.waitForFunction((n) => document.querySelectorAll('ol.entries li').length === n, expected)
    await page.reload()
    await page.waitForSelector('ol.entries li')
    t.equal(await page.locator('ol.entries li').count(), expected, `after a reload, still the ${expected} transfers`)
    t.notOk(await page.isChecked('input[name=types][value=quote]'), 'and the form as it was')
    const byActor = (await (await fetch(`${base}/v1/timeline?actor=omar-garcia-harfuch&from=2025-08-01&count=true`)).json() as { count: number }).count
    await page.goto(`${base}/explore/timeline?actor=omar-garcia-harfuch&from=2025-08-01`)
    await page.waitForFunction((n) => document.querySelectorAll('ol.entries li').length === n, byActor)
    await page.waitForFunction(() => document.querySelector<HTMLSelectElement>('select[name=actor]')?.value === 'omar-garcia-harfuch')
    t.equal(await page.inputValue('input[name=from]'), '2025-08-01', `a shared timeline link: García Harfuch's ${byActor} entries, the form as the URL says`)
    await page.goto(`${base}/explore/?lang=es`)
    await page.waitForSelector('.overview[data-ready]')
    t.equal(await page.textContent('main h1'), 'Resumen')
    t.equal(await page.getAttribute('html', 'lang'), 'es')
    t.match(await page.textContent('#transfers-by-year .headline'), /^2025: \d+ entregas, \d+ personas\.$/, 'in Spanish (after the write above: 3 and 81)')
    await page.close()
  })

  t.test('axe-core finds no serious or critical violation on any page, at either size', async (t) => {
    // axe is injected as a script: this context lets it past the page's content security policy.
    const axeContext = await browser.newContext({ bypassCSP: true })
    for (const [size, viewport] of Object.entries(viewports)) {
      const page = watch(await axeContext.newPage())
      await page.setViewportSize(viewport)
      for (const view of views) {
        await openView(page, base, view)
        await page.addScriptTag({ content: axeSource })
        const violations = await page.evaluate(async () => {
          const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: Array<{ id: string, impact: string, nodes: Array<{ target: string[] }> }> }> } }).axe
          const { violations } = await axe.run(document, { resultTypes: ['violations'] })
          return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`)
        })
        t.same(violations, [], `${view.name} at ${size} size`)
      }
      await page.close()
    }
    await axeContext.close()
  })

  t.test('no script errors and nothing refused by the content security policy', async (t) => {
    t.same(problems, [])
  })
})
