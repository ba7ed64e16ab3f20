import type * as grpc from '@grpc/grpc-js'
import { type Locator } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { proxyRow, setupConsole, typeBadge } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient } from '../support/xds-client'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, getProxy } from '../support/xds-fleet'

/**
 * The operator story of the console, end to end, in a real Chromium against the real server with
 * gRPC's own xDS client (@grpc/grpc-js-xds) connected: see the proxy SYNCED, move its endpoint to
 * another backend through the form and commit it, watch a bad Cluster get NACKed, and roll back from
 * the versions page, the proxies page following every step without a reload.
 */
const UI_TIMEOUT = 30_000
const FLEET = 'echo-fleet'
const NODE_ID = 'flow-client'
const ECHO_TYPES = ['CDS', 'EDS', 'LDS', 'RDS'] as const
const PORT_PATH = 'localities.0.endpoints.0.port'

const fx = setupConsole('operator_flow', { uiTimeoutMs: UI_TIMEOUT })
const { api, attr, markPage, samePage, screenshot, waitForToast } = fx
const row = (nodeId: string) => proxyRow(fx.page, nodeId)
let backend1: EchoBackend
let backend2: EchoBackend
let client: grpc.Client | undefined

beforeAll(async () => {
  ;[backend1, backend2] = await Promise.all([startEchoBackend('backend-1'), startEchoBackend('backend-2')])
  expect(await createEchoFleet(api, FLEET, [backend1], 'grpc-js-xds echo client')).toBe(1)
  client = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId: NODE_ID, fleet: FLEET, target: 'echo' })
  expect(await callEcho(client)).toBe('backend-1')
})
afterAll(async () => {
  client?.close()
  await backend1?.stop()
  await backend2?.stop()
})

/** Calls until backend `name` answers (the client applies a new EDS shortly after it ACKs it). */
async function expectEchoFrom(name: string): Promise<void> {
  await expect
    .poll(() => callEcho(client!).catch((err: Error) => `error: ${err.message}`), { timeout: UI_TIMEOUT, interval: 250 })
    .toBe(name)
}

/**
 * Waits until the badge has settled (ACKed or NACKed) on `version`, then asserts SYNCED, naming the
 * client's own NACK text when it rejected the version.
 */
async function expectBadgeSynced(r: Locator, type: string, typeUrl: string, version: string): Promise<void> {
  const badge = typeBadge(r, type)
  await expect.poll(attr(badge, 'data-version'), { timeout: UI_TIMEOUT }).toBe(version)
  await expect.poll(attr(badge, 'data-state'), { timeout: UI_TIMEOUT }).toMatch(/^(SYNCED|NACKED)$/)
  const state = await badge.getAttribute('data-state')
  const nack = state === 'NACKED' ? (await getProxy(api, NODE_ID))?.types[typeUrl]?.lastNack?.message : undefined
  expect(state, `${type} v${version} should be SYNCED, but grpc-js-xds NACKed it: ${nack ?? '(no NACK text)'}`).toBe('SYNCED')
  expect(await badge.innerText()).toContain(`SYNCED v${version}`)
}

/** The row SYNCED; when it is not, the message names the client's NACKs. */
async function expectRowSynced(r: Locator): Promise<void> {
  await expect.poll(attr(r, 'data-state'), { timeout: UI_TIMEOUT }).toMatch(/^(SYNCED|NACKED)$/)
  const state = await r.getAttribute('data-state')
  const proxy = state === 'NACKED' ? await getProxy(api, NODE_ID) : null
  const nacks = Object.entries(proxy?.types ?? {}).flatMap(([typeUrl, t]) => (t.lastNack && t.versionAcked !== t.versionSent ? [`${typeUrl.split('.').pop()}: ${t.lastNack.message}`] : []))
  expect(state, `the proxy row should be SYNCED, but the client NACKs: ${nacks.join(' | ') || '(none found)'}`).toBe('SYNCED')
}

async function openProxies(): Promise<Locator> {
  await fx.page.goto(`${fx.server.baseUrl}/proxies?fleet=${FLEET}`)
  await fx.page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI_TIMEOUT })
  const r = row(NODE_ID)
  await r.waitFor({ timeout: UI_TIMEOUT })
  await markPage()
  return r
}

