import { describe, expect, it } from 'vitest'
import { clusterFit, clusterIssueField, fromEnvoyCluster, toEnvoyCluster } from '@/components/forms/cluster-mapping'
import { endpointsFit, endpointsIssueField, fromEnvoyEndpoints, toEnvoyEndpoints } from '@/components/forms/endpoints-mapping'
import { fromEnvoyListener, listenerFit, listenerIssueField, toEnvoyListener } from '@/components/forms/listener-mapping'
import { fromEnvoyRouteConfig, routeConfigIssueField, toEnvoyRouteConfig } from '@/components/forms/route-mapping'
import { ClusterFormSchema, ListenerFormSchema, RouteConfigFormSchema } from '@/components/forms/schemas'
import { DEMO_RESOURCES } from '@/server/config/demo'
import type { ResourceJson } from '@/server/config/resource-types'

const demo = (type: string) => DEMO_RESOURCES.find((r) => r.type === type)!.resource

/** A cluster with fields no form shows, in places the form does edit. */
const RICH_CLUSTER: ResourceJson = {
  name: 'api',
  type: 'STRICT_DNS',
  connect_timeout: '1s',
  lb_policy: 'LEAST_REQUEST',
  outlier_detection: { consecutive_5xx: 5 },
  health_checks: [
    { timeout: '1s', interval: '10s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/ready', host: 'api.internal' }, no_traffic_interval: '60s' },
    { timeout: '2s', interval: '20s', unhealthy_threshold: 1, healthy_threshold: 1, tcp_health_check: {} },
  ],
  circuit_breakers: { thresholds: [{ priority: 'HIGH', max_connections: 10 }, { max_connections: 100, track_remaining: true }] },
  load_assignment: {
    cluster_name: 'api',
    policy: { overprovisioning_factor: 140 },
    endpoints: [
      {
        locality: { region: 'eu-west-1', zone: 'a', sub_zone: 'rack1' },
        priority: 1,
        lb_endpoints: [
          { endpoint: { address: { socket_address: { address: 'api-1', port_value: 80 } }, hostname: 'api-1.internal' }, load_balancing_weight: 2, health_status: 'HEALTHY' },
          { endpoint: { address: { socket_address: { address: 'api-2', port_value: 80 } } }, metadata: { filter_metadata: { 'envoy.lb': { canary: true } } } },
        ],
      },
    ],
  },
}

describe('endpoint localities', () => {
  it('keeps an empty locality it was given, and gives new groups one (gRPC xDS clients NACK groups without)', async () => {
    const { toEnvoyLocalities } = await import('../../../../components/forms/endpoints-mapping')
    const original = [{ locality: {}, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 80 } } } }] }]
    const kept = toEnvoyLocalities([{ origin: 0, region: '', zone: '', endpoints: [{ origin: 0, address: '10.0.0.1', port: '81', weight: '' }] }], original)
    expect(kept[0]).toHaveProperty('locality', {})
    const fresh = toEnvoyLocalities([{ region: '', zone: '', endpoints: [{ address: '10.0.0.2', port: '80', weight: '' }] }], [])
    expect(fresh[0]).toHaveProperty('locality', {})
    const none = toEnvoyLocalities([{ origin: 0, region: '', zone: '', endpoints: [{ origin: 0, address: 'a', port: '80', weight: '' }] }], [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'a', port_value: 80 } } } }] }])
    expect(none[0]).not.toHaveProperty('locality')
  })
})

