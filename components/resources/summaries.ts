import type { JsonValue, ResourceJson } from '@/server/contract'
import { arr, isObject, obj, str } from '../forms/json'
import { DOWNSTREAM_TLS_TYPE, HCM_TYPE, TCP_PROXY_TYPE } from '../forms/listener-mapping'
import { dataSourceLabel, secretKind } from './secret-redaction'

// What the tables show of each resource: pure, so the columns only format.

function socketAddress(address: JsonValue | undefined): { host: string; port: number | null } | null {
  const a = obj(address)
  if (isObject(a['pipe'])) return { host: `unix:${str(obj(a['pipe'])['path'])}`, port: null }
  if (isObject(a['envoy_internal_address'])) return { host: `internal:${str(obj(a['envoy_internal_address'])['server_listener_name'])}`, port: null }
  if (!isObject(a['socket_address'])) return null
  const s = obj(a['socket_address'])
  return { host: str(s['address']), port: typeof s['port_value'] === 'number' ? s['port_value'] : null }
}

export function formatHostPort(host: string, port: number | null): string {
  if (port === null) return host
  return host.includes(':') && !host.startsWith('unix:') ? `[${host}]:${port}` : `${host}:${port}`
}

// --- TLS -------------------------------------------------------------------------------------------

/** What a TLS transport socket says at a glance: the SNI it sends (upstream) and the SDS secrets it names. */
export type TlsSummary = Readonly<{ sni: string | null; secrets: string[]; inlineCertificates: boolean }>

const TLS_CONTEXT_TYPES = ['type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext', DOWNSTREAM_TLS_TYPE]

/** A transport socket's TLS, or null when it is not TLS (none, or another socket such as raw_buffer). */
export function summarizeTransportSocket(socket: JsonValue | undefined): TlsSummary | null {
  const ts = obj(socket)
  const config = obj(ts['typed_config'])
  if (!TLS_CONTEXT_TYPES.includes(str(config['@type'])) && !str(ts['name']).endsWith('tls')) return null
  const common = obj(config['common_tls_context'])
  const secrets = [
    ...arr(common['tls_certificate_sds_secret_configs']).map((c) => str(obj(c)['name'])),
    str(obj(common['validation_context_sds_secret_config'])['name']),
    str(obj(obj(common['combined_validation_context'])['validation_context_sds_secret_config'])['name']),
  ].filter(Boolean)
  return { sni: str(config['sni']) || null, secrets: [...new Set(secrets)], inlineCertificates: arr(common['tls_certificates']).length > 0 }
}

// --- Listeners -------------------------------------------------------------------------------------

export type ChainSummary =
  | Readonly<{ kind: 'http'; routeConfig: string | null; inlineRoutes: boolean; tls: boolean }>
  | Readonly<{ kind: 'tcp'; cluster: string | null; weighted: number; tls: boolean }>
  | Readonly<{ kind: 'other'; filters: string[]; tls: boolean }>

export type ListenerSummary = Readonly<{
  address: string
  port: number | null
  chains: ChainSummary[]
  tls: boolean
  /** How many of the chains terminate TLS, and the SDS secrets they name (#15). */
  tlsChains: number
  tlsSecrets: string[]
}>

function summarizeChain(chain: JsonValue | undefined): ChainSummary {
  const c = obj(chain)
  const tls = summarizeTransportSocket(c['transport_socket']) !== null
  const filters = arr(c['filters']).map(obj)
  const hcm = filters.find((f) => obj(f['typed_config'])['@type'] === HCM_TYPE)
  if (hcm) {
    const config = obj(hcm['typed_config'])
    return { kind: 'http', routeConfig: str(obj(config['rds'])['route_config_name']) || null, inlineRoutes: 'route_config' in config, tls }
  }
  const tcp = filters.find((f) => obj(f['typed_config'])['@type'] === TCP_PROXY_TYPE)
  if (tcp) {
    const config = obj(tcp['typed_config'])
    return { kind: 'tcp', cluster: str(config['cluster']) || null, weighted: arr(obj(config['weighted_clusters'])['clusters']).length, tls }
  }
  return { kind: 'other', filters: filters.map((f) => str(f['name'])), tls }
}