describe('console: the operator flow (proxies → edit endpoint → commit → NACK → rollback)', () => {
  it('1. the Proxies page lists the client SYNCED on all four types at v1', async () => {
    const r = await openProxies()
    for (const type of ECHO_TYPES) {
      await expect.poll(attr(typeBadge(r, type), 'data-state'), { timeout: UI_TIMEOUT }).toBe('SYNCED')
      expect(await typeBadge(r, type).getAttribute('data-version'), type).toBe('1')
      expect(await typeBadge(r, type).innerText(), type).toContain('SYNCED v1')
    }
    await expect.poll(attr(r, 'data-state'), { timeout: UI_TIMEOUT }).toBe('SYNCED')
    expect(await r.getByTestId('proxy-state').innerText()).toContain('SYNCED')
    await screenshot('flow-01-proxies-synced-v1')
  })

  it('2. edits the endpoint through the form, commits it on Changes; the row shows EDS v2 SYNCED without a reload and calls reach backend 2', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/resources/endpoints`)
    const resourceRow = fx.page.locator('[data-testid="resource-row"][data-name="echo-backend"]')
    await resourceRow.waitFor({ timeout: UI_TIMEOUT })
    expect(await resourceRow.innerText()).toContain(String(backend1.port))
    await resourceRow.getByTestId('row-edit').click()
    await fx.page.getByTestId('endpoints-form').waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.getByTestId('resource-editor').getAttribute('data-view')).toBe('form')
    const port = fx.page.locator(`[name="${PORT_PATH}"]`)
    expect(await port.inputValue()).toBe(String(backend1.port))
    await port.fill(String(backend2.port))
    await screenshot('flow-02a-endpoint-form')
    await fx.page.getByTestId('save-resource').click()
    await waitForToast('echo-backend')
    await fx.page.waitForURL(/\/resources\/endpoints$/, { timeout: UI_TIMEOUT })
    await expect.poll(() => resourceRow.innerText(), { timeout: UI_TIMEOUT }).toContain(String(backend2.port))
    const draft = await api<{ resource: { endpoints: Array<{ locality?: unknown; lb_endpoints: Array<{ endpoint: { address: { socket_address: unknown } } }> }> } }>('GET', `/api/v1/fleets/${FLEET}/draft/endpoints/echo-backend`)
    expect(draft.body.resource.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address).toEqual({ address: '127.0.0.1', port_value: backend2.port })
    // Only the port was edited: the rest of the resource must come back as it was.
    expect
      .soft(draft.body.resource.endpoints[0], 'the endpoints form dropped the untouched `locality: {}` on save; grpc-js-xds NACKs a LocalityLbEndpoints without a locality')
      .toHaveProperty('locality', {})

    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/changes`)
    const card = fx.page.locator('[data-testid="resource-change"][data-name="echo-backend"]')
    await card.waitFor({ timeout: UI_TIMEOUT })
    expect(await card.getAttribute('data-change')).toBe('modified')
    expect(await card.innerText()).toContain(String(backend2.port))
    await fx.page.getByTestId('commit-message').fill('Move echo to backend 2')
    await screenshot('flow-02b-changes')
    await fx.page.getByTestId('commit-button').click()
    await waitForToast('v2 committed')
    await fx.page.getByTestId('no-changes').waitFor({ timeout: UI_TIMEOUT })

    const r = await openProxies()
    await expectBadgeSynced(r, 'EDS', CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, '2')
    await expectRowSynced(r)
    await expectEchoFrom('backend-2')
    expect(await samePage()).toBe('same page')
    await screenshot('flow-02c-proxies-eds-v2')
  })

  it('3. a MAGLEV Cluster is NACKed: the row shows NACKED and the NACK text, without a reload', async () => {
    expect(await commitRejectedCluster(api, FLEET, [backend2])).toBe(3)

    const cds = await fx.waitForNackedBadge(row(NODE_ID), 'CDS')
    expect(await cds.getAttribute('data-version')).toBe('3')
    expect(await cds.innerText()).toContain('NACKED v3')
    expect(await samePage()).toBe('same page')

    expect(await fx.tooltipOf(cds)).toContain('MAGLEV')
    await screenshot('flow-03-nacked-tooltip', false)
    // The client keeps running the cluster it ACKed.
    await expectEchoFrom('backend-2')
  })

  it('4. rolls back to v2 from the versions page; the Proxies page shows the client SYNCED again', async () => {
    await fx.page.mouse.move(0, 0)
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/versions`)
    await fx.page.locator('[data-testid="versions-page"][data-feed="live"]').waitFor({ timeout: UI_TIMEOUT })
    const v2 = fx.page.locator('[data-testid="version-row"][data-version="2"]')
    await v2.getByTestId('rollback-button').click()
    const dialog = fx.page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('rollback-diff').innerText()).toContain('MAGLEV')
    await screenshot('flow-04a-rollback-dialog')
    await dialog.getByTestId('rollback-confirm').click()
    await waitForToast('v4 is now active')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
    await expect.poll(attr(fx.page.locator('[data-testid="version-row"][data-version="4"]'), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')

    const r = await openProxies()
    await expectBadgeSynced(r, 'CDS', CLUSTER_TYPE_URL, '4')
    await expectRowSynced(r)
    for (const type of ECHO_TYPES) expect(await typeBadge(r, type).getAttribute('data-state'), type).toBe('SYNCED')
    expect(await samePage()).toBe('same page')
    await expectEchoFrom('backend-2')
    await screenshot('flow-04b-proxies-synced-again')
    expect(fx.pageErrors).toEqual([])
  })
})
