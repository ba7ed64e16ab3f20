import type * as grpc from '@grpc/grpc-js'
import { type Locator, type Request } from 'playwright-core'
import { afterAll, describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../server/config/demo'
import { setupConsole } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { waitFor } from '../support/wait-for'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient } from '../support/xds-client'
import { commitDraft, type ProxyView } from '../support/xds-fleet'

/**
 * The versions page in a real Chromium against the real server: history, diff (diff2html), a
 * version's own page, rollback with confirmation, pending draft changes listed and ticked (If-Match of
 * the draft shown; an edit made meanwhile is refused), and the live rollout
 * progress, first with no proxy connected (demo), then with two real xDS clients (@grpc/grpc-js-xds)
 * that ACK, NACK and recover.
 */
const UI_TIMEOUT = 15_000
const ECHO_FLEET = 'echo'

const fx = setupConsole('versions', { screenshotPrefix: 'versions-', uiTimeoutMs: UI_TIMEOUT })
const { api, attr, markPage: setMarker, samePage: marker, screenshot } = fx
let backend: EchoBackend | undefined
const clients: grpc.Client[] = []

afterAll(async () => {
  for (const c of clients) c.close()
  await backend?.stop()
})

/** Lets the animations in `within` that end (the progress bar's width, 500 ms) finish before a picture. */
const settle = (within: Locator) =>
  within.evaluate((el) => Promise.all(el.getAnimations({ subtree: true }).filter((a) => a.effect?.getTiming().iterations !== Infinity).map((a) => a.finished)))
const row = (n: number) => fx.page.locator(`[data-testid="version-row"][data-version="${n}"]`)
const rollout = () => fx.page.getByTestId('rollout-panel')

async function openVersions(fleet: string): Promise<void> {
  await fx.page.goto(`${fx.server.baseUrl}/fleets/${fleet}/versions`)
  await fx.page.locator('[data-testid="versions-page"][data-feed="live"]').waitFor({ timeout: UI_TIMEOUT })
}

