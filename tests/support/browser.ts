import { chromium, type Browser, type Page } from 'playwright-core'

/** Debian's Chromium, with the flags this workplace needs (no background network, no sandbox as root). */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run']

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
}

/**
 * Launches Chromium and opens a 1360×900 light page that records every page error, console error
 * and HTTP error response into `errors`, so a test can assert the console ran clean. A response is
 * recorded as `<status> <method> <url>` unless it matches one of `expected` (refusals a test
 * provokes on purpose; the array may grow as the test goes). Chromium's own console line for a 4xx
 * is left to that check.
 */
export async function launchConsolePage(errors: string[], expected: readonly RegExp[] = []): Promise<{ browser: Browser; page: Page }> {
  const browser = await launchChromium()
  const page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' })
  recordPageErrors(page, errors, expected)
  return { browser, page }
}

/** What launchConsolePage records, for a page of another context (a second user in the same browser). */
export function recordPageErrors(page: Page, errors: string[], expected: readonly RegExp[] = []): void {
  page.on('pageerror', (err) => errors.push(err.message))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text())) errors.push(msg.text())
  })
  page.on('response', (res) => {
    const line = `${res.status()} ${res.request().method()} ${res.url()}`
    if (res.status() >= 400 && !expected.some((re) => re.test(line))) errors.push(line)
  })
}
