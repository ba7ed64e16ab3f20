import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ResourceLinks, SearchResponse, Topology } from '../../../server/contract'
import { signInAs } from '../../support/credentials'
import { apiClient, type ApiClient } from '../../support/http'
import { setupTestServer } from '../../support/test-server'
import { waitFor } from '../../support/wait-for'
import { CLUSTER_TYPE_URL, commitDraft, getProxy } from '../../support/xds-fleet'
import { openSotwStream, type ProtocolStream, type ReceivedSotwResponse, type SotwRequestInput } from '../../support/xds-protocol-client'

/**
 * GET /fleets/{fleet}/topology, GET …/draft/{type}/{name}/links and GET /search against the real
 * server: the demo fleet's graph, a broken edge once a cluster leaves the draft, "used by"; search
 * by name, path prefix, domain, endpoint IP, version message and node id — only in the fleets the
 * caller may read, and never by a private key's content.
 */
const t = setupTestServer('topology_search')
const { api } = t

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }
const KEY_MATERIAL = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjZZSEARCHKEYZZ'
const KEY_PEM = `-----BEGIN PRIVATE KEY-----\n${KEY_MATERIAL}\n-----END PRIVATE KEY-----\n`

/** A fleet with one listener → route (`/<fleet>-orders` on `shop.<fleet>.example`) → cluster → endpoint at `ip`, a TLS secret, committed. */
async function makeFleet(fleet: string, ip: string): Promise<void> {
  const ok = async (method: string, path: string, body: unknown) => {
    const res = await api(method, path, { body })
    expect(res.status, `${method} ${path}: ${res.text}`).toBeLessThan(300)
  }
  await ok('POST', '/api/v1/fleets', { name: fleet, description: `The ${fleet} shop` })
  await ok('PUT', `/api/v1/fleets/${fleet}/draft/listeners/ingress`, {
    name: 'ingress',
    address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
    filter_chains: [
      {
        filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': HCM, stat_prefix: 'in', rds: { route_config_name: 'shop', config_source: { ads: {} } }, http_filters: [ROUTER] } }],
        transport_socket: {
          name: 'envoy.transport_sockets.tls',
          typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'shop-cert', sds_config: { ads: {} } }] } },
        },
      },
    ],
  })
  await ok('PUT', `/api/v1/fleets/${fleet}/draft/routes/shop`, {
    name: 'shop',
    virtual_hosts: [{ name: 'shop', domains: [`shop.${fleet}.example`], routes: [{ match: { prefix: `/${fleet}-orders` }, route: { cluster: 'orders' } }] }],
  })
  await ok('PUT', `/api/v1/fleets/${fleet}/draft/clusters/orders`, { name: 'orders', type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: { ads: {} } } })
  await ok('PUT', `/api/v1/fleets/${fleet}/draft/endpoints/orders`, { cluster_name: 'orders', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: ip, port_value: 9000 } } } }] }] })
  await ok('PUT', `/api/v1/fleets/${fleet}/draft/secrets/shop-cert`, { name: 'shop-cert', tls_certificate: { certificate_chain: { inline_string: '-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n' }, private_key: { inline_string: KEY_PEM } } })
  await commitDraft(api, fleet, `${fleet}: first orders route`)
}

const streams: Array<ProtocolStream<SotwRequestInput, ReceivedSotwResponse>> = []

/** A proxy of `fleet` on a raw ADS stream, listed once a replica wrote it. */
async function connectProxy(nodeId: string, fleet: string): Promise<void> {
  const stream = openSotwStream(t.xdsPort)
  streams.push(stream)
  stream.send({ node: { id: nodeId, cluster: fleet }, type_url: CLUSTER_TYPE_URL })
  await stream.next(10_000)
  await waitFor(async () => (await getProxy(api, nodeId))?.fleet === fleet, { what: `${nodeId} listed in ${fleet}` })
}

let viewerOfAlpha: ApiClient
let sessionViewerOfAlpha: Record<string, string>

