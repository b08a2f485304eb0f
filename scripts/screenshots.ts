/**
 * `npm run screenshots`: every page of the explorer, at a desktop's and a phone's size, on a freshly
 * seeded server, written to bench/screenshots/<view>-<desktop|phone>.png for a reviewer to look at
 * (the README shows two of them). Needs Debian's chromium (`apt-get install chromium`).
 */
import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { projectRoot } from '../src/paths.js'
import { ensureExplorerBuilt, launchChromium, openView, startSeededServer, viewports, views } from './explorer-browser.js'

const out = join(projectRoot, 'bench', 'screenshots')
mkdirSync(out, { recursive: true })
ensureExplorerBuilt()
const server = await startSeededServer()
try {
  const browser = await launchChromium()
  try {
    for (const [size, viewport] of Object.entries(viewports)) {
      const page = await browser.newPage({ viewport, deviceScaleFactor: 1, locale: 'en-US' })
      for (const view of views) {
        await openView(page, server.base, view)
        const path = join(out, `${view.name}-${size}.png`)
        // A desktop page whole (but the long timeline); a phone's first screen, as a person sees it.
        await page.screenshot({ path, fullPage: size === 'desktop' && view.name !== 'timeline' })
        console.log(`wrote ${path}`)
      }
      await page.close()
    }
  } finally {
    await browser.close()
  }
} finally {
  await server.stop()
}
