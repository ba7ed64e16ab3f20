import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../../proto/loader'
import { analyzeConfig, type Finding } from '../../../../server/config/analysis'
import { DEMO_RESOURCES } from '../../../../server/config/demo'
import type { ConfigResource, ResourceJson, ResourceType } from '../../../../server/config/resource-types'
import { validateResource } from '../../../../server/config/validate'

// One case per check, each with the findings expected (severity, code, resource, path), and cases
// that must produce none. Every fixture is first read by the real proto validation, so the analysis
// sees canonical JSON exactly as a draft holds it, and a fixture cannot be wrong for another reason.

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})

const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }
const CORS = { name: 'envoy.filters.http.cors', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.Cors' } }
const ads = { ads: {}, resource_api_version: 'V3' }

type Raw = Readonly<{ type: ResourceType; name: string; resource: Record<string, unknown> }>

const demo = (type: ResourceType, name: string) => structuredClone(DEMO_RESOURCES.find((r) => r.type === type && r.name === name)!) as Raw
const routes = (...list: unknown[]): Raw => ({ type: 'RouteConfiguration', name: 'local_route', resource: { name: 'local_route', virtual_hosts: [{ name: 'local_service', domains: ['*'], routes: list }] } })
const vhosts = (...list: Array<{ name: string; domains: string[] }>): Raw => ({
  type: 'RouteConfiguration',
  name: 'local_route',
  resource: { name: 'local_route', virtual_hosts: list.map((vh) => ({ ...vh, routes: [{ match: { prefix: '/' }, route: { cluster: 'service' } }] })) },
})
const to = (match: Record<string, unknown>, action: Record<string, unknown> = { cluster: 'service' }) => ({ match, route: action })
const listener = (name: string, port: number, hcm: Record<string, unknown> = {}, extra: Record<string, unknown> = {}): Raw => ({
  type: 'Listener',
  name,
  resource: {
    name,
    address: { socket_address: { address: '0.0.0.0', port_value: port } },
    // A key given as undefined removes the default (e.g. rds, for an inline route_config).
    filter_chains: [{ filters: [{ name: 'hcm', typed_config: Object.fromEntries(Object.entries({ '@type': HCM, stat_prefix: 'in', rds: { route_config_name: 'local_route', config_source: ads }, http_filters: [ROUTER], ...hcm }).filter(([, v]) => v !== undefined)) }] }],
    ...extra,
  },
})
const tcpChain = (match?: Record<string, unknown>) => ({ ...(match ? { filter_chain_match: match } : {}), filters: [{ name: 'tcp', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'tcp', cluster: 'service' } }] })
const tcpListener = (name: string, port: number, chains: unknown[], extra: Record<string, unknown> = {}): Raw => ({ type: 'Listener', name, resource: { name, address: { socket_address: { address: '0.0.0.0', port_value: port } }, filter_chains: chains, ...extra } })
const cluster = (name: string, extra: Record<string, unknown> = {}): Raw => ({ type: 'Cluster', name, resource: { name, connect_timeout: '1s', ...extra } })
const edsCluster = (name: string, serviceName?: string) => cluster(name, { type: 'EDS', eds_cluster_config: { eds_config: ads, ...(serviceName ? { service_name: serviceName } : {}) } })
const endpoints = (name: string, ...addresses: Array<[string, number]>): Raw => ({
  type: 'ClusterLoadAssignment',
  name,
  resource: { cluster_name: name, endpoints: [{ lb_endpoints: addresses.map(([address, port]) => ({ endpoint: { address: { socket_address: { address, port_value: port } } } })) }] },
})

/** The demo fleet with some resources replaced (same type and name) or added. */
function fleet(...changes: Raw[]): Raw[] {
  const base = DEMO_RESOURCES.map((r) => structuredClone(r) as Raw).filter((r) => !changes.some((c) => c.type === r.type && c.name === r.name))
  return [...base, ...changes]
}

function canonical(resources: readonly Raw[]): ConfigResource[] {
  return resources.map((r) => {
    const { resource, issues } = validateResource(root, r.type, r.name, r.resource)
    expect(issues, `fixture ${r.type}/${r.name} must be valid Envoy config`).toEqual([])
    return { type: r.type, name: r.name, resource: resource! as ResourceJson }
  })
}

