import type * as grpc from '@grpc/grpc-js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { seriousViolations } from '../support/axe'
import { setupConsole } from '../support/console-fixture'
import { callEcho, startEchoBackend, type EchoBackend } from '../support/echo-backend'
import { createEchoFleet, createXdsEchoClient } from '../support/xds-client'
import { getProxy } from '../support/xds-fleet'
import { waitFor } from '../support/wait-for'
import { NODE_WIDTH } from '../../components/topology/layout'

/**
 * #15 items 1 and 2 in a real Chromium against the real server: the demo fleet's topology with its
 * edges, a broken edge once its cluster is deleted from the draft (live, no reload), "used by" on a
 * resource page, and the ⌘K palette finding a gRPC xDS client (@grpc/grpc-js-xds) by node id and
 * a route by its path prefix, keyboard only. axe-core on each; screenshots at 1440×900 and a phone.
 */
const UI = 15_000
const DESKTOP = { width: 1440, height: 900 }
const PHONE = { width: 390, height: 844 }
const NODE_ID = 'palette-client-1'

const fx = setupConsole('topology_search_e2e', { uiTimeoutMs: UI, screenshotPrefix: 'topology-search-' })
const { api, screenshot } = fx
const base = () => fx.server.baseUrl
const node = (id: string) => fx.page.locator(`[data-testid="topology-node"][data-id="${id}"]`)
const edge = (id: string) => fx.page.locator(`.react-flow__edge[data-id="${id}"]`)
let backend: EchoBackend
let client: grpc.Client | undefined

beforeAll(async () => {
  backend = await startEchoBackend('backend-1')
  await createEchoFleet(api, 'echo-fleet', [backend], 'grpc-js-xds echo clients')
  client = createXdsEchoClient({ xdsPort: fx.xdsPort, nodeId: NODE_ID, fleet: 'echo-fleet', target: 'echo' })
  expect(await callEcho(client)).toBe('backend-1')
  await waitFor(async () => (await getProxy(api, NODE_ID))?.fleet === 'echo-fleet', { what: `${NODE_ID} listed` })
  // A route only its path prefix names, in a fleet of its own.
  expect((await api('POST', '/api/v1/fleets', { body: { name: 'shop' } })).status).toBe(201)
  const put = await api('PUT', '/api/v1/fleets/shop/draft/routes/storefront', {
    body: { name: 'storefront', virtual_hosts: [{ name: 'www', domains: ['shop.example.com'], routes: [{ match: { prefix: '/checkout/v2' }, route: { cluster: 'payments' } }] }] },
  })
  expect(put.status, put.text).toBe(201)
})
afterAll(async () => {
  client?.close()
  await backend?.stop()
})

/** Every node inside the canvas (fitView), and drawn at least 70% of its size: its text is readable. */
async function expectNodesInCanvasAtReadableZoom(): Promise<void> {
  const canvas = (await fx.page.getByTestId('topology-canvas').boundingBox())!
  for (const box of await fx.page.getByTestId('topology-node').evaluateAll((els) => els.map((e) => e.getBoundingClientRect().toJSON() as DOMRect))) {
    expect(box.left).toBeGreaterThanOrEqual(canvas.x - 1)
    expect(box.right).toBeLessThanOrEqual(canvas.x + canvas.width + 1)
    expect(box.top).toBeGreaterThanOrEqual(canvas.y - 1)
    expect(box.bottom).toBeLessThanOrEqual(canvas.y + canvas.height + 1)
    expect(box.width).toBeGreaterThanOrEqual(NODE_WIDTH * 0.7)
  }
}

const DEMO_EDGES = [
  'Listener/listener_0->Listener/listener_0#filter_chains[0]:contains',
  'Listener/listener_0#filter_chains[0]->RouteConfiguration/local_route:rds',
  'RouteConfiguration/local_route->RouteConfiguration/local_route#virtual_hosts[0]:contains',
  'RouteConfiguration/local_route#virtual_hosts[0]->RouteConfiguration/local_route#virtual_hosts[0].routes[0]:contains',
  'RouteConfiguration/local_route#virtual_hosts[0].routes[0]->Cluster/service:cluster',
  'Cluster/service->Cluster/service#load_assignment:contains',
]

