import { joinPath, type ConfigIssue } from './issues'
import type { ConfigResource, JsonValue, ResourceKey, ResourceType } from './resource-types'
import { perResource } from './per-resource'

/**
 * Cross-reference checks over a complete resource set (go-control-plane's snapshot Consistent(),
 * plus the references Envoy would otherwise only reject at run time):
 *   route → cluster, listener → route configuration (RDS over ADS), EDS cluster → load assignment,
 *   TLS context → secret (SDS over ADS), tcp_proxy → cluster.
 * References to config sources other than ADS (a file path, another management server) are not ours
 * to resolve and are skipped.
 */
export type Reference = Readonly<{ from: ResourceKey; path: string; to: ResourceKey }>

type Json = JsonValue
type JsonObject = { readonly [key: string]: Json }

const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const TCP_PROXY_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy'

function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
function asArray(v: Json | undefined): readonly Json[] {
  return Array.isArray(v) ? v : []
}
function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

/** A ConfigSource that points at this control plane: `ads: {}` (what Legation's bootstrap uses). */
function isAdsSource(source: Json | undefined): boolean {
  return isObject(source) && isObject(source['ads'])
}
/** SDS configs may omit sds_config only in special cases; treat a missing source as ours too. */
function isOurSdsSource(source: Json | undefined): boolean {
  return source === undefined || isAdsSource(source)
}

function routeConfigClusterRefs(from: ResourceKey, rc: JsonObject, base: string): Reference[] {
  const refs: Reference[] = []
  asArray(rc['virtual_hosts']).forEach((vh, i) => {
    if (!isObject(vh)) return
    const vhPath = joinPath(joinPath(base, 'virtual_hosts'), i)
    asArray(vh['routes']).forEach((route, j) => {
      if (!isObject(route) || !isObject(route['route'])) return
      const action = route['route']
      const actionPath = joinPath(joinPath(joinPath(vhPath, 'routes'), j), 'route')
      const cluster = str(action['cluster'])
      if (cluster) refs.push({ from, path: joinPath(actionPath, 'cluster'), to: { type: 'Cluster', name: cluster } })
      const weighted = action['weighted_clusters']
      if (isObject(weighted)) {
        asArray(weighted['clusters']).forEach((wc, k) => {
          const name = isObject(wc) ? str(wc['name']) : undefined
          if (name) refs.push({ from, path: joinPath(joinPath(joinPath(joinPath(actionPath, 'weighted_clusters'), 'clusters'), k), 'name'), to: { type: 'Cluster', name } })
        })
      }
      asArray(action['request_mirror_policies']).forEach((mp, k) => {
        const name = isObject(mp) ? str(mp['cluster']) : undefined
        if (name) refs.push({ from, path: joinPath(joinPath(joinPath(actionPath, 'request_mirror_policies'), k), 'cluster'), to: { type: 'Cluster', name } })
      })
    })
  })
  return refs
}

function filterRefs(from: ResourceKey, filter: JsonObject, base: string): Reference[] {
  const config = filter['typed_config']
  if (!isObject(config)) return []
  const configPath = joinPath(base, 'typed_config')
  if (config['@type'] === HCM_TYPE) {
    const refs: Reference[] = []
    const rds = config['rds']
    if (isObject(rds) && isAdsSource(rds['config_source'])) {
      const name = str(rds['route_config_name'])
      if (name) refs.push({ from, path: joinPath(joinPath(configPath, 'rds'), 'route_config_name'), to: { type: 'RouteConfiguration', name } })
    }
    const inline = config['route_config']
    if (isObject(inline)) refs.push(...routeConfigClusterRefs(from, inline, joinPath(configPath, 'route_config')))
    return refs
  }
  if (config['@type'] === TCP_PROXY_TYPE) {
    const refs: Reference[] = []
    const cluster = str(config['cluster'])
    if (cluster) refs.push({ from, path: joinPath(configPath, 'cluster'), to: { type: 'Cluster', name: cluster } })
    const weighted = config['weighted_clusters']
    if (isObject(weighted)) {
      asArray(weighted['clusters']).forEach((wc, k) => {
        const name = isObject(wc) ? str(wc['name']) : undefined
        if (name) refs.push({ from, path: joinPath(joinPath(joinPath(joinPath(configPath, 'weighted_clusters'), 'clusters'), k), 'name'), to: { type: 'Cluster', name } })
      })
    }
    return refs
  }
  return []
}

function filterChainRefs(from: ResourceKey, chain: JsonObject, base: string): Reference[] {
  return asArray(chain['filters']).flatMap((f, i) => (isObject(f) ? filterRefs(from, f, joinPath(joinPath(base, 'filters'), i)) : []))
}

