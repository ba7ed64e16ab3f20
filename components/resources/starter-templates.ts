import type { BundleDocument, ResourceJson } from '@/server/contract'
import { ADS_CONFIG_SOURCE } from '../forms/json'
import { HCM_TYPE } from '../forms/listener-mapping'

/**
 * The starter templates an empty fleet offers: a complete, committable set of resources (one of
 * each of the four kinds, over ADS) for the two most common first steps, written to the draft with
 * the bulk draft write (PUT /fleets/{fleet}/draft).
 */
export type StarterKind = 'http' | 'grpc'

export type StarterInput = Readonly<{
  /** http: the listener's port; grpc: the service's name, which clients dial as xds:///<name>. */
  name: string
  /** The one upstream: `host:port` (an IP address: endpoints sent over EDS are not resolved). */
  upstream: string
}>

export const STARTERS: Record<StarterKind, { title: string; description: string; nameLabel: string; nameHint: string; defaults: StarterInput }> = {
  http: {
    title: 'HTTP route to one upstream',
    description: 'Envoy listens on a port and sends every request to one upstream: a listener, a route configuration (path / to the cluster), a cluster and its endpoints.',
    nameLabel: 'Listener port',
    nameHint: 'Envoy accepts HTTP on 0.0.0.0 and this port.',
    defaults: { name: '10000', upstream: '127.0.0.1:8080' },
  },
  grpc: {
    title: 'gRPC proxyless service',
    description: 'gRPC clients (grpc-go, grpc-java, @grpc/grpc-js-xds…) resolve xds:///<service> through Legation, no proxy in between: an API listener, its route configuration, a cluster and its endpoints.',
    nameLabel: 'Service name',
    nameHint: 'Clients dial xds:///<service name>.',
    defaults: { name: 'greeter', upstream: '127.0.0.1:50051' },
  },
}

const NAME = /^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$/
const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/

/** `10.0.0.5:8080` or `[::1]:8080` → address and port; else what is wrong with it. */
export function parseUpstream(text: string): { ok: true; address: string; port: number } | { ok: false; message: string } {
  const m = /^\s*(?:\[([0-9a-fA-F:.]+)\]|([^:\s]+)):(\d{1,5})\s*$/.exec(text)
  if (!m) return { ok: false, message: 'as address:port, e.g. 10.0.0.5:8080' }
  const address = m[1] ?? m[2]!
  const port = Number(m[3])
  if (port < 1 || port > 65535) return { ok: false, message: 'the port is 1 to 65535' }
  if (m[1] === undefined && !IPV4.test(address)) return { ok: false, message: 'an IP address (endpoints sent over EDS are not resolved by DNS)' }
  return { ok: true, address, port }
}

/** Problems with the input, by field (empty: fine). */
export function starterIssues(kind: StarterKind, input: StarterInput): Array<{ field: keyof StarterInput; message: string }> {
  const issues: Array<{ field: keyof StarterInput; message: string }> = []
  if (kind === 'http') {
    const port = Number(input.name)
    if (!/^\d{1,5}$/.test(input.name.trim()) || port < 1 || port > 65535) issues.push({ field: 'name', message: 'a port, 1 to 65535' })
  } else if (!NAME.test(input.name.trim())) {
    issues.push({ field: 'name', message: 'lower-case letters, digits, dots and dashes' })
  }
  const upstream = parseUpstream(input.upstream)
  if (!upstream.ok) issues.push({ field: 'upstream', message: upstream.message })
  return issues
}

const ROUTER = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }

function endpoints(cluster: string, address: string, port: number): ResourceJson {
  return { cluster_name: cluster, endpoints: [{ locality: {}, load_balancing_weight: 1, lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }] }
}

function edsCluster(name: string): ResourceJson {
  return { name, type: 'EDS', eds_cluster_config: { eds_config: ADS_CONFIG_SOURCE }, connect_timeout: '1s', lb_policy: 'ROUND_ROBIN' }
}

/** The resources of a starter template, as bundle documents (throws on input starterIssues refuses). */
export function starterBundle(kind: StarterKind, input: StarterInput): BundleDocument[] {
  const upstream = parseUpstream(input.upstream)
  if (!upstream.ok || starterIssues(kind, input).length > 0) throw new Error(`starter template input refused: ${JSON.stringify(starterIssues(kind, input))}`)
  if (kind === 'http') {
    const port = Number(input.name)
    return [
      {
        type: 'Listener',
        name: 'http',
        resource: {
          name: 'http',
          address: { socket_address: { address: '0.0.0.0', port_value: port } },
          filter_chains: [{ filters: [{ name: 'envoy.filters.network.http_connection_manager', typed_config: { '@type': HCM_TYPE, stat_prefix: 'http', rds: { route_config_name: 'http-routes', config_source: ADS_CONFIG_SOURCE }, http_filters: [ROUTER] } }] }],
        },
      },
      { type: 'RouteConfiguration', name: 'http-routes', resource: { name: 'http-routes', virtual_hosts: [{ name: 'default', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'upstream' } }] }] } },
      { type: 'Cluster', name: 'upstream', resource: edsCluster('upstream') },
      { type: 'ClusterLoadAssignment', name: 'upstream', resource: endpoints('upstream', upstream.address, upstream.port) },
    ]
  }
  const service = input.name.trim()
  const route = `${service}-route`
  return [
    {
      type: 'Listener',
      name: service,
      resource: {
        name: service,
        api_listener: { api_listener: { '@type': HCM_TYPE, stat_prefix: service, rds: { route_config_name: route, config_source: ADS_CONFIG_SOURCE }, http_filters: [ROUTER] } },
      },
    },
    // gRPC matches the virtual host by the target's authority (the service name); prefix '' takes every method.
    { type: 'RouteConfiguration', name: route, resource: { name: route, virtual_hosts: [{ name: service, domains: [service], routes: [{ match: { prefix: '' }, route: { cluster: service } }] }] } },
    { type: 'Cluster', name: service, resource: edsCluster(service) },
    { type: 'ClusterLoadAssignment', name: service, resource: endpoints(service, upstream.address, upstream.port) },
  ]
}