beforeAll(async () => {
  await makeFleet('alpha', '10.20.30.40')
  await makeFleet('beta', '10.99.1.2')
  await connectProxy('alpha-proxy-1', 'alpha')
  await connectProxy('beta-proxy-1', 'beta')
  const token = await api<{ secret: string }>('POST', '/api/v1/tokens', { body: { name: 'alpha-viewer', kind: 'api', grants: [{ role: 'viewer', fleets: 'alpha' }] } })
  expect(token.status, token.text).toBe(201)
  viewerOfAlpha = apiClient(t.server.baseUrl, token.body.secret)
  sessionViewerOfAlpha = await signInAs(t.server.baseUrl, 'alpha-viewer', [{ role: 'viewer', fleets: 'alpha' }])
})
afterAll(() => {
  for (const s of streams) s.close()
})

const edges = (g: Topology) => g.edges.map((e) => `${e.source} -${e.via}-> ${e.target}${e.broken ? ' !' : ''}`).sort()

describe('GET /fleets/{fleet}/topology', () => {
  it('draws the demo fleet: listener → filter chain → route configuration → virtual host → route → cluster → endpoints', async () => {
    const res = await api<Topology>('GET', '/api/v1/fleets/demo/topology')
    expect(res.status, res.text).toBe(200)
    expect(edges(res.body)).toEqual([
      'Cluster/service -contains-> Cluster/service#load_assignment',
      'Listener/listener_0 -contains-> Listener/listener_0#filter_chains[0]',
      'Listener/listener_0#filter_chains[0] -rds-> RouteConfiguration/local_route',
      'RouteConfiguration/local_route -contains-> RouteConfiguration/local_route#virtual_hosts[0]',
      'RouteConfiguration/local_route#virtual_hosts[0] -contains-> RouteConfiguration/local_route#virtual_hosts[0].routes[0]',
      'RouteConfiguration/local_route#virtual_hosts[0].routes[0] -cluster-> Cluster/service',
    ])
    expect(res.body).toMatchObject({ fleet: 'demo', activeVersion: 1, detail: 'full', broken: 0, resources: { total: 3, shown: 3 } })
    expect(res.body.nodes.every((n) => n.change === null)).toBe(true)
  })

  it('draws a secret over SDS from its filter chain and never carries key material', async () => {
    const res = await api<Topology>('GET', '/api/v1/fleets/alpha/topology')
    expect(edges(res.body)).toContain('Listener/ingress#filter_chains[0] -sds-> Secret/shop-cert')
    expect(edges(res.body)).toContain('Cluster/orders -eds-> ClusterLoadAssignment/orders')
    expect(res.text).not.toContain(KEY_MATERIAL)
    expect(res.text).not.toContain('legation:sealed')
  })

  it('after a cluster is deleted from the draft: the route’s edge is broken and the cluster is marked removed', async () => {
    const del = await api('DELETE', '/api/v1/fleets/beta/draft/clusters/orders?force=true')
    expect(del.status, del.text).toBe(204)
    const res = await api<Topology>('GET', '/api/v1/fleets/beta/topology')
    const broken = res.body.edges.filter((e) => e.broken)
    expect(broken).toEqual([expect.objectContaining({ source: 'RouteConfiguration/shop#virtual_hosts[0].routes[0]', target: 'missing:Cluster/orders', via: 'cluster', message: "refers to cluster 'orders', which does not exist" })])
    expect(res.body.nodes.find((n) => n.id === 'missing:Cluster/orders')).toMatchObject({ missing: true, change: 'removed' })
    // Its endpoints no longer hang from it.
    expect(edges(res.body).some((e) => e.includes('-eds->'))).toBe(false)
    expect(res.body.broken).toBe(1)
  })

  it('marks a modified resource as a pending change', async () => {
    const put = await api('PUT', '/api/v1/fleets/alpha/draft/endpoints/orders', { body: { cluster_name: 'orders', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.20.30.41', port_value: 9000 } } } }] }] } })
    expect(put.status, put.text).toBe(200)
    const res = await api<Topology>('GET', '/api/v1/fleets/alpha/topology')
    expect(res.body.nodes.filter((n) => n.change !== null).map((n) => `${n.id} ${n.change}`)).toEqual(['ClusterLoadAssignment/orders modified'])
  })

  it('narrows to a focus, and refuses a focus that names no resource type with the field', async () => {
    const res = await api<Topology>('GET', '/api/v1/fleets/alpha/topology?focus=Secret/shop-cert')
    expect(res.status, res.text).toBe(200)
    expect([...new Set(res.body.nodes.map((n) => n.resource.type))].sort()).toEqual(['Listener', 'Secret'])
    const bad = await api<{ error: { code: string; message: string } }>('GET', '/api/v1/fleets/alpha/topology?focus=Nope/x')
    expect(bad.status).toBe(422)
    expect(bad.body.error).toMatchObject({ code: 'REQUEST.INVALID', message: expect.stringContaining('focus') })
  })

  it('is for viewers of the fleet only; an unknown fleet is 404', async () => {
    expect((await viewerOfAlpha('GET', '/api/v1/fleets/alpha/topology')).status).toBe(200)
    expect((await viewerOfAlpha('GET', '/api/v1/fleets/beta/topology')).status).toBe(403)
    expect((await api('GET', '/api/v1/fleets/nowhere/topology')).status).toBe(404)
  })
})

describe('GET /fleets/{fleet}/draft/{type}/{name}/links', () => {
  it('says which resources use a resource, where, and what it uses', async () => {
    const cluster = await api<ResourceLinks>('GET', '/api/v1/fleets/demo/draft/clusters/service/links')
    expect(cluster.status, cluster.text).toBe(200)
    expect(cluster.body.usedBy).toEqual([{ resource: { type: 'RouteConfiguration', name: 'local_route' }, path: 'virtual_hosts[0].routes[0].route.cluster', at: 'route prefix / in virtual host local_service', missing: false }])
    const route = await api<ResourceLinks>('GET', '/api/v1/fleets/beta/draft/routes/shop/links')
    expect(route.body.uses).toEqual([expect.objectContaining({ resource: { type: 'Cluster', name: 'orders' }, missing: true })])
    expect(route.body.usedBy.map((l) => l.resource)).toEqual([{ type: 'Listener', name: 'ingress' }])
    // A cluster the draft lacks: nothing it uses, and who refers to it (broken references).
    const gone = await api<ResourceLinks>('GET', '/api/v1/fleets/beta/draft/clusters/orders/links')
    expect(gone.status, gone.text).toBe(200)
    expect(gone.body.uses).toEqual([])
    expect(gone.body.usedBy.map((l) => `${l.resource.type}/${l.resource.name} ${l.path}`)).toEqual(['RouteConfiguration/shop virtual_hosts[0].routes[0].route.cluster'])
    expect((await api('GET', '/api/v1/fleets/nowhere/draft/clusters/orders/links')).status).toBe(404)
    expect((await viewerOfAlpha('GET', '/api/v1/fleets/demo/draft/clusters/service/links')).status).toBe(403)
  })
})

describe('GET /search', () => {
  const search = async (client: ApiClient, q: string, limit?: number) => {
    const res = await client<SearchResponse>('GET', `/api/v1/search?${new URLSearchParams({ q, ...(limit ? { limit: String(limit) } : {}) }).toString()}`)
    expect(res.status, res.text).toBe(200)
    return res
  }
  const keys = (r: SearchResponse) =>
    r.results.map((x) => (x.kind === 'resource' ? `${x.fleet} ${x.type}/${x.name} ${x.match.field}` : x.kind === 'version' ? `${x.fleet} v${x.number} ${x.match.field}` : x.kind === 'proxy' ? `proxy ${x.nodeId}` : `fleet ${x.fleet} ${x.match.field}`))

  it('finds a route by its path prefix, a virtual host by its domain and endpoints by IP, naming the field', async () => {
    expect(keys((await search(api, '/alpha-orders')).body)).toEqual(['alpha RouteConfiguration/shop virtual_hosts[0].routes[0].match.prefix'])
    expect(keys((await search(api, 'shop.beta.example')).body)).toEqual(['beta RouteConfiguration/shop virtual_hosts[0].domains[0]'])
    const byIp = (await search(api, '10.99.1.2')).body
    expect(keys(byIp)).toEqual(['beta ClusterLoadAssignment/orders endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address'])
    expect(byIp.results[0]!.match.text).toBe('10.99.1.2')
  })

  it('finds fleets, versions by message and number, and proxies by node id', async () => {
    expect(keys((await search(api, 'alpha')).body)).toEqual(expect.arrayContaining(['fleet alpha name', 'alpha v1 message', 'proxy alpha-proxy-1']))
    // Newest first.
    expect(keys((await search(api, 'first orders')).body)).toEqual(['beta v1 message', 'alpha v1 message'])
    expect(keys((await search(api, 'proxy-1')).body)).toEqual(['proxy alpha-proxy-1', 'proxy beta-proxy-1'])
    expect(keys((await search(api, 'v1')).body).filter((k) => k.endsWith('number')).sort()).toEqual(['alpha v1 number', 'beta v1 number', 'demo v1 number'])
  })

  it('a viewer of alpha finds nothing of beta or demo, by token or by session', async () => {
    for (const q of ['beta', '/beta-orders', 'shop.beta.example', '10.99.1.2', 'beta-proxy', 'local_route', 'service1']) {
      expect(keys((await search(viewerOfAlpha, q)).body), q).toEqual([])
    }
    expect(keys((await search(viewerOfAlpha, 'proxy-1')).body)).toEqual(['proxy alpha-proxy-1'])
    expect(keys((await search(viewerOfAlpha, 'orders')).body).every((k) => k.startsWith('alpha') || k === 'proxy alpha-proxy-1')).toBe(true)
    const session = await fetch(`${t.server.baseUrl}/api/v1/search?q=beta`, { headers: sessionViewerOfAlpha })
    expect(session.status).toBe(200)
    expect(((await session.json()) as SearchResponse).results).toEqual([])
  })

  it('never matches a private key’s content, its sealed form or its marker, and never shows it', async () => {
    const draft = await api<{ resource: { tls_certificate: { private_key: { inline_string: string } } } }>('GET', '/api/v1/fleets/alpha/draft/secrets/shop-cert')
    const marker = draft.body.resource.tls_certificate.private_key.inline_string
    expect(marker).toMatch(/^<set:[0-9a-f]{8}>$/)
    for (const q of [KEY_MATERIAL, 'ZZSEARCHKEYZZ', 'BEGIN PRIVATE KEY', 'legation:sealed', marker, marker.slice(5, 13)]) {
      const res = await search(api, q)
      expect(res.body.results, q).toEqual([])
      expect(JSON.stringify(res.body.results)).not.toContain(KEY_MATERIAL) // (the answer echoes `q` itself)
    }
    // The secret itself is found by its name, without its key.
    const byName = await search(api, 'shop-cert')
    expect(keys(byName.body)).toContain('alpha Secret/shop-cert name')
    expect(byName.text).not.toContain(KEY_MATERIAL)
  })

  it('returns at most `limit` of each kind and says where there are more', async () => {
    const res = (await search(api, 'orders', 1)).body
    const resources = res.results.filter((r) => r.kind === 'resource')
    expect(resources).toHaveLength(1)
    expect(res.more.resource).toBe(true)
  })

  it('refuses an empty query and a bad limit, naming the field', async () => {
    const empty = await api<{ error: { code: string; message: string } }>('GET', '/api/v1/search?q=%20')
    expect(empty.status).toBe(422)
    expect(empty.body.error.message).toContain('q')
    const limit = await api<{ error: { code: string; message: string } }>('GET', '/api/v1/search?q=a&limit=500')
    expect(limit.status).toBe(422)
    expect(limit.body.error.message).toContain('limit')
    expect((await apiClient(t.server.baseUrl, null)('GET', '/api/v1/search?q=a')).status).toBe(401)
  })
})
