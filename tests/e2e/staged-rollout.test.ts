import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe'
import { setupConsole } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { waitFor } from '../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources } from '../support/xds-client'
import { putEchoDraft } from '../support/xds-fleet'

/**
 * #12 item 3 in Chromium, with real gRPC xDS clients: a staged rollout started on the Changes page
 * halts when the canary NACKs, shows the canary's words and takes it back; after an abort, a good
 * version rolls out to the canary, waits for the operator, and "Promote" takes it to every proxy.
 */
const UI_TIMEOUT = 30_000
const FLEET = 'echo'
const fx = setupConsole('staged-rollout-e2e', { screenshotPrefix: 'staged-', uiTimeoutMs: UI_TIMEOUT })
const { api, attr, screenshot } = fx
let backends: EchoBackend[] = []
const clients = new Map<string, grpc.Client>()

beforeAll(async () => {
  backends = await Promise.all(['backend-1', 'backend-2'].map((n) => startEchoBackend(n)))
})
afterAll(async () => {
  for (const c of clients.values()) c.close()
  for (const b of backends) await b.stop()
})

const body = () => fx.page.getByTestId('staged-rollout-body')

async function startOnChangesPage(message: string, options: { approval: boolean; soak: number }): Promise<void> {
  await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/changes`)
  const form = fx.page.getByTestId('commit-form')
  await form.waitFor({ timeout: UI_TIMEOUT })
  await form.getByTestId('commit-message').fill(message)
  await form.getByTestId('rollout-stages').check()
  await form.getByTestId('stage-glob').fill('canary-*')
  await form.getByTestId('stage-soak').fill(String(options.soak))
  if (options.approval) await form.getByTestId('stage-approval').check()
  const accept = form.getByTestId('accept-warnings-checkbox')
  if (await accept.isVisible()) await accept.check()
  await form.getByTestId('commit-button').click()
}

describe('a staged rollout in the console', () => {
  it('halts on the canary’s NACK with its words, then a good version is promoted to every proxy', async () => {
    await createEchoFleet(api, FLEET, [backends[0]!])
    for (const node of ['canary-1', 'prod-1', 'prod-2']) clients.set(node, createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId: node, fleet: FLEET, target: 'echo' }))
    for (const c of clients.values()) expect(await callEcho(c, 15_000)).toBe('backend-1')

    // A version the gRPC canary rejects (MAGLEV).
    await putEchoDraft(api, FLEET, echoFleetResources([backends[0]!], { lb_policy: 'MAGLEV' }))
    await startOnChangesPage('maglev, canaries first', { approval: false, soak: 60 })
    await body().waitFor({ timeout: UI_TIMEOUT })
    await expect.poll(attr(body(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('halted')
    expect(await fx.page.getByTestId('rollout-reason').innerText()).toMatch(/proxy canary-1 rejected the new version: .*MAGLEV/i)
    // The commit form waits for the rollout to end.
    expect(await fx.page.getByTestId('commit-button').isDisabled()).toBe(true)
    expect(await seriousViolations(fx.page)).toEqual([])
    await screenshot('halted')
    // Nobody but the canary was sent it, and the canary still answers from v1.
    expect(await callEcho(clients.get('canary-1')!, 5_000)).toBe('backend-1')
    await fx.page.getByTestId('rollout-action-abort').click()
    await expect.poll(attr(body(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('aborted')

    // A good version: the canary first, then "Promote" by hand.
    await putEchoDraft(api, FLEET, echoFleetResources([backends[1]!]))
    await startOnChangesPage('backend-2, canaries first', { approval: true, soak: 0 })
    await body().waitFor({ timeout: UI_TIMEOUT })
    await expect.poll(attr(body(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('waiting')
    await waitFor(async () => (await callEcho(clients.get('canary-1')!, 5_000)) === 'backend-2', { what: 'the canary on the new version', timeoutMs: UI_TIMEOUT })
    expect(await callEcho(clients.get('prod-1')!, 5_000)).toBe('backend-1')
    expect(await fx.page.getByTestId('stage-progress').first().innerText()).toMatch(/^1\/1 proxies on v\d+/)
    await screenshot('waiting')
    await fx.page.getByTestId('rollout-action-promote').click()
    await expect.poll(attr(body(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('completed')
    await waitFor(async () => (await callEcho(clients.get('prod-2')!, 5_000)) === 'backend-2', { what: 'every proxy on the new version', timeoutMs: UI_TIMEOUT })
    expect(fx.pageErrors).toEqual([])
  })
})
