import { describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../server/config/demo'
import { setupConsole } from '../support/console-fixture'

const UI_TIMEOUT = 15_000

type VersionJson = { number: number; active: boolean; origin: string; rollbackOf: number | null }
type FleetJson = { name: string; activeVersion: { number: number } | null; pendingChanges: number }

const fx = setupConsole('console', { uiTimeoutMs: UI_TIMEOUT })
const { api, attr, screenshot } = fx
const fleetRow = (fleet: string) => fx.page.locator(`[data-testid="fleet-row"][data-fleet="${fleet}"]`)
const versionRow = (n: number) => fx.page.locator(`[data-testid="version-row"][data-version="${n}"]`)

describe('console overview: fleets and versions', () => {
  it('server-renders the demo fleet at version 1', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/`)
    const demo = fleetRow('demo')
    await demo.waitFor({ timeout: UI_TIMEOUT })
    expect(await demo.getAttribute('data-selected')).toBe('true')
    expect(await demo.getByTestId('fleet-active-version').getAttribute('data-version')).toBe('1')
    expect(await demo.getByTestId('fleet-active-version').innerText()).toContain('Demo config')
    // How proxies find this fleet is shown: no selector, so node.cluster = name.
    expect(await demo.getByTestId('fleet-match-rule').innerText()).toContain("node.cluster = 'demo'")
    expect(await versionRow(1).getAttribute('data-active')).toBe('true')
    expect(await versionRow(1).getByTestId('rollback-button').count()).toBe(0)
    // The page reloading would lose this marker: later steps prove updates arrive without a reload.
    await fx.markPage()
    await fx.page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('01-initial')
  })

  it('shows a commit made through the API without reloading (SSE)', async () => {
    const cluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource
    const put = await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...cluster, connect_timeout: '1s' } })
    expect(put.status).toBe(200)
    await expect.poll(attr(fleetRow('demo').getByTestId('fleet-pending'), 'data-count'), { timeout: UI_TIMEOUT }).toBe('1')
    await screenshot('02a-pending')

    const commit = await api<VersionJson>('POST', '/api/v1/fleets/demo/commit', { body: { message: 'slower connect' } })
    expect(commit.status).toBe(201)
    expect(commit.body.number).toBe(2)

    await expect.poll(attr(fleetRow('demo').getByTestId('fleet-active-version'), 'data-version'), { timeout: UI_TIMEOUT }).toBe('2')
    await expect.poll(attr(fleetRow('demo').getByTestId('fleet-pending'), 'data-count'), { timeout: UI_TIMEOUT }).toBe('0')
    await expect.poll(attr(versionRow(2), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')
    expect(await versionRow(1).getAttribute('data-active')).toBe('false')
    expect(await fx.samePage()).toBe('same page')
    await screenshot('02-committed')
  })

  it('agrees with the API', async () => {
    const { body: json } = await api<{ versions: VersionJson[] }>('GET', '/api/v1/fleets/demo/versions')
    // Rolling back from the console is tested on the Versions page (versions.test.ts); the overview is read-only.
    expect(json.versions.map((v) => v.number)).toEqual([2, 1])
    expect(json.versions[0]).toMatchObject({ number: 2, active: true, origin: 'COMMIT' })
    const fleets = await api<{ fleets: FleetJson[] }>('GET', '/api/v1/fleets')
    expect(fleets.body.fleets.find((f) => f.name === 'demo')).toMatchObject({ activeVersion: { number: 2 }, pendingChanges: 0 })
  })

  it('renders in the dark theme and on a narrow screen, with no errors in the browser console', async () => {
    await fx.page.emulateMedia({ colorScheme: 'dark' })
    // Reload rather than screenshot at once: colour transitions would still be running.
    await fx.page.reload()
    await versionRow(2).waitFor({ timeout: UI_TIMEOUT })
    await screenshot('04-dark')

    await fx.page.emulateMedia({ colorScheme: 'light' })
    await fx.page.setViewportSize({ width: 420, height: 900 })
    await fx.page.reload()
    await fleetRow('demo').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('05-narrow')
    expect(fx.pageErrors).toEqual([])
  })
})
