import { readFileSync } from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import YAML from 'yaml'
import { loadEnvoyRoot } from '../../../proto/loader'
import { convertEnvoyConfig, detectImportFormat, type ImportedResource, type ImportFinding, type ImportOptions } from '../../../server/config/import'
import { validateResource } from '../../../server/config/validate'
import { LegationError } from '../../../server/errors'
import { parseDocumentsText } from '../../../server/http/body'

const root = loadEnvoyRoot()
const FIXTURES = path.join(import.meta.dirname, '..', '..', 'fixtures', 'import')
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8')
const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }
const ADS = { ads: {}, resource_api_version: 'V3' }

type Json = Record<string, unknown>
type Converted = { resources: ImportedResource[]; findings: ImportFinding[]; format: string }

/** Parses text as the import route does (server/http/body.ts), then converts. */
function convert(text: string, options: ImportOptions = {}): Converted {
  const r = convertEnvoyConfig({ root, documents: parseDocumentsText(text), options })
  if (!r.ok) throw new Error(`not converted: ${r.message}`)
  if (r.format === 'bundle') throw new Error('a bundle')
  return r
}
const one = (c: Converted, type: string, name: string): Json => {
  const found = c.resources.find((r) => r.type === type && r.name === name)
  if (!found) throw new Error(`${type}/${name} not in ${c.resources.map((r) => `${r.type}/${r.name}`).join(', ')}`)
  return found.resource as Json
}
const keys = (c: Converted) => c.resources.map((r) => `${r.type}/${r.name}`)
const codes = (c: Converted) => c.findings.map((f) => `${f.severity} ${f.code} ${f.path}`)
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1
const hcmOf = (listener: Json): Json => ((listener['filter_chains'] as Json[])[0]!['filters'] as Json[])[0]!['typed_config'] as Json

/** Every converted resource passes the validator the import runs next (the Envoy v3 protos). */
function expectValid(c: Converted): void {
  for (const r of c.resources) expect(validateResource(root, r.type, r.name, r.resource).issues, `${r.type}/${r.name}`).toEqual([])
}

