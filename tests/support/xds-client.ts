import * as grpc from '@grpc/grpc-js'
import { register } from '@grpc/grpc-js-xds'
import { EchoClient } from './echo-backend'
import type { ApiClient } from './http'
import { commitDraft, putEchoDraft } from './xds-fleet'

register()

/** `fleet` is the node.cluster the client sends; `metadata`, string node.metadata (what fleet selectors may match). */
export type XdsClientOptions = Readonly<{ xdsPort: number; xdsHost?: string; nodeId: string; fleet: string; target: string; metadata?: Readonly<Record<string, string>> }>

/**
 * A channel using gRPC's own proxyless xDS client (@grpc/grpc-js-xds), pointed at Legation with its
 * own bootstrap, so it validates, ACKs and NACKs our responses as a proxy does.
 */
export function createXdsEchoClient(options: XdsClientOptions): grpc.Client {
  const bootstrap = {
    xds_servers: [{ server_uri: `${options.xdsHost ?? '127.0.0.1'}:${options.xdsPort}`, channel_creds: [{ type: 'insecure' }], server_features: ['xds_v3'] }],
    node: { id: options.nodeId, cluster: options.fleet, locality: {}, ...(options.metadata ? { metadata: options.metadata } : {}) },
  }
  return new EchoClient(`xds:///${options.target}`, grpc.credentials.createInsecure(), {
    'grpc.TEST_ONLY_DO_NOT_USE_IN_PROD.xds_bootstrap_config': JSON.stringify(bootstrap),
  })
}

/** The xDS test config for target `echo`: what issue 4's first scenario describes. */
export function echoFleetResources(endpoints: ReadonlyArray<{ address: string; port: number }>, clusterExtra: Record<string, unknown> = {}) {
  return {
    listener: {
      name: 'echo',
      api_listener: {
        api_listener: {
          '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
          stat_prefix: 'echo',
          rds: { route_config_name: 'echo-route', config_source: { ads: {}, resource_api_version: 'V3' } },
          http_filters: [{ name: 'router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
        },
      },
    },
    route: { name: 'echo-route', virtual_hosts: [{ name: 'echo', domains: ['echo'], routes: [{ match: { prefix: '' }, route: { cluster: 'echo-backend' } }] }] },
    cluster: { name: 'echo-backend', type: 'EDS', eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } }, connect_timeout: '1s', lb_policy: 'ROUND_ROBIN', ...clusterExtra },
    endpoints: {
      cluster_name: 'echo-backend',
      endpoints: [{ locality: {}, load_balancing_weight: 1, lb_endpoints: endpoints.map((e) => ({ endpoint: { address: { socket_address: { address: e.address, port_value: e.port } } } })) }],
    },
  }
}

/**
 * Creates `fleet` with the echo config routed to `backends`, committed as version 1 with the
 * message 'echo on backend 1'; resolves with that version number.
 */
export async function createEchoFleet(api: ApiClient, fleet: string, backends: ReadonlyArray<{ address: string; port: number }>, description?: string): Promise<number> {
  const created = await api('POST', '/api/v1/fleets', { body: { name: fleet, ...(description === undefined ? {} : { description }) } })
  if (created.status !== 201) throw new Error(`POST fleet ${fleet}: ${created.status} ${created.text}`)
  await putEchoDraft(api, fleet, echoFleetResources(backends))
  return commitDraft(api, fleet, 'echo on backend 1')
}

/** The message of the version commitRejectedCluster makes. */
export const REJECTED_CLUSTER_MESSAGE = 'maglev, which grpc-js-xds rejects'

/**
 * Commits the echo config with a MAGLEV Cluster, which grpc-js-xds NACKs (it has no Maglev load
 * balancer); resolves with the new version number.
 */
export async function commitRejectedCluster(api: ApiClient, fleet: string, backends: ReadonlyArray<{ address: string; port: number }>): Promise<number> {
  await putEchoDraft(api, fleet, echoFleetResources(backends, { lb_policy: 'MAGLEV' }))
  return commitDraft(api, fleet, REJECTED_CLUSTER_MESSAGE)
}
