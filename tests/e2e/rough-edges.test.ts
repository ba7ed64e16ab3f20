import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe'
import { setupConsole } from '../support/console-fixture'
import { waitFor } from '../support/wait-for'
import { CLUSTER_TYPE_URL, getProxy } from '../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../support/xds-protocol-client'

/**
 * The rough edges of #15 a first-time operator trips over, in a real Chromium against the real
 * server: an unknown URL and a missing version, resource or proxy; fleets created and edited in the
 * console, a selector that would take other fleets' proxies confirmed first; the skip link and the
 * focus ring of table row links; toasts that leave by themselves; axe-core over the main pages; the
 * versions table on a phone. Two raw xDS streams (node ids edge-1 and edge-2, node.cluster demo)
 * are the connected proxies a selector can take.
 */
const UI = 15_000
const fx = setupConsole('rough_edges', { uiTimeoutMs: UI, screenshotPrefix: 'rough-edges-' })
const { api, screenshot } = fx
const base = () => fx.server.baseUrl
const fleetRow = (fleet: string) => fx.page.locator(`[data-testid="fleet-row"][data-fleet="${fleet}"]`)
const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []

beforeAll(async () => {
  for (const id of ['edge-1', 'edge-2']) {
    const stream = openSotwStream(fx.xdsPort)
    streams.push(stream)
    stream.send({ type_url: CLUSTER_TYPE_URL, node: { id, cluster: 'demo' } })
    const res = await stream.next()
    stream.send({ type_url: CLUSTER_TYPE_URL, version_info: res.version_info, response_nonce: res.nonce })
    await waitFor(
      async () => {
        const p = await getProxy(api, id)
        expect(p?.fleet).toBe('demo')
        expect(p?.disconnectedAt).toBeNull()
        return true
      },
      { what: `${id} connected to demo` },
    )
  }
})
afterAll(() => {
  for (const s of streams) s.close()
})

/** How long the server takes to render a console page (the HTML alone, with the page's session cookie). */
async function renderTime(page: Page, path: string): Promise<{ ms: number; status: number }> {
  const started = Date.now()
  const res = await page.request.get(`${base()}${path}`)
  return { ms: Date.now() - started, status: res.status() }
}

describe('not found', () => {
  it('an unknown URL gets a 404 page inside the console, with a way back', async () => {
    fx.expectError(/^404 GET .*\/no\/such-page$/)
    const res = await fx.page.goto(`${base()}/no/such-page`)
    expect(res?.status()).toBe(404)
    await fx.page.getByTestId('not-found').waitFor({ timeout: UI })
    expect(await fx.page.getByRole('heading', { name: 'Page not found' }).isVisible()).toBe(true)
    // The console's navigation is there too.
    expect(await fx.page.locator('aside').getByRole('link', { name: 'Proxies' }).first().isVisible()).toBe(true)
    await screenshot('404')
    await fx.page.getByTestId('not-found-home').click()
    await fleetRow('demo').waitFor({ timeout: UI })
    expect(new URL(fx.page.url()).pathname).toBe('/')
  })

  it('a console page that calls notFound() shows the same page in the layout', async () => {
    fx.expectError(/^404 GET .*\/fleets\/demo\/versions\/not-a-number$/)
    const res = await fx.page.goto(`${base()}/fleets/demo/versions/not-a-number`)
    expect(res?.status()).toBe(404)
    await fx.page.getByTestId('not-found').waitFor({ timeout: UI })
    expect(await fx.page.getByTestId('skip-link').count()).toBe(1)
  })

  it('an unknown API path still answers the API error shape', async () => {
    const res = await api<{ error: { code: string } }>('GET', '/api/v1/no-such-thing')
    expect(res.status).toBe(404)
    expect(res.body.error.code).toBe('REQUEST.NOT_FOUND')
  })

  it('a missing version, resource or proxy renders at once (no retries of the 404) and says so', async () => {
    // Before: the server's prefetch retried the services' 404 twice (1 s + 2 s) before rendering.
    for (const path of ['/fleets/demo/versions/999', '/fleets/demo/resources/clusters/nope', '/proxies/nobody']) {
      const { ms, status } = await renderTime(fx.page, path)
      expect(status, path).toBe(200)
      expect(ms, `${path} rendered in ${ms} ms`).toBeLessThan(1500)
    }
    fx.expectError(/^404 GET .*\/api\/v1\/(fleets\/demo\/versions\/999|fleets\/demo\/draft\/clusters\/nope|proxies\/nobody)/)
    await fx.page.goto(`${base()}/fleets/demo/versions/999`)
    expect(await fx.page.getByTestId('error-notice').innerText({ timeout: UI })).toMatch(/not found|no version/i)
    await fx.page.goto(`${base()}/proxies/nobody`)
    await fx.page.getByTestId('proxy-not-found').waitFor({ timeout: UI })
  })
})

