/**
 * The explorer's build (src/explorer, a Preact app): `npm run build` bundles it into dist/explorer,
 * which the server serves at /explore. Everything it needs is in the bundle (no CDN), and its
 * assets' names carry their content's hash, so they can be cached for good.
 */
import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vite'

export default defineConfig({
  root: fileURLToPath(new URL('src/explorer', import.meta.url)),
  base: '/explore/',
  publicDir: false,
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('dist/explorer', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    reportCompressedSize: false,
    sourcemap: false
  },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } }
})
