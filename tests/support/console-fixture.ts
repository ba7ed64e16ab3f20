import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type { Browser, Locator, Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, expect } from 'vitest'
import { launchConsolePage } from './browser'
import { signInBrowser } from './credentials'
import { PROJECT_ROOT } from './server'
import { setupTestServer, type TestServer } from './test-server'

export const SCREENSHOTS = path.join(PROJECT_ROOT, 'tests', 'e2e', 'screenshots')

export type ConsoleFixture = TestServer &
  Readonly<{
    /** The Chromium page, open from beforeAll on. */
    page: Page
    /** Page errors, console errors and unexpected HTTP errors so far: the last test expects none. */
    pageErrors: string[]
    /** Lets responses matching `re` (`<status> <method> <url>`) through: a refusal the next step provokes on purpose. */
    expectError: (re: RegExp) => void
    /** Saves a screenshot under tests/e2e/screenshots, named with the fixture's prefix. */
    screenshot: (name: string, fullPage?: boolean) => Promise<Buffer>
    /** A poller of an attribute, for expect.poll. */
    attr: (locator: Locator, name: string) => () => Promise<string | null>
    /** Marks the page; samePage() reads the mark back, so a step can prove it caused no reload. */
    markPage: () => Promise<void>
    samePage: () => Promise<string | undefined>
    waitForToast: (text: string) => Promise<void>
    dismissToasts: () => Promise<void>
    /** Waits until a proxy row and its badge for `type` show NACKED; resolves with the badge. */
    waitForNackedBadge: (row: Locator, type: string) => Promise<Locator>
    /** Hovers `target` and resolves with the text of the tooltip that shows. */
    tooltipOf: (target: Locator) => Promise<string>
  }>

/**
 * One console test file: the real server on a fresh database (setupTestServer) and a Chromium page,
 * signed in as an admin user 'operator', that records what goes wrong (launchConsolePage); a
 * screenshot of every failed test, and the helpers every console test uses. `api` calls with the
 * test admin token; `env` adds server settings. Call at the top of the file or of its describe.
 */
export function setupConsole(label: string, options: { screenshotPrefix?: string; uiTimeoutMs: number; env?: Record<string, string> }): ConsoleFixture {
  const server = setupTestServer(label, options.env)
  const pageErrors: string[] = []
  const expected: RegExp[] = []
  const prefix = options.screenshotPrefix ?? ''
  let browser: Browser | undefined
  let page: Page | undefined

  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true })
    ;({ browser, page } = await launchConsolePage(pageErrors, expected))
    await signInBrowser(page, server.server.baseUrl)
  })
  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await fixture.screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
  })
  afterAll(async () => {
    await browser?.close()
  })

  const getPage = (): Page => {
    if (!page) throw new Error(`setupConsole('${label}'): the page is not open yet`)
    return page
  }
  const fixture: ConsoleFixture = {
    get db() {
      return server.db
    },
    get server() {
      return server.server
    },
    api: server.api,
    get xdsPort() {
      return server.xdsPort
    },
    get page() {
      return getPage()
    },
    pageErrors,
    expectError: (re) => void expected.push(re),
    screenshot: (name, fullPage = true) => getPage().screenshot({ path: path.join(SCREENSHOTS, `${prefix}${name}.png`), fullPage }),
    attr: (locator, name) => () => locator.getAttribute(name, { timeout: options.uiTimeoutMs }),
    markPage: async () => {
      await getPage().evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same page'))
    },
    samePage: () => getPage().evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker),
    waitForToast: (text) => getPage().getByTestId('toast').filter({ hasText: text }).first().waitFor({ timeout: options.uiTimeoutMs }),
    dismissToasts: async () => {
      for (const button of await getPage().getByTestId('toast').getByRole('button', { name: 'Dismiss' }).all()) await button.click().catch(() => undefined)
    },
    waitForNackedBadge: async (row, type) => {
      await expect.poll(fixture.attr(row, 'data-state'), { timeout: options.uiTimeoutMs }).toBe('NACKED')
      const badge = typeBadge(row, type)
      await expect.poll(fixture.attr(badge, 'data-state'), { timeout: options.uiTimeoutMs }).toBe('NACKED')
      return badge
    },
    tooltipOf: async (target) => {
      await target.hover()
      const tooltip = getPage().getByRole('tooltip')
      await tooltip.waitFor({ timeout: options.uiTimeoutMs })
      return tooltip.innerText()
    },
  }
  return fixture
}

/** A proxy's row on the Proxies page, and one of its per-type badges. */
export const proxyRow = (page: Page, nodeId: string): Locator => page.locator(`[data-testid="proxy-row"][data-node-id="${nodeId}"]`)
export const typeBadge = (row: Locator, type: string): Locator => row.locator(`[data-testid="type-status"][data-type="${type}"]`)
