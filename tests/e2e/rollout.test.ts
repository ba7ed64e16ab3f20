import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { setupConsole } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { waitFor } from '../support/wait-for'
import { createEchoFleet, createXdsEchoClient, echoFleetResources, REJECTED_CLUSTER_MESSAGE } from '../support/xds-client'
import { CLUSTER_TYPE_URL, expectSyncedOnEveryType, getProxy, putEchoDraft } from '../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../support/xds-protocol-client'

/**
 * #11 items 4 and 5 in a real Chromium, with two real xDS clients (@grpc/grpc-js-xds, which ACK and
 * NACK like Envoy): a commit made on the Changes page is followed to "all converged"; a version the
 * clients NACK ends rejected, naming the cluster and quoting the client; "Roll back to v2" on the
 * panel opens the rollback dialog, and the panel then follows the rollback's version (never showing
 * the old NACK) to converged; a proxy that never ACKs makes it stalled. The versions table and a
 * version's own page show the same numbers.
 */
const UI_TIMEOUT = 20_000
const FLEET = 'echo'
const NODES = ['proxy-a', 'proxy-b']
/** Short, so that a silent proxy makes the rollout stalled within the test. */
const STALL_MS = 3_000

const fx = setupConsole('rollout-e2e', { screenshotPrefix: 'rollout-', uiTimeoutMs: UI_TIMEOUT, env: { LEGATION_ROLLOUT_STALL_MS: String(STALL_MS) } })
const { api, attr, screenshot } = fx
let backend1: EchoBackend | undefined
let backend2: EchoBackend | undefined
const clients: grpc.Client[] = []
let silent: ProtocolStream<SotwRequestInput, ReceivedSotwResponse> | undefined

const panel = () => fx.page.getByTestId('rollout-panel')
const row = (n: number) => fx.page.locator(`[data-testid="version-row"][data-version="${n}"]`)

/** Waits until the panel follows `version` and is in `state`. */
async function expectPanel(version: number, state: string): Promise<void> {
  await expect.poll(attr(panel(), 'data-version'), { timeout: UI_TIMEOUT }).toBe(String(version))
  await expect.poll(attr(panel(), 'data-state'), { timeout: UI_TIMEOUT }).toBe(state)
}

/** Lets the panel's animations that end (the progress bar, 500 ms) finish before a picture. */
const settle = () =>
  panel()
    .first()
    .evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished)))