describe('versions page', () => {
  it('server-renders the history of demo at v1, live on the tab’s one event feed', async () => {
    const feeds: string[] = []
    const onRequest = (request: Request): void => {
      if (new URL(request.url()).pathname === '/api/v1/events') feeds.push(request.url())
    }
    fx.page.on('request', onRequest)
    await openVersions('demo')
    fx.page.off('request', onRequest)
    // One EventSource for the whole tab (components/live), for every fleet: the page opens none of its own.
    expect(feeds.map((url) => new URL(url).search)).toEqual([''])
    expect(await row(1).getAttribute('data-active')).toBe('true')
    expect(await row(1).getByTestId('version-active-badge').innerText()).toBe('active')
    expect(await row(1).getByTestId('rollback-button').count()).toBe(0)
    expect(await row(1).getByTestId('version-convergence').innerText()).toContain('no proxies')
    expect(await fx.page.getByTestId('history-start').innerText()).toContain('first version')
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
    await expect.poll(attr(rollout(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('no-proxies')
    expect(await rollout().getAttribute('data-version')).toBe('2')
    expect(await marker()).toBe('same page')
    await screenshot('02-committed')
  })

  it('compares v1 and v2 with diff2html, unified and split', async () => {
    await row(1).getByTestId('compare-checkbox').check()
    await row(2).getByTestId('compare-checkbox').check()
    const link = fx.page.getByTestId('compare-link')
    expect(await link.innerText()).toMatch(/Compare v1\s*→?\s*v2/)
    await link.click()
    await fx.page.waitForURL(/\/fleets\/demo\/versions\/diff\?from=1&to=2$/, { timeout: UI_TIMEOUT })

    const diff = fx.page.getByTestId('version-diff')
    await diff.waitFor({ timeout: UI_TIMEOUT })
    const card = diff.locator('[data-testid="resource-change"][data-type="Cluster"][data-name="service"]')
    expect(await card.getAttribute('data-change')).toBe('modified')
    expect(await card.locator('.d2h-wrapper').count()).toBe(1)
    expect(await card.locator('.d2h-del .d2h-code-line-ctn').first().innerText()).toContain('connect_timeout: 0.25s')
    expect(await card.locator('.d2h-ins .d2h-code-line-ctn').first().innerText()).toContain('connect_timeout: 1s')
    await screenshot('03-diff-unified')

    await fx.page.getByTestId('diff-view-toggle').locator('[data-format="side-by-side"]').click()
    await card.locator('[data-testid="patch"][data-format="side-by-side"] .d2h-files-diff').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('03a-diff-split')
    // The choice is remembered: back to unified for the rest of the run.
    await fx.page.getByTestId('diff-view-toggle').locator('[data-format="line-by-line"]').click()
    await card.locator('[data-testid="patch"][data-format="line-by-line"]').waitFor({ timeout: UI_TIMEOUT })
  })

  it('shows a version with its resources as YAML and its diff against its parent', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/versions/2`)
    const detail = fx.page.getByTestId('version-detail')
    await detail.waitFor({ timeout: UI_TIMEOUT })
    expect(await fx.page.getByTestId('version-active-badge').count()).toBe(1)
    const parentDiff = fx.page.getByTestId('version-parent-diff')
    expect(await parentDiff.innerText()).toContain('Changes from v1')
    expect(await parentDiff.locator('.d2h-ins .d2h-code-line-ctn').first().innerText()).toContain('connect_timeout: 1s')
    const resources = fx.page.getByTestId('version-resource')
    expect(await resources.count()).toBe(DEMO_RESOURCES.length)
    const cluster = fx.page.locator('[data-testid="version-resource"][data-type="Cluster"][data-name="service"]')
    // The page is server-rendered: a click before React has hydrated it does nothing (CI saw the YAML
    // never open under load). The tab's live feed is connected only once the client runs.
    await fx.page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI_TIMEOUT })
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
    const dialog = fx.page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    const diffText = await dialog.getByTestId('rollback-diff').innerText()
    expect(diffText).toContain('Changes from v2 (active) to v1')
    expect(diffText).toContain('connect_timeout')
    expect(await dialog.locator('.d2h-wrapper').count()).toBe(1)
    await screenshot('05-rollback-dialog')

    await dialog.getByTestId('rollback-confirm').click()
    const toast = fx.page.getByTestId('toast')
    await toast.waitFor({ timeout: UI_TIMEOUT })
    expect(await toast.innerText()).toContain('v3 is now active')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })

    await expect.poll(attr(row(3), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')
    expect(await row(2).getAttribute('data-active')).toBe('false')
    expect(await row(3).getByTestId('version-origin').innerText()).toBe('rollback of v1')
    await expect.poll(attr(rollout(), 'data-version'), { timeout: UI_TIMEOUT }).toBe('3')
    await expect.poll(attr(rollout(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('no-proxies')
    expect(await marker()).toBe('same page')
    await screenshot('05a-rolled-back')
  })

  it('refuses a nothing-to-do rollback before asking the server', async () => {
    // v3 has v1's content, so rolling back to v1 again would be refused (409 VERSION.ALREADY_ACTIVE).
    await row(1).getByTestId('rollback-button').click()
    const dialog = fx.page.getByTestId('rollback-dialog')
    await dialog.getByTestId('rollback-no-changes').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('rollback-confirm').isDisabled()).toBe(true)
    await fx.page.keyboard.press('Escape')
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
  })

  it('lists the draft’s pending changes and rolls back over them only once ticked, with If-Match of the draft it showed; an edit made meanwhile is refused, never lost', async () => {
    const cluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster' && r.name === 'service')!.resource
    // An uncommitted change in the draft before the dialog opens.
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/service', { body: { ...cluster, connect_timeout: '3s' } })).status).toBe(200)
    const rollbackIfMatch: Array<string | undefined> = []
    const onRequest = (request: Request): void => {
      if (request.method() === 'POST' && request.url().endsWith('/versions/2/rollback')) rollbackIfMatch.push(request.headers()['if-match'])
    }
    fx.page.on('request', onRequest)

    await row(2).getByTestId('rollback-button').click()
    const dialog = fx.page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    const pending = dialog.getByTestId('rollback-pending')
    await pending.waitFor({ timeout: UI_TIMEOUT })
    const changes = () => pending.getByTestId('rollback-pending-change').evaluateAll((els) => els.map((el) => `${el.getAttribute('data-change')} ${el.getAttribute('data-type')}/${el.getAttribute('data-name')}`))
    expect(await changes()).toEqual(['modified Cluster/service'])
    const shownRevision = await pending.getAttribute('data-revision')
    const confirm = dialog.getByTestId('rollback-confirm')
    expect(await confirm.getAttribute('data-discard')).toBe('true')
    expect(await confirm.innerText()).toContain('Discard 1 change and roll back')
    expect(await confirm.isDisabled()).toBe(true)
    await screenshot('06-pending-changes')

    // Someone else adds a cluster while the dialog is open, after the operator reviewed the list.
    expect((await api('PUT', '/api/v1/fleets/demo/draft/clusters/late', { body: { ...cluster, name: 'late', load_assignment: { ...cluster['load_assignment'] as object, cluster_name: 'late' } } })).status).toBe(201)
    await dialog.getByTestId('rollback-discard-confirm').check()
    expect(await confirm.isDisabled()).toBe(false)
    fx.expectError(/^409 POST .*\/api\/v1\/fleets\/demo\/versions\/2\/rollback$/)
    await confirm.click()

    // Refused: the dialog shows the draft as it is now and asks again.
    const conflict = dialog.getByTestId('rollback-conflict')
    await conflict.waitFor({ timeout: UI_TIMEOUT })
    expect(await conflict.innerText()).toContain('changed while you were reviewing')
    await expect.poll(changes, { timeout: UI_TIMEOUT }).toEqual(['added Cluster/late', 'modified Cluster/service'])
    expect(await dialog.getByTestId('rollback-discard-confirm').isChecked()).toBe(false)
    expect(await confirm.isDisabled()).toBe(true)
    expect((await api<{ resources: Array<{ name: string }> }>('GET', '/api/v1/fleets/demo/draft/clusters')).body.resources.map((r) => r.name)).toContain('late')
    await screenshot('06a-draft-conflict')

    await dialog.getByTestId('rollback-discard-confirm').check()
    await confirm.click()
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
    fx.page.off('request', onRequest)
    await expect.poll(attr(row(4), 'data-active'), { timeout: UI_TIMEOUT }).toBe('true')
    expect(await row(4).getByTestId('version-origin').innerText()).toBe('rollback of v2')
    expect(rollbackIfMatch).toEqual([`"${shownRevision}"`, `"${Number(shownRevision) + 1}"`])

    const fleet = await api<{ pendingChanges: number; activeVersion: { number: number } }>('GET', '/api/v1/fleets/demo')
    expect(fleet.body).toMatchObject({ pendingChanges: 0, activeVersion: { number: 4 } })
  })

  it('follows a rollout to real xDS clients: n/N, NACKs with the client’s message, and recovery by rollback', async () => {
    backend = await startEchoBackend('backend-1')
    expect(await createEchoFleet(api, ECHO_FLEET, [backend])).toBe(1)
    for (const nodeId of ['client-a', 'client-b']) {
      const c = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId, fleet: ECHO_FLEET, target: 'echo' })
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
    expect(await commitRejectedCluster(api, ECHO_FLEET, [backend])).toBe(2)
    await expect.poll(attr(rollout(), 'data-version'), { timeout: UI_TIMEOUT }).toBe('2')
    await expect.poll(attr(rollout(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('rejected')
    // Both clients rejected the same Cluster with the same text: one entry naming both.
    await expect.poll(attr(rollout(), 'data-rejected'), { timeout: UI_TIMEOUT }).toBe('2')
    expect(await rollout().getByTestId('rollout-rejection').getAttribute('data-nodes')).toBe('client-a client-b')
    expect(await rollout().getByTestId('rollout-rejections').innerText()).toContain('MAGLEV')
    expect(await rollout().getAttribute('data-on-target')).toBe('0')
    expect(await rollout().getByTestId('rollout-count').innerText()).toMatch(/0\/2\s+proxies on v2/)
    await settle(rollout())
    await screenshot('07-rollout-nacked')

    // Roll back from the page: v3 (v1's content) reaches both clients.
    await row(1).getByTestId('rollback-button').click()
    const dialog = fx.page.getByTestId('rollback-dialog')
    await dialog.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    expect(await dialog.getByTestId('rollback-diff').innerText()).toContain('MAGLEV')
    await dialog.getByTestId('rollback-confirm').click()
    await dialog.waitFor({ state: 'hidden', timeout: UI_TIMEOUT })
    await expect.poll(attr(rollout(), 'data-version'), { timeout: UI_TIMEOUT }).toBe('3')
    await expect.poll(attr(rollout(), 'data-state'), { timeout: UI_TIMEOUT }).toBe('converged')
    expect(await rollout().getAttribute('data-on-target')).toBe('2')
    expect(await rollout().getByTestId('rollout-count').innerText()).toMatch(/2\/2\s+proxies on v3/)
    expect(await rollout().getByTestId('rollout-headline').innerText()).toBe('v3 reached every proxy')
    await expect.poll(() => row(3).getByTestId('version-convergence').getAttribute('data-on'), { timeout: UI_TIMEOUT }).toBe('2')
    expect(await marker()).toBe('same page')
    await settle(rollout())
    await screenshot('08-rollout-converged')
  })

  it('renders in the dark theme and on a narrow screen, with no errors in the browser console', async () => {
    await fx.page.emulateMedia({ colorScheme: 'dark' })
    await fx.page.goto(`${fx.server.baseUrl}/fleets/demo/versions/diff?from=1&to=2`)
    await fx.page.getByTestId('version-diff').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('09-dark-diff')
    await openVersions(ECHO_FLEET)
    await row(2).getByTestId('rollback-button').click()
    await fx.page.locator('[data-testid="rollback-diff"][data-state="ready"]').waitFor({ timeout: UI_TIMEOUT })
    await screenshot('09a-dark-dialog')
    await fx.page.keyboard.press('Escape')
    await fx.page.getByTestId('rollback-dialog').waitFor({ state: 'hidden', timeout: UI_TIMEOUT })

    await fx.page.emulateMedia({ colorScheme: 'light' })
    await fx.page.setViewportSize({ width: 420, height: 900 })
    await openVersions('demo')
    await screenshot('10-narrow')
    expect(fx.pageErrors).toEqual([])
  })
})
