import fastifyStatic from '@fastify/static'
import type { FastifyInstance } from 'fastify'
import fp from 'fastify-plugin'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AppError } from '../errors.js'
import { fixedBody, sendFixed } from '../http/caching.js'

/**
 * What the explorer's pages may do: run their own scripts and call this origin's API, nothing
 * else. Styles may be inline too (the charts set them on their SVG); nothing is framed or posted.
 */
const pageSecurityHeaders = {
  'content-security-policy': "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'cross-origin-opener-policy': 'same-origin'
} as const

/**
 * The explorer (src/explorer, bundled by `npm run build` into `folder`): its assets, whose names
 * carry their content's hash, cached for a year; every other path under /explore is the app's page,
 * which reads the path to choose its view (so a view's URL can be shared). It uses only the public
 * API, as any dashboard would. Without a build, /explore is a 404 that says how to make one.
 */
export default fp(async function explorer (app: FastifyInstance, { folder }: { folder: string }) {
  await app.register(async (pages) => {
    pages.addHook('onSend', async (request, reply, payload) => {
      if (reply.statusCode !== 304) reply.headers(pageSecurityHeaders)
      return payload
    })
    const indexPath = join(folder, 'index.html')
    if (!existsSync(indexPath)) {
      const notBuilt = async () => {
        throw new AppError('route_not_found', 'The explorer is not built in this installation: run `npm run build` (`npm start` does) and start the server again.')
      }
      pages.get('/explore', { schema: { hide: true } }, notBuilt)
      pages.get('/explore/*', { schema: { hide: true } }, notBuilt)
      return
    }
    const page = fixedBody(readFileSync(indexPath, 'utf8'))
    const sendPage = async (request: Parameters<typeof sendFixed>[0], reply: Parameters<typeof sendFixed>[1]) => sendFixed(request, reply, page, 'text/html; charset=utf-8')
    await pages.register(fastifyStatic, {
      root: join(folder, 'assets'),
      prefix: '/explore/assets/',
      decorateReply: false,
      index: false,
      immutable: true,
      maxAge: '365d',
      schemaHide: true
    })
    pages.get('/explore', { schema: { hide: true } }, sendPage)
    pages.get('/explore/*', { schema: { hide: true } }, sendPage)
  })
}, { name: 'explorer' })