describe('fleets in the console', () => {
  it('creates a fleet whose selector takes connected proxies of demo, after showing them and asking', async () => {
    await fx.page.goto(`${base()}/`)
    await fx.page.getByTestId('new-fleet').click()
    const dialog = fx.page.getByTestId('fleet-dialog')
    await dialog.getByLabel('Name').fill('canary')
    await dialog.getByLabel('Description').fill('Canary proxies')
    await dialog.getByLabel('Which proxies').selectOption('selector')
    // A selector with no condition is refused in the form, before any request.
    await fx.page.getByTestId('dialog-submit').click()
    expect(await dialog.locator('[data-field="nodeIdGlob"]').getByTestId('field-error').innerText()).toMatch(/give at least one condition/i)

    await dialog.getByLabel('Node id glob').fill('edge-*')
    fx.expectError(/^409 POST .*\/api\/v1\/fleets$/)
    await fx.page.getByTestId('dialog-submit').click()
    const confirmation = fx.page.getByTestId('takeover-confirmation')
    await confirmation.waitFor({ timeout: UI })
    const listed = await confirmation.getByTestId('takeover-row').evaluateAll((rows) => rows.map((r) => r.textContent))
    expect(listed.sort()).toEqual(['edge-1 from demo', 'edge-2 from demo'])
    expect(await fx.page.getByTestId('dialog-submit').innerText()).toBe('Take over 2 proxies')
    // Nothing was created yet.
    expect((await api('GET', '/api/v1/fleets/canary')).status).toBe(404)
    await screenshot('fleet-takeover')

    await fx.page.getByTestId('dialog-submit').click()
    await fx.waitForToast('Fleet canary created')
    await fleetRow('canary').waitFor({ timeout: UI })
    expect(await fleetRow('canary').getByTestId('fleet-match-rule').innerText()).toContain("node id ~ 'edge-*'")
    const created = await api<{ description: string; selector: unknown }>('GET', '/api/v1/fleets/canary')
    expect(created.body).toMatchObject({ description: 'Canary proxies', selector: { nodeIdGlob: 'edge-*' } })
  })

  it('the success toast leaves by itself', async () => {
    await fx.page.getByTestId('toast').filter({ hasText: 'Fleet canary created' }).waitFor({ state: 'detached', timeout: 10_000 })
  })

  it("edits a fleet's description and selector; its name stays", async () => {
    await fleetRow('canary').getByTestId('edit-fleet').click()
    const dialog = fx.page.getByTestId('fleet-dialog')
    expect(await dialog.getByLabel('Name').count()).toBe(0)
    expect(await dialog.getByLabel('Node id glob').inputValue()).toBe('edge-*')
    await dialog.getByLabel('Description').fill('Canary proxies, first wave')
    await dialog.getByLabel('Node id glob').fill('edge-1')
    await dialog.getByLabel('Node metadata').fill('wave=1')
    await screenshot('fleet-edit')
    await fx.page.getByTestId('dialog-submit').click()
    await fx.waitForToast('Fleet canary updated')
    await expect.poll(() => fleetRow('canary').getByTestId('fleet-match-rule').innerText(), { timeout: UI }).toContain("node id ~ 'edge-1' and metadata wave = '1'")
    expect(await fleetRow('canary').innerText()).toContain('Canary proxies, first wave')
    const updated = await api<{ description: string; selector: unknown }>('GET', '/api/v1/fleets/canary')
    expect(updated.body).toMatchObject({ description: 'Canary proxies, first wave', selector: { nodeIdGlob: 'edge-1', metadata: { wave: '1' } } })
  })

  it('a selector matching every proxy is refused with the server’s reason', async () => {
    await fleetRow('canary').getByTestId('edit-fleet').click()
    const dialog = fx.page.getByTestId('fleet-dialog')
    await dialog.getByLabel('Node id glob').fill('*')
    await dialog.getByLabel('Node metadata').fill('')
    fx.expectError(/^409 PATCH .*\/api\/v1\/fleets\/canary$/)
    await fx.page.getByTestId('dialog-submit').click()
    expect(await dialog.locator('[data-field="nodeIdGlob"]').getByTestId('field-error').innerText({ timeout: UI })).toMatch(/matches every proxy/i)
    await dialog.getByRole('button', { name: 'Cancel' }).click()
    await dialog.waitFor({ state: 'detached', timeout: UI })
    expect((await api<{ selector: unknown }>('GET', '/api/v1/fleets/canary')).body.selector).toEqual({ nodeIdGlob: 'edge-1', metadata: { wave: '1' } })
  })
})

