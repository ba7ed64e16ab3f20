import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proxyRow, setupConsole, typeBadge } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient } from '../support/xds-client'

/**
 * The proxies pages against a real proxy: gRPC's own xDS client (@grpc/grpc-js-xds) connects to
 * the real server, and the console must follow its status through the event feed, without reloads.
 */
const UI_TIMEOUT = 15_000
const FLEET = 'echo-fleet'
const NODE_ID = 'client-1'
const ECHO_TYPES = ['CDS', 'EDS', 'LDS', 'RDS'] as const

const fx = setupConsole('proxies_e2e', { uiTimeoutMs: UI_TIMEOUT })
const { api, attr, markPage, samePage, screenshot } = fx
const row = (nodeId: string) => proxyRow(fx.page, nodeId)
let backend: EchoBackend
let client: grpc.Client | undefined

beforeAll(async () => {
  backend = await startEchoBackend('backend-1')
  expect(await createEchoFleet(api, FLEET, [backend], 'grpc-js-xds echo clients')).toBe(1)
})
afterAll(async () => {
  client?.close()
  await backend?.stop()
})

describe('console: proxies', () => {
  it('says how to connect a proxy while none has', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/proxies?fleet=${FLEET}`)
    const empty = fx.page.getByTestId('proxies-empty')
    await empty.waitFor({ timeout: UI_TIMEOUT })
    await fx.page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI_TIMEOUT })
    // The server does not know the address the browser used; once hydrated, the command has it.
    await expect.poll(() => fx.page.getByTestId('bootstrap-command').innerText(), { timeout: UI_TIMEOUT }).toContain(`${fx.server.baseUrl}/api/v1/fleets/${FLEET}/bootstrap`)
    expect(await fx.page.getByTestId('fleet-switcher').getAttribute('data-fleet')).toBe(FLEET)
    await markPage()
    await screenshot('proxies-01-empty')
  })

  it('lists a grpc-js-xds client SYNCED on all four types, without a reload', async () => {
    client = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId: NODE_ID, fleet: FLEET, target: 'echo' })
    expect(await callEcho(client)).toBe('backend-1')

    const r = row(NODE_ID)
    await r.waitFor({ timeout: UI_TIMEOUT })
    for (const type of ECHO_TYPES) {
      await expect.poll(attr(typeBadge(r, type), 'data-state'), { timeout: UI_TIMEOUT }).toBe('SYNCED')
      expect(await typeBadge(r, type).getAttribute('data-version')).toBe('1')
      expect(await typeBadge(r, type).innerText()).toContain('SYNCED v1')
    }
    expect(await typeBadge(r, 'SDS').getAttribute('data-state')).toBe('UNSUBSCRIBED')
    await expect.poll(attr(r, 'data-state'), { timeout: UI_TIMEOUT }).toBe('SYNCED')
    expect(await r.getByTestId('proxy-state').innerText()).toContain('SYNCED')
    expect(await r.innerText()).toContain('gRPC Node Pure JS')
    expect(await samePage()).toBe('same page')
    await screenshot('proxies-02-synced')
  })

  it('shows the NACK of a MAGLEV cluster on the row, with its text on hover, without a reload', async () => {
    expect(await commitRejectedCluster(api, FLEET, [backend])).toBe(2)

    const r = row(NODE_ID)
    const cds = await fx.waitForNackedBadge(r, 'CDS')
    expect(await cds.getAttribute('data-version')).toBe('2')
    expect(await cds.innerText()).toBe('NACKED v2')
    // The client keeps running the cluster it ACKed; the other types are untouched by the commit.
    for (const type of ['EDS', 'LDS', 'RDS']) expect(await typeBadge(r, type).getAttribute('data-state')).toBe('SYNCED')
    expect(await fx.page.getByTestId('nav-nacked-count').innerText()).toBe('1')
    expect(await samePage()).toBe('same page')

    expect(await fx.tooltipOf(cds)).toContain('MAGLEV')
    await screenshot('proxies-03-nacked-tooltip', false)
  })

  it('filters by state through the URL', async () => {
    await fx.page.mouse.move(0, 0)
    await fx.page.getByTestId('state-filter-SYNCED').click()
    await expect.poll(() => new URL(fx.page.url()).searchParams.get('state')).toBe('SYNCED')
    await fx.page.getByTestId('proxies-empty').waitFor({ timeout: UI_TIMEOUT })
    await fx.page.getByTestId('state-filter-NACKED').click()
    await row(NODE_ID).waitFor({ timeout: UI_TIMEOUT })
    expect(new URL(fx.page.url()).searchParams.get('state')).toBe('NACKED')
    expect(await samePage()).toBe('same page')
  })

  it('shows the full NACK text, the config last sent as YAML and the stream events on the detail page', async () => {
    await row(NODE_ID).getByTestId('proxy-link').click()
    await fx.page.waitForURL(`**/proxies/${NODE_ID}`, { timeout: UI_TIMEOUT })
    const detail = fx.page.getByTestId('proxy-detail')
    await detail.waitFor({ timeout: UI_TIMEOUT })
    expect(await detail.getAttribute('data-state')).toBe('NACKED')
    const nack = fx.page.locator('[data-testid="nack-row"][data-type="CDS"] [data-testid="nack-message"]')
    expect(await nack.innerText()).toContain('MAGLEV')
    const cdsRow = fx.page.locator('[data-testid="type-status-row"][data-type="CDS"]')
    expect(await cdsRow.innerText()).toContain('NACKED v2')
    expect(await cdsRow.innerText()).toContain('runs v1')
    const dump = fx.page.locator('[data-testid="config-dump-section"][data-type="CDS"] [data-testid="config-dump-yaml"]')
    expect(await dump.innerText()).toContain('lb_policy: MAGLEV')
    await fx.page.locator('[data-testid="proxy-event"][data-kind="nack"]').first().waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.locator('[data-testid="proxy-event"][data-kind="nack"]').first().innerText()).toContain('MAGLEV')
    await screenshot('proxies-04-detail')
  })

  it('follows the recovery on the detail page without a reload', async () => {
    await markPage()
    const rollback = await api<{ number: number }>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: {} })
    expect(rollback.status).toBe(201)
    await expect.poll(attr(fx.page.getByTestId('proxy-detail'), 'data-state'), { timeout: UI_TIMEOUT }).toBe('SYNCED')
    expect(await fx.page.locator('[data-testid="type-status-row"][data-type="CDS"]').innerText()).toContain(`SYNCED v${rollback.body.number}`)
    expect(await samePage()).toBe('same page')
  })

  it('summarises the fleet and its activity on the overview', async () => {
    await fx.page.getByTestId('nav-overview').click()
    const fleetRow = fx.page.locator(`[data-testid="fleet-row"][data-fleet="${FLEET}"]`)
    await fleetRow.waitFor({ timeout: UI_TIMEOUT })
    await expect.poll(attr(fleetRow.getByTestId('fleet-proxies'), 'data-connected'), { timeout: UI_TIMEOUT }).toBe('1')
    expect(await fleetRow.getByTestId('fleet-active-version').getAttribute('data-version')).toBe('3')
    const activity = fx.page.getByTestId('activity-panel')
    await activity.locator('[data-testid="activity-item"][data-kind="nack"]').first().waitFor({ timeout: UI_TIMEOUT })
    expect(await activity.innerText()).toContain('MAGLEV')
    await screenshot('proxies-05-overview')
  })

  it('switches fleet and keeps the section', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/proxies?fleet=${FLEET}`)
    await row(NODE_ID).waitFor({ timeout: UI_TIMEOUT })
    await fx.page.getByTestId('fleet-switcher').click()
    await fx.page.locator('[data-testid="fleet-option"][data-fleet="demo"]').click()
    await fx.page.waitForURL('**/proxies?fleet=demo', { timeout: UI_TIMEOUT })
    await fx.page.getByTestId('proxies-empty').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.getByTestId('fleet-switcher').getAttribute('data-fleet')).toBe('demo')
    // Remembered: a page without a fleet in its URL follows the last one used.
    expect(await fx.page.evaluate(() => localStorage.getItem('legation.fleet'))).toBe('demo')
  })

  it('remembers the dark theme across reloads, and renders on a narrow screen with no errors in the browser console', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/proxies/${NODE_ID}`)
    await fx.page.getByTestId('proxy-detail').waitFor({ timeout: UI_TIMEOUT })
    await fx.page.getByTestId('theme-toggle').click()
    await fx.page.getByTestId('theme-dark').click()
    expect(await fx.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
    await fx.page.reload()
    await fx.page.getByTestId('proxy-detail').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(true)
    await screenshot('proxies-06-dark-detail')
    await fx.page.goto(`${fx.server.baseUrl}/proxies`)
    await row(NODE_ID).waitFor({ timeout: UI_TIMEOUT })
    await screenshot('proxies-07-dark-list', false)

    await fx.page.getByTestId('theme-toggle').click()
    await fx.page.getByTestId('theme-system').click()
    expect(await fx.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(false)
    await fx.page.setViewportSize({ width: 420, height: 900 })
    await fx.page.reload()
    await row(NODE_ID).waitFor({ timeout: UI_TIMEOUT })
    await screenshot('proxies-08-narrow')
    expect(fx.pageErrors).toEqual([])
  })
})
