import { describe, expect, it } from 'vitest'
import { buildStaticBootstrap, renderStaticBootstrap } from '../../../server/config/static-bootstrap'
import type { ConfigResource } from '../../../server/config/resource-types'

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const ADS = { ads: {}, resource_api_version: 'V3' }

const listener = (rds: string): ConfigResource => ({
  type: 'Listener',
  name: 'l',
  resource: { name: 'l', filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': HCM, stat_prefix: 's', rds: { route_config_name: rds, config_source: ADS } } }] }] },
})
const route: ConfigResource = { type: 'RouteConfiguration', name: 'main', resource: { name: 'main', virtual_hosts: [] } }
const edsCluster = (name: string, serviceName?: string): ConfigResource => ({
  type: 'Cluster',
  name,
  resource: { name, type: 'EDS', eds_cluster_config: { eds_config: ADS, ...(serviceName ? { service_name: serviceName } : {}) } },
})
const cla = (name: string): ConfigResource => ({ type: 'ClusterLoadAssignment', name, resource: { cluster_name: name, endpoints: [{ lb_endpoints: [] }] } })

type Static = { listeners: Array<{ filter_chains: Array<{ filters: Array<{ typed_config: Record<string, unknown> }> }> }>; clusters: Array<Record<string, unknown>>; secrets?: unknown[] }
const staticOf = (resources: ConfigResource[]) => {
  const b = buildStaticBootstrap({ fleet: 'f', resources })
  return { s: b.bootstrap['static_resources'] as unknown as Static, notes: b.notes, b }
}

describe('buildStaticBootstrap', () => {
  it('puts the named route configuration in place of rds', () => {
    const { s, notes } = staticOf([listener('main'), route])
    const hcm = s.listeners[0]!.filter_chains[0]!.filters[0]!.typed_config
    expect(hcm['rds']).toBeUndefined()
    expect(hcm['route_config']).toEqual({ name: 'main', virtual_hosts: [] })
    expect(notes).toEqual([])
  })

  it('leaves rds and says so when the route configuration is missing', () => {
    const { s, notes } = staticOf([listener('gone')])
    expect(s.listeners[0]!.filter_chains[0]!.filters[0]!.typed_config['rds']).toBeDefined()
    expect(notes).toEqual(["Listener 'l' filter_chains[0].filters[0].typed_config: route configuration 'gone' is not in this config; left as rds"])
  })

  it('makes EDS clusters STATIC with their load assignment (by service_name when given), and notes missing and unused endpoints', () => {
    const { s, notes } = staticOf([edsCluster('a'), edsCluster('b', 'svc-b'), edsCluster('c'), cla('a'), cla('svc-b'), cla('unused')])
    expect(s.clusters).toEqual([
      { name: 'a', type: 'STATIC', load_assignment: { cluster_name: 'a', endpoints: [{ lb_endpoints: [] }] } },
      { name: 'b', type: 'STATIC', load_assignment: { cluster_name: 'b', endpoints: [{ lb_endpoints: [] }] } },
      { name: 'c', type: 'STATIC', load_assignment: { cluster_name: 'c' } },
    ])
    expect(notes).toEqual(["Cluster 'c': no endpoints named 'c' in this config; it has none", "ClusterLoadAssignment 'unused': no EDS cluster uses it; left out"])
  })

  it('drops sds_config from SDS references so they name static secrets, and notes keys shown as markers', () => {
    const cluster: ConfigResource = {
      type: 'Cluster',
      name: 'tls',
      resource: { name: 'tls', transport_socket: { name: 't', typed_config: { '@type': 'x', common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'cert', sds_config: ADS }], validation_context_sds_secret_config: { name: 'ca', sds_config: ADS } } } } },
    }
    const secret: ConfigResource = { type: 'Secret', name: 'cert', resource: { name: 'cert', tls_certificate: { private_key: { inline_string: '<set:0123abcd>' } } } }
    const { s, notes, b } = staticOf([cluster, secret])
    expect(JSON.stringify(s.clusters[0])).not.toContain('sds_config')
    expect(JSON.stringify(s.clusters[0])).toContain('"tls_certificate_sds_secret_configs":[{"name":"cert"}],"validation_context_sds_secret_config":{"name":"ca"}')
    expect(s.secrets).toEqual([secret.resource])
    expect(notes).toEqual(['private keys are shown as <set:fingerprint> (they never leave the server): put the real key files in before validating'])
    expect(renderStaticBootstrap(b).startsWith('# private keys are shown as <set:fingerprint>')).toBe(true)
  })
})