export function summarizeListener(listener: ResourceJson): ListenerSummary {
  const at = socketAddress(listener['address'])
  const chains = arr(listener['filter_chains']).map(summarizeChain)
  const rawChains = [...arr(listener['filter_chains']), ...('default_filter_chain' in listener ? [listener['default_filter_chain']] : [])]
  if ('default_filter_chain' in listener) chains.push(summarizeChain(listener['default_filter_chain']))
  const tlsSecrets = rawChains.flatMap((c) => summarizeTransportSocket(obj(c)['transport_socket'])?.secrets ?? [])
  return { address: at?.host ?? '', port: at?.port ?? null, chains, tls: chains.some((c) => c.tls), tlsChains: chains.filter((c) => c.tls).length, tlsSecrets: [...new Set(tlsSecrets)] }
}

// --- Route configurations --------------------------------------------------------------------------

export type RouteAction =
  | Readonly<{ kind: 'cluster'; cluster: string }>
  | Readonly<{ kind: 'weighted'; clusters: Array<{ name: string; weight: number | null }> }>
  | Readonly<{ kind: 'other'; text: string }>

export type RouteSummary = Readonly<{ match: string; headers: string[]; action: RouteAction }>
export type VirtualHostSummary = Readonly<{ name: string; domains: string[]; routes: RouteSummary[] }>

function describeMatch(match: JsonValue | undefined): string {
  const m = obj(match)
  if ('prefix' in m) return `prefix ${str(m['prefix']) || '""'}`
  if ('path' in m) return `path ${str(m['path'])}`
  if ('safe_regex' in m) return `regex ${str(obj(m['safe_regex'])['regex'])}`
  if ('path_separated_prefix' in m) return `prefix ${str(m['path_separated_prefix'])} (segments)`
  if ('connect_matcher' in m) return 'CONNECT'
  return 'any'
}

function describeHeader(header: JsonValue): string {
  const h = obj(header)
  const name = str(h['name'])
  const sm = obj(h['string_match'])
  if (h['present_match'] === true) return `${name} present`
  if ('exact' in sm) return `${name}=${str(sm['exact'])}`
  if ('prefix' in sm) return `${name}^=${str(sm['prefix'])}`
  if ('safe_regex' in sm) return `${name}~${str(obj(sm['safe_regex'])['regex'])}`
  if ('exact_match' in h) return `${name}=${str(h['exact_match'])}`
  return name
}

function describeAction(route: JsonObjectLike): RouteAction {
  if (isObject(route['route'])) {
    const action = route['route']
    if (typeof action['cluster'] === 'string') return { kind: 'cluster', cluster: action['cluster'] }
    if (isObject(action['weighted_clusters'])) {
      return { kind: 'weighted', clusters: arr(action['weighted_clusters']['clusters']).map((wc) => ({ name: str(obj(wc)['name']), weight: typeof obj(wc)['weight'] === 'number' ? (obj(wc)['weight'] as number) : null })) }
    }
    if (typeof action['cluster_header'] === 'string') return { kind: 'other', text: `cluster from header ${action['cluster_header']}` }
    return { kind: 'other', text: 'route' }
  }
  if (isObject(route['redirect'])) {
    const r = route['redirect']
    return { kind: 'other', text: `redirect ${str(r['host_redirect'])}${str(r['path_redirect']) || str(r['prefix_rewrite'])}`.trim() }
  }
  if (isObject(route['direct_response'])) return { kind: 'other', text: `respond ${String(route['direct_response']['status'] ?? '')}`.trim() }
  return { kind: 'other', text: 'no action' }
}

type JsonObjectLike = { readonly [key: string]: JsonValue }

export function summarizeRouteConfig(rc: ResourceJson): { virtualHosts: VirtualHostSummary[]; routeCount: number; clusters: string[] } {
  const virtualHosts = arr(rc['virtual_hosts']).map((raw): VirtualHostSummary => {
    const vh = obj(raw)
    return {
      name: str(vh['name']),
      domains: arr(vh['domains']).map(str),
      routes: arr(vh['routes']).map((r) => ({ match: describeMatch(obj(r)['match']), headers: arr(obj(obj(r)['match'])['headers']).map(describeHeader), action: describeAction(obj(r)) })),
    }
  })
  const clusters = new Set<string>()
  for (const vh of virtualHosts)
    for (const r of vh.routes) {
      if (r.action.kind === 'cluster') clusters.add(r.action.cluster)
      if (r.action.kind === 'weighted') for (const c of r.action.clusters) clusters.add(c.name)
    }
  return { virtualHosts, routeCount: virtualHosts.reduce((n, vh) => n + vh.routes.length, 0), clusters: [...clusters] }
}

