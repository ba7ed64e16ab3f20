import { describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../server/config/demo'
import { setupConsole } from '../support/console-fixture'

/**
 * #12 item 4 in Chromium: the commit form makes an expiring change ("Expire after"), the versions
 * table counts it down, and when a change expires the table shows it rolled back, live.
 */
const UI_TIMEOUT = 20_000
const fx = setupConsole('expiry-e2e', { uiTimeoutMs: UI_TIMEOUT })
const { api } = fx
const service = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource
const badge = (version: number) => fx.page.locator(`[data-testid="version-row"][data-version="${version}"] [data-testid="expiry-badge"]`)

describe('expiring changes in the console', () => {
  it('the commit form commits an expiring change, and the versions table counts it down', async () => {
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...service, connect_timeout: '7s' } })).status).toBe(200)
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/changes`)
    await fx.page.getByTestId('commit-message').fill('try a 7 s connect timeout for an hour')
    await fx.page.getByTestId('commit-expiry').selectOption('3600')
    await fx.page.getByTestId('commit-button').click()
    await fx.page.getByText('v2 committed').waitFor({ timeout: UI_TIMEOUT })

    const v2 = await api<{ expiry?: { expiresAt: string; outcome: string | null } }>('GET', '/api/v1/fleets/demo/versions/2')
    expect(v2.body.expiry?.outcome).toBeNull()
    const leftMs = Date.parse(v2.body.expiry!.expiresAt) - Date.now()
    expect(leftMs).toBeGreaterThan(3500_000)
    expect(leftMs).toBeLessThanOrEqual(3600_000)

    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/versions`)
    await badge(2).waitFor({ timeout: UI_TIMEOUT })
    expect(await badge(2).getAttribute('data-state')).toBe('running')
    expect(await badge(2).innerText()).toMatch(/expires in (59m|1h 00m)/)
  })

  it('a change that expires is shown rolled back, without a reload', async () => {
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...service, connect_timeout: '8s' } })).status).toBe(200)
    const res = await api<{ number: number }>('POST', '/api/v1/fleets/demo/commit', { body: { message: 'two seconds only', acceptWarnings: true, expiresInSeconds: 2 } })
    expect(res.status, res.text).toBe(201)
    const v3 = res.body.number
    // v2 was replaced before its hour was up.
    await expect.poll(async () => badge(2).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('superseded')
    await expect.poll(async () => badge(v3).getAttribute('data-state'), { timeout: UI_TIMEOUT }).toBe('rolled-back')
    expect(await badge(v3).innerText()).toContain(`expired → v${v3 + 1}`)
    const active = fx.page.locator('[data-testid="version-row"][data-active="true"]')
    expect(await active.getAttribute('data-version')).toBe(String(v3 + 1))
  })
})
