import { mkdir } from 'node:fs/promises'
import path from 'node:path'
import type * as grpc from '@grpc/grpc-js'
import { type Browser, type Page } from 'playwright-core'
import { launchChromium } from '../support/browser'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../server/config/demo'
import { createTestDatabase, type TestDatabase } from '../support/database'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { apiClient, type ApiClient } from '../support/http'
import { PROJECT_ROOT, startServer, type ServerHandle } from '../support/server'
import { waitFor } from '../support/wait-for'
import { createXdsEchoClient, echoFleetResources } from '../support/xds-client'
import { commitDraft, putEchoDraft, xdsPortOf, type ProxyView } from '../support/xds-fleet'

/**
 * The versions page in a real Chromium against the real server: history, diff (diff2html), a
 * version's own page, rollback with confirmation, the draft-conflict path, and the live rollout
 * progress, first with no proxy connected (demo), then with two real xDS clients (@grpc/grpc-js-xds)
 * that ACK, NACK and recover.
 */
const SCREENSHOTS = path.join(PROJECT_ROOT, 'tests', 'e2e', 'screenshots')
const UI_TIMEOUT = 15_000
const ECHO_FLEET = 'echo'

let db: TestDatabase
let server: ServerHandle
let api: ApiClient
let browser: Browser
let page: Page
let backend: EchoBackend | undefined
const clients: grpc.Client[] = []
const pageErrors: string[] = []
/** Responses the test provokes on purpose (the draft conflict); anything else ≥ 400 is a failure. */
const expectedErrors: RegExp[] = []

/** The progress bar animates its width (500 ms); let it finish before a picture. */
const settle = () => page.waitForTimeout(600)
const screenshot = (name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `versions-${name}.png`), fullPage: true })
const row = (n: number) => page.locator(`[data-testid="version-row"][data-version="${n}"]`)
const rollout = () => page.getByTestId('rollout-panel')
const attr = (selector: ReturnType<Page['locator']>, name: string) => () => selector.getAttribute(name, { timeout: UI_TIMEOUT })
const setMarker = () => page.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same page'))
const marker = () => page.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)

async function openVersions(fleet: string): Promise<void> {
  await page.goto(`${server.baseUrl}/fleets/${fleet}/versions`)
  await page.locator('[data-testid="versions-page"][data-feed="live"]').waitFor({ timeout: UI_TIMEOUT })
}