/** Secrets named in any TLS context anywhere inside a resource (SdsSecretConfig over ADS). */
function secretRefs(from: ResourceKey, value: Json, base: string): Reference[] {
  const refs: Reference[] = []
  const visit = (v: Json, path: string): void => {
    if (Array.isArray(v)) return v.forEach((item, i) => visit(item, joinPath(path, i)))
    if (!isObject(v)) return
    for (const [key, child] of Object.entries(v)) {
      const childPath = joinPath(path, key)
      if (key === 'tls_certificate_sds_secret_configs') {
        asArray(child).forEach((sds, i) => {
          if (isObject(sds) && isOurSdsSource(sds['sds_config']) && str(sds['name'])) refs.push({ from, path: joinPath(joinPath(childPath, i), 'name'), to: { type: 'Secret', name: sds['name'] as string } })
        })
      } else if (key === 'validation_context_sds_secret_config' && isObject(child)) {
        if (isOurSdsSource(child['sds_config']) && str(child['name'])) refs.push({ from, path: joinPath(childPath, 'name'), to: { type: 'Secret', name: child['name'] as string } })
      } else {
        visit(child, childPath)
      }
    }
  }
  visit(value, base)
  return refs
}

function listenerRefs(r: ConfigResource): Reference[] {
  const from = { type: r.type, name: r.name }
  const refs: Reference[] = []
  asArray(r.resource['filter_chains']).forEach((chain, i) => {
    if (isObject(chain)) refs.push(...filterChainRefs(from, chain, joinPath('filter_chains', i)))
  })
  const fallback = r.resource['default_filter_chain']
  if (isObject(fallback)) refs.push(...filterChainRefs(from, fallback, 'default_filter_chain'))
  const api = r.resource['api_listener']
  if (isObject(api) && isObject(api['api_listener'])) refs.push(...filterRefs(from, { typed_config: api['api_listener'] }, 'api_listener').map((ref) => ({ ...ref, path: ref.path.replace('api_listener.typed_config', 'api_listener.api_listener') })))
  return [...refs, ...secretRefs(from, r.resource, '')]
}

function clusterRefs(r: ConfigResource): Reference[] {
  const from = { type: r.type, name: r.name }
  const refs: Reference[] = []
  if (r.resource['type'] === 'EDS') {
    const eds = r.resource['eds_cluster_config']
    const source = isObject(eds) ? eds['eds_config'] : undefined
    if (isAdsSource(source)) {
      const serviceName = (isObject(eds) && str(eds['service_name'])) || r.name
      refs.push({ from, path: isObject(eds) && str(eds['service_name']) ? 'eds_cluster_config.service_name' : 'name', to: { type: 'ClusterLoadAssignment', name: serviceName } })
    }
  }
  return [...refs, ...secretRefs(from, r.resource, '')]
}

/** Every reference from one resource to another resource served by this control plane (shared result: read-only). */
export const collectReferences: (r: ConfigResource) => readonly Reference[] = perResource(referencesOf)

function referencesOf(r: ConfigResource): Reference[] {
  switch (r.type) {
    case 'Listener':
      return listenerRefs(r)
    case 'RouteConfiguration':
      return routeConfigClusterRefs({ type: r.type, name: r.name }, r.resource, '')
    case 'Cluster':
      return clusterRefs(r)
    default:
      return []
  }
}

const TYPE_LABEL: Record<ResourceType, string> = {
  Listener: 'listener',
  RouteConfiguration: 'route configuration',
  Cluster: 'cluster',
  ClusterLoadAssignment: 'load assignment (endpoints)',
  Secret: 'secret',
}

export function checkReferences(resources: readonly ConfigResource[]): ConfigIssue[] {
  const present = new Set(resources.map((r) => `${r.type}/${r.name}`))
  return resources.flatMap((r) =>
    collectReferences(r)
      .filter((ref) => !present.has(`${ref.to.type}/${ref.to.name}`))
      .map((ref) => ({
        code: 'CONFIG.REFERENCE_MISSING' as const,
        resource: ref.from,
        path: ref.path,
        message: `refers to ${TYPE_LABEL[ref.to.type]} '${ref.to.name}', which does not exist`,
      })),
  )
}

/** Who refers to `target`: used to refuse deleting something still referenced, naming the referrers. */
export function findReferrers(resources: readonly ConfigResource[], target: ResourceKey): Reference[] {
  return resources.flatMap(collectReferences).filter((ref) => ref.to.type === target.type && ref.to.name === target.name)
}

/** Two listeners on the same protocol and port clash when their addresses are equal or one is a wildcard. */
export function checkListenerAddresses(resources: readonly ConfigResource[]): ConfigIssue[] {
  const WILDCARDS = new Set(['0.0.0.0', '::', ''])
  const seen: Array<{ name: string; address: string; port: number; protocol: string }> = []
  const issues: ConfigIssue[] = []
  for (const r of resources) {
    if (r.type !== 'Listener') continue
    const address = r.resource['address']
    const socket = isObject(address) ? address['socket_address'] : undefined
    if (!isObject(socket) || typeof socket['port_value'] !== 'number') continue
    const entry = { name: r.name, address: str(socket['address']) ?? '', port: socket['port_value'], protocol: str(socket['protocol']) ?? 'TCP' }
    const clash = seen.find((s) => s.port === entry.port && s.protocol === entry.protocol && (s.address === entry.address || WILDCARDS.has(s.address) || WILDCARDS.has(entry.address)))
    if (clash) {
      issues.push({
        code: 'CONFIG.ADDRESS_CLASH',
        resource: { type: 'Listener', name: r.name },
        path: 'address.socket_address.port_value',
        message: `${entry.protocol} ${entry.address || '*'}:${entry.port} is already used by listener '${clash.name}' (${clash.address || '*'}:${clash.port})`,
      })
    }
    seen.push(entry)
  }
  return issues
}
