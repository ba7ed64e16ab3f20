import { joinPath } from '../issues'
import type { ConfigResource, ResourceKey } from '../resource-types'
import { asArray, isObject, str, type JsonObject } from './finding'

/** Where each HTTP connection manager and each route configuration of a fleet is, for the checks that need both. */

export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'

export type HcmSite = Readonly<{ listener: ResourceKey; listenerJson: JsonObject; path: string; hcm: JsonObject }>
export type RouteConfigSite = Readonly<{
  /** The resource the route configuration is in: itself (RDS) or the listener that inlines it. */
  owner: ResourceKey
  /** Path of the RouteConfiguration message inside `owner` ('' for an RDS resource). */
  path: string
  rc: JsonObject
  /** The connection managers that serve it. */
  hcms: readonly HcmSite[]
}>

/** Every HttpConnectionManager of every listener: filter chains, the default chain, and gRPC's api_listener. */
export function httpConnectionManagers(resources: readonly ConfigResource[]): HcmSite[] {
  const sites: HcmSite[] = []
  for (const r of resources) {
    if (r.type !== 'Listener') continue
    const listener = { type: r.type, name: r.name }
    const chain = (chainJson: JsonObject, base: string) =>
      asArray(chainJson['filters']).forEach((f, i) => {
        const config = isObject(f) ? f['typed_config'] : undefined
        if (isObject(config) && config['@type'] === HCM_TYPE) sites.push({ listener, listenerJson: r.resource, path: joinPath(joinPath(joinPath(base, 'filters'), i), 'typed_config'), hcm: config })
      })
    asArray(r.resource['filter_chains']).forEach((c, i) => isObject(c) && chain(c, joinPath('filter_chains', i)))
    const fallback = r.resource['default_filter_chain']
    if (isObject(fallback)) chain(fallback, 'default_filter_chain')
    const api = r.resource['api_listener']
    const apiConfig = isObject(api) ? api['api_listener'] : undefined
    if (isObject(apiConfig) && apiConfig['@type'] === HCM_TYPE) sites.push({ listener, listenerJson: r.resource, path: 'api_listener.api_listener', hcm: apiConfig })
  }
  return sites
}

/** The name an HCM fetches over RDS from this control plane (`ads` config source), if any. */
export function rdsName(hcm: JsonObject): string | undefined {
  const rds = hcm['rds']
  if (!isObject(rds)) return undefined
  const source = rds['config_source']
  return isObject(source) && isObject(source['ads']) ? str(rds['route_config_name']) : undefined
}

/** Every route configuration: RDS resources and the ones inlined in a connection manager. */
export function routeConfigurations(resources: readonly ConfigResource[], hcms: readonly HcmSite[]): RouteConfigSite[] {
  const sites: RouteConfigSite[] = []
  for (const r of resources) {
    if (r.type !== 'RouteConfiguration') continue
    sites.push({ owner: { type: r.type, name: r.name }, path: '', rc: r.resource, hcms: hcms.filter((h) => rdsName(h.hcm) === r.name) })
  }
  for (const h of hcms) {
    const inline = h.hcm['route_config']
    if (isObject(inline)) sites.push({ owner: h.listener, path: joinPath(h.path, 'route_config'), rc: inline, hcms: [h] })
  }
  return sites
}