describe('versions page', () => {
  beforeAll(async () => {
    await mkdir(SCREENSHOTS, { recursive: true })
    db = await createTestDatabase('versions')
    server = await startServer({ env: { DATABASE_URL: db.url } })
    api = apiClient(server.baseUrl)
    browser = await launchChromium()
    page = await browser.newPage({ viewport: { width: 1360, height: 900 }, colorScheme: 'light' })
    page.on('pageerror', (err) => pageErrors.push(err.message))
    page.on('console', (msg) => {
      if (msg.type() !== 'error') return
      const text = msg.text()
      // Chromium logs every 4xx fetch as a console error; the response handler below judges those.
      if (/Failed to load resource: the server responded with a status of 4\d\d/.test(text)) return
      pageErrors.push(text)
    })
    page.on('response', (res) => {
      const url = new URL(res.url())
      // The navigation prefetches pages other engineers have not built yet; only this feature's requests count.
      if (res.status() === 404 && url.searchParams.has('_rsc') && !/\/versions(\/|$)/.test(url.pathname)) return
      if (res.status() >= 400 && !expectedErrors.some((re) => re.test(`${res.status()} ${res.request().method()} ${res.url()}`))) pageErrors.push(`${res.status()} ${res.url()}`)
    })
  })

  afterEach(async ({ task }) => {
    if (task.result?.state === 'fail') await screenshot(`failed-${task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined)
  })

  afterAll(async () => {
    for (const c of clients) c.close()
    await backend?.stop()
    await browser?.close()
    await server?.stop()
    await db?.drop()
  })

  it('server-renders the history of demo at v1', async () => {
    await openVersions('demo')
    expect(await row(1).getAttribute('data-active')).toBe('true')
    expect(await row(1).getByTestId('version-active-badge').innerText()).toBe('active')
    expect(await row(1).getByTestId('rollback-button').count()).toBe(0)
    expect(await row(1).getByTestId('version-convergence').innerText()).toContain('no proxies')
    expect(await page.getByTestId('history-start').innerText()).toContain('first version')
    expect(await rollout().count()).toBe(0)
    await screenshot('01-history')
  })

  it('shows a commit made through the API without reloading, and follows its rollout', async () => {
    await setMarker()
    const cluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...cluster, connect_timeout: '1s' } })).status).toBe(200)
    expect(await commitDraft(api, 'demo', 'slower connect')).toBe(2)

    await expect.poll(attr(row(2), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')
    expect(await row(1).getAttribute('data-active')).toBe('false')
    expect(await row(2).innerText()).toContain('slower connect')
    expect(await row(2).innerText()).toMatch(/\+0\s*~1\s*−0/)
    // No proxy is connected to demo: the rollout is done at once, and says so.
    await expect.poll(attr(rollout(), 'data-outcome'), { timeout: UI_TIMEOUT }).toBe('no-proxies')
    expect(await rollout().getAttribute('data-version')).toBe('2')
    expect(await marker()).toBe('same page')
    await screenshot('02-committed')
  })

  it('compares v1 and v2 with diff2html, unified and split', async () => {
    await row(1).getByTestId('compare-checkbox').check()
    await row(2).getByTestId('compare-checkbox').check()
    const link = page.getByTestId('compare-link')
    expect(await link.innerText()).toMatch(/Compare v1\s*→?\s*v2/)
    await link.click()
    await page.waitForURL(/\/fleets\/demo\/versions\/diff\?from=1&to=2$/, { timeout: UI_TIMEOUT })

    const diff = page.getByTestId('version-diff')
    await diff.waitFor({ timeout: UI_TIMEOUT })
    const card = diff.locator('[data-testid="resource-change"][data-type="Cluster"][data-name="service"]')
    expect(await card.getAttribute('data-change')).toBe('modified')
    expect(await card.locator('.d2h-wrapper').count()).toBe(1)
    expect(await card.locator('.d2h-del .d2h-code-line-ctn').first().innerText()).toContain('connect_timeout: 0.25s')
    expect(await card.locator('.d2h-ins .d2h-code-line-ctn').first().innerText()).toContain('connect_timeout: 1s')
    await screenshot('03-diff-unified')

    await page.getByTestId('diff-view-toggle').locator('[data-format="side-by-side"]').click()
    await card.locator('[data-testid="patch"][data-format="side-by-side"] .d2h-files-diff').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('03a-diff-split')
    // The choice is remembered: back to unified for the rest of the run.
    await page.getByTestId('diff-view-toggle').locator('[data-format="line-by-line"]').click()
    await card.locator('[data-testid="patch"][data-format="line-by-line"]').waitFor({ timeout: UI_TIMEOUT })
  })

  it('shows a version with its resources as YAML and its diff against its parent', async () => {
    await page.goto(`${server.baseUrl}/fleets/demo/versions/2`)
    const detail = page.getByTestId('version-detail')
    await detail.waitFor({ timeout: UI_TIMEOUT })
    expect(await page.getByTestId('version-active-badge').count()).toBe(1)
    const parentDiff = page.getByTestId('version-parent-diff')
    expect(await parentDiff.innerText()).toContain('Changes from v1')
    expect(await parentDiff.locator('.d2h-ins .d2h-code-line-ctn').first().innerText()).toContain('connect_timeout: 1s')
    const resources = page.getByTestId('version-resource')
    expect(await resources.count()).toBe(DEMO_RESOURCES.length)
    const cluster = page.locator('[data-testid="version-resource"][data-type="Cluster"][data-name="service"]')
    await cluster.getByRole('button').click()
    const yaml = await cluster.getByTestId('version-resource-yaml').innerText()
    expect(yaml).toContain('name: service')
    expect(yaml).toContain('connect_timeout: 1s')
    await screenshot('04-version-detail')
  })

  it('rolls back to v1 from the versions page after showing the diff; v3 becomes active without reloading', async () => {
    await openVersions('demo')
    await setMarker()
    await row(1).getByTestId('rollback-button').click()
    const dialog = page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    const diffText = await dialog.getByTestId('rollback-diff').innerText()
    expect(diffText).toContain('Changes from v2 (active) to v1')
    expect(diffText).toContain('connect_timeout')
    expect(await dialog.locator('.d2h-wrapper').count()).toBe(1)
    await screenshot('05-rollback-dialog')

    await dialog.getByTestId('rollback-confirm').click()
    const toast = page.getByTestId('toast')
    await toast.waitFor({ timeout: UI_TIMEOUT })
    expect(await toast.innerText()).toContain('v3 is now active')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })

    await expect.poll(attr(row(3), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')
    expect(await row(2).getAttribute('data-active')).toBe('false')
    expect(await row(3).getByTestId('version-origin').innerText()).toBe('rollback of v1')
    await expect.poll(attr(rollout(), 'data-version'), { timeout: UI_TIMEOUT }).toBe('3')
    await expect.poll(attr(rollout(), 'data-outcome'), { timeout: UI_TIMEOUT }).toBe('no-proxies')
    expect(await marker()).toBe('same page')
    await screenshot('05a-rolled-back')
  })

  it('refuses a nothing-to-do rollback before asking the server', async () => {
    // v3 has v1's content, so rolling back to v1 again would be refused (409 VERSION.ALREADY_ACTIVE).
    await row(1).getByTestId('rollback-button').click()
    const dialog = page.getByTestId('rollback-dialog')
    await dialog.getByTestId('rollback-no-changes').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('rollback-confirm').isDisabled()).toBe(true)
    await page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
  })

  it('refuses a rollback over draft changes made meanwhile, and goes on only after a second confirmation', async () => {
    await row(2).getByTestId('rollback-button').click()
    const dialog = page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })

    // Someone edits the draft while the dialog is open.
    const cluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...cluster, connect_timeout: '3s' } })).status).toBe(200)

    expectedErrors.push(/^409 POST .*\/api\/v1\/fleets\/demo\/versions\/2\/rollback$/)
    await dialog.getByTestId('rollback-confirm').click()
    const conflict = dialog.getByTestId('rollback-conflict')
    await conflict.waitFor({ timeout: UI_TIMEOUT })
    expect(await conflict.innerText()).toContain('changed while you were reviewing')
    await expect.poll(() => conflict.innerText(), { timeout: UI_TIMEOUT }).toContain('1 uncommitted change')
    const confirm = dialog.getByTestId('rollback-confirm')
    expect(await confirm.getAttribute('data-force')).toBe('true')
    expect(await confirm.isDisabled()).toBe(true)
    await screenshot('06-draft-conflict')

    await dialog.getByTestId('rollback-conflict-confirm').check()
    expect(await confirm.isDisabled()).toBe(false)
    await confirm.click()
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
    await expect.poll(attr(row(4), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')
    expect(await row(4).getByTestId('version-origin').innerText()).toBe('rollback of v2')

    const fleet = await api<{ pendingChanges: number; activeVersion: { number: number } }>('GET', '/api/v1/fleets/demo')
    expect(fleet.body).toMatchObject({ pendingChanges: 0, activeVersion: { number: 4 } })
  })

  it('follows a rollout to real xDS clients: k/N, NACKs with the client’s message, and recovery by rollback', async () => {
    backend = await startEchoBackend('backend-1')
    expect((await api('POST', '/api/v1/fleets', { body: { name: ECHO_FLEET } })).status).toBe(201)
    await putEchoDraft(api, ECHO_FLEET, echoFleetResources([backend]))
    expect(await commitDraft(api, ECHO_FLEET, 'echo on backend 1')).toBe(1)
    const xdsPort = xdsPortOf(server)
    for (const nodeId of ['client-a', 'client-b']) {
      const c = createXdsEchoClient({ xdsPort, nodeId, fleet: ECHO_FLEET, target: 'echo' })
      clients.push(c)
      expect(await callEcho(c)).toBe('backend-1')
    }
    // Both listed SYNCED on all four types before the page opens.
    await waitFor(
      async () => {
        const res = await api<{ proxies: ProxyView[] }>('GET', `/api/v1/proxies?fleet=${ECHO_FLEET}`)
        return res.body.proxies.length === 2 && res.body.proxies.every((p) => p.state === 'SYNCED' && Object.keys(p.types).length === 4)
      },
      { what: 'two SYNCED clients' },
    )

    await openVersions(ECHO_FLEET)
    await expect.poll(() => row(1).getByTestId('version-convergence').getAttribute('data-on'), { timeout: UI_TIMEOUT }).toBe('2')
    await setMarker()

    // A version grpc-js-xds rejects: both clients NACK the Cluster and keep running v1.
    await putEchoDraft(api, ECHO_FLEET, echoFleetResources([backend], { lb_policy: 'MAGLEV' }))
    expect(await commitDraft(api, ECHO_FLEET, 'maglev, which grpc-js-xds rejects')).toBe(2)
    await expect.poll(attr(rollout(), 'data-version'), { timeout: UI_TIMEOUT }).toBe('2')
    await expect.poll(attr(rollout(), 'data-outcome'), { timeout: UI_TIMEOUT }).toBe('nacked')
    await expect.poll(() => rollout().getByTestId('rollout-nack').count(), { timeout: UI_TIMEOUT }).toBe(2)
    expect(await rollout().getByTestId('rollout-nacks').innerText()).toContain('MAGLEV')
    expect(await rollout().getAttribute('data-on-target')).toBe('0')
    expect(await rollout().getByTestId('rollout-count').innerText()).toMatch(/0\/2\s+proxies on v2/)
    await settle()
    await screenshot('07-rollout-nacked')

    // Roll back from the page: v3 (v1's content) reaches both clients.
    await row(1).getByTestId('rollback-button').click()
    const dialog = page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('rollback-diff').innerText()).toContain('MAGLEV')
    await dialog.getByTestId('rollback-confirm').click()
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
    await expect.poll(attr(rollout(), 'data-version'), { timeout: UI_TIMEOUT }).toBe('3')
    await expect.poll(attr(rollout(), 'data-outcome'), { timeout: UI_TIMEOUT }).toBe('converged')
    expect(await rollout().getAttribute('data-on-target')).toBe('2')
    expect(await rollout().getByTestId('rollout-count').innerText()).toMatch(/2\/2\s+proxies on v3/)
    expect(await rollout().getByTestId('rollout-headline').innerText()).toBe('v3 reached every proxy')
    await expect.poll(() => row(3).getByTestId('version-convergence').getAttribute('data-on'), { timeout: UI_TIMEOUT }).toBe('2')
    expect(await marker()).toBe('same page')
    await settle()
    await screenshot('08-rollout-converged')
  })

  it('renders in the dark theme and on a narrow screen, with no errors in the browser console', async () => {
    await page.emulateMedia({ colorScheme: 'dark' })
    await page.goto(`${server.baseUrl}/fleets/demo/versions/diff?from=1&to=2`)
    await page.getByTestId('version-diff').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('09-dark-diff')
    await openVersions(ECHO_FLEET)
    await row(2).getByTestId('rollback-button').click()
    await page.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('09a-dark-dialog')
    await page.keyboard.press('Escape')
    await page.getByTestId('rollback-dialog').waitFor({ state: 'hidden', timeout: UI_TIMEOUT })

    await page.emulateMedia({ colorScheme: 'light' })
    await page.setViewportSize({ width: 420, height: 900 })
    await openVersions('demo')
    await screenshot('10-narrow')
    expect(pageErrors).toEqual([])
  })
})
