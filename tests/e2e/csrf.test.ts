import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium } from '../support/browser'
import { TEST_PASSWORD } from '../support/credentials'
import { setupTestServer } from '../support/test-server'

/*
 * CSRF in a real Chromium: an operator is signed in to the console (the session cookie set by the
 * server's own Set-Cookie), then opens a page of another origin whose script and form try to commit
 * the demo fleet's pending change with that session. Legation must refuse, and no version may appear.
 * Two attackers: another port on the same host (same site, so SameSite=Lax does not keep the cookie
 * back: the origin check must), and another site (localhost).
 */

const t = setupTestServer('e2e_csrf')
const { api } = t

let browser: Browser
let context: BrowserContext
let page: Page
let attacker: Server
let attackerPort: number

const DEMO_CLUSTER = {
  name: 'service',
  connect_timeout: '2s',
  type: 'STRICT_DNS',
  load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service1', port_value: 8080 } } } }] }] },
}

/** The attacker's pages, for the console at `target`. */
function attackerPage(path: string, target: string): string {
  const commit = `${target}/api/v1/fleets/demo/commit`
  const body = JSON.stringify({ message: 'committed by another site' })
  switch (path) {
    case '/fetch-json':
      // Preflighted (JSON content type): CORS must not let it through.
      return `<script>window.attempt = fetch(${JSON.stringify(commit)}, { method: 'POST', credentials: 'include', headers: { 'content-type': 'application/json' }, body: ${JSON.stringify(body)} })
        .then((r) => ({ status: r.status }), (e) => ({ error: String(e) }))</script>`
    case '/fetch-simple':
      // A "simple" request is sent without a preflight, cookie included; the answer is opaque to the page.
      return `<script>window.attempt = fetch(${JSON.stringify(commit)}, { method: 'POST', mode: 'no-cors', credentials: 'include', headers: { 'content-type': 'text/plain' }, body: ${JSON.stringify(body)} })
        .then((r) => ({ status: r.status, type: r.type }), (e) => ({ error: String(e) }))</script>`
    case '/form':
      // The classic JSON CSRF: a text/plain form whose single field makes a JSON body.
      return `<form method="POST" action="${commit}" enctype="text/plain"><input type="hidden" name='{"message":"committed by a form","x":"' value='"}'></form>
        <script>document.forms[0].submit()</script>`
    case '/frame':
      return `<iframe id="console" src="${target}/" width="800" height="600"></iframe>`
    default:
      return ''
  }
}

