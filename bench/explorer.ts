/**
 * The explorer's budgets, measured in Debian's Chromium against a freshly seeded server on loopback
 * (part of `npm run bench`; alone: `npm run bench -- --scenarios explorer`):
 *
 * - its JavaScript, gzipped (level 9), every script of the built bundle: target ≤ 150 KB;
 * - the overview's first render: from navigation to every chart drawn with its numbers
 *   (`overviewRenderedAt`, set by the page), each run in a fresh browser context (nothing cached):
 *   target ≤ 1 s (the median; the slowest run is reported beside it);
 * - no request repeated without If-None-Match: the overview, a write through the API (the page
 *   revalidates), a move to the timeline and back; every GET under /v1 asked twice must carry it.
 */
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'
import type { Request } from 'playwright-core'
import { explorerFolder } from '../src/paths.js'
import { ensureExplorerBuilt, launchChromium, revalidation, startSeededServer, viewports, writeKey } from '../scripts/explorer-browser.js'

export const explorerTargets = { scriptKb: 150, firstRenderMs: 1000 }

export async function runExplorerBudgets ({ runs = 10 }: { runs?: number } = {}): Promise<string> {
  ensureExplorerBuilt()
  const assets = join(explorerFolder, 'assets')
  const scripts = readdirSync(assets).filter((file) => file.endsWith('.js'))
  const gzipped = scripts.reduce((sum, file) => sum + gzipSync(readFileSync(join(assets, file)), { level: 9 }).length, 0)
  const raw = scripts.reduce((sum, file) => sum + readFileSync(join(assets, file)).length, 0)

  const server = await startSeededServer()
  const browser = await launchChromium()
  try {
    // First render, cold: a new context (no cache, no connections) each run; the first run is a warm-up.
    const times: number[] = []
    for (let run = 0; run <= runs; run++) {
      const context = await browser.newContext({ viewport: viewports.desktop })
      const page = await context.newPage()
      await page.goto(`${server.base}/explore/`)
      await page.waitForFunction(() => (window as { overviewRenderedAt?: number }).overviewRenderedAt !== undefined, undefined, { timeout: 30_000 })
      const at = await page.evaluate(() => (window as { overviewRenderedAt?: number }).overviewRenderedAt ?? NaN)
      if (run > 0) times.push(at)
      await context.close()
    }
    times.sort((a, b) => a - b)
    const median = times[Math.floor(times.length / 2)] ?? NaN
    const slowest = times[times.length - 1] ?? NaN

    // Revalidation: every GET of the API asked again must carry If-None-Match.
    const context = await browser.newContext({ viewport: viewports.desktop })
    const page = await context.newPage()
    const requests: Request[] = []
    page.on('request', (request) => requests.push(request))
    await page.goto(`${server.base}/explore/`)
    await page.waitForSelector('.overview[data-ready]')
    await page.waitForSelector('.live-live')
    const key = writeKey(server.database, 'bench-explorer')
    const before = await page.textContent('#quotes-by-speaker tbody')
    const quote = {
      id: 'bench-explorer-quote',
      speaker_id: 'claudia-sheinbaum-pardo',
      text: 'sovereign',
      kind: 'direct',
      language: 'en',
      citations: [{ source_id: 'mexico-hands-over-26-cartel-kingpins', excerpt: 'the decision was a “sovereign” one' }]
    }
    const res = await fetch(`${server.base}/v1/quotes`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(quote) })
    if (res.status !== 201) throw new Error(`the write the page should revalidate after failed: ${res.status} ${await res.text()}`)
    await page.waitForFunction((text) => document.querySelector('#quotes-by-speaker tbody')?.textContent !== text, before, { timeout: 10_000 })
    await page.click('header a[href^="/explore/timeline"]')
    await page.waitForSelector('ol.entries li')
    await page.click('header a.brand')
    await page.waitForSelector('.overview[data-ready]')
    await context.close()
    const { gets, repeated, bare } = revalidation(requests)

    const verdict = (ok: boolean) => ok ? 'PASS' : 'FAIL'
    return [
      'explorer (Chromium, headless, loopback; bench/explorer.ts):',
      '| budget | measured | target | |',
      '|---|---|---|---|',
      `| JavaScript, gzipped (level 9) | ${(gzipped / 1024).toFixed(1)} KB (${scripts.length} file${scripts.length === 1 ? '' : 's'}, ${(raw / 1024).toFixed(0)} KB raw) | ≤ ${explorerTargets.scriptKb} KB | ${verdict(gzipped / 1024 <= explorerTargets.scriptKb)} |`,
      `| overview's first render (navigation to every chart drawn), cold | median ${median.toFixed(0)} ms, slowest ${slowest.toFixed(0)} ms of ${times.length} | ≤ ${explorerTargets.firstRenderMs} ms | ${verdict(median <= explorerTargets.firstRenderMs)} |`,
      `| repeated requests without If-None-Match | ${bare.length} of ${repeated} (${gets} API GETs: load, a write, timeline and back) | 0 | ${verdict(bare.length === 0 && repeated > 0)} |`
    ].join('\n')
  } finally {
    await browser.close()
    await server.stop()
  }
}