describe('topology', () => {
  it('draws the demo fleet from listener to endpoints, each node a link, reached from the nav', async () => {
    await fx.page.setViewportSize(DESKTOP)
    await fx.page.goto(`${base()}/fleets/demo/resources/listeners`)
    await fx.page.locator('aside').getByRole('link', { name: 'Topology' }).click()
    await node('Listener/listener_0').waitFor({ timeout: UI })
    expect(new URL(fx.page.url()).pathname).toBe('/fleets/demo/topology')
    expect(await fx.page.getByTestId('topology-node').count()).toBe(7)
    const drawn = await fx.page.locator('.react-flow__edge').evaluateAll((els) => els.map((e) => e.getAttribute('data-id')).sort())
    expect(drawn).toEqual([...DEMO_EDGES].sort())
    expect(await fx.page.locator('.react-flow__edge[data-broken="true"]').count()).toBe(0)
    expect(await fx.page.getByTestId('topology-broken-count').innerText()).toBe('0 broken references')
    // Nodes lead to their resources; a part (a route) to the resource it is in.
    expect(await node('Cluster/service').getByRole('link').getAttribute('href')).toBe('/fleets/demo/resources/clusters/service')
    expect(await node('RouteConfiguration/local_route#virtual_hosts[0].routes[0]').getByRole('link').getAttribute('href')).toBe('/fleets/demo/resources/routes/local_route')
    expect(await node('RouteConfiguration/local_route#virtual_hosts[0].routes[0]').innerText()).toContain('prefix /')
    // Laid out top to bottom, as traffic flows: listener, then route configuration, then cluster.
    const y = async (id: string) => (await node(id).boundingBox())!.y
    expect(await y('Listener/listener_0')).toBeLessThan(await y('RouteConfiguration/local_route'))
    expect(await y('RouteConfiguration/local_route')).toBeLessThan(await y('Cluster/service'))
    await expectNodesInCanvasAtReadableZoom()
    await screenshot('topology-1440', false)
    expect(await seriousViolations(fx.page)).toEqual([])
    await node('Cluster/service').getByRole('link').click()
    await fx.page.waitForURL(`${base()}/fleets/demo/resources/clusters/service`, { timeout: UI })
    await fx.page.getByTestId('resource-links').waitFor({ timeout: UI })
  })

  it('shows "used by" on a resource page, each a link, and "Show in topology" narrows to it', async () => {
    await fx.page.goto(`${base()}/fleets/demo/resources/clusters/service`)
    const usedBy = fx.page.getByTestId('used-by').getByTestId('resource-link')
    await usedBy.first().waitFor({ timeout: UI })
    expect(await usedBy.count()).toBe(1)
    expect(await usedBy.first().getAttribute('data-resource')).toBe('RouteConfiguration/local_route')
    expect(await usedBy.first().innerText()).toContain('route prefix / in virtual host local_service')
    await screenshot('used-by', true)
    expect(await seriousViolations(fx.page)).toEqual([])
    await fx.page.getByTestId('show-in-topology').click()
    await fx.page.getByTestId('topology-focus').waitFor({ timeout: UI })
    expect(new URL(fx.page.url()).searchParams.get('focus')).toBe('Cluster/service')
    await usedByLinkBack()
  })

  async function usedByLinkBack(): Promise<void> {
    await fx.page.goto(`${base()}/fleets/demo/resources/clusters/service`)
    await fx.page.getByTestId('used-by').getByRole('link', { name: 'local_route' }).click()
    await fx.page.waitForURL(`${base()}/fleets/demo/resources/routes/local_route`, { timeout: UI })
    // The route configuration's own page says what it uses: the cluster.
    await fx.page.getByTestId('uses').getByRole('link', { name: 'service' }).waitFor({ timeout: UI })
  }

  it('draws the route’s edge as broken once the cluster is deleted from the draft, without a reload', async () => {
    await fx.page.goto(`${base()}/fleets/demo/topology`)
    await node('Cluster/service').waitFor({ timeout: UI })
    await fx.page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: UI })
    await fx.markPage()
    const del = await api('DELETE', '/api/v1/fleets/demo/draft/clusters/service?force=true')
    expect(del.status, del.text).toBe(204)
    const broken = edge('RouteConfiguration/local_route#virtual_hosts[0].routes[0]->missing:Cluster/service:cluster')
    await broken.waitFor({ timeout: UI })
    expect(await broken.getAttribute('data-broken')).toBe('true')
    expect(await broken.textContent()).toContain('cluster: removed')
    expect(await fx.page.locator('.react-flow__edge[data-broken="true"]').count()).toBe(1)
    const missing = node('missing:Cluster/service')
    expect(await missing.getAttribute('data-missing')).toBe('true')
    expect(await missing.getAttribute('data-change')).toBe('removed')
    expect(await fx.page.getByTestId('topology-broken-count').innerText()).toBe('1 broken reference')
    // The dashed red stroke is what the legend says a broken reference looks like.
    const stroke = await broken.locator('path.react-flow__edge-path').evaluate((p) => getComputedStyle(p).strokeDasharray)
    expect(stroke).not.toBe('none')
    expect(await fx.samePage()).toBe('same page')
    // The same, as text.
    await fx.page.getByTestId('topology-connections').locator('summary').click()
    expect(await fx.page.locator('[data-testid="topology-connection"][data-broken="true"]').innerText()).toContain("refers to cluster 'service', which does not exist")
    await screenshot('topology-broken', false)
    expect(await seriousViolations(fx.page)).toEqual([])
  })

  it('draws a fleet of 2,000 resources cut to 300 from the listeners down, and says so', async () => {
    const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
    const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }
    const bundle = Array.from({ length: 500 }, (_, i) => [
      { type: 'Listener', name: `l${i}`, resource: { name: `l${i}`, address: { socket_address: { address: '0.0.0.0', port_value: 20000 + i } }, filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': HCM, stat_prefix: 'x', rds: { route_config_name: `r${i}`, config_source: { ads: {} } }, http_filters: [ROUTER] } }] }] } },
      { type: 'RouteConfiguration', name: `r${i}`, resource: { name: `r${i}`, virtual_hosts: [{ name: 'vh', domains: [`h${i}.example`], routes: [{ match: { prefix: '/' }, route: { cluster: `c${i}` } }] }] } },
      { type: 'Cluster', name: `c${i}`, resource: { name: `c${i}`, type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: { ads: {} } } } },
      { type: 'ClusterLoadAssignment', name: `c${i}`, resource: { cluster_name: `c${i}`, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: `10.0.${Math.floor(i / 250)}.${i % 250}`, port_value: 80 } } } }] }] } },
    ]).flat()
    expect((await api('POST', '/api/v1/fleets', { body: { name: 'big' } })).status).toBe(201)
    const put = await api('PUT', '/api/v1/fleets/big/draft', { body: bundle })
    expect(put.status, put.text.slice(0, 300)).toBe(200)
    await fx.page.goto(`${base()}/fleets/big/topology`)
    await fx.page.getByTestId('topology-cut').waitFor({ timeout: UI })
    expect(await fx.page.getByTestId('topology-summary').innerText()).toContain('300 of 2000 resources')
    await fx.page.getByTestId('topology-canvas').locator('.react-flow__node').first().waitFor({ timeout: UI })
    // Resources only (parts folded), whole chains from a listener down to its endpoints.
    expect(await fx.page.getByTestId('topology-detail-resources').getAttribute('aria-current')).toBe('true')
    await screenshot('topology-2000', false)
    // Narrowed to one cluster: its listener, route configuration and endpoints, in full detail.
    await fx.page.goto(`${base()}/fleets/big/topology?focus=Cluster/c42`)
    await node('RouteConfiguration/r42#virtual_hosts[0].routes[0]').waitFor({ timeout: UI })
    expect(await fx.page.getByTestId('topology-node').count()).toBe(7)
    expect(await fx.page.getByTestId('topology-cut').count()).toBe(0)
  })

  it('stays usable on a phone: the graph fits the width and the nav reaches it', async () => {
    await fx.page.setViewportSize(PHONE)
    try {
      await fx.page.goto(`${base()}/fleets/demo/topology`)
      await node('Listener/listener_0').waitFor({ timeout: UI })
      const canvas = (await fx.page.getByTestId('topology-canvas').boundingBox())!
      expect(canvas.width).toBeLessThanOrEqual(PHONE.width)
      expect(canvas.height).toBeGreaterThan(300)
      await expectNodesInCanvasAtReadableZoom()
      const scrollWidth = await fx.page.evaluate(() => document.documentElement.scrollWidth)
      expect(scrollWidth).toBeLessThanOrEqual(PHONE.width)
      expect(await fx.page.getByTestId('search-button').isVisible()).toBe(true)
      await screenshot('topology-phone', true)
      expect(await seriousViolations(fx.page)).toEqual([])
    } finally {
      await fx.page.setViewportSize(DESKTOP)
    }
  })
})

