import { describe, expect, it } from 'vitest'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import { checkListenerAddresses, checkReferences, findReferrers } from '../../../server/config/references'
import type { ConfigResource, ResourceJson } from '../../../server/config/resource-types'

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'

const listener = (name: string, port: number, hcm: Record<string, unknown>, address = '0.0.0.0'): ConfigResource => ({
  type: 'Listener',
  name,
  resource: { name, address: { socket_address: { address, port_value: port } }, filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': HCM, stat_prefix: 'x', ...hcm } }] }] } as ResourceJson,
})
const rds = (name: string) => ({ rds: { route_config_name: name, config_source: { ads: {} } } })
const routeTo = (name: string, action: Record<string, unknown>): ConfigResource => ({
  type: 'RouteConfiguration',
  name,
  resource: { name, virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: action }] }] } as ResourceJson,
})
const cluster = (name: string, extra: Record<string, unknown> = {}): ConfigResource => ({ type: 'Cluster', name, resource: { name, ...extra } as ResourceJson })

describe('checkReferences', () => {
  it('accepts the demo config', () => {
    expect(checkReferences(DEMO_RESOURCES)).toEqual([])
  })

  it('reports a listener whose RDS route configuration is missing, with the field path', () => {
    const issues = checkReferences([listener('l', 80, rds('nope'))])
    expect(issues).toEqual([
      expect.objectContaining({ code: 'CONFIG.REFERENCE_MISSING', resource: { type: 'Listener', name: 'l' }, path: 'filter_chains[0].filters[0].typed_config.rds.route_config_name' }),
    ])
    expect(issues[0]?.message).toContain("route configuration 'nope'")
  })

  it('ignores RDS names served by another config source', () => {
    expect(checkReferences([listener('l', 80, { rds: { route_config_name: 'elsewhere', config_source: { path_config_source: { path: '/etc/rds.yaml' } } } })])).toEqual([])
  })

  it('reports route → cluster for single, weighted and mirrored clusters', () => {
    const rc = routeTo('r', { cluster: 'a', weighted_clusters: { clusters: [{ name: 'b', weight: 1 }, { name: 'ok', weight: 1 }] }, request_mirror_policies: [{ cluster: 'c' }] })
    const issues = checkReferences([rc, cluster('ok')])
    expect(issues.map((i) => i.path)).toEqual([
      'virtual_hosts[0].routes[0].route.cluster',
      'virtual_hosts[0].routes[0].route.weighted_clusters.clusters[0].name',
      'virtual_hosts[0].routes[0].route.request_mirror_policies[0].cluster',
    ])
  })

  it('checks clusters of a route configuration inlined in a listener', () => {
    const issues = checkReferences([listener('l', 80, { route_config: routeTo('inline', { cluster: 'gone' }).resource })])
    expect(issues[0]?.path).toBe('filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[0].route.cluster')
  })

  it('requires a load assignment for an EDS cluster over ADS, by service_name or cluster name', () => {
    const eds = (name: string, serviceName?: string) => cluster(name, { type: 'EDS', eds_cluster_config: { eds_config: { ads: {} }, ...(serviceName ? { service_name: serviceName } : {}) } })
    const cla = (name: string): ConfigResource => ({ type: 'ClusterLoadAssignment', name, resource: { cluster_name: name } })
    expect(checkReferences([eds('a'), cla('a')])).toEqual([])
    expect(checkReferences([eds('a', 'svc'), cla('a')])[0]).toMatchObject({ path: 'eds_cluster_config.service_name' })
    expect(checkReferences([eds('b')])[0]?.message).toContain("load assignment (endpoints) 'b'")
  })

  it('finds SDS secrets in TLS contexts and the tcp_proxy cluster', () => {
    const tls = {
      transport_socket: {
        name: 'tls',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
          common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'cert', sds_config: { ads: {} } }], validation_context_sds_secret_config: { name: 'ca', sds_config: { ads: {} } } },
        },
      },
    }
    const tcp: ConfigResource = {
      type: 'Listener',
      name: 'tcp',
      resource: { name: 'tcp', filter_chains: [{ filters: [{ name: 'tcp', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 't', cluster: 'db' } }] }] },
    }
    const issues = checkReferences([cluster('up', tls), tcp])
    expect(issues.map((i) => `${i.resource?.name}:${i.path}`)).toEqual([
      'up:transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0].name',
      'up:transport_socket.typed_config.common_tls_context.validation_context_sds_secret_config.name',
      'tcp:filter_chains[0].filters[0].typed_config.cluster',
    ])
  })
})

describe('findReferrers', () => {
  it('names every resource that points at a target', () => {
    const refs = findReferrers([routeTo('r1', { cluster: 'x' }), routeTo('r2', { cluster: 'y' }), cluster('x')], { type: 'Cluster', name: 'x' })
    expect(refs.map((r) => r.from.name)).toEqual(['r1'])
  })
})

describe('checkListenerAddresses', () => {
  it('reports two listeners on one port, including a wildcard against a specific address', () => {
    const a = listener('a', 8080, rds('r'))
    const b = listener('b', 8080, rds('r'), '10.0.0.1')
    const c = listener('c', 9090, rds('r'))
    const issues = checkListenerAddresses([a, b, c])
    expect(issues).toHaveLength(1)
    expect(issues[0]).toMatchObject({ code: 'CONFIG.ADDRESS_CLASH', resource: { name: 'b' }, path: 'address.socket_address.port_value' })
    expect(issues[0]?.message).toContain("listener 'a'")
  })

  it('allows the same port on two distinct specific addresses, and TCP next to UDP', () => {
    const a = listener('a', 53, rds('r'), '10.0.0.1')
    const b = listener('b', 53, rds('r'), '10.0.0.2')
    const udp: ConfigResource = { type: 'Listener', name: 'u', resource: { name: 'u', address: { socket_address: { address: '10.0.0.1', port_value: 53, protocol: 'UDP' } } } }
    expect(checkListenerAddresses([a, b, udp])).toEqual([])
  })
})