describe('cluster mapping', () => {
  it('gives back the same resource when nothing was edited', () => {
    for (const cluster of [demo('Cluster'), RICH_CLUSTER]) {
      const values = fromEnvoyCluster(cluster)
      expect(ClusterFormSchema.safeParse(values).success).toBe(true)
      expect(toEnvoyCluster(values, cluster)).toEqual(cluster)
    }
  })

  it('reads the fields the form shows', () => {
    expect(fromEnvoyCluster(RICH_CLUSTER)).toMatchObject({
      name: 'api',
      type: 'STRICT_DNS',
      lbPolicy: 'LEAST_REQUEST',
      connectTimeout: '1s',
      healthCheck: { enabled: true, path: '/ready', interval: '10s', timeout: '1s', healthyThreshold: '2', unhealthyThreshold: '3' },
      circuitBreaker: { maxConnections: '100', maxPendingRequests: '', maxRequests: '', maxRetries: '' },
      localities: [{ origin: 0, region: 'eu-west-1', zone: 'a', endpoints: [{ origin: 0, address: 'api-1', port: '80', weight: '2' }, { origin: 1, address: 'api-2', port: '80', weight: '' }] }],
    })
  })

  it('merges edits into the loaded cluster, keeping what the form does not show', () => {
    const values = fromEnvoyCluster(RICH_CLUSTER)
    values.connectTimeout = '2.5s'
    values.healthCheck.path = '/healthz'
    values.circuitBreaker.maxRetries = '3'
    // Remove the first endpoint: the second keeps its own metadata.
    values.localities[0]!.endpoints.shift()
    values.localities[0]!.endpoints[0]!.port = '8080'
    const out = toEnvoyCluster(values, RICH_CLUSTER)
    expect(out).toMatchObject({ connect_timeout: '2.5s', outlier_detection: { consecutive_5xx: 5 } })
    expect(out['health_checks']).toEqual([
      { timeout: '1s', interval: '10s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/healthz', host: 'api.internal' }, no_traffic_interval: '60s' },
      (RICH_CLUSTER['health_checks'] as ResourceJson[])[1],
    ])
    expect(out['circuit_breakers']).toEqual({ thresholds: [{ priority: 'HIGH', max_connections: 10 }, { max_connections: 100, track_remaining: true, max_retries: 3 }] })
    expect(out['load_assignment']).toEqual({
      cluster_name: 'api',
      policy: { overprovisioning_factor: 140 },
      endpoints: [
        {
          locality: { region: 'eu-west-1', zone: 'a', sub_zone: 'rack1' },
          priority: 1,
          lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'api-2', port_value: 8080 } } }, metadata: { filter_metadata: { 'envoy.lb': { canary: true } } } }],
        },
      ],
    })
  })

  it('builds a new STATIC cluster from scratch', () => {
    const values = fromEnvoyCluster({})
    Object.assign(values, { name: 'web', type: 'STATIC', connectTimeout: '0.5s' })
    values.healthCheck = { enabled: true, path: '/hc', interval: '5s', timeout: '1s', healthyThreshold: '2', unhealthyThreshold: '3' }
    values.circuitBreaker.maxConnections = '1000'
    values.localities = [{ region: 'us', zone: '', endpoints: [{ address: '10.0.0.1', port: '80', weight: '5' }] }]
    expect(toEnvoyCluster(values, {})).toEqual({
      name: 'web',
      connect_timeout: '0.5s',
      health_checks: [{ timeout: '1s', interval: '5s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/hc' } }],
      circuit_breakers: { thresholds: [{ max_connections: 1000 }] },
      load_assignment: { cluster_name: 'web', endpoints: [{ locality: { region: 'us' }, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 80 } } }, load_balancing_weight: 5 }] }] },
    })
  })

  it('turns into an EDS cluster served over ADS, and back', () => {
    const values = fromEnvoyCluster(demo('Cluster'))
    const eds = toEnvoyCluster({ ...values, type: 'EDS' }, demo('Cluster'))
    expect(eds['load_assignment']).toBeUndefined()
    expect(eds).toMatchObject({ type: 'EDS', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } } })
    const back = toEnvoyCluster({ ...fromEnvoyCluster(eds), type: 'STATIC' }, eds)
    expect(back['eds_cluster_config']).toBeUndefined()
  })

  it('turning the health check off removes only the HTTP check', () => {
    const values = fromEnvoyCluster(RICH_CLUSTER)
    values.healthCheck.enabled = false
    expect(toEnvoyCluster(values, RICH_CLUSTER)['health_checks']).toEqual([(RICH_CLUSTER['health_checks'] as ResourceJson[])[1]])
  })

  it('says when a cluster does not fit the form', () => {
    expect(clusterFit(demo('Cluster')).fits).toBe(true)
    expect(clusterFit({ name: 'x', cluster_type: { name: 'envoy.clusters.aggregate' } })).toMatchObject({ fits: false })
    expect(clusterFit({ name: 'x', type: 'ORIGINAL_DST' })).toMatchObject({ fits: false, reason: expect.stringContaining('ORIGINAL_DST') })
    expect(clusterFit({ name: 'x', load_assignment: { cluster_name: 'x', endpoints: [{ lb_endpoints: [{ endpoint: { address: { pipe: { path: '/s' } } } }] }] } })).toMatchObject({ fits: false })
  })

  it.each([
    ['load_assignment.endpoints[0].lb_endpoints[1].endpoint.address.socket_address.port_value', 'localities.0.endpoints.1.port'],
    ['load_assignment.endpoints[2].lb_endpoints[0].endpoint.address.socket_address.address', 'localities.2.endpoints.0.address'],
    ['load_assignment.endpoints[0].lb_endpoints[0].load_balancing_weight', 'localities.0.endpoints.0.weight'],
    ['load_assignment.endpoints[1].locality.region', 'localities.1.region'],
    ['connect_timeout', 'connectTimeout'],
    ['connect_timeout.seconds', 'connectTimeout'],
    ['health_checks[0].http_health_check.path', 'healthCheck.path'],
    ['health_checks[0].unhealthy_threshold', 'healthCheck.unhealthyThreshold'],
    ['circuit_breakers.thresholds[1].max_requests', 'circuitBreaker.maxRequests'],
    ['lb_policy', 'lbPolicy'],
    ['name', 'name'],
    ['outlier_detection.interval', null],
    ['names', null],
  ])('maps the issue path %s to %s', (path, field) => {
    expect(clusterIssueField(path)).toBe(field)
  })
})