describe('search everywhere (⌘K)', () => {
  const palette = () => fx.page.getByTestId('search-palette')
  const result = (key: string) => palette().locator(`[data-testid="search-result"][data-key="${key}"]`)

  it('Ctrl-K opens the palette anywhere; typing a node id finds the proxy; Enter opens it', async () => {
    await fx.page.goto(`${base()}/fleets/demo/versions`)
    await fx.page.locator('[data-testid="version-row"]').first().waitFor({ timeout: UI })
    await fx.page.keyboard.press('Control+K')
    await palette().waitFor({ timeout: UI })
    // The input has the focus: typing goes straight into it.
    await fx.page.keyboard.type('palette-cli')
    await result(`proxy:${NODE_ID}`).waitFor({ timeout: UI })
    expect(await result(`proxy:${NODE_ID}`).innerText()).toContain('echo-fleet')
    await screenshot('palette-proxy', false)
    expect(await seriousViolations(fx.page)).toEqual([])
    await fx.page.keyboard.press('Enter')
    await fx.page.waitForURL(`${base()}/proxies/${NODE_ID}`, { timeout: UI })
    expect(await palette().count()).toBe(0)
  })

  it('finds a route by its path prefix; arrows move, Enter opens the resource, Esc closes', async () => {
    await fx.page.getByTestId('search-button').click()
    await palette().waitFor({ timeout: UI })
    await fx.page.getByTestId('search-input').fill('/checkout')
    const route = result('resource:shop:RouteConfiguration:storefront')
    await route.waitFor({ timeout: UI })
    expect(await route.innerText()).toContain('virtual_hosts[0].routes[0].match.prefix')
    expect(await route.innerText()).toContain('/checkout/v2')
    // Also `checkout` in no other place: one result, selected first; arrows keep it (the list loops).
    expect(await palette().getByTestId('search-result').count()).toBe(1)
    await fx.page.keyboard.press('ArrowDown')
    expect(await route.getAttribute('data-selected')).toBe('true')
    await fx.page.keyboard.press('Escape')
    await expect.poll(() => palette().count(), { timeout: UI }).toBe(0)
    // Open again: a query with several results, moved through with the arrows.
    await fx.page.keyboard.press('Control+K')
    await fx.page.getByTestId('search-input').fill('echo')
    await result('fleet:echo-fleet').waitFor({ timeout: UI })
    await result(`resource:echo-fleet:Listener:echo`).waitFor({ timeout: UI })
    const selected = () => palette().locator('[data-testid="search-result"][data-selected="true"]').getAttribute('data-key')
    expect(await selected()).toBe('fleet:echo-fleet')
    await fx.page.keyboard.press('ArrowDown')
    expect(await selected()).not.toBe('fleet:echo-fleet')
    await fx.page.keyboard.press('ArrowUp')
    expect(await selected()).toBe('fleet:echo-fleet')
    await fx.page.getByTestId('search-input').fill('/checkout/v2')
    await expect.poll(() => palette().getByTestId('search-result').first().getAttribute('data-key'), { timeout: UI }).toBe('resource:shop:RouteConfiguration:storefront')
    await fx.page.keyboard.press('Enter')
    await fx.page.waitForURL(`${base()}/fleets/shop/resources/routes/storefront`, { timeout: UI })
    await fx.page.getByTestId('resource-links').waitFor({ timeout: UI })
  })

  it('says so when nothing matches, and opens from the header button on a phone', async () => {
    await fx.page.setViewportSize(PHONE)
    try {
      await fx.page.goto(`${base()}/`)
      await fx.page.getByTestId('search-button').click()
      await fx.page.getByTestId('search-input').fill('no-such-thing-anywhere')
      await palette().getByTestId('search-empty').waitFor({ timeout: UI })
      await screenshot('palette-phone', false)
      expect(await seriousViolations(fx.page)).toEqual([])
      await fx.page.keyboard.press('Escape')
    } finally {
      await fx.page.setViewportSize(DESKTOP)
    }
    expect(fx.pageErrors).toEqual([])
  })
})