async function commitOnChangesPage(message: string): Promise<void> {
  await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/changes`)
  const form = fx.page.getByTestId('commit-form')
  await form.waitFor({ timeout: UI_TIMEOUT })
  await form.getByTestId('commit-message').fill(message)
  await form.getByTestId('commit-button').click()
  await fx.page.getByTestId('commit-success').waitFor({ timeout: UI_TIMEOUT })
}

beforeAll(async () => {
  ;[backend1, backend2] = await Promise.all([startEchoBackend('backend-1'), startEchoBackend('backend-2')])
  expect(await createEchoFleet(api, FLEET, [backend1])).toBe(1)
  for (const nodeId of NODES) {
    const c = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId, fleet: FLEET, target: 'echo' })
    clients.push(c)
    expect(await callEcho(c)).toBe('backend-1')
  }
  for (const nodeId of NODES) await waitFor(async () => (expectSyncedOnEveryType(await getProxy(api, nodeId)), true), { what: `${nodeId} SYNCED on every type` })
  await fx.page.setViewportSize({ width: 1440, height: 900 })
})

afterAll(async () => {
  silent?.close()
  for (const c of clients) c.close()
  await Promise.all([backend1?.stop(), backend2?.stop()])
})

describe('the live rollout panel', () => {
  it('follows a commit made on the Changes page to all converged, with n/N and p50/p90/max; “Follow its rollout” opens it on the versions page', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backend2!]))
    await commitOnChangesPage('to backend 2')

    await expectPanel(2, 'converged')
    expect(await panel().getAttribute('data-on-target')).toBe('2')
    expect(await panel().getAttribute('data-total')).toBe('2')
    expect(await panel().getByTestId('rollout-headline').innerText()).toBe('v2 reached every proxy')
    expect(await panel().getByTestId('rollout-count').innerText()).toMatch(/^2\/2\s+proxies on v2$/)
    expect(await panel().getByTestId('rollout-times').innerText()).toMatch(/^p50 [\d.]+ m?s · p90 [\d.]+ m?s · max [\d.]+ m?s$/)
    // What the panel says is what the clients do: both call backend 2 now.
    await waitFor(async () => (await Promise.all(clients.map((c) => callEcho(c)))).every((b) => b === 'backend-2'), { what: 'both clients on backend 2' })
    await settle()
    await screenshot('01-commit-converged')

    await fx.page.getByTestId('follow-rollout').click()
    await fx.page.waitForURL(/\/fleets\/echo\/versions\?follow=2$/, { timeout: UI_TIMEOUT })
    await fx.page.getByTestId('versions-page').waitFor({ timeout: UI_TIMEOUT })
    await expectPanel(2, 'converged')
    expect(await panel().getByTestId('rollout-count').innerText()).toMatch(/^2\/2\s+proxies on v2$/)
  })

  it('ends rejected when the clients NACK: who, the cluster (linked to the resources view), the client’s own text, and “Roll back to v2”', async () => {
    await putEchoDraft(api, FLEET, echoFleetResources([backend2!], { lb_policy: 'MAGLEV' }))
    await commitOnChangesPage(REJECTED_CLUSTER_MESSAGE)

    await expectPanel(3, 'rejected')
    await expect.poll(attr(panel(), 'data-rejected'), { timeout: UI_TIMEOUT }).toBe('2')
    expect(await panel().getByTestId('rollout-headline').innerText()).toBe('v3 was rejected by 2 proxies')
    const rejection = panel().getByTestId('rollout-rejection')
    expect(await rejection.count()).toBe(1)
    expect(await rejection.getAttribute('data-nodes')).toBe(NODES.join(' '))
    const resource = rejection.getByTestId('rollout-rejection-resource')
    expect(await resource.innerText()).toBe('Cluster/echo-backend')
    expect(await resource.getAttribute('href')).toBe('/fleets/echo/resources/clusters/echo-backend')
    // The client's text, as the proxies API recorded its NACK.
    const nack = (await getProxy(api, NODES[0]!))!.types[CLUSTER_TYPE_URL]!.lastNack!
    expect(nack.message).toContain('MAGLEV')
    expect(await rejection.getByTestId('rollout-rejection-message').innerText()).toBe(nack.message)
    expect(await rejection.innerText()).toContain('They keep running v2, the last version they accepted')
    expect(await panel().getByTestId('rollout-rollback').innerText()).toBe('Roll back to v2')
    await settle()
    await screenshot('02-rejected-on-changes')

    // The same on the versions page, and the table's NACK marker.
    await fx.page.getByTestId('follow-rollout').click()
    await fx.page.waitForURL(/\/fleets\/echo\/versions\?follow=3$/, { timeout: UI_TIMEOUT })
    await expectPanel(3, 'rejected')
    const marker = row(3).getByTestId('version-nack-marker')
    await expect.poll(() => marker.getAttribute('data-count', { timeout: UI_TIMEOUT }), { timeout: UI_TIMEOUT }).toBe('2')
    expect(await marker.innerText()).toBe('NACK 2')
    expect(await row(2).getByTestId('version-nack-marker').count()).toBe(0)
    await settle()
    await screenshot('03-rejected-on-versions')

    // The link opens the cluster in the resources view.
    await resource.click()
    await fx.page.waitForURL(/\/fleets\/echo\/resources\/clusters\/echo-backend$/, { timeout: UI_TIMEOUT })
    await fx.page.goBack()
    await fx.page.waitForURL(/\/fleets\/echo\/versions\?follow=3$/, { timeout: UI_TIMEOUT })
    await expectPanel(3, 'rejected')
  })

  it('rolls back from the panel’s button; the panel follows the rollback’s version, never shows the old NACK, and ends converged', async () => {
    await fx.page.getByTestId('rollout-rollback').click()
    const dialog = fx.page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.locator('h2').first().innerText()).toBe('Roll back echo to v2?')
    expect(await dialog.getByTestId('rollback-diff').innerText()).toContain('MAGLEV')

    // Every state the panel shows from here on, as it shows it.
    await fx.page.evaluate(() => {
      const log: Array<{ version: string | null; state: string | null; rejections: number; text: string }> = []
      ;(window as unknown as { rolloutLog: typeof log }).rolloutLog = log
      const record = (): void => {
        const el = document.querySelector('[data-testid="rollout-panel"]')
        if (el) log.push({ version: el.getAttribute('data-version'), state: el.getAttribute('data-state'), rejections: el.querySelectorAll('[data-testid="rollout-rejection"]').length, text: el.textContent ?? '' })
      }
      new MutationObserver(record).observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true })
    })
    await dialog.getByTestId('rollback-confirm').click()
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })

    await expectPanel(4, 'converged')
    expect(await panel().getAttribute('data-on-target')).toBe('2')
    expect(await panel().getAttribute('data-rejected')).toBe('0')
    expect(await panel().getByTestId('rollout-headline').innerText()).toBe('v4 reached every proxy')
    expect(await panel().innerText()).toContain('Rollback to the content of v2')
    expect(await panel().getByTestId('rollout-rejection').count()).toBe(0)
    const log = await fx.page.evaluate(() => (window as unknown as { rolloutLog: Array<{ version: string | null; state: string | null; rejections: number; text: string }> }).rolloutLog)
    const ofV4 = log.filter((e) => e.version === '4')
    expect(ofV4.length).toBeGreaterThan(0)
    for (const e of ofV4) {
      expect(e.state, JSON.stringify(e)).not.toBe('rejected')
      expect(e.rejections, JSON.stringify(e)).toBe(0)
      expect(e.text, JSON.stringify(e)).not.toContain('MAGLEV')
    }
    await waitFor(async () => (await Promise.all(clients.map((c) => callEcho(c)))).every((b) => b === 'backend-2'), { what: 'both clients on backend 2' })

    // The table: v4 2/2 with its time to converge, v3 still marked rejected.
    await expect.poll(() => row(4).getByTestId('version-convergence').getAttribute('data-on', { timeout: UI_TIMEOUT }), { timeout: UI_TIMEOUT }).toBe('2')
    expect(await row(4).getByTestId('version-origin').innerText()).toBe('rollback of v2')
    expect(await row(4).getByTestId('version-convergence-time').innerText()).toMatch(/^p50 [\d.]+ m?s · max [\d.]+ m?s$/)
    expect(await row(3).getByTestId('version-nack-marker').getAttribute('data-count')).toBe('2')
    expect(await row(2).getByTestId('version-convergence').getAttribute('data-on')).toBe('2')
    await settle()
    await screenshot('04-rolled-back-converged')
  })

  it('ends stalled when a proxy never acknowledges, naming it with its state and since when; converged again once it leaves', async () => {
    silent = openSotwStream(fx.xdsPort)
    silent.send({ node: { id: 'silent', cluster: FLEET }, type_url: CLUSTER_TYPE_URL })
    expect((await silent.next()).type_url).toBe(CLUSTER_TYPE_URL)
    // No ACK is sent; v4 was committed more than STALL_MS ago.
    await expectPanel(4, 'stalled')
    expect(await panel().getByTestId('rollout-headline').innerText()).toBe('v4 stalled: 1 proxy has not acknowledged it')
    const missing = panel().getByTestId('rollout-missing-proxy')
    expect(await missing.count()).toBe(1)
    expect(await missing.getAttribute('data-node')).toBe('silent')
    expect(await missing.getAttribute('data-reason')).toBe('pending')
    expect(await missing.getAttribute('data-state')).toBe('STALE')
    expect(await missing.innerText()).toMatch(/connected, has not acknowledged it\s+since just now/)
    expect(await panel().getByTestId('rollout-count').innerText()).toMatch(/^2\/3\s+proxies on v4$/)
    await settle()
    await screenshot('05-stalled')

    // It connected after the commit: once gone, it is nobody the rollout waits for.
    silent.close()
    silent = undefined
    await expectPanel(4, 'converged')
    expect(await panel().getByTestId('rollout-count').innerText()).toMatch(/^2\/2\s+proxies on v4$/)
  })

  it('shows the same summary on a version’s own page: v3 superseded with its NACKs, v4 converged', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/versions/3`)
    await fx.page.getByTestId('version-detail').waitFor({ timeout: UI_TIMEOUT })
    await expectPanel(3, 'superseded')
    expect(await panel().getAttribute('data-rejected')).toBe('2')
    expect(await panel().getByTestId('rollout-superseded').innerText()).toContain('v4 is the active version of echo now')
    expect(await panel().getByTestId('rollout-rejections').innerText()).toContain('MAGLEV')
    expect(await panel().getByTestId('rollout-rollback').count()).toBe(0)
    expect(await panel().getByTestId('rollout-dismiss').count()).toBe(0)
    await settle()
    await screenshot('06-detail-superseded')

    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/versions/4`)
    await fx.page.getByTestId('version-detail').waitFor({ timeout: UI_TIMEOUT })
    await expectPanel(4, 'converged')
    expect(await panel().getByTestId('rollout-times').innerText()).toMatch(/^p50 /)
    await settle()
    await screenshot('07-detail-converged')
  })

  it('reads in the dark theme and on a narrow screen, with no errors in the browser console', async () => {
    await fx.page.emulateMedia({ colorScheme: 'dark' })
    await fx.page.goto(`${fx.server.baseUrl}/fleets/${FLEET}/versions?follow=3`)
    await expectPanel(3, 'superseded')
    await panel().getByTestId('rollout-rejection').waitFor({ timeout: UI_TIMEOUT })
    await settle()
    await screenshot('08-dark-superseded', false)

    await fx.page.emulateMedia({ colorScheme: 'light' })
    await fx.page.setViewportSize({ width: 420, height: 900 })
    await fx.page.reload()
    await expectPanel(3, 'superseded')
    // Nothing in the panel is wider than the screen.
    expect(await panel().evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true)
    await settle()
    await screenshot('09-narrow-superseded', false)
    await fx.page.setViewportSize({ width: 1440, height: 900 })
    expect(fx.pageErrors).toEqual([])
  })
})