type Expected = Pick<Finding, 'severity' | 'code' | 'path'> & { resource: string }
const found = (f: Finding): Expected => ({ severity: f.severity, code: f.code, resource: `${f.resource.type}/${f.resource.name}`, path: f.path })

type Case = Readonly<{ name: string; resources: Raw[]; ports?: Array<{ port: number; what: string }>; expected: Expected[]; message?: RegExp }>

const R = 'RouteConfiguration/local_route'
const CASES: Case[] = [
  // ---- nothing to say ----
  { name: 'the demo fleet', resources: fleet(), expected: [] },
  {
    name: 'a specific route before the catch-all',
    resources: fleet(routes(to({ prefix: '/api' }), to({ path: '/health' }), to({ safe_regex: { regex: '/v[0-9]+/.*' } }), to({ prefix: '/' }))),
    expected: [],
  },
  { name: 'a catch-all with a header matcher does not shadow what follows', resources: fleet(routes(to({ prefix: '/', headers: [{ name: 'x-canary', string_match: { exact: '1' } }] }), to({ prefix: '/' }))), expected: [] },
  { name: 'a catch-all with a query parameter matcher does not shadow what follows', resources: fleet(routes(to({ prefix: '/', query_parameters: [{ name: 'debug', present_match: true }] }), to({ prefix: '/api' }))), expected: [] },
  { name: '/api does not shadow /apiary under path_separated_prefix', resources: fleet(routes(to({ path_separated_prefix: '/api' }), to({ prefix: '/apiary' }))), expected: [] },
  { name: 'a case-sensitive /API does not shadow a case-insensitive /API/v1', resources: fleet(routes(to({ prefix: '/API' }), to({ prefix: '/API/v1', case_sensitive: false }))), expected: [] },
  { name: 'weights that add up to total_weight', resources: fleet(routes(to({ prefix: '/' }, { weighted_clusters: { clusters: [{ name: 'service', weight: 30 }, { name: 'service', weight: 70 }], total_weight: 100 } }))), expected: [] },
  { name: 'a long route timeout with a longer idle timeout', resources: fleet(routes(to({ prefix: '/' }, { cluster: 'service', timeout: '600s', idle_timeout: '900s' }))), expected: [] },
  { name: 'a route timeout with the idle timeout off', resources: fleet(listener('listener_0', 10000, { stream_idle_timeout: '0s' }), routes(to({ prefix: '/' }, { cluster: 'service', timeout: '600s' }))), expected: [] },
  { name: 'distinct domains and nested wildcards in one virtual host', resources: fleet(vhosts({ name: 'a', domains: ['example.com', '*.example.com', '*.api.example.com'] }, { name: 'b', domains: ['other.com'] })), expected: [] },
  { name: 'filter chains told apart by server name', resources: fleet(tcpListener('tls', 8443, [tcpChain({ server_names: ['a.example.com'] }), tcpChain({ server_names: ['b.example.com'] })])), expected: [] },
  { name: 'an endpoint on another port than the control plane', resources: fleet(edsCluster('backend'), endpoints('backend', ['10.0.0.1', 8080]), routes(to({ prefix: '/api' }, { cluster: 'backend' }), to({ prefix: '/' }))), ports: [{ port: 18000, what: 'xDS' }], expected: [] },
  { name: 'clusters with no listener in the fleet (the bootstrap may use them)', resources: [cluster('a'), edsCluster('b'), endpoints('b', ['10.0.0.2', 80])], expected: [] },
  { name: 'a cluster used by an HTTP filter (ext_authz)', resources: fleet(listener('listener_0', 10000, { http_filters: [{ name: 'authz', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.ext_authz.v3.ExtAuthz', grpc_service: { envoy_grpc: { cluster_name: 'authz' } } } }, ROUTER] }), cluster('authz')), expected: [] },

  // ---- routes ----
  {
    name: 'the shadowed /api route after the demo catch-all',
    resources: fleet(routes(to({ prefix: '/' }), to({ prefix: '/api' }, { cluster: 'service' }))),
    expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.prefix' }],
    message: /never matches: route 1 \(routes\[0\]\) of virtual host 'local_service' \(prefix '\/'\) comes first/,
  },
  { name: 'an exact path shadowed by an earlier prefix', resources: fleet(routes(to({ prefix: '/api/' }), to({ path: '/api/users' }))), expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.path' }] },
  { name: 'an exact path shadowed by an earlier regex', resources: fleet(routes(to({ safe_regex: { regex: '/users/[0-9]+' } }), to({ path: '/users/42' }))), expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.path' }] },
  { name: 'a regex route after an empty prefix', resources: fleet(routes(to({ prefix: '' }), to({ safe_regex: { regex: '/v[0-9]+' } }))), expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.safe_regex' }] },
  { name: 'a prefix under a path_separated_prefix', resources: fleet(routes(to({ path_separated_prefix: '/api' }), to({ prefix: '/api/v2' }))), expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.prefix' }] },
  { name: 'a later route with a header matcher is still shadowed by a catch-all', resources: fleet(routes(to({ prefix: '/' }), to({ prefix: '/', headers: [{ name: 'x-canary', present_match: true }] }))), expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.prefix' }] },
  { name: 'a case-insensitive catch-all shadows /API', resources: fleet(routes(to({ prefix: '/a', case_sensitive: false }), to({ prefix: '/API' }))), expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: R, path: 'virtual_hosts[0].routes[1].match.prefix' }] },
  {
    name: 'a route in a listener\'s inline route_config',
    resources: [
      listener('inline', 10000, { rds: undefined, route_config: { name: 'inline', virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [to({ prefix: '/' }), to({ prefix: '/api' })] }] } }),
      cluster('service', { type: 'STRICT_DNS', load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service1', port_value: 8080 } } } }] }] } }),
    ],
    expected: [{ severity: 'warning', code: 'ROUTE.SHADOWED', resource: 'Listener/inline', path: 'filter_chains[0].filters[0].typed_config.route_config.virtual_hosts[0].routes[1].match.prefix' }],
  },
  { name: 'weights that do not add up to total_weight', resources: fleet(routes(to({ prefix: '/' }, { weighted_clusters: { clusters: [{ name: 'service', weight: 30 }, { name: 'service', weight: 60 }], total_weight: 100 } }))), expected: [{ severity: 'error', code: 'ROUTE.WEIGHTS_MISMATCH', resource: R, path: 'virtual_hosts[0].routes[0].route.weighted_clusters.total_weight' }], message: /add up to 90, not the total_weight of 100/ },
  { name: 'weights that add up to 0', resources: fleet(routes(to({ prefix: '/' }, { weighted_clusters: { clusters: [{ name: 'service', weight: 0 }] } }))), expected: [{ severity: 'error', code: 'ROUTE.WEIGHTS_MISMATCH', resource: R, path: 'virtual_hosts[0].routes[0].route.weighted_clusters.clusters' }] },
  { name: 'a route timeout over the route idle timeout', resources: fleet(routes(to({ prefix: '/' }, { cluster: 'service', timeout: '60s', idle_timeout: '10s' }))), expected: [{ severity: 'warning', code: 'ROUTE.TIMEOUT_OVER_IDLE_TIMEOUT', resource: R, path: 'virtual_hosts[0].routes[0].route.timeout' }] },
  { name: 'a route timeout over the connection manager\'s default stream idle timeout (5m)', resources: fleet(routes(to({ prefix: '/' }, { cluster: 'service', timeout: '600s' }))), expected: [{ severity: 'warning', code: 'ROUTE.TIMEOUT_OVER_IDLE_TIMEOUT', resource: R, path: 'virtual_hosts[0].routes[0].route.timeout' }], message: /stream_idle_timeout of listener 'listener_0' \(5m, the default\)/ },
  { name: 'a per-try timeout not below the route timeout', resources: fleet(routes(to({ prefix: '/' }, { cluster: 'service', timeout: '5s', retry_policy: { retry_on: '5xx', per_try_timeout: '5s' } }))), expected: [{ severity: 'warning', code: 'ROUTE.PER_TRY_TIMEOUT_OVER_TIMEOUT', resource: R, path: 'virtual_hosts[0].routes[0].route.retry_policy.per_try_timeout' }] },

  // ---- domains and virtual hosts ----
  { name: 'the same domain in two virtual hosts', resources: fleet(vhosts({ name: 'a', domains: ['example.com'] }, { name: 'b', domains: ['Example.com', 'other.com'] })), expected: [{ severity: 'error', code: 'DOMAIN.DUPLICATE', resource: R, path: 'virtual_hosts[1].domains[0]' }] },
  {
    name: 'two catch-all virtual hosts: a duplicate, and the second can never be chosen',
    resources: fleet(vhosts({ name: 'a', domains: ['*'] }, { name: 'b', domains: ['*'] })),
    expected: [
      { severity: 'error', code: 'DOMAIN.DUPLICATE', resource: R, path: 'virtual_hosts[1].domains[0]' },
      { severity: 'warning', code: 'VIRTUAL_HOST.UNREACHABLE', resource: R, path: 'virtual_hosts[1].domains' },
    ],
  },
  { name: 'overlapping wildcard domains', resources: fleet(vhosts({ name: 'a', domains: ['*.example.com'] }, { name: 'b', domains: ['*.api.example.com'] })), expected: [{ severity: 'warning', code: 'DOMAIN.WILDCARD_OVERLAP', resource: R, path: 'virtual_hosts[1].domains[0]' }] },
  {
    name: 'a virtual host whose only domain has a * inside',
    resources: fleet(vhosts({ name: 'a', domains: ['*'] }, { name: 'b', domains: ['api.*.example.com'] })),
    expected: [
      { severity: 'warning', code: 'VIRTUAL_HOST.UNREACHABLE', resource: R, path: 'virtual_hosts[1].domains' },
      { severity: 'warning', code: 'DOMAIN.NEVER_MATCHES', resource: R, path: 'virtual_hosts[1].domains[0]' },
    ],
  },

  // ---- regexes ----
  { name: 'an invalid route regex "(["', resources: fleet(routes(to({ safe_regex: { regex: '([' } }), to({ prefix: '/' }))), expected: [{ severity: 'error', code: 'REGEX.INVALID', resource: R, path: 'virtual_hosts[0].routes[0].match.safe_regex.regex' }], message: /missing \]/ },
  { name: 'a lookahead (JavaScript, not RE2) in a header matcher', resources: fleet(routes(to({ prefix: '/', headers: [{ name: 'x', string_match: { safe_regex: { regex: '(?=a)b' } } }] }), to({ prefix: '/' }))), expected: [{ severity: 'error', code: 'REGEX.INVALID', resource: R, path: 'virtual_hosts[0].routes[0].match.headers[0].string_match.safe_regex.regex' }] },
  { name: 'an invalid regex_rewrite pattern', resources: fleet(routes(to({ prefix: '/' }, { cluster: 'service', regex_rewrite: { pattern: { regex: 'a{2,1}' }, substitution: 'b' } }))), expected: [{ severity: 'error', code: 'REGEX.INVALID', resource: R, path: 'virtual_hosts[0].routes[0].route.regex_rewrite.pattern.regex' }] },

  // ---- listeners ----
  { name: 'an HTTP connection manager without the router', resources: fleet(listener('listener_0', 10000, { http_filters: [CORS] })), expected: [{ severity: 'error', code: 'HTTP_FILTERS.NO_ROUTER', resource: 'Listener/listener_0', path: 'filter_chains[0].filters[0].typed_config.http_filters' }] },
  { name: 'an HTTP connection manager with no HTTP filters', resources: fleet(listener('listener_0', 10000, { http_filters: [] })), expected: [{ severity: 'error', code: 'HTTP_FILTERS.NO_ROUTER', resource: 'Listener/listener_0', path: 'filter_chains[0].filters[0].typed_config.http_filters' }] },
  { name: 'the router before another HTTP filter', resources: fleet(listener('listener_0', 10000, { http_filters: [ROUTER, CORS] })), expected: [{ severity: 'error', code: 'HTTP_FILTERS.ROUTER_NOT_LAST', resource: 'Listener/listener_0', path: 'filter_chains[0].filters[0].typed_config.http_filters[0]' }] },
  { name: 'two filter chains with no filter_chain_match', resources: fleet(tcpListener('tcp', 9000, [tcpChain(), tcpChain()])), expected: [{ severity: 'error', code: 'LISTENER.FILTER_CHAIN_DUPLICATE_MATCH', resource: 'Listener/tcp', path: 'filter_chains[1].filter_chain_match' }] },
  { name: 'filter chains sharing one server name', resources: fleet(tcpListener('tls', 8443, [tcpChain({ server_names: ['a.example.com', 'b.example.com'] }), tcpChain({ server_names: ['B.example.com'] })])), expected: [{ severity: 'error', code: 'LISTENER.FILTER_CHAIN_DUPLICATE_MATCH', resource: 'Listener/tls', path: 'filter_chains[1].filter_chain_match' }] },
  { name: 'a filter chain for another destination port', resources: fleet(tcpListener('tcp', 9000, [tcpChain({ destination_port: 9001 })])), expected: [{ severity: 'warning', code: 'LISTENER.FILTER_CHAIN_UNREACHABLE', resource: 'Listener/tcp', path: 'filter_chains[0].filter_chain_match.destination_port' }] },
  { name: 'a destination port with use_original_dst is fine', resources: fleet(tcpListener('tcp', 9000, [tcpChain({ destination_port: 9001 })], { use_original_dst: true })), expected: [] },

  // ---- clusters and endpoints ----
  { name: 'a cluster no route uses', resources: fleet(cluster('spare')), expected: [{ severity: 'warning', code: 'CLUSTER.UNUSED', resource: 'Cluster/spare', path: 'name' }] },
  { name: 'a route configuration no listener uses', resources: fleet({ ...routes(to({ prefix: '/' })), name: 'spare_routes', resource: { ...routes(to({ prefix: '/' })).resource, name: 'spare_routes' } }), expected: [{ severity: 'warning', code: 'ROUTE_CONFIGURATION.UNUSED', resource: 'RouteConfiguration/spare_routes', path: 'name' }] },
  { name: 'a load assignment without its EDS cluster', resources: fleet(endpoints('orphan', ['10.0.0.1', 80])), expected: [{ severity: 'warning', code: 'ENDPOINTS.ORPHANED', resource: 'ClusterLoadAssignment/orphan', path: 'cluster_name' }] },
  {
    name: 'an endpoint on the control plane\'s xDS port',
    resources: fleet(edsCluster('backend', 'backend-eds'), endpoints('backend-eds', ['10.0.0.1', 18000]), routes(to({ prefix: '/api' }, { cluster: 'backend' }), to({ prefix: '/' }))),
    ports: [{ port: 18000, what: 'xDS' }, { port: 8081, what: 'HTTP' }],
    expected: [{ severity: 'warning', code: 'ENDPOINT.CONTROL_PLANE_PORT', resource: 'ClusterLoadAssignment/backend-eds', path: 'endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value' }],
    message: /port 18000 is this control plane's xDS port/,
  },
  {
    name: 'an inline endpoint on the control plane\'s HTTP port (the demo service on :8080)',
    resources: fleet(),
    ports: [{ port: 8080, what: 'HTTP' }],
    expected: [{ severity: 'warning', code: 'ENDPOINT.CONTROL_PLANE_PORT', resource: 'Cluster/service', path: 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value' }],
  },
  { name: 'an EDS endpoint given as a host name', resources: fleet(edsCluster('backend'), endpoints('backend', ['backend.internal', 80]), routes(to({ prefix: '/api' }, { cluster: 'backend' }), to({ prefix: '/' }))), expected: [{ severity: 'error', code: 'ENDPOINT.NOT_AN_IP', resource: 'ClusterLoadAssignment/backend', path: 'endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address' }] },
  {
    name: 'a LOGICAL_DNS cluster with two endpoints',
    resources: fleet({ ...demo('Cluster', 'service'), resource: { ...demo('Cluster', 'service').resource, type: 'LOGICAL_DNS', load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [1, 2].map((n) => ({ endpoint: { address: { socket_address: { address: `service${n}`, port_value: 8080 } } } })) }] } } }),
    expected: [{ severity: 'error', code: 'CLUSTER.LOGICAL_DNS_ENDPOINTS', resource: 'Cluster/service', path: 'load_assignment.endpoints' }],
  },
]

describe('analyzeConfig', () => {
  it.each(CASES)('$name', ({ resources, ports, expected, message }) => {
    const findings = analyzeConfig({ resources: canonical(resources), ...(ports ? { controlPlanePorts: ports } : {}) })
    expect(findings.map(found)).toEqual(expected)
    if (message) expect(findings[0]?.message).toMatch(message)
    for (const f of findings) expect(f.message.length, 'a message that says something').toBeGreaterThan(20)
  })

  it('lists errors before warnings', () => {
    const findings = analyzeConfig({ resources: canonical(fleet(routes(to({ prefix: '/' }), to({ safe_regex: { regex: '([' } })), cluster('spare'))) })
    expect(findings.map((f) => f.severity)).toEqual(['error', 'warning', 'warning'])
    expect(findings.map((f) => f.code).sort()).toEqual(['CLUSTER.UNUSED', 'REGEX.INVALID', 'ROUTE.SHADOWED'])
  })
})
