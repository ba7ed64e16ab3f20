import type { ResourceJson } from '@/server/contract'
import { ADS_CONFIG_SOURCE } from '../forms/json'
import { HCM_TYPE } from '../forms/listener-mapping'
import type { ResourceKind } from './kinds'

/** What "New …" starts from: the common case, ready to fill in. */
export function newResourceTemplate(kind: ResourceKind): ResourceJson {
  switch (kind) {
    case 'clusters':
      return {
        name: '',
        type: 'STRICT_DNS',
        connect_timeout: '1s',
        lb_policy: 'ROUND_ROBIN',
        load_assignment: { cluster_name: '', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '', port_value: 80 } } } }] }] },
      }
    case 'listeners':
      return {
        name: '',
        address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
        filter_chains: [
          {
            filters: [
              {
                name: 'envoy.filters.network.http_connection_manager',
                typed_config: {
                  '@type': HCM_TYPE,
                  stat_prefix: 'ingress_http',
                  rds: { route_config_name: '', config_source: ADS_CONFIG_SOURCE },
                  http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
                },
              },
            ],
          },
        ],
      }
    case 'routes':
      return { name: '', virtual_hosts: [{ name: 'default', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: '' } }] }] }
    case 'endpoints':
      return { cluster_name: '', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '', port_value: 80 } } } }] }] }
    case 'secrets':
      return { name: '', tls_certificate: { certificate_chain: { filename: '/etc/envoy/tls/cert.pem' }, private_key: { filename: '/etc/envoy/tls/key.pem' } } }
  }
}