describe('endpoints (ClusterLoadAssignment) mapping', () => {
  const cla: ResourceJson = { cluster_name: 'api', endpoints: (RICH_CLUSTER['load_assignment'] as ResourceJson)['endpoints']!, policy: { drop_overloads: [] } }
  it('round-trips and merges', () => {
    expect(toEnvoyEndpoints(fromEnvoyEndpoints(cla), cla)).toEqual(cla)
    const values = fromEnvoyEndpoints(cla)
    values.localities.push({ region: '', zone: '', endpoints: [{ address: '10.1.1.1', port: '9000', weight: '' }] })
    const out = toEnvoyEndpoints(values, cla)
    expect((out['endpoints'] as ResourceJson[])[1]).toEqual({ locality: {}, lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.1.1.1', port_value: 9000 } } } }] })
    expect(out['policy']).toEqual({ drop_overloads: [] })
  })
  it('fits and maps paths', () => {
    expect(endpointsFit(cla).fits).toBe(true)
    expect(endpointsFit({ cluster_name: 'x', endpoints: [{ lb_endpoints: [{ endpoint_name: 'n' }] }] }).fits).toBe(false)
    expect(endpointsIssueField('endpoints[0].lb_endpoints[3].endpoint.address.socket_address.port_value')).toBe('localities.0.endpoints.3.port')
    expect(endpointsIssueField('cluster_name')).toBe('clusterName')
  })
})

describe('listener mapping', () => {
  it('round-trips the demo listener', () => {
    const listener = demo('Listener')
    const values = fromEnvoyListener(listener)
    expect(values).toEqual({ name: 'listener_0', address: '0.0.0.0', port: '10000', mode: 'http', statPrefix: 'ingress_http', routeConfigName: 'local_route', cluster: '', tlsSecret: '' })
    expect(ListenerFormSchema.safeParse(values).success).toBe(true)
    expect(toEnvoyListener(values, listener)).toEqual(listener)
    expect(listenerFit(listener).fits).toBe(true)
  })

  it('builds an HTTP listener with RDS over ADS, the router filter and TLS from SDS', () => {
    const out = toEnvoyListener({ name: 'https', address: '0.0.0.0', port: '443', mode: 'http', statPrefix: 'https', routeConfigName: 'web', cluster: '', tlsSecret: 'web-cert' }, {})
    expect(out).toEqual({
      name: 'https',
      address: { socket_address: { address: '0.0.0.0', port_value: 443 } },
      filter_chains: [
        {
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typed_config: {
                '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                stat_prefix: 'https',
                rds: { route_config_name: 'web', config_source: { ads: {}, resource_api_version: 'V3' } },
                http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
              },
            },
          ],
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
              common_tls_context: { tls_certificate_sds_secret_configs: [{ name: 'web-cert', sds_config: { ads: {}, resource_api_version: 'V3' } }] },
            },
          },
        },
      ],
    })
  })

  it('switches to a TCP proxy, keeping the other filters of the chain and the listener fields', () => {
    const listener: ResourceJson = {
      ...demo('Listener'),
      per_connection_buffer_limit_bytes: 32768,
      filter_chains: [{ filters: [{ name: 'envoy.filters.network.rbac', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.rbac.v3.RBAC', stat_prefix: 'rbac' } }, ...((demo('Listener')['filter_chains'] as ResourceJson[])[0]!['filters'] as ResourceJson[])] }],
    }
    const out = toEnvoyListener({ ...fromEnvoyListener(listener), mode: 'tcp', statPrefix: 'db', cluster: 'postgres' }, listener)
    expect(out['per_connection_buffer_limit_bytes']).toBe(32768)
    const filters = (out['filter_chains'] as ResourceJson[])[0]!['filters'] as ResourceJson[]
    expect(filters).toHaveLength(2)
    expect(filters[0]!['name']).toBe('envoy.filters.network.rbac')
    expect(filters[1]).toEqual({ name: 'envoy.filters.network.tcp_proxy', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'db', cluster: 'postgres' } })
  })

  it('does not fit inline routes or several filter chains', () => {
    const inline: ResourceJson = { name: 'l', filter_chains: [{ filters: [{ name: 'hcm', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager', route_config: {} } }] }] }
    expect(listenerFit(inline)).toMatchObject({ fits: false, reason: expect.stringContaining('inline') })
    expect(listenerFit({ name: 'l', filter_chains: [{}, {}] })).toMatchObject({ fits: false })
  })

  it.each([
    ['address.socket_address.port_value', 'port'],
    ['address.socket_address.address', 'address'],
    ['filter_chains[0].filters[0].typed_config.rds.route_config_name', 'routeConfigName'],
    ['filter_chains[0].filters[1].typed_config.cluster', 'cluster'],
    ['filter_chains[0].transport_socket.typed_config.common_tls_context.tls_certificate_sds_secret_configs[0].name', 'tlsSecret'],
    ['filter_chains[1].filters[0].typed_config.cluster', null],
  ])('maps the issue path %s to %s', (path, field) => {
    expect(listenerIssueField(path)).toBe(field)
  })
})

describe('route configuration mapping', () => {
  const rc: ResourceJson = {
    name: 'web',
    request_headers_to_add: [{ header: { key: 'x-env', value: 'prod' } }],
    virtual_hosts: [
      {
        name: 'web',
        domains: ['example.com', '*.example.com'],
        cors: { allow_origin_string_match: [{ exact: '*' }] },
        routes: [
          { match: { prefix: '/api', headers: [{ name: 'x-canary', string_match: { exact: '1', ignore_case: true } }] }, route: { weighted_clusters: { clusters: [{ name: 'api-v1', weight: 90 }, { name: 'api-v2', weight: 10, metadata_match: { filter_metadata: {} } }] }, timeout: '5s', retry_policy: { retry_on: '5xx', num_retries: 2, per_try_timeout: '1s' } }, name: 'api' },
          { match: { path: '/old' }, redirect: { path_redirect: '/new' } },
          { match: { safe_regex: { regex: '^/static/.*' } }, route: { cluster: 'cdn', prefix_rewrite: '/' } },
        ],
      },
    ],
  }

  it('round-trips, keeping unknown fields and routes the form cannot show', () => {
    const values = fromEnvoyRouteConfig(rc)
    expect(RouteConfigFormSchema.safeParse(values).success).toBe(true)
    expect(toEnvoyRouteConfig(values, rc)).toEqual(rc)
    expect(values.virtualHosts[0]!.routes.map((r) => r.locked)).toEqual([false, true, false])
    expect(values.virtualHosts[0]!.routes[1]!.lockedReason).toBe('it is a redirect')
  })

  it('edits a route: match, headers, target, timeout, retries and rewrite', () => {
    const values = fromEnvoyRouteConfig(rc)
    const route = values.virtualHosts[0]!.routes[0]!
    Object.assign(route, { matchKind: 'path', matchValue: '/api/v2', target: 'cluster', cluster: 'api-v2', timeout: '', retryOn: 'connect-failure', numRetries: '', prefixRewrite: '/v2' })
    route.headers = [{ origin: 0, name: 'x-canary', kind: 'present', value: '' }, { name: 'x-user', kind: 'regex', value: '^a' }]
    // Move the regex route above the redirect: routes are matched in order.
    const [first, redirect, regex] = values.virtualHosts[0]!.routes
    values.virtualHosts[0]!.routes = [first!, regex!, redirect!]
    const out = toEnvoyRouteConfig(values, rc)
    const routes = (out['virtual_hosts'] as ResourceJson[])[0]!['routes'] as ResourceJson[]
    expect(routes[0]).toEqual({
      match: { headers: [{ name: 'x-canary', present_match: true }, { name: 'x-user', string_match: { safe_regex: { regex: '^a' } } }], path: '/api/v2' },
      route: { retry_policy: { retry_on: 'connect-failure', per_try_timeout: '1s' }, cluster: 'api-v2', prefix_rewrite: '/v2' },
      name: 'api',
    })
    expect(routes[1]).toEqual((rc['virtual_hosts'] as ResourceJson[])[0]!['routes'] && ((rc['virtual_hosts'] as ResourceJson[])[0]!['routes'] as ResourceJson[])[2])
    expect(routes[2]).toEqual({ match: { path: '/old' }, redirect: { path_redirect: '/new' } })
    expect(out['request_headers_to_add']).toEqual(rc['request_headers_to_add'])
  })

  it.each([
    ['virtual_hosts[0].routes[2].route.cluster', 'virtualHosts.0.routes.2.cluster'],
    ['virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].weight', 'virtualHosts.0.routes.0.weightedClusters.1.weight'],
    ['virtual_hosts[0].routes[0].route.weighted_clusters.clusters[1].name', 'virtualHosts.0.routes.0.weightedClusters.1.name'],
    ['virtual_hosts[0].routes[0].match.safe_regex.regex', 'virtualHosts.0.routes.0.matchValue'],
    ['virtual_hosts[0].routes[0].match.headers[0].string_match.exact', 'virtualHosts.0.routes.0.headers.0.value'],
    ['virtual_hosts[0].routes[0].route.retry_policy.num_retries', 'virtualHosts.0.routes.0.numRetries'],
    ['virtual_hosts[1].domains', 'virtualHosts.1.domains'],
    ['virtual_hosts[1].domains[0]', 'virtualHosts.1.domains'],
    ['request_headers_to_add[0].header.key', null],
  ])('maps the issue path %s to %s', (path, field) => {
    expect(routeConfigIssueField(path)).toBe(field)
  })
})

describe('what the forms build is valid Envoy config', () => {
  it('passes the server’s proto validation', async () => {
    const { loadEnvoyRoot } = await import('@/proto/loader')
    const { validateResource } = await import('@/server/config/validate')
    const root = loadEnvoyRoot()
    const cluster = toEnvoyCluster({ ...fromEnvoyCluster(RICH_CLUSTER), healthCheck: { enabled: true, path: '/h', interval: '5s', timeout: '1s', healthyThreshold: '1', unhealthyThreshold: '2' } }, RICH_CLUSTER)
    expect(validateResource(root, 'Cluster', 'api', cluster).issues).toEqual([])
    const eds = toEnvoyCluster({ ...fromEnvoyCluster(RICH_CLUSTER), type: 'EDS' }, RICH_CLUSTER)
    expect(validateResource(root, 'Cluster', 'api', eds).issues).toEqual([])
    const listener = toEnvoyListener({ name: 'https', address: '0.0.0.0', port: '443', mode: 'http', statPrefix: 'https', routeConfigName: 'web', cluster: '', tlsSecret: 'web-cert' }, {})
    expect(validateResource(root, 'Listener', 'https', listener).issues).toEqual([])
    const tcp = toEnvoyListener({ name: 'db', address: '0.0.0.0', port: '5432', mode: 'tcp', statPrefix: 'db', routeConfigName: '', cluster: 'pg', tlsSecret: '' }, {})
    expect(validateResource(root, 'Listener', 'db', tcp).issues).toEqual([])
    const values = fromEnvoyRouteConfig({ name: 'web' })
    values.virtualHosts = [{ name: 'all', domains: '*', routes: [{ ...fromEnvoyRouteConfig({ name: 'x', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'c' } }] }] }).virtualHosts[0]!.routes[0]!, headers: [{ name: 'x-a', kind: 'prefix', value: 'b' }], timeout: '3s', retryOn: '5xx', numRetries: '2' }] }]
    expect(validateResource(root, 'RouteConfiguration', 'web', toEnvoyRouteConfig(values, { name: 'web' })).issues).toEqual([])
  })
})

describe('fieldMessage', () => {
  it('drops the field name the server puts first, since the label says it', async () => {
    const { fieldMessage } = await import('@/components/forms/fields')
    expect(fieldMessage('port_value: value must be less than or equal to 65535')).toBe('value must be less than or equal to 65535')
    expect(fieldMessage("refers to cluster 'x', which does not exist")).toBe("refers to cluster 'x', which does not exist")
  })
})