describe('keyboard and contrast', () => {
  it('the first Tab focuses the skip link; Enter moves the focus to the main content', async () => {
    await fx.page.goto(`${base()}/proxies`)
    await fx.page.keyboard.press('Tab')
    expect(await fx.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).toBe('skip-link')
    const box = await fx.page.getByTestId('skip-link').boundingBox()
    expect(box?.width).toBeGreaterThan(40) // shown when focused, not only to screen readers
    await screenshot('skip-link', false)
    await fx.page.keyboard.press('Enter')
    expect(await fx.page.evaluate(() => document.activeElement?.id)).toBe('main')
    // The next Tab goes into the page, not back through the navigation; a proxy row's link shows a ring.
    let focused: string | null | undefined = null
    for (let i = 0; i < 30 && focused !== 'proxy-link'; i++) {
      await fx.page.keyboard.press('Tab')
      focused = await fx.page.evaluate(() => document.activeElement?.getAttribute('data-testid'))
      expect(await fx.page.evaluate(() => document.activeElement?.closest('aside'))).toBeNull()
    }
    expect(focused).toBe('proxy-link')
    const outline = await fx.page.evaluate(() => {
      const s = getComputedStyle(document.activeElement!)
      return `${s.outlineStyle} ${s.outlineWidth}`
    })
    expect(outline).toBe('solid 2px')
    await screenshot('row-link-focus', false)
  })

  const PAGES: ReadonlyArray<[string, string, string]> = [
    ['overview', '/', '[data-testid="fleet-row"]'],
    ['resources', '/fleets/demo/resources', 'table'],
    ['changes', '/fleets/demo/changes', 'main h1'],
    ['versions', '/fleets/demo/versions', '[data-testid="version-row"]'],
    ['proxies', '/proxies', '[data-testid="proxy-row"]'],
    ['a proxy', '/proxies/edge-2', '[data-testid="type-status-table"], table'],
    ['audit', '/audit', 'table'],
    ['users', '/settings/users', 'table'],
    ['404', '/no/such-page', '[data-testid="not-found"]'],
  ]

  for (const theme of ['light', 'dark'] as const) {
    it(`axe-core finds no serious or critical violation on the main pages (${theme})`, async () => {
      fx.expectError(/^404 GET .*\/no\/such-page$/)
      await fx.page.emulateMedia({ colorScheme: theme })
      const found: string[] = []
      try {
        for (const [name, path, ready] of PAGES) {
          await fx.page.goto(`${base()}${path}`)
          await fx.page.locator(ready).first().waitFor({ timeout: UI })
          expect(await fx.page.evaluate(() => document.documentElement.classList.contains('dark'))).toBe(theme === 'dark')
          found.push(...(await seriousViolations(fx.page)).map((v) => `${name}: ${v}`))
        }
      } finally {
        await fx.page.emulateMedia({ colorScheme: 'light' })
      }
      expect(found).toEqual([])
    })
  }
})

