/**
 * scripts/nginx/kb.conf.template in a real nginx on loopback, in front of the server run as the
 * README's Deploy section advises (PUBLIC_URL, TRUST_PROXY=127.0.0.1): revalidation, the API's
 * own compression, absolute links, the client's address and the change stream all survive the
 * proxy; then the template's TLS lines, enabled, with a self-signed certificate. Skipped when nginx
 * is not installed (Debian: apt-get install nginx-light; .ci/run installs it).
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { delimiter, join } from 'node:path'
import { brotliDecompressSync, gunzipSync } from 'node:zlib'
import t, { type Test } from 'tap'
import { projectRoot } from '../src/paths.js'
import { freePort, runSource, supportedQuote, waitUntilReady } from './helpers.js'

/** nginx on PATH, or where Debian puts it (/usr/sbin is not on a normal user's PATH). */
function findNginx (): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/usr/local/nginx/sbin']
  return dirs.map((dir) => join(dir, 'nginx')).find((path) => path !== 'nginx' && existsSync(path))
}

const PUBLIC_URL = 'https://kb.example.org'
const template = readFileSync(join(projectRoot, 'scripts/nginx/kb.conf.template'), 'utf8')

/** The template with its placeholders filled, as the envsubst line at its top does. */
function render (values: { KB_UPSTREAM: string, KB_LISTEN: string, KB_SERVER_NAME: string }, { tls = false } = {}): string {
  let text = tls ? template.replace(/^#tls /gm, '') : template
  for (const [name, value] of Object.entries(values)) text = text.replaceAll(`\${${name}}`, value)
  return text
}

interface Reply { status: number, headers: IncomingHttpHeaders, body: Buffer }

/** One request on a connection of its own, from `localAddress`; the body as it came (not decompressed). */
function call (url: string, { method = 'GET', headers = {}, body, localAddress }: { method?: string, headers?: Record<string, string>, body?: string, localAddress?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const send = url.startsWith('https:') ? httpsRequest : httpRequest
    const req = send(url, { method, headers, localAddress, agent: false, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** Resolves once something accepts connections on 127.0.0.1:port. */
async function listening (port: number, what: () => string): Promise<void> {
  const deadline = Date.now() + 15_000
  while (Date.now() < deadline) {
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1', () => { socket.destroy(); resolve(true) })
      socket.on('error', () => resolve(false))
    })
    if (open) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error(`nothing listens on port ${port}:\n${what()}`)
}

/**
 * nginx with `site` (a rendered template) in an http block of its own, all its files under `dir`:
 * a foreground master (`daemon off`), stopped when the test ends. The http block turns gzip on for
 * JSON as a server-wide setting might (Debian's nginx.conf has `gzip on;`): the site must undo it.
 */
async function startNginx (t: Test, nginx: string, dir: string, site: string, ports: number[]) {
  mkdirSync(join(dir, 'temp'), { recursive: true })
  writeFileSync(join(dir, 'site.conf'), site)
  const conf = join(dir, 'nginx.conf')
  writeFileSync(conf, [
    process.getuid?.() === 0 ? 'user root;' : '', // workers as root too: they write to this test's temporary folder
    'daemon off;',
    'worker_processes 1;',
    `pid ${join(dir, 'nginx.pid')};`,
    `error_log ${join(dir, 'error.log')} warn;`,
    'events { worker_connections 256; }',
    'http {',
    `  access_log ${join(dir, 'access.log')};`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${join(dir, 'temp', kind)};`),
    '  default_type application/octet-stream;',
    '  gzip on;',
    '  gzip_proxied any;',
    '  gzip_types application/json application/problem+json application/x-ndjson text/csv text/calendar text/event-stream;',
    `  include ${join(dir, 'site.conf')};`,
    '}',
    ''
  ].join('\n'))
  const args = ['-p', dir, '-c', conf, '-e', join(dir, 'error.log')]
  const check = spawnSync(nginx, ['-t', ...args], { encoding: 'utf8' })
  t.equal(check.status, 0, 'nginx -t accepts the configuration')
  if (check.status !== 0) throw new Error(`nginx -t:\n${check.stderr}\n${site}`)
  const child = spawn(nginx, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => { output += chunk.toString() })
  child.stderr.on('data', (chunk: Buffer) => { output += chunk.toString() })
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  t.teardown(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM') // nginx's fast shutdown
    await exited
  })
  const log = () => `${output}${existsSync(join(dir, 'error.log')) ? readFileSync(join(dir, 'error.log'), 'utf8') : ''}`
  for (const port of ports) await listening(port, log)
  return { log }
}

const nginx = findNginx()
if (nginx === undefined) {
  t.plan(0, 'nginx is not installed (Debian: apt-get install nginx-light)')
} else {
  const dir = mkdtempSync(join(tmpdir(), 'kb-nginx-'))
  t.teardown(() => rmSync(dir, { recursive: true, force: true }))

  const apiPort = await freePort()
  const upstream = `http://127.0.0.1:${apiPort}`
  const database = join(dir, 'kb.sqlite')
  // As the README advises behind nginx on the same machine, with rate limits on (their defaults).
  const server = runSource('server.ts', [], {
    PORT: String(apiPort),
    HOST: '127.0.0.1',
    DATABASE_PATH: database,
    PUBLIC_URL,
    TRUST_PROXY: '127.0.0.1',
    LOG_LEVEL: 'info',
    RATE_LIMIT: 'on'
  })
  t.teardown(async () => {
    if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGTERM')
    await server.exited
  })
  await waitUntilReady(upstream, server)

  t.test('through the template, on plain HTTP', async (t) => {
    const port = await freePort()
    const base = `http://127.0.0.1:${port}`
    const site = render({ KB_UPSTREAM: `127.0.0.1:${apiPort}`, KB_LISTEN: `127.0.0.1:${port}`, KB_SERVER_NAME: 'localhost' })
    t.notMatch(site, /\$\{KB_/, 'every placeholder is filled')
    const proxy = await startNginx(t, nginx, join(dir, 'plain'), site, [port])

    await t.test('ETags and If-None-Match', async (t) => {
      // The last is smaller than the API's compression threshold (1 KiB): the API sends it as it is,
      // which nginx would gzip (weakening the ETag) were gzip on for the site.
      for (const url of ['/v1/transfers/transfer-2025-08-12', '/v1/transfers?limit=5&include=citations', '/v1/sources?fields=title&limit=1']) {
        const direct = await call(`${upstream}${url}`, { headers: { 'accept-encoding': 'identity' } })
        const proxied = await call(`${base}${url}`, { headers: { 'accept-encoding': 'gzip' } })
        t.equal(proxied.status, 200, `GET ${url} answers 200 through nginx`)
        t.match(proxied.headers.etag, /^"[^"]+"$/, 'with a strong ETag')
        t.equal(proxied.headers.etag, direct.headers.etag, 'the API\'s own')
        const body = proxied.headers['content-encoding'] === 'gzip' ? gunzipSync(proxied.body) : proxied.body
        t.same(JSON.parse(body.toString()), JSON.parse(direct.body.toString()), 'and the API\'s body')
        for (const encoding of ['identity', 'gzip', 'br']) {
          const revalidated = await call(`${base}${url}`, { headers: { 'if-none-match': proxied.headers.etag!, 'accept-encoding': encoding } })
          t.equal(revalidated.status, 304, `If-None-Match with that ETag (Accept-Encoding: ${encoding}) answers 304 through nginx`)
          t.equal(revalidated.body.length, 0, 'without a body')
        }
      }
      const small = await call(`${base}/v1/sources?fields=title&limit=1`, { headers: { 'accept-encoding': 'gzip' } })
      t.ok(small.body.length < 1024, `(${small.body.length} bytes)`)
      t.equal(small.headers['content-encoding'], undefined, 'a small answer stays uncompressed: nginx does not gzip it')
    })

    await t.test('the API\'s compression passes through, the ETag intact', async (t) => {
      const url = '/v1/transfers?limit=50&include=citations,actors'
      const plain = await call(`${base}${url}`, { headers: { 'accept-encoding': 'identity' } })
      t.equal(plain.headers['content-encoding'], undefined, 'Accept-Encoding: identity gets the body as is')
      const expected = JSON.parse(plain.body.toString()) as unknown
      const decoders: Record<string, (body: Buffer) => Buffer> = { gzip: gunzipSync, br: brotliDecompressSync }
      for (const [encoding, decode] of Object.entries(decoders)) {
        const res = await call(`${base}${url}`, { headers: { 'accept-encoding': encoding } })
        t.equal(res.status, 200)
        t.equal(res.headers['content-encoding'], encoding, `Accept-Encoding: ${encoding} gets Content-Encoding: ${encoding}`)
        t.match(res.headers.vary, /accept-encoding/i, 'and Vary: Accept-Encoding')
        t.ok(res.body.length < plain.body.length / 2, `compressed (${plain.body.length} → ${res.body.length} bytes)`)
        t.same(JSON.parse(decode(res.body).toString()), expected, 'to the same JSON')
        t.match(res.headers.etag, /^"[^"]+"$/, 'the ETag stays strong (nginx did not gzip it again)')
        t.equal(res.headers.etag, plain.headers.etag, 'and the API\'s')
      }
    })

    await t.test('links are made under PUBLIC_URL', async (t) => {
      const page = await call(`${base}/v1/transfers?limit=1`, { headers: { host: 'evil.example' } })
      t.equal(page.status, 200)
      const links = String(page.headers.link).split(', ')
      t.ok(links.length >= 2, 'a first page with more after it has Link rel="first" and rel="next"')
      for (const link of links) t.match(link, /^<https:\/\/kb\.example\.org\/v1\/transfers\?[^>]*>; rel="(first|next)"$/, `${link} is under PUBLIC_URL, whatever the Host`)
      const calendar = await call(`${base}/v1/tariff-deadlines.ics`)
      t.equal(calendar.status, 200)
      const text = calendar.body.toString()
      t.match(text, /\r\nURL:https:\/\/kb\.example\.org\/v1\/tariff-deadlines\/[^\r]+\r\n/, 'the calendar\'s event URLs are under PUBLIC_URL')
      t.notMatch(text, /127\.0\.0\.1|localhost|evil\.example/, 'and nothing in it names the proxy or the Host')
    })

    await t.test('the server sees the client\'s address, not nginx\'s, and no address a client claims', async (t) => {
      const ask = (localAddress: string, id: string) => call(`${base}/v1/sources`, { localAddress, headers: { 'x-forwarded-for': '203.0.113.7', 'x-request-id': id } })
      const first = await ask('127.0.0.2', 'nginx-test-a1')
      const second = await ask('127.0.0.2', 'nginx-test-a2')
      const other = await ask('127.0.0.3', 'nginx-test-b1')
      const limit = Number(first.headers['ratelimit-limit'])
      t.ok(limit > 0, `reads are rate-limited (${limit} a minute)`)
      t.equal(Number(first.headers['ratelimit-remaining']), limit - 1, 'a client\'s first read counts against its own limit')
      t.equal(Number(second.headers['ratelimit-remaining']), limit - 2, 'its second one too')
      t.equal(Number(other.headers['ratelimit-remaining']), limit - 1, 'another client has a limit of its own: the limits are not nginx\'s')
      await new Promise((resolve) => setTimeout(resolve, 200)) // the log lines are written as the answers go
      const logged = (id: string) => server.output().split('\n').find((line) => line.includes(`"reqId":"${id}"`) && line.includes('"remoteAddress"'))
      t.match(logged('nginx-test-a1'), /"remoteAddress":"127\.0\.0\.2"/, 'the request log names the client (X-Forwarded-For, from nginx)')
      t.match(logged('nginx-test-b1'), /"remoteAddress":"127\.0\.0\.3"/, 'each client')
      t.notMatch(server.output(), /203\.0\.113\.7/, 'and never the X-Forwarded-For the client sent itself')
    })

    await t.test('the change stream delivers an event through nginx at once', async (t) => {
      const created = runSource('cli.ts', ['keys', 'create', '--name', 'nginx-test', '--scope', 'write', '--database', database], {}, t)
      const { code, stdout } = await created.exited
      t.equal(code, 0, `kb keys create\n${created.output()}`)
      const key = stdout.trim().split('\n').at(-1)!
      const end = JSON.parse((await call(`${base}/v1/changes?limit=500`)).body.toString()) as { next_cursor: string, has_more: boolean }
      t.equal(end.has_more, false)

      let received = ''
      let onData = () => {}
      const stream = httpRequest(`${base}/v1/changes/stream?since=${encodeURIComponent(end.next_cursor)}`, { agent: false, headers: { accept: 'text/event-stream', 'accept-encoding': 'gzip, br' } })
      const response = await new Promise<IncomingMessage>((resolve, reject) => {
        stream.on('response', resolve)
        stream.on('error', reject)
        stream.end()
      })
      t.teardown(() => stream.destroy())
      t.equal(response.statusCode, 200)
      t.match(response.headers['content-type'], /^text\/event-stream/)
      t.equal(response.headers['content-encoding'], undefined, 'the stream is not compressed (by the API or by nginx), so events are not held back')
      response.on('data', (chunk: Buffer) => { received += chunk.toString(); onData() })

      const written = Date.now()
      const write = await call(`${base}/v1/quotes`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(supportedQuote('quote-through-nginx'))
      })
      t.equal(write.status, 201, 'a write through nginx')
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no event within 5 s; received:\n${received}\n${proxy.log()}`)), 5_000)
        onData = () => { if (received.includes('"quote-through-nginx"')) { clearTimeout(timer); resolve() } }
        onData()
      })
      const delay = Date.now() - written
      t.ok(delay < 3_000, `its change event arrives through nginx in ${delay} ms (the stream polls every second)`)
      t.match(received, /id: [^\n]+\nevent: change\ndata: \{[^\n]*"quote-through-nginx"/)
    })
  })

  const openssl = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0
  t.test('the template\'s TLS lines, enabled', { skip: openssl ? false : 'openssl is not installed to make a certificate' }, async (t) => {
    const tlsDir = join(dir, 'tls')
    mkdirSync(tlsDir, { recursive: true })
    const cert = join(tlsDir, 'cert.pem')
    const key = join(tlsDir, 'key.pem')
    const made = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost', '-keyout', key, '-out', cert], { encoding: 'utf8' })
    t.equal(made.status, 0, `a self-signed certificate\n${made.stderr}`)
    const httpsPort = await freePort()
    const redirectPort = await freePort()
    const site = render({ KB_UPSTREAM: `127.0.0.1:${apiPort}`, KB_LISTEN: `127.0.0.1:${httpsPort} ssl http2`, KB_SERVER_NAME: 'localhost' }, { tls: true })
      .replace('/etc/letsencrypt/live/localhost/fullchain.pem', cert)
      .replace('/etc/letsencrypt/live/localhost/privkey.pem', key)
      .replace(/listen 80;/, `listen 127.0.0.1:${redirectPort};`)
    t.notMatch(site, /^\s*#tls/m, 'every TLS line is enabled')
    await startNginx(t, nginx, tlsDir, site, [httpsPort, redirectPort])

    const res = await call(`https://127.0.0.1:${httpsPort}/v1/transfers/transfer-2025-08-12`, { headers: { 'accept-encoding': 'gzip' } })
    t.equal(res.status, 200, 'HTTPS answers')
    t.equal(res.headers['content-encoding'], 'gzip')
    t.match(res.headers['strict-transport-security'], /^max-age=\d+/, 'with the API\'s Strict-Transport-Security, once')
    t.notOk(Array.isArray(res.headers['strict-transport-security']) || String(res.headers['strict-transport-security']).includes(','), 'not doubled by nginx')
    const revalidated = await call(`https://127.0.0.1:${httpsPort}/v1/transfers/transfer-2025-08-12`, { headers: { 'if-none-match': res.headers.etag! } })
    t.equal(revalidated.status, 304, 'and revalidates')

    const redirect = await call(`http://127.0.0.1:${redirectPort}/v1/transfers?limit=1`)
    t.equal(redirect.status, 301, 'plain HTTP redirects')
    t.equal(redirect.headers.location, 'https://localhost/v1/transfers?limit=1', 'to the same path on HTTPS, under the server name')
  })
}