// --- Clusters and endpoints ------------------------------------------------------------------------

export type EndpointSummary = Readonly<{ address: string; weight: number | null; health: string | null }>
export type LocalitySummary = Readonly<{ label: string | null; weight: number | null; priority: number; endpoints: EndpointSummary[] }>

export function summarizeLocalities(endpoints: JsonValue | undefined): LocalitySummary[] {
  return arr(endpoints).map((raw) => {
    const group = obj(raw)
    const locality = obj(group['locality'])
    const label = [str(locality['region']), str(locality['zone']), str(locality['sub_zone'])].filter(Boolean).join('/')
    return {
      label: label || null,
      weight: typeof group['load_balancing_weight'] === 'number' ? group['load_balancing_weight'] : null,
      priority: typeof group['priority'] === 'number' ? group['priority'] : 0,
      endpoints: arr(group['lb_endpoints']).map((lb) => {
        const e = obj(lb)
        const at = socketAddress(obj(e['endpoint'])['address'])
        return {
          address: at ? formatHostPort(at.host, at.port) : str(e['endpoint_name']) || '?',
          weight: typeof e['load_balancing_weight'] === 'number' ? e['load_balancing_weight'] : null,
          health: typeof e['health_status'] === 'string' ? e['health_status'] : null,
        }
      }),
    }
  })
}

export function countEndpoints(localities: readonly LocalitySummary[]): number {
  return localities.reduce((n, l) => n + l.endpoints.length, 0)
}

export type ClusterSummary = Readonly<{
  type: string
  lbPolicy: string
  connectTimeout: string | null
  healthCheck: boolean
  circuitBreakers: boolean
  tls: boolean
  /** Its TLS transport socket: SNI and SDS secret names (#15); null without TLS. */
  tlsDetail: TlsSummary | null
  /** The ClusterLoadAssignment an EDS cluster gets its hosts from. */
  edsName: string | null
  /** Inline hosts for STATIC/DNS clusters; null for EDS (see edsName). */
  localities: LocalitySummary[] | null
}>

export function summarizeCluster(cluster: ResourceJson): ClusterSummary {
  const type = isObject(cluster['cluster_type']) ? str(obj(cluster['cluster_type'])['name']) || 'custom' : str(cluster['type']) || 'STATIC'
  const eds = type === 'EDS'
  return {
    type,
    lbPolicy: str(cluster['lb_policy']) || 'ROUND_ROBIN',
    connectTimeout: str(cluster['connect_timeout']) || null,
    healthCheck: arr(cluster['health_checks']).length > 0,
    circuitBreakers: arr(obj(cluster['circuit_breakers'])['thresholds']).length > 0,
    tls: summarizeTransportSocket(cluster['transport_socket']) !== null,
    tlsDetail: summarizeTransportSocket(cluster['transport_socket']),
    edsName: eds ? str(obj(cluster['eds_cluster_config'])['service_name']) || str(cluster['name']) : null,
    localities: eds ? null : summarizeLocalities(obj(cluster['load_assignment'])['endpoints']),
  }
}

// --- Secrets ---------------------------------------------------------------------------------------

/** The kind and where the public parts come from. Never the key material. */
export function summarizeSecret(secret: ResourceJson): { kind: string; detail: string | null } {
  const tls = obj(secret['tls_certificate'])
  if ('tls_certificate' in secret) {
    const chain = dataSourceLabel(tls['certificate_chain'])
    const key = dataSourceLabel(tls['private_key'])
    return { kind: secretKind(secret), detail: [chain ? `certificate ${chain}` : null, key ? `key ${key}` : null].filter(Boolean).join(' · ') || null }
  }
  if ('validation_context' in secret) {
    const ca = dataSourceLabel(obj(secret['validation_context'])['trusted_ca'])
    return { kind: secretKind(secret), detail: ca ? `CA ${ca}` : null }
  }
  return { kind: secretKind(secret), detail: null }
}
