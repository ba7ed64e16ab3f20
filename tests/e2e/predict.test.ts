import type * as grpc from '@grpc/grpc-js'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { SCREENSHOTS, setupConsole } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../support/xds-client'
import { putEchoDraft } from '../support/xds-fleet'

/**
 * #12 item 2 in Chromium: the Changes page says, before the commit, that the fleet's two gRPC Node
 * proxies would reject the MAGLEV cluster, with their validator's words and a link to the cluster;
 * for a clean draft it says they were checked and would reject nothing.
 */
const UI_TIMEOUT = 20_000
const FLEET = 'echo'
const fx = setupConsole('predict-e2e', { uiTimeoutMs: UI_TIMEOUT })
const { api } = fx
let backend: EchoBackend | undefined
const clients: grpc.Client[] = []

beforeAll(async () => {
  backend = await startEchoBackend('backend-1')
  expect(await createEchoFleet(api, FLEET, [backend])).toBe(1)
  for (const nodeId of ['p-a', 'p-b']) {
    const c = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId, fleet: FLEET, target: 'echo' })
    clients.push(c)
    expect(await callEcho(c)).toBe('backend-1')
  }
})
afterAll(async () => {
  for (const c of clients) c.close()
  await backend?.stop()
})

describe('Changes page: what the connected clients would reject', () => {
  it('a clean change: checked against both proxies, nothing they would reject', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backend!], { connect_timeout: '2s' }))
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/changes`)
    const clean = fx.page.getByTestId('client-predictions-clean')
    await clean.waitFor({ timeout: UI_TIMEOUT })
    expect(await clean.textContent()).toContain('2 connected proxies')
    expect(await fx.page.getByTestId('client-predictions').getAttribute('data-rejecting')).toBe('0')
  })

  it('a MAGLEV cluster: both proxies would reject it, in their validator’s words, with a link to the cluster', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backend!], { lb_policy: 'MAGLEV' }))
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/changes`)
    const panel = fx.page.getByTestId('client-predictions')
    await fx.page.locator('[data-testid="client-predictions"][data-rejecting="2"]').waitFor({ timeout: UI_TIMEOUT })
    expect(await panel.textContent()).toContain('Would be rejected by 2 connected proxies')
    const rejection = fx.page.getByTestId('client-rejection')
    expect(await rejection.count()).toBe(1)
    const text = (await rejection.textContent()) ?? ''
    expect(text).toContain('gRPC Node Pure JS')
    expect(text).toContain('echo-backend')
    expect(text).toMatch(/MAGLEV/)
    await fx.page.screenshot({ path: path.join(SCREENSHOTS, 'predict-changes.png'), fullPage: true })
    await rejection.getByRole('link').click()
    await fx.page.waitForURL(/\/fleets\/echo\/resources\/clusters\/echo-backend/, { timeout: UI_TIMEOUT })
  })
})
