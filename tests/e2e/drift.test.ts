import type * as grpc from '@grpc/grpc-js'
import path from 'node:path'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { recordPageErrors } from '../support/browser'
import { proxyRow, SCREENSHOTS, setupConsole } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { waitFor } from '../support/wait-for'
import { commitRejectedCluster, createEchoFleet, createXdsEchoClient } from '../support/xds-client'
import { expectSyncedOnEveryType, getProxy } from '../support/xds-fleet'

/**
 * #11 item 6 in a real Chromium, with two real xDS clients (@grpc/grpc-js-xds, which NACK a MAGLEV
 * cluster and keep running the one they had): the proxy page's "Desired vs actual" says a proxy
 * differs from the active version on Cluster echo-backend, with the diff, and the proxies list
 * filtered to "not running the active version" lists both; after a rollback the page says it runs
 * the active version and the filter lists none. Both pages stay open and follow the live feed.
 */
const UI_TIMEOUT = 20_000
const FLEET = 'echo'
const NODES = ['drift-a', 'drift-b']
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }

const fx = setupConsole('drift-e2e', { screenshotPrefix: 'drift-', uiTimeoutMs: UI_TIMEOUT })
const { api, attr, markPage, samePage } = fx
let backend: EchoBackend | undefined
const clients: grpc.Client[] = []
/** A second tab on the proxies list, open next to the proxy page. */
let listPage: Page | undefined

const panel = () => fx.page.getByTestId('proxy-drift')
const verdict = () => panel().getByTestId('drift-verdict')
const typeSection = (type: string) => panel().locator(`[data-testid="drift-type"][data-type="${type}"]`)
const onActiveFilter = (page: Page) => page.getByTestId('on-active-filter')

/** Screenshots of `page` at desktop and phone sizes; the page keeps the desktop size afterwards. */
async function screenshots(page: Page, name: string): Promise<void> {
  const shoot = (suffix: string) => page.screenshot({ path: path.join(SCREENSHOTS, `drift-${name}-${suffix}.png`), fullPage: true })
  await page.setViewportSize(DESKTOP)
  await shoot('desktop')
  await page.setViewportSize(PHONE)
  await shoot('phone')
  await page.setViewportSize(DESKTOP)
}

/** The nodes the list tab shows, sorted. */
const listedNodes = async (page: Page): Promise<string[]> => (await page.getByTestId('proxy-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-node-id') ?? ''))).sort()

beforeAll(async () => {
  backend = await startEchoBackend('backend-1')
  expect(await createEchoFleet(api, FLEET, [backend])).toBe(1)
  for (const nodeId of NODES) {
    const c = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId, fleet: FLEET, target: 'echo' })
    clients.push(c)
    expect(await callEcho(c)).toBe('backend-1')
  }
  for (const nodeId of NODES) await waitFor(async () => (expectSyncedOnEveryType(await getProxy(api, nodeId)), true), { what: `${nodeId} SYNCED on every type` })
  await fx.page.setViewportSize(DESKTOP)
})

afterAll(async () => {
  await listPage?.context().close()
  for (const c of clients) c.close()
  await backend?.stop()
})