describe('import: an Envoy static bootstrap (front-proxy)', () => {
  const text = fixture('front-proxy.yaml')

  it('as written: two listeners and two clusters, inline routes and endpoints kept; node, admin and layered_runtime listed with their lines', () => {
    const c = convert(text)
    expect(c.format).toBe('bootstrap')
    expect(keys(c)).toEqual(['Cluster/service1', 'Cluster/service2', 'Listener/listener_0', 'Listener/listener_tcp'])
    expectValid(c)
    const hcm = hcmOf(one(c, 'Listener', 'listener_0'))
    expect(hcm['http_filters']).toHaveLength(3) // cors, fault, router
    expect((hcm['route_config'] as Json)['name']).toBe('local_route')
    expect(hcm['rds']).toBeUndefined()
    expect(one(c, 'Cluster', 'service2')['load_assignment']).toBeDefined()
    expect(c.findings).toEqual([
      expect.objectContaining({ severity: 'info', code: 'IMPORT.BOOTSTRAP_ONLY', path: 'node', line: lineOf(text, 'node:') }),
      expect.objectContaining({ severity: 'info', code: 'IMPORT.BOOTSTRAP_ONLY', path: 'admin', line: lineOf(text, 'admin:') }),
      expect.objectContaining({ severity: 'warning', code: 'IMPORT.BOOTSTRAP_ONLY', path: 'layered_runtime', line: lineOf(text, 'layered_runtime:') }),
    ])
  })

  it('split: the route configuration goes to RDS and the STATIC cluster to EDS (both over ADS); the STRICT_DNS cluster keeps its endpoints, said so', () => {
    const c = convert(text, { splitRoutes: true, splitEndpoints: true })
    expect(keys(c)).toEqual(['Cluster/service1', 'Cluster/service2', 'ClusterLoadAssignment/service2', 'Listener/listener_0', 'Listener/listener_tcp', 'RouteConfiguration/local_route'])
    expectValid(c)
    const hcm = hcmOf(one(c, 'Listener', 'listener_0'))
    expect(hcm['route_config']).toBeUndefined()
    expect(hcm['rds']).toEqual({ route_config_name: 'local_route', config_source: ADS })
    const route = one(c, 'RouteConfiguration', 'local_route')
    expect(route['name']).toBe('local_route')
    // The CORS policy of the virtual host comes along (typed_per_filter_config of a known extension).
    expect(JSON.stringify(route)).toContain('envoy.filters.http.cors')
    expect(one(c, 'Cluster', 'service2')).toMatchObject({ type: 'EDS', eds_cluster_config: { eds_config: ADS } })
    expect(one(c, 'Cluster', 'service2')['load_assignment']).toBeUndefined()
    expect(one(c, 'ClusterLoadAssignment', 'service2')['cluster_name']).toBe('service2')
    expect(one(c, 'Cluster', 'service1')).toMatchObject({ type: 'STRICT_DNS', load_assignment: { cluster_name: 'service1' } })
    expect(codes(c)).toEqual(
      expect.arrayContaining([
        'info IMPORT.ROUTES_SPLIT static_resources.listeners[0].filter_chains[0].filters[0].typed_config.route_config',
        'info IMPORT.ENDPOINTS_SPLIT static_resources.clusters[1].load_assignment',
        'info IMPORT.DNS_ENDPOINTS_INLINE static_resources.clusters[0].load_assignment',
      ]),
    )
    const dns = c.findings.find((f) => f.code === 'IMPORT.DNS_ENDPOINTS_INLINE')!
    expect(dns.resource).toEqual({ type: 'Cluster', name: 'service1' })
    expect(dns.line).toBe(text.split('\n').findIndex((l, i) => i > lineOf(text, '  - name: service1') && l.trim() === 'load_assignment:') + 1)
  })

  it('the tcp_proxy listener is imported as it is', () => {
    const c = convert(text, { splitRoutes: true, splitEndpoints: true })
    expect(hcmOf(one(c, 'Listener', 'listener_tcp'))).toEqual({ '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'tcp', cluster: 'service2' })
  })
})

const listenerYaml = (name: string, port: number, routeConfig: Json, filters: Json[] = [ROUTER]) => ({
  name,
  address: { socket_address: { address: '0.0.0.0', port_value: port } },
  filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': HCM, stat_prefix: name, route_config: routeConfig, http_filters: filters } }] }],
})
const vhosts = (cluster: string) => ({ virtual_hosts: [{ name: 'all', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster } }] }] })

describe('import: route configurations split for RDS', () => {
  it('the same route configuration in two listeners is shared; a different one under a taken name is renamed, said so', () => {
    const text = YAML.stringify({
      static_resources: {
        listeners: [listenerYaml('a', 1001, { name: 'local_route', ...vhosts('x') }), listenerYaml('b', 1002, { name: 'local_route', ...vhosts('x') }), listenerYaml('c', 1003, { name: 'local_route', ...vhosts('y') }), listenerYaml('d', 1004, vhosts('y'))],
      },
    })
    const c = convert(text, { splitRoutes: true })
    expect(c.resources.filter((r) => r.type === 'RouteConfiguration').map((r) => r.name)).toEqual(['d-routes', 'local_route', 'local_route-c'])
    expect((hcmOf(one(c, 'Listener', 'b'))['rds'] as Json)['route_config_name']).toBe('local_route')
    expect((hcmOf(one(c, 'Listener', 'c'))['rds'] as Json)['route_config_name']).toBe('local_route-c')
    expect(c.findings.filter((f) => f.code === 'IMPORT.NAME_GIVEN').map((f) => f.resource?.name)).toEqual(['c', 'd'])
  })
})