beforeAll(async () => {
  const target = t.server.baseUrl
  attacker = createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
    res.end(`<!doctype html><html><body>${attackerPage((req.url ?? '/').split('?')[0]!, target)}</body></html>`)
  })
  await new Promise<void>((resolve) => attacker.listen(0, '127.0.0.1', resolve))
  attackerPort = (attacker.address() as AddressInfo).port

  // A change waiting in the demo fleet's draft: a commit would succeed if anyone were let through.
  expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: DEMO_CLUSTER })).status).toBe(200)
  expect((await api('POST', '/api/v1/users', { body: { username: 'operator', password: TEST_PASSWORD, grants: [{ role: 'admin', fleets: '*' }] } })).status).toBe(201)

  browser = await launchChromium()
  context = await browser.newContext()
  page = await context.newPage()
  // Signed in as the login page does it, so the cookie has exactly the attributes the server gives it.
  await page.goto(`${target}/login`)
  const signIn = await page.evaluate(async (password) => (await fetch('/api/v1/auth/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'operator', password }) })).status, TEST_PASSWORD)
  expect(signIn).toBe(200)
})

afterAll(async () => {
  await browser?.close()
  await new Promise((resolve) => attacker?.close(resolve))
})

async function versionsOfDemo(): Promise<number[]> {
  const res = await api<{ versions: Array<{ number: number }> }>('GET', '/api/v1/fleets/demo/versions')
  return res.body.versions.map((v) => v.number)
}

const isCommit = (url: string, method: string) => url.endsWith('/api/v1/fleets/demo/commit') && method === 'POST'

describe('CSRF: another origin cannot use the operator’s session', () => {
  it('the session cookie is the server’s own: httpOnly, SameSite=Lax', async () => {
    const cookies = await context.cookies(t.server.baseUrl)
    expect(cookies.find((c) => c.name === 'legation_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' })
  })

  for (const [label, host] of [
    ['another port on the same host (same site)', '127.0.0.1'],
    ['another site', 'localhost'],
  ] as const) {
    describe(`from ${label}`, () => {
      const origin = () => `http://${host}:${attackerPort}`

      it('a JSON fetch with credentials is stopped (CORS), and no version appears', async () => {
        await page.goto(`${origin()}/fetch-json`)
        const attempt = await page.evaluate(() => (window as unknown as { attempt: Promise<{ status?: number; error?: string }> }).attempt)
        expect(attempt.status === undefined || attempt.status < 200 || attempt.status >= 300, JSON.stringify(attempt)).toBe(true)
        expect(await versionsOfDemo()).toEqual([1])
      })

      it('a simple no-cors fetch reaches the server with the cookie and is refused', async () => {
        const answered = page.waitForResponse((r) => isCommit(r.url(), r.request().method()))
        await page.goto(`${origin()}/fetch-simple`)
        const response = await answered
        expect(response.status()).toBe(host === '127.0.0.1' ? 403 : 401)
        expect(await page.evaluate(() => (window as unknown as { attempt: Promise<{ status?: number; type?: string }> }).attempt)).toMatchObject({ status: 0, type: 'opaque' })
        expect(await versionsOfDemo()).toEqual([1])
      })

      it('an auto-submitting form is refused, and the browser lands on the API’s error', async () => {
        const answered = page.waitForResponse((r) => isCommit(r.url(), r.request().method()))
        await page.goto(`${origin()}/form`)
        const response = await answered
        expect(response.status()).toBe(host === '127.0.0.1' ? 403 : 401)
        const error = (await response.json()) as { error: { code: string; message: string } }
        // Same site: the cookie came along and the origin check refused; another site: SameSite=Lax kept the cookie back.
        expect(error.error.code).toBe(host === '127.0.0.1' ? 'REQUEST.CROSS_ORIGIN' : 'AUTH.UNAUTHENTICATED')
        expect(await versionsOfDemo()).toEqual([1])
      })
    })
  }

  it('CORS stays closed: a preflight from another origin gets no Access-Control-Allow-* header', async () => {
    const res = await fetch(`${t.server.baseUrl}/api/v1/fleets/demo/commit`, {
      method: 'OPTIONS',
      headers: { origin: `http://127.0.0.1:${attackerPort}`, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    })
    expect([...res.headers.keys()].filter((h) => h.startsWith('access-control-allow'))).toEqual([])
  })

  it('the console may not be framed by another origin', async () => {
    const refusals: string[] = []
    const onConsole = (m: { text: () => string }) => void refusals.push(m.text())
    page.on('console', onConsole)
    await page.goto(`http://127.0.0.1:${attackerPort}/frame`)
    const frame = await (await page.$('#console'))!.contentFrame()
    await frame!.waitForLoadState().catch(() => undefined)
    // Chromium says why it refused, and shows its error page in the frame instead of the console.
    await expect.poll(() => refusals.filter((r) => r.includes(t.server.baseUrl) && /frame-ancestors|X-Frame-Options/.test(r)), { timeout: 5000 }).not.toEqual([])
    expect(frame!.url()).toMatch(/^chrome-error:/)
    expect(await frame!.locator('[data-testid="live-status"]').count()).toBe(0)
    page.off('console', onConsole)
  })

  it('the same request from the console’s own origin commits (the session was valid all along)', async () => {
    await page.goto(`${t.server.baseUrl}/`)
    const status = await page.evaluate(async () => (await fetch('/api/v1/fleets/demo/commit', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ message: 'from the console' }) })).status)
    expect(status).toBe(201)
    expect(await versionsOfDemo()).toEqual([2, 1])
  })
})

describe('security headers on a console page', () => {
  it('CSP (this origin only, no framing), X-Frame-Options DENY, nosniff, Referrer-Policy; the console runs under its CSP', async () => {
    const violations: string[] = []
    const onConsole = (m: { text: () => string }) => {
      if (/Content Security Policy|Refused to (load|execute|apply|connect)/i.test(m.text())) violations.push(m.text())
    }
    page.on('console', onConsole)
    const response = await page.goto(`${t.server.baseUrl}/fleets/demo/resources`)
    expect(response!.status()).toBe(200)
    const headers = response!.headers()
    const csp = headers['content-security-policy'] ?? ''
    expect(csp).toContain("default-src 'self'")
    expect(csp).toContain("frame-ancestors 'none'")
    expect(csp).toContain("object-src 'none'")
    expect(csp).toMatch(/script-src 'self'/)
    expect(csp).not.toContain('unsafe-eval')
    expect(headers['x-frame-options']).toBe('DENY')
    expect(headers['x-content-type-options']).toBe('nosniff')
    expect(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin']).toContain(headers['referrer-policy'])
    // The page renders (its scripts ran under the policy) and nothing was refused on the way.
    await page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: 15_000 })
    page.off('console', onConsole)
    expect(violations).toEqual([])
  })
})