describe('desired vs actual per proxy', () => {
  it('says a SYNCED proxy runs the active version v1, and what each type ACKed', async () => {
    await fx.page.goto(`${fx.server.baseUrl}/proxies/${NODES[0]}`)
    await panel().waitFor({ timeout: UI_TIMEOUT })
    // Server-rendered: the verdict is there without waiting for the browser to ask.
    expect(await verdict().getAttribute('data-verdict')).toBe('runs-active')
    expect(await verdict().getByTestId('drift-verdict-text').innerText()).toBe('Runs the active version v1')
    expect(await panel().getByTestId('drift-type').evaluateAll((els) => els.map((e) => e.getAttribute('data-type')))).toEqual(['CDS', 'EDS', 'LDS', 'RDS'])
    for (const type of ['CDS', 'EDS', 'LDS', 'RDS']) {
      expect(await typeSection(type).getByTestId('drift-acked').innerText()).toBe('ACKed v1')
      expect(await typeSection(type).getByTestId('drift-comparison').innerText()).toBe('matches v1')
    }
    expect(await panel().getByTestId('resource-change').count()).toBe(0)
    await fx.page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI_TIMEOUT })
    await markPage()
  })

  it('after a version both clients NACK, says the proxy differs from v2 on Cluster echo-backend, with the MAGLEV diff, without a reload', async () => {
    expect(await commitRejectedCluster(api, FLEET, [backend!])).toBe(2)

    await expect.poll(attr(verdict(), 'data-verdict'), { timeout: UI_TIMEOUT }).toBe('differs')
    expect(await verdict().getAttribute('data-active-version')).toBe('2')
    expect(await verdict().getByTestId('drift-verdict-text').innerText()).toBe('Differs from v2 on 1 resource')
    const cds = typeSection('CDS')
    await expect.poll(attr(cds, 'data-state'), { timeout: UI_TIMEOUT }).toBe('NACKED')
    expect(await cds.getAttribute('data-changes')).toBe('1')
    // grpc-js-xds keeps the cluster it ACKed with version 1.
    expect(await cds.getByTestId('drift-acked').innerText()).toBe('ACKed v1')
    expect(await cds.getByTestId('drift-comparison').innerText()).toBe('1 resource differs')
    for (const type of ['EDS', 'LDS', 'RDS']) {
      expect(await typeSection(type).getAttribute('data-changes')).toBe('0')
      expect(await typeSection(type).getByTestId('drift-comparison').innerText()).toBe('matches v2')
    }

    const card = cds.getByTestId('resource-change')
    expect(await card.count()).toBe(1)
    expect(await card.getAttribute('data-type')).toBe('Cluster')
    expect(await card.getAttribute('data-name')).toBe('echo-backend')
    expect(await card.getAttribute('data-change')).toBe('modified')
    // Rendered by diff2html, from what the proxy runs (−) to what v2 wants (+).
    const patch = card.getByTestId('patch')
    expect(await patch.getAttribute('data-format')).toBe('line-by-line')
    expect(await patch.locator('.d2h-ins .d2h-code-line-ctn').allInnerTexts()).toEqual([expect.stringContaining('lb_policy: MAGLEV')])
    expect(await patch.locator('.d2h-del .d2h-code-line-ctn').allInnerTexts()).toEqual([expect.stringContaining('lb_policy: ROUND_ROBIN')])
    const link = card.getByTestId('drift-resource-link')
    expect(await link.getAttribute('href')).toBe(`/fleets/${FLEET}/resources/clusters/echo-backend`)
    expect(await samePage()).toBe('same page')

    // The toggle every diff of the console shares switches this one to side by side.
    await panel().getByTestId('diff-view-toggle').locator('[data-format="side-by-side"]').click()
    await expect.poll(attr(patch, 'data-format'), { timeout: UI_TIMEOUT }).toBe('side-by-side')
    expect(await patch.innerText()).toContain('MAGLEV')
    await screenshots(fx.page, '01-differs-split')
    await panel().getByTestId('diff-view-toggle').locator('[data-format="line-by-line"]').click()
    await expect.poll(attr(patch, 'data-format'), { timeout: UI_TIMEOUT }).toBe('line-by-line')
    await screenshots(fx.page, '02-differs')

    // The link opens the cluster in the resources view.
    await link.click()
    await fx.page.waitForURL(new RegExp(`/fleets/${FLEET}/resources/clusters/echo-backend$`), { timeout: UI_TIMEOUT })
    await fx.page.goBack()
    await fx.page.waitForURL(new RegExp(`/proxies/${NODES[0]}$`), { timeout: UI_TIMEOUT })
    await expect.poll(attr(verdict(), 'data-verdict'), { timeout: UI_TIMEOUT }).toBe('differs')
  })

  it('the proxies list filtered to “Not running the active version” (?onActive=false) lists both clients', async () => {
    // Its own context, signed in with the first one's session cookie.
    const context = await fx.page.context().browser()!.newContext({ storageState: await fx.page.context().storageState(), colorScheme: 'light' })
    listPage = await context.newPage()
    recordPageErrors(listPage, fx.pageErrors)
    await listPage.setViewportSize(DESKTOP)
    await listPage.goto(`${fx.server.baseUrl}/proxies?fleet=${FLEET}`)
    for (const nodeId of NODES) await proxyRow(listPage, nodeId).waitFor({ timeout: UI_TIMEOUT })
    expect(await onActiveFilter(listPage).getAttribute('aria-pressed')).toBe('false')
    expect(await onActiveFilter(listPage).innerText()).toBe('Not running the active version')

    await onActiveFilter(listPage).click()
    await expect.poll(() => new URL(listPage!.url()).searchParams.get('onActive')).toBe('false')
    expect(new URL(listPage.url()).searchParams.get('fleet')).toBe(FLEET)
    expect(await onActiveFilter(listPage).getAttribute('aria-pressed')).toBe('true')
    await expect.poll(() => listPage!.getByTestId('proxies-count').innerText(), { timeout: UI_TIMEOUT }).toBe(`2 proxies not running the active version in ${FLEET}`)
    expect(await listedNodes(listPage)).toEqual(NODES)

    // The URL is the filter: opened as a link, the server renders the same list.
    await listPage.reload()
    for (const nodeId of NODES) await proxyRow(listPage, nodeId).waitFor({ timeout: UI_TIMEOUT })
    expect(await listedNodes(listPage)).toEqual(NODES)
    expect(await onActiveFilter(listPage).getAttribute('aria-pressed')).toBe('true')
    await listPage.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI_TIMEOUT })
    await screenshots(listPage, '03-list-not-on-active')
    // On a phone the node id, the column that says which proxy, stays in view when the table scrolls sideways.
    await listPage.setViewportSize(PHONE)
    const scroll = listPage.getByTestId('proxies-scroll')
    await scroll.evaluate((el) => el.scrollTo({ left: el.scrollWidth }))
    await expect.poll(() => scroll.evaluate((el) => el.scrollLeft > 0)).toBe(true)
    const link = proxyRow(listPage, NODES[0]!).getByTestId('proxy-link')
    const box = await link.boundingBox()
    expect(box?.x ?? -1).toBeGreaterThanOrEqual(0)
    expect((box?.x ?? PHONE.width) + 20).toBeLessThan(PHONE.width)
    await listPage.screenshot({ path: path.join(SCREENSHOTS, 'drift-04-list-phone-scrolled.png') })
    await scroll.evaluate((el) => el.scrollTo({ left: 0 }))
    await listPage.setViewportSize(DESKTOP)
    await markPage()
  })

  it('after a rollback, the proxy page says it runs the active version and the filter lists none, both without a reload', async () => {
    await listPage!.evaluate(() => ((window as unknown as { e2eMarker: string }).e2eMarker = 'same list'))
    const rollback = await api<{ number: number }>('POST', `/api/v1/fleets/${FLEET}/versions/1/rollback`, { body: {} })
    expect(rollback.status, rollback.text).toBe(201)
    const v3 = rollback.body.number
    expect(v3).toBe(3)

    await expect.poll(attr(verdict(), 'data-verdict'), { timeout: UI_TIMEOUT }).toBe('runs-active')
    expect(await verdict().getByTestId('drift-verdict-text').innerText()).toBe(`Runs the active version v${v3}`)
    expect(await panel().getByTestId('resource-change').count()).toBe(0)
    expect(await typeSection('CDS').getAttribute('data-state')).toBe('SYNCED')
    expect(await typeSection('CDS').getByTestId('drift-acked').innerText()).toBe(`ACKed v${v3}`)
    expect(await samePage()).toBe('same page')
    await screenshots(fx.page, '05-runs-active')

    const empty = listPage!.getByTestId('proxies-empty')
    await empty.waitFor({ timeout: UI_TIMEOUT })
    expect(await empty.innerText()).toContain(`Every connected proxy of ${FLEET} runs its fleet’s active version`)
    expect(await listPage!.getByTestId('proxy-row').count()).toBe(0)
    expect(await listPage!.evaluate(() => (window as unknown as { e2eMarker?: string }).e2eMarker)).toBe('same list')
    // The same answer as the API's.
    const off = await api<{ proxies: unknown[] }>('GET', `/api/v1/proxies?fleet=${FLEET}&onActive=false`)
    expect(off.body.proxies).toEqual([])
    await screenshots(listPage!, '06-list-none')

    // Clearing the filter shows both again.
    await onActiveFilter(listPage!).click()
    await expect.poll(() => new URL(listPage!.url()).searchParams.get('onActive')).toBe(null)
    for (const nodeId of NODES) await proxyRow(listPage!, nodeId).waitFor({ timeout: UI_TIMEOUT })
  })

  it('ran without errors in the browser console', () => {
    expect(fx.pageErrors).toEqual([])
  })
})
