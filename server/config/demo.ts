import type { ResourceJson, ResourceType } from './resource-types'

/**
 * The `demo` fleet seeded on first start: a listener on :10000 whose route `/` goes to the cluster
 * `service`, one endpoint `service1:8080` (the echo service of docker-compose.yml). Changing that
 * endpoint to `service2` in the console moves `curl localhost:10000` without restarting Envoy.
 */
export const DEMO_FLEET = { name: 'demo', description: 'Demo fleet: listener :10000 → route / → cluster service (service1:8080)' } as const

export const DEMO_RESOURCES: ReadonlyArray<{ type: ResourceType; name: string; resource: ResourceJson }> = [
  {
    type: 'Listener',
    name: 'listener_0',
    resource: {
      name: 'listener_0',
      address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
      filter_chains: [
        {
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typed_config: {
                '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                stat_prefix: 'ingress_http',
                rds: { route_config_name: 'local_route', config_source: { ads: {}, resource_api_version: 'V3' } },
                http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
              },
            },
          ],
        },
      ],
    },
  },
  {
    type: 'RouteConfiguration',
    name: 'local_route',
    resource: {
      name: 'local_route',
      virtual_hosts: [{ name: 'local_service', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'service' } }] }],
    },
  },
  {
    type: 'Cluster',
    name: 'service',
    resource: {
      name: 'service',
      connect_timeout: '0.25s',
      type: 'STRICT_DNS',
      lb_policy: 'ROUND_ROBIN',
      load_assignment: {
        cluster_name: 'service',
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service1', port_value: 8080 } } } }] }],
      },
    },
  },
]
