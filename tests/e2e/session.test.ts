import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchChromium, recordPageErrors } from '../support/browser'
import { SCREENSHOTS } from '../support/console-fixture'
import { TEST_PASSWORD } from '../support/credentials'
import { setupTestServer } from '../support/test-server'

/**
 * Sessions in a real Chromium, as they begin and end around an open tab: a link followed while
 * signed out leads through sign-in to where it pointed (never to another site), and a tab whose
 * session ends elsewhere (signed out in another window, the user disabled) goes to the sign-in page
 * once, with the page it showed as `next`, instead of showing its failed refreshes as errors. The
 * event feed re-checks the session every second here, so a tab left alone notices within seconds.
 */
const UI = 15_000
const t = setupTestServer('e2e_session', { LEGATION_EVENTS_HEARTBEAT_MS: '1000', LEGATION_DEMO: 'false' })
const base = () => t.server.baseUrl

const errors: string[] = []
// Refusals these steps provoke on purpose: whatever a tab asks for once its session has ended.
const expected: RegExp[] = [/^401 GET .*\/api\/v1\//]
let browser: Browser | undefined
const contexts: BrowserContext[] = []

/** What a tab showed that a person would read as an error, and where it went: recorded across its page loads. */
type Watched = Readonly<{ page: Page; notices: string[]; signInLoads: () => number }>

/** A new tab in a context (cookie jar) of its own, watched for error notices and loads of the sign-in page. */
async function newTab(): Promise<Watched> {
  const context = await browser!.newContext({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' })
  contexts.push(context)
  const page = await context.newPage()
  recordPageErrors(page, errors, expected)
  const notices: string[] = []
  // Bindings and init scripts survive navigations, so a notice that only flashes before the tab leaves is caught too.
  await page.exposeFunction('__legationNotice', (text: string) => void notices.push(text))
  await page.addInitScript(() => {
    const report = (window as unknown as { __legationNotice: (text: string) => void }).__legationNotice
    const seen = new WeakSet<Element>()
    new MutationObserver(() => {
      for (const el of document.querySelectorAll('[data-testid="error-notice"], [role="alert"]')) {
        if (seen.has(el)) continue
        seen.add(el)
        report(el.textContent ?? '')
      }
    }).observe(document, { childList: true, subtree: true })
  })
  // Documents loaded, not framenavigated: Next's router also fires that for same-document history updates.
  let signInLoads = 0
  page.on('request', (req) => {
    if (req.isNavigationRequest() && req.frame() === page.mainFrame() && new URL(req.url()).pathname === '/login') signInLoads++
  })
  return { page, notices, signInLoads: () => signInLoads }
}

async function signInOnPage(page: Page, username: string): Promise<void> {
  await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: UI })
  await page.getByLabel('User name').fill(username)
  await page.getByLabel(/^Password/).fill(TEST_PASSWORD)
  await page.locator('form button[type="submit"]').click()
}

async function createUser(username: string): Promise<string> {
  const res = await t.api<{ id: string }>('POST', '/api/v1/users', { body: { username, password: TEST_PASSWORD, grants: [{ role: 'admin', fleets: '*' }] } })
  expect(res.status, res.text).toBe(201)
  return res.body.id
}

const loginWithNext = (next: string): string => `${base()}/login?${new URLSearchParams({ next }).toString()}`

beforeAll(async () => {
  await mkdir(SCREENSHOTS, { recursive: true })
  browser = await launchChromium()
  expect((await t.api('POST', '/api/v1/fleets', { body: { name: 'edge-1' } })).status).toBe(201)
})
afterEach(async ({ task }) => {
  if (task.result?.state !== 'fail') return
  const name = task.name.slice(0, 40).replace(/\W+/g, '-')
  for (const [i, context] of contexts.entries()) for (const page of context.pages()) await page.screenshot({ path: path.join(SCREENSHOTS, `session-failed-${name}-${i}.png`) }).catch(() => undefined)
})
afterAll(async () => {
  await browser?.close()
})

describe('a deep link followed while signed out', () => {
  it('goes to sign-in with the page as next, and after sign-in to that page with its query', async () => {
    await createUser('deep-linker')
    const { page, notices } = await newTab()
    await page.goto(`${base()}/audit?action=fleet.*`)
    await page.waitForURL(loginWithNext('/audit?action=fleet.*'), { timeout: UI })
    await signInOnPage(page, 'deep-linker')
    await page.waitForURL(`${base()}/audit?action=fleet.*`, { timeout: UI })
    // The page read its query: the filter is the one the link asked for.
    await expect.poll(() => page.getByTestId('audit-action-filter').inputValue(), { timeout: UI }).toBe('fleet.*')
    expect(notices).toEqual([])
  })

  it('never leaves the console for another site, whatever next says (browsers read `/\\host` as `//host`)', async () => {
    const { page } = await newTab()
    await page.goto(`${base()}/login?next=${encodeURIComponent('/\\evil.example/phish')}`)
    await signInOnPage(page, 'deep-linker')
    await page.waitForURL(`${base()}/`, { timeout: UI })
    await page.getByTestId('signed-in-user').waitFor({ timeout: UI })
  })
})

describe('a tab whose session ends while it is open', () => {
  it('signed out in another window: its next refresh goes to /login?next=<its page>, once, with no error shown; signing in leads back', async () => {
    await createUser('two-windows')
    const { page, notices, signInLoads } = await newTab()
    await page.goto(`${base()}/audit`)
    await signInOnPage(page, 'two-windows')
    await page.waitForURL(`${base()}/audit`, { timeout: UI })
    // Settled: the feed is live and its first refresh done (Reload is disabled while the list loads), so the click below is the next refresh.
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: UI }).toBe('live')
    await expect.poll(() => page.getByTestId('audit-reload').isEnabled(), { timeout: UI }).toBe(true)
    const loadsBefore = signInLoads()

    // The other window holds the same session (the same cookie) and signs out there.
    const other = await browser!.newContext()
    contexts.push(other)
    await other.addCookies(await page.context().cookies())
    const out = await other.request.post(`${base()}/api/v1/auth/sign-out`, { headers: { origin: base() } })
    expect(out.status()).toBe(204)

    // The tab's next refresh is answered 401.
    await page.getByTestId('audit-reload').click()
    await page.waitForURL(loginWithNext('/audit'), { timeout: UI })
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: UI })
    expect(signInLoads() - loadsBefore).toBe(1)
    expect(notices).toEqual([])

    await signInOnPage(page, 'two-windows')
    await page.waitForURL(`${base()}/audit`, { timeout: UI })
    await page.getByTestId('signed-in-user').waitFor({ timeout: UI })
    expect(signInLoads() - loadsBefore).toBe(1)
    expect(notices).toEqual([])
  })

  it('left alone when the user is disabled: the event feed is refused, and the tab goes to sign-in by itself', async () => {
    const id = await createUser('left-alone')
    const { page, notices, signInLoads } = await newTab()
    await page.goto(`${base()}/fleets/edge-1/resources/clusters`)
    await signInOnPage(page, 'left-alone')
    await page.waitForURL(`${base()}/fleets/edge-1/resources/clusters`, { timeout: UI })
    await expect.poll(() => page.getByTestId('live-status').getAttribute('data-state'), { timeout: UI }).toBe('live')
    const loadsBefore = signInLoads()

    expect((await t.api('PATCH', `/api/v1/users/${id}`, { body: { disabled: true } })).status).toBe(200)
    // No click, no reload: the feed's next check ends its stream, the reconnect is refused, the tab refreshes and learns why.
    await page.waitForURL(loginWithNext('/fleets/edge-1/resources/clusters'), { timeout: UI })
    await page.getByRole('heading', { name: 'Sign in' }).waitFor({ timeout: UI })
    expect(signInLoads() - loadsBefore).toBe(1)
    expect(notices).toEqual([])
  })

  it('ran without errors in any tab', () => {
    expect(errors).toEqual([])
  })
})
