import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe'
import { setupConsole } from '../support/console-fixture'
import { signInBrowser } from '../support/credentials'
import { PROJECT_ROOT } from '../support/server'

/*
 * #14 in the console, in a real Chromium against the real server: an envoy.yaml pasted into the
 * Import dialog of a fleet's resources page is previewed (adds and findings), applied, and committed
 * on the Changes page it lands on; a viewer is not offered the import. The API reference page renders
 * the server's OpenAPI description offline (no request leaves the origin: the page's CSP would log
 * it as an error, and the fixture fails on errors) with no serious or critical axe violation.
 */
const UI = 20_000
const fx = setupConsole('import', { uiTimeoutMs: UI, screenshotPrefix: 'import-' })
const { api, screenshot } = fx
const base = () => fx.server.baseUrl
const FLEET = 'edge-import'

describe('Import dialog', () => {
  it('paste an envoy.yaml, see the preview, apply, land on Changes, commit', async () => {
    expect((await api('POST', '/api/v1/fleets', { body: { name: FLEET } })).status).toBe(201)
    const envoyYaml = await readFile(path.join(PROJECT_ROOT, 'tests', 'fixtures', 'import', 'front-proxy.yaml'), 'utf8')
    const page = fx.page
    await page.goto(`${base()}/fleets/${FLEET}/resources/listeners`)
    // An empty fleet's first steps offer the import (the resources panel's Import button once it has resources).
    await page.getByTestId('starter-import').click()
    const dialog = page.getByTestId('import-dialog')
    await dialog.waitFor({ timeout: UI })
    await dialog.getByTestId('import-content').fill(envoyYaml)
    await dialog.getByTestId('import-preview-button').click()

    await expect.poll(() => dialog.getByTestId('import-summary').textContent(), { timeout: UI }).toBe('Read as an Envoy bootstrap: 6 added, 0 changed, 0 removed, 0 unchanged')
    const cards = dialog.getByTestId('resource-change-list')
    expect(await cards.textContent()).toContain('local_route')
    const findings = dialog.getByTestId('import-finding')
    expect(await findings.evaluateAll((els) => els.map((e) => `${e.getAttribute('data-severity')} ${e.getAttribute('data-code')}`))).toEqual(
      expect.arrayContaining(['warning IMPORT.BOOTSTRAP_ONLY', 'info IMPORT.ROUTES_SPLIT', 'info IMPORT.ENDPOINTS_SPLIT', 'info IMPORT.DNS_ENDPOINTS_INLINE']),
    )
    expect(await dialog.getByTestId('import-findings').textContent()).toContain('layered_runtime')
    // The preview wrote nothing.
    expect((await api<{ resources: unknown[] }>('GET', `/api/v1/fleets/${FLEET}/draft`)).body.resources).toEqual([])
    await screenshot('preview')

    await dialog.getByTestId('import-apply').click()
    await page.waitForURL(`${base()}/fleets/${FLEET}/changes`, { timeout: UI })
    await fx.waitForToast(`Imported into the draft of ${FLEET}`)
    await page.getByTestId('commit-message').fill('import envoy.yaml')
    const accept = page.getByTestId('accept-warnings-checkbox')
    if ((await accept.count()) > 0) await accept.check()
    await page.getByTestId('commit-button').click()
    await page.getByTestId('commit-success').waitFor({ timeout: UI })
    const versions = await api<{ versions: Array<{ number: number; message: string; resourceCount: number }> }>('GET', `/api/v1/fleets/${FLEET}/versions`)
    expect(versions.body.versions[0]).toMatchObject({ number: 1, message: 'import envoy.yaml', resourceCount: 6 })
  })

  it('a syntax error is shown with its line and column, and nothing is written', async () => {
    const page = fx.page
    await page.goto(`${base()}/fleets/${FLEET}/resources/clusters`)
    await page.getByTestId('import-button').click()
    const dialog = page.getByTestId('import-dialog')
    await dialog.getByTestId('import-content').fill('static_resources:\n  clusters:\n  - name: a\n   type: STATIC\n')
    fx.expectError(/^400 POST .*\/api\/v1\/fleets\/edge-import\/import$/)
    await dialog.getByTestId('import-preview-button').click()
    await expect.poll(() => dialog.getByTestId('error-notice').textContent(), { timeout: UI }).toMatch(/line 4, column \d+/)
    expect(await dialog.getByTestId('import-apply').count()).toBe(0)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'detached', timeout: UI })
  })

  it('a viewer of the fleet is not offered the import', async () => {
    const browser = fx.page.context().browser()!
    const context = await browser.newContext()
    try {
      const viewer = await context.newPage()
      await signInBrowser(viewer, base(), 'import-viewer', [{ role: 'viewer', fleets: '*' }])
      await viewer.goto(`${base()}/fleets/${FLEET}/resources/listeners`)
      await viewer.getByTestId('read-only-badge').waitFor({ timeout: UI })
      expect(await viewer.getByTestId('import-button').count()).toBe(0)
      expect(await viewer.getByTestId('starter-import').count()).toBe(0)
    } finally {
      await context.close()
    }
  })
})

describe('API reference page', () => {
  it('is linked from the nav, renders /api/v1/openapi.json offline, and has no serious or critical axe violation', async () => {
    const page = fx.page
    const outside: string[] = []
    page.on('request', (req) => {
      const url = new URL(req.url())
      if (url.origin !== base() && !['data:', 'blob:'].includes(url.protocol)) outside.push(req.url())
    })
    await page.goto(`${base()}/fleets/${FLEET}/resources/listeners`)
    await page.locator('aside').getByRole('link', { name: 'API reference' }).click()
    await page.waitForURL(`${base()}/api-reference`, { timeout: UI })
    const reference = page.getByTestId('api-reference')
    await reference.getByRole('heading', { name: 'Legation API' }).first().waitFor({ timeout: UI })
    // The operations are rendered from the description: the first one, and the import under its tag.
    await reference.getByText('Who the caller is, and whether the console should offer setup or single sign-on').first().waitFor({ timeout: UI })
    await reference.getByText('Open Group - drafts').first().click()
    await reference.getByText("Import an Envoy config (static bootstrap, admin /config_dump, or a bundle) into the fleet's draft").first().waitFor({ timeout: UI })
    await screenshot('api-reference', false)
    expect(outside).toEqual([])
    expect(await seriousViolations(page)).toEqual([])
    // The reference follows the console's theme, and reads as well in the dark one.
    await page.getByTestId('theme-toggle').click()
    await page.getByTestId('theme-dark').click()
    await expect.poll(() => page.evaluate(() => document.body.classList.contains('dark-mode')), { timeout: UI }).toBe(true)
    await reference.getByRole('heading', { name: 'Legation API' }).first().waitFor({ timeout: UI })
    expect(await seriousViolations(page)).toEqual([])
    await page.getByTestId('theme-toggle').click()
    await page.getByTestId('theme-system').click()
    expect(outside).toEqual([])
    expect(fx.pageErrors).toEqual([])
  })
})