describe('import: what is not taken over is a finding, never dropped silently', () => {
  it('v2 typed configs and extensions without a descriptor are left out with their paths; the rest validates', () => {
    const v2Router = { name: 'envoy.router', typed_config: { '@type': 'type.googleapis.com/envoy.config.filter.http.router.v2.Router' } }
    const custom = { name: 'acme.auth', typed_config: { '@type': 'type.googleapis.com/acme.auth.v1.Config', realm: 'x' } }
    const route = {
      name: 'r',
      virtual_hosts: [
        {
          name: 'all',
          domains: ['*'],
          typed_per_filter_config: {
            'acme.auth': { '@type': 'type.googleapis.com/acme.auth.v1.PerRoute', disabled: true },
            'envoy.filters.http.cors': { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy', allow_methods: 'GET' },
          },
          routes: [{ match: { prefix: '/' }, route: { cluster: 'x' } }],
        },
      ],
    }
    const text = YAML.stringify({ static_resources: { listeners: [listenerYaml('l', 1000, route, [v2Router, custom, ROUTER])] } })
    const c = convert(text)
    expectValid(c)
    const base = 'static_resources.listeners[0].filter_chains[0].filters[0].typed_config'
    expect(codes(c)).toEqual([
      `warning IMPORT.UNKNOWN_EXTENSION ${base}.route_config.virtual_hosts[0].typed_per_filter_config["acme.auth"]`,
      `warning IMPORT.V2_API ${base}.http_filters[0]`,
      `warning IMPORT.UNKNOWN_EXTENSION ${base}.http_filters[1]`,
    ])
    expect(c.findings[1]!.message).toContain("'envoy.router'")
    expect(c.findings[1]!.message).toContain('v2')
    expect(c.findings[0]!.line).toBe(text.split('\n').findIndex((l) => l.trim() === 'acme.auth:') + 1)
    expect(c.findings.every((f) => f.line !== null && f.resource?.name === 'l')).toBe(true)
    const hcm = hcmOf(one(c, 'Listener', 'l'))
    expect((hcm['http_filters'] as Json[]).map((f) => f['name'])).toEqual(['envoy.filters.http.router'])
    expect(Object.keys(((hcm['route_config'] as Json)['virtual_hosts'] as Json[])[0]!['typed_per_filter_config'] as Json)).toEqual(['envoy.filters.http.cors'])
  })

  it('every bootstrap-only field is listed with its path; the previous control plane is left out; RDS, EDS and SDS sources switch to ADS', () => {
    const bootstrap = {
      node: { id: 'n' },
      stats_sinks: [{ name: 'envoy.stat_sinks.statsd' }],
      overload_manager: { refresh_interval: '0.25s' },
      cluster_manager: { local_cluster_name: 'local' },
      watchdogs: {},
      dynamic_resources: { ads_config: { api_type: 'GRPC', grpc_services: [{ envoy_grpc: { cluster_name: 'xds_cluster' } }] } },
      static_resources: {
        listeners: [
          {
            address: { socket_address: { address: '0.0.0.0', port_value: 8443 } },
            filter_chains: [
              {
                transport_socket: {
                  name: 'tls',
                  typed_config: { '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext', common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'server' }] } },
                },
                filters: [{ name: 'hcm', typed_config: { '@type': HCM, stat_prefix: 's', rds: { route_config_name: 'r', config_source: { api_config_source: { api_type: 'GRPC', grpc_services: [{ envoy_grpc: { cluster_name: 'xds_cluster' } }] } } }, http_filters: [ROUTER] } }],
              },
            ],
          },
        ],
        clusters: [
          { name: 'xds_cluster', type: 'STRICT_DNS', connect_timeout: '1s', load_assignment: { cluster_name: 'xds_cluster', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'cp', port_value: 18000 } } } }] }] } },
          { name: 'eds', type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: { path_config_source: { path: '/etc/envoy/eds.yaml' } } } },
        ],
        secrets: [{ name: 'server', tls_certificate: { certificate_chain: { inline_string: 'cert' }, private_key: { inline_string: 'key' } } }],
      },
    }
    const text = YAML.stringify(bootstrap)
    const c = convert(text)
    expectValid(c)
    expect(keys(c)).toEqual(['Cluster/eds', 'Listener/listener_0', 'Secret/server'])
    expect(codes(c)).toEqual([
      'info IMPORT.BOOTSTRAP_ONLY node',
      'warning IMPORT.BOOTSTRAP_ONLY stats_sinks',
      'warning IMPORT.BOOTSTRAP_ONLY overload_manager',
      'warning IMPORT.BOOTSTRAP_ONLY cluster_manager',
      'warning IMPORT.BOOTSTRAP_ONLY watchdogs',
      'info IMPORT.BOOTSTRAP_ONLY dynamic_resources',
      'info IMPORT.NAME_GIVEN static_resources.listeners[0]',
      'info IMPORT.CONTROL_PLANE_CLUSTER static_resources.clusters[0]',
      'info IMPORT.CONFIG_SOURCE_ADS static_resources.listeners[0].filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0]',
      'info IMPORT.CONFIG_SOURCE_ADS static_resources.listeners[0].filter_chains[0].filters[0].typed_config.rds.config_source',
      'info IMPORT.CONFIG_SOURCE_ADS static_resources.clusters[1].eds_cluster_config.eds_config',
    ])
    expect(c.findings.find((f) => f.path === 'stats_sinks')!.line).toBe(lineOf(text, 'stats_sinks:'))
    expect(c.findings.find((f) => f.code === 'IMPORT.CONTROL_PLANE_CLUSTER')!.message).toContain("'xds_cluster'")
    const listener = one(c, 'Listener', 'listener_0')
    expect(JSON.stringify(listener)).toContain(JSON.stringify({ name: 'server', sds_config: ADS }))
    expect((hcmOf(listener)['rds'] as Json)['config_source']).toEqual(ADS)
    expect(one(c, 'Cluster', 'eds')['eds_cluster_config']).toEqual({ eds_config: ADS })
  })

  it('an invalid resource is left for the validator, which names the resource and the field', () => {
    const c = convert(YAML.stringify({ static_resources: { clusters: [{ name: 'bad', connect_timeout: 'soon', type: 'STATIC' }] } }))
    const r = c.resources[0]!
    expect(r.source).toBe('static_resources.clusters[0]')
    const issues = validateResource(root, r.type, r.name, r.resource).issues
    expect(issues).toEqual([expect.objectContaining({ path: 'connect_timeout', resource: { type: 'Cluster', name: 'bad' } })])
  })
})