describe('TLS in the resource tables', () => {
  const DOWNSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'
  const UPSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'
  const rowOf = (name: string) => fx.page.locator('tr', { has: fx.page.getByTestId('row-name').filter({ hasText: name }) })

  it('a cluster with a TLS transport socket shows TLS, its SNI and SDS secret; a listener its TLS chains', async () => {
    const cluster = {
      name: 'secure-api',
      connect_timeout: '1s',
      type: 'STATIC',
      load_assignment: { cluster_name: 'secure-api', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 8443 } } } }] }] },
      transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': UPSTREAM, sni: 'api.example.com', common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'client-cert', sds_config: { ads: {} } }] } } },
    }
    const put = await api('PUT', '/api/v1/fleets/demo/draft/clusters/secure-api', { body: cluster })
    expect(put.status, put.text).toBe(201)
    const listener = {
      name: 'tls-in',
      address: { socket_address: { address: '0.0.0.0', port_value: 10443 } },
      filter_chains: [
        {
          filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'tls_in', cluster: 'secure-api' } }],
          transport_socket: { name: 'envoy.transport_sockets.tls', typed_config: { '@type': DOWNSTREAM, common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'edge-cert', sds_config: { ads: {} } }] } } },
        },
      ],
    }
    const putListener = await api('PUT', '/api/v1/fleets/demo/draft/listeners/tls-in', { body: listener })
    expect(putListener.status, putListener.text).toBe(201)

    await fx.page.goto(`${base()}/fleets/demo/resources/clusters`)
    const marker = rowOf('secure-api').getByTestId('tls-marker')
    await marker.waitFor({ timeout: UI })
    expect(await marker.getByTestId('tls-sni').innerText()).toBe('api.example.com')
    expect(await marker.getByTestId('tls-secrets').innerText()).toContain('client-cert')
    expect(await marker.getByRole('link', { name: 'client-cert' }).getAttribute('href')).toBe('/fleets/demo/resources/secrets/client-cert')
    expect(await rowOf('service').getByTestId('tls-marker').count()).toBe(0)
    await screenshot('tls-clusters')
    expect(await seriousViolations(fx.page)).toEqual([])

    await fx.page.goto(`${base()}/fleets/demo/resources/listeners`)
    const listenerMarker = rowOf('tls-in').getByTestId('tls-marker')
    await listenerMarker.waitFor({ timeout: UI })
    expect(await listenerMarker.getByTestId('tls-secrets').innerText()).toContain('edge-cert')
    expect(await rowOf('tls-in').getByTestId('chain-tls').count()).toBe(1)
    expect(await rowOf('listener_0').getByTestId('tls-marker').count()).toBe(0)
    await screenshot('tls-listeners')
  })

  it("a resource page says whether the draft's resource is the served one", async () => {
    const state = fx.page.getByTestId('resource-served-state')
    // Unchanged since v1: not "saved to the draft, not yet served".
    await fx.page.goto(`${base()}/fleets/demo/resources/clusters/service`)
    await expect.poll(fx.attr(state, 'data-state'), { timeout: UI }).toBe('served')
    expect(await fx.page.getByTestId('resource-revision').innerText()).toContain('the same as the served v1')
    expect(await fx.page.getByTestId('resource-revision').innerText()).not.toContain('not yet served')
    // Added to the draft above: not served yet, with the way to Changes.
    await fx.page.goto(`${base()}/fleets/demo/resources/clusters/secure-api`)
    await expect.poll(fx.attr(state, 'data-state'), { timeout: UI }).toBe('pending')
    expect(await state.innerText()).toContain('not in the served v1 yet')
    expect(await state.getByRole('link', { name: 'commit it under Changes' }).getAttribute('href')).toBe('/fleets/demo/changes')
    await screenshot('resource-served-state', false)
  })
})

describe('on a phone (390×844)', () => {
  it("the versions table keeps 'Proxies on it' in view", async () => {
    await fx.page.setViewportSize({ width: 390, height: 844 })
    try {
      await fx.page.goto(`${base()}/fleets/demo/versions`)
      const header = fx.page.getByRole('columnheader', { name: 'Proxies on it' })
      await header.waitFor({ timeout: UI })
      const cell = fx.page.getByTestId('version-proxies-cell').first()
      for (const box of [await header.boundingBox(), await cell.boundingBox()]) {
        expect(box).not.toBeNull()
        expect(box!.x).toBeGreaterThanOrEqual(0)
        expect(box!.x + box!.width).toBeLessThanOrEqual(390)
      }
      expect(await cell.isVisible()).toBe(true)
      await screenshot('phone-versions', false)
      // Scrolled to the row's end, the column sits where it belongs, before the actions.
      await fx.page.locator('table').first().evaluate((t) => t.parentElement!.scrollTo({ left: 10_000 }))
      const end = await cell.boundingBox()
      expect(end!.x + end!.width).toBeLessThanOrEqual(390)
      await screenshot('phone-versions-scrolled', false)
      await fx.page.goto(`${base()}/proxies`)
      await fx.page.locator('[data-testid="proxy-row"]').first().waitFor({ timeout: UI })
      await screenshot('phone-proxies', false)
    } finally {
      await fx.page.setViewportSize({ width: 1360, height: 900 })
    }
  })

  it('the console ran without unexpected errors', () => {
    expect(fx.pageErrors).toEqual([])
  })
})
