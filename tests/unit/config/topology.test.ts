import { describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import type { ChangeKind } from '../../../server/config/diff'
import type { ConfigResource, ResourceJson } from '../../../server/config/resource-types'
import { buildTopology, resourceLinks, type Topology } from '../../../server/config/topology'

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const TCP = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy'
const DOWNSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'
const UPSTREAM = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'

const res = (type: ConfigResource['type'], name: string, resource: Record<string, unknown>): ConfigResource => ({ type, name, resource: { name, ...resource } as ResourceJson })
const hcmFilter = (config: Record<string, unknown>) => ({ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': HCM, stat_prefix: 'x', ...config } })
const rds = (name: string) => ({ rds: { route_config_name: name, config_source: { ads: {} } } })
const sds = (name: string) => ({ common_tls_context: { tls_certificate_sds_secret_configs: [{ name, sds_config: { ads: {} } }] } })

/** Edges as `source -via-> target`, `!` for a broken one: what a reader of the graph sees. */
const edgeList = (t: Topology) => t.edges.map((e) => `${e.source} -${e.via}-> ${e.target}${e.broken ? ' !' : ''}`).sort()
const node = (t: Topology, id: string) => t.nodes.find((n) => n.id === id)

describe('buildTopology', () => {
  it('draws the demo fleet from listener to endpoints, one edge per hop', () => {
    const t = buildTopology(DEMO_RESOURCES)
    expect(edgeList(t)).toEqual([
      'Cluster/service -contains-> Cluster/service#load_assignment',
      'Listener/listener_0 -contains-> Listener/listener_0#filter_chains[0]',
      'Listener/listener_0#filter_chains[0] -rds-> RouteConfiguration/local_route',
      'RouteConfiguration/local_route -contains-> RouteConfiguration/local_route#virtual_hosts[0]',
      'RouteConfiguration/local_route#virtual_hosts[0] -contains-> RouteConfiguration/local_route#virtual_hosts[0].routes[0]',
      'RouteConfiguration/local_route#virtual_hosts[0].routes[0] -cluster-> Cluster/service',
    ])
    expect(node(t, 'Listener/listener_0')).toMatchObject({ kind: 'listener', detail: ['0.0.0.0:10000'], missing: false, change: null })
    expect(node(t, 'RouteConfiguration/local_route#virtual_hosts[0]')).toMatchObject({ kind: 'virtualHost', label: 'local_service', detail: ['*'] })
    expect(node(t, 'RouteConfiguration/local_route#virtual_hosts[0].routes[0]')).toMatchObject({ kind: 'route', label: 'prefix /', resource: { type: 'RouteConfiguration', name: 'local_route' } })
    expect(node(t, 'Cluster/service#load_assignment')).toMatchObject({ kind: 'endpoints', detail: ['1 endpoint', 'service1:8080'] })
    expect(t).toMatchObject({ detail: 'full', broken: 0, resources: { total: 3, shown: 3 }, focus: null, truncated: false })
  })

  it('draws a route naming a missing cluster and an RDS name with no route configuration as broken, with the check’s message', () => {
    const t = buildTopology([
      res('Listener', 'l', { filter_chains: [{ filters: [hcmFilter(rds('gone'))] }] }),
      res('RouteConfiguration', 'r', { virtual_hosts: [{ name: 'vh', domains: ['a.example'], routes: [{ match: { prefix: '/api' }, route: { cluster: 'nope' } }] }] }),
    ])
    expect(edgeList(t)).toContain('Listener/l#filter_chains[0] -rds-> missing:RouteConfiguration/gone !')
    expect(edgeList(t)).toContain('RouteConfiguration/r#virtual_hosts[0].routes[0] -cluster-> missing:Cluster/nope !')
    expect(node(t, 'missing:Cluster/nope')).toMatchObject({ kind: 'cluster', label: 'nope', missing: true, detail: ['missing'] })
    expect(t.edges.find((e) => e.target === 'missing:Cluster/nope')?.message).toBe("refers to cluster 'nope', which does not exist")
    expect(t.broken).toBe(2)
  })

  it('hangs EDS, SDS and tcp_proxy references from the part they are in', () => {
    const t = buildTopology([
      res('Listener', 'tls', {
        filter_chains: [
          {
            filter_chain_match: { server_names: ['a.example'] },
            filters: [{ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': TCP, stat_prefix: 't', cluster: 'backend' } }],
            transport_socket: { name: 'tls', typed_config: { '@type': DOWNSTREAM, ...sds('edge-cert') } },
          },
        ],
      }),
      res('Cluster', 'backend', { type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, transport_socket: { name: 'tls', typed_config: { '@type': UPSTREAM, ...sds('client-cert') } } }),
      { type: 'ClusterLoadAssignment', name: 'backend', resource: { cluster_name: 'backend', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.7', port_value: 9000 } } } }] }] } },
      res('Secret', 'edge-cert', { tls_certificate: { certificate_chain: { inline_string: 'x' } } }),
      res('Secret', 'client-cert', { tls_certificate: { certificate_chain: { inline_string: 'x' } } }),
    ])
    expect(edgeList(t)).toEqual([
      'Cluster/backend -eds-> ClusterLoadAssignment/backend',
      'Cluster/backend -sds-> Secret/client-cert',
      'Listener/tls -contains-> Listener/tls#filter_chains[0]',
      'Listener/tls#filter_chains[0] -sds-> Secret/edge-cert',
      'Listener/tls#filter_chains[0] -tcp_proxy-> Cluster/backend',
    ])
    expect(node(t, 'Listener/tls#filter_chains[0]')?.detail).toEqual(['SNI a.example', 'TLS', 'tcp_proxy'])
    expect(node(t, 'ClusterLoadAssignment/backend')?.detail).toEqual(['1 endpoint', '10.0.0.7:9000'])
    expect(node(t, 'Secret/edge-cert')?.detail).toEqual(['TLS certificate'])
  })

  it('draws a route configuration inlined in a connection manager under its filter chain', () => {
    const t = buildTopology([
      res('Listener', 'l', { filter_chains: [{ filters: [hcmFilter({ route_config: { name: 'inline', virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { path: '/health' }, direct_response: { status: 200 } }] }] } })] }] }),
    ])
    const rc = 'Listener/l#filter_chains[0].filters[0].typed_config.route_config'
    expect(edgeList(t)).toEqual([
      'Listener/l -contains-> Listener/l#filter_chains[0]',
      `Listener/l#filter_chains[0] -contains-> ${rc}`,
      `${rc} -contains-> ${rc}.virtual_hosts[0]`,
      `${rc}.virtual_hosts[0] -contains-> ${rc}.virtual_hosts[0].routes[0]`,
    ])
    expect(node(t, `${rc}.virtual_hosts[0].routes[0]`)).toMatchObject({ label: 'path /health', detail: ['direct response 200'], resource: { type: 'Listener', name: 'l' } })
  })

  it('marks what a pending change touches, parts included, and shows a removed resource as removed', () => {
    const changes = new Map<string, ChangeKind>([
      ['RouteConfiguration/local_route', 'modified'],
      ['Cluster/old', 'removed'],
    ])
    const t = buildTopology(DEMO_RESOURCES, { changes })
    expect(node(t, 'RouteConfiguration/local_route')?.change).toBe('modified')
    expect(node(t, 'RouteConfiguration/local_route#virtual_hosts[0].routes[0]')?.change).toBe('modified')
    expect(node(t, 'Cluster/service')?.change).toBeNull()
    expect(node(t, 'missing:Cluster/old')).toMatchObject({ missing: true, change: 'removed', detail: ['removed in the draft'] })
  })

  it('draws a cluster deleted in the draft but still named by a route as broken and removed', () => {
    const draft = DEMO_RESOURCES.filter((r) => r.type !== 'Cluster')
    const t = buildTopology(draft, { changes: new Map([['Cluster/service', 'removed']]) })
    expect(edgeList(t)).toContain('RouteConfiguration/local_route#virtual_hosts[0].routes[0] -cluster-> missing:Cluster/service !')
    expect(node(t, 'missing:Cluster/service')?.change).toBe('removed')
  })

  describe('large fleets', () => {
    // n listeners, each with its own route configuration of 3 routes to its own cluster.
    const fleet = (n: number): ConfigResource[] =>
      Array.from({ length: n }, (_, i) => [
        res('Listener', `l${i}`, { address: { socket_address: { address: '0.0.0.0', port_value: 10000 + i } }, filter_chains: [{ filters: [hcmFilter(rds(`r${i}`))] }] }),
        res('RouteConfiguration', `r${i}`, { virtual_hosts: [{ name: 'vh', domains: ['*'], routes: ['/a', '/b', '/c'].map((prefix) => ({ match: { prefix }, route: { cluster: `c${i}` } })) }] }),
        res('Cluster', `c${i}`, { type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } } }),
        { type: 'ClusterLoadAssignment' as const, name: `c${i}`, resource: { cluster_name: `c${i}` } },
      ]).flat()

    it('folds parts into their resources when the full graph has more nodes than the limit', () => {
      const t = buildTopology(fleet(10), { maxNodes: 60 }) // full: 10 × 9 nodes
      expect(t.detail).toBe('resources')
      expect(t.nodes.every((n) => n.path === '')).toBe(true)
      expect(edgeList(t)).toContain('Listener/l3 -rds-> RouteConfiguration/r3')
      expect(edgeList(t)).toContain('RouteConfiguration/r3 -cluster-> Cluster/c3')
      expect(t.resources).toEqual({ total: 40, shown: 40 })
    })

    it('draws only the first resources from the listeners down past the limit, and says how many', () => {
      const t = buildTopology(fleet(500), { maxNodes: 300 }) // 2,000 resources
      expect(t.nodes).toHaveLength(300)
      expect(t.resources).toEqual({ total: 2000, shown: 300 })
      expect(t.truncated).toBe(true)
      // Whole chains from each listener down (l0 → r0 → c0 → its endpoints, then l1 …), not 300 lone listeners.
      expect(t.nodes.filter((n) => n.kind === 'listener')).toHaveLength(75)
      for (const l of t.nodes.filter((n) => n.kind === 'listener')) {
        const i = l.label.slice(1)
        expect(edgeList(t)).toEqual(expect.arrayContaining([`Listener/l${i} -rds-> RouteConfiguration/r${i}`, `RouteConfiguration/r${i} -cluster-> Cluster/c${i}`, `Cluster/c${i} -eds-> ClusterLoadAssignment/c${i}`]))
      }
      expect(t.edges).toHaveLength(225)
      expect(t.edges.every((e) => t.nodes.some((n) => n.id === e.source) && t.nodes.some((n) => n.id === e.target))).toBe(true)
    })

    it('narrows to what reaches a focused resource and what it reaches, in full detail', () => {
      const t = buildTopology(fleet(500), { focus: { type: 'Cluster', name: 'c42' } })
      expect(t.detail).toBe('full')
      expect([...new Set(t.nodes.map((n) => `${n.resource.type}/${n.resource.name}`))].sort()).toEqual(['Cluster/c42', 'ClusterLoadAssignment/c42', 'Listener/l42', 'RouteConfiguration/r42'])
      expect(t.focus).toEqual({ type: 'Cluster', name: 'c42' })
      expect(t).toMatchObject({ resources: { total: 2000, shown: 4 }, truncated: false })
    })
  })
})

describe('resourceLinks', () => {
  it('says which resources use a cluster, and where in them', () => {
    const links = resourceLinks(DEMO_RESOURCES, { type: 'Cluster', name: 'service' })
    expect(links.usedBy).toEqual([{ resource: { type: 'RouteConfiguration', name: 'local_route' }, path: 'virtual_hosts[0].routes[0].route.cluster', at: 'route prefix / in virtual host local_service', missing: false }])
    expect(links.uses).toEqual([])
  })

  it('lists what a resource uses, marking a missing target', () => {
    const draft = DEMO_RESOURCES.filter((r) => r.type !== 'Cluster')
    const links = resourceLinks(draft, { type: 'RouteConfiguration', name: 'local_route' })
    expect(links.uses).toEqual([{ resource: { type: 'Cluster', name: 'service' }, path: 'virtual_hosts[0].routes[0].route.cluster', at: 'route prefix / in virtual host local_service', missing: true }])
    expect(resourceLinks(DEMO_RESOURCES, { type: 'RouteConfiguration', name: 'local_route' }).usedBy).toEqual([
      { resource: { type: 'Listener', name: 'listener_0' }, path: 'filter_chains[0].filters[0].typed_config.rds.route_config_name', at: 'filter chain 0', missing: false },
    ])
  })
})