describe('import: an Envoy admin /config_dump', () => {
  const text = fixture('config-dump.json')

  it('reads the static and active dynamic resources; the old control plane, a draining listener, a redacted key and bootstrap fields are findings', () => {
    const c = convert(text)
    expect(c.format).toBe('config-dump')
    expect(keys(c)).toEqual(['Cluster/example_proxy_cluster', 'Cluster/service_eds', 'ClusterLoadAssignment/service_eds', 'Listener/listener_0', 'RouteConfiguration/local_route', 'Secret/server_cert'])
    expectValid(c)
    expect(one(c, 'Listener', 'listener_0')['@type']).toBeUndefined()
    expect(codes(c).sort()).toEqual(
      [
        'info IMPORT.BOOTSTRAP_ONLY configs[0].bootstrap.admin',
        'info IMPORT.BOOTSTRAP_ONLY configs[0].bootstrap.dynamic_resources',
        'info IMPORT.BOOTSTRAP_ONLY configs[0].bootstrap.node',
        'info IMPORT.CONTROL_PLANE_CLUSTER configs[1].static_clusters[0].cluster',
        'warning IMPORT.NOT_ACTIVE configs[2].dynamic_listeners[1]',
        'warning IMPORT.SECRET_REDACTED configs[6].dynamic_active_secrets[0].secret',
      ].sort(),
    )
    // JSON has no lines to give.
    expect(c.findings.every((f) => f.line === null)).toBe(true)
  })

  it('split endpoints: the LOGICAL_DNS cluster keeps its endpoints, said so', () => {
    const c = convert(text, { splitEndpoints: true, splitRoutes: true })
    expect(one(c, 'Cluster', 'example_proxy_cluster')['type']).toBe('LOGICAL_DNS')
    expect(codes(c)).toContain('info IMPORT.DNS_ENDPOINTS_INLINE configs[1].dynamic_active_clusters[0].cluster.load_assignment')
  })

  it('static route configurations are the inline ones of static listeners: imported once', () => {
    const listener = { '@type': 'type.googleapis.com/envoy.config.listener.v3.Listener', ...listenerYaml('s', 1000, { name: 'inline', ...vhosts('x') }) }
    const dump = {
      configs: [
        { '@type': 'type.googleapis.com/envoy.admin.v3.ListenersConfigDump', static_listeners: [{ listener }] },
        { '@type': 'type.googleapis.com/envoy.admin.v3.RoutesConfigDump', static_route_configs: [{ route_config: { '@type': 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration', name: 'inline', ...vhosts('x') } }] },
        { '@type': 'type.googleapis.com/envoy.api.v2.ListenersConfigDump' },
      ],
    }
    const asIs = convert(JSON.stringify(dump))
    expect(keys(asIs)).toEqual(['Listener/s'])
    expect(codes(asIs)).toEqual(['warning IMPORT.V2_API configs[2]', 'info IMPORT.DUPLICATE configs[1].static_route_configs[0].route_config'])
    const split = convert(JSON.stringify(dump), { splitRoutes: true })
    expect(keys(split)).toEqual(['Listener/s', 'RouteConfiguration/inline'])
    expect(split.findings.filter((f) => f.code === 'IMPORT.DUPLICATE')).toEqual([])
  })
})

describe('import: formats and bad input', () => {
  it('detects a bundle, a config dump and a bootstrap; refuses other content and a wrong format, saying what it looks like', () => {
    const docs = (text: string) => parseDocumentsText(text)
    expect(detectImportFormat(docs('---\ntype: Cluster\nname: a\nresource: {}\n---\ntype: Cluster\nname: b\nresource: {}\n'))).toBe('bundle')
    expect(detectImportFormat(docs('[{"type": "Cluster", "name": "a", "resource": {}}]'))).toBe('bundle')
    expect(detectImportFormat(docs(fixture('config-dump.json')))).toBe('config-dump')
    expect(detectImportFormat(docs(fixture('front-proxy.yaml')))).toBe('bootstrap')
    const other = convertEnvoyConfig({ root, documents: docs('hello: world\n') })
    expect(other).toMatchObject({ ok: false, path: 'content' })
    const wrong = convertEnvoyConfig({ root, documents: docs(fixture('front-proxy.yaml')), format: 'config-dump' })
    expect(wrong).toMatchObject({ ok: false, path: 'format', message: expect.stringContaining('it looks like an Envoy bootstrap') })
  })

  it('a YAML syntax error names its line and column', () => {
    const text = 'static_resources:\n  clusters:\n  - name: a\n    type: STATIC\n   connect_timeout: 1s\n'
    const err = catchError(() => parseDocumentsText(text))
    expect(err.code).toBe('REQUEST.BAD_BODY')
    expect(err.message).toMatch(/line 5, column \d+/)
  })

  it('a JSON syntax error names its line and column', () => {
    const text = '{\n  "configs": [\n    {"@type": "x"}\n    {"@type": "y"}\n  ]\n}\n'
    const err = catchError(() => parseDocumentsText(text))
    expect(err.code).toBe('REQUEST.BAD_BODY')
    expect(err.message).toBe('malformed JSON at line 4, column 5: CommaExpected')
  })
})

function catchError(fn: () => unknown): LegationError {
  try {
    fn()
  } catch (err) {
    if (err instanceof LegationError) return err
    throw err
  }
  throw new Error('no error')
}
