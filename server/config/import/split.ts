import { ADS_SOURCE, keyOfRaw, type ImportContext, type RawResource } from './context'
import { at, get, getArray, getObj, getString, isObj, keyOf, sameJson, without, type Obj } from './json'

const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'

/** Each HTTP connection manager of a listener (filter chains, default chain, API listener), with its path, through `fn` (which may replace it). */
function mapConnectionManagers(raw: RawResource, fn: (hcm: Obj, path: string) => Obj): Obj {
  const mapChain = (chain: unknown, path: string): unknown => {
    if (!isObj(chain)) return chain
    const filtersKey = keyOf(chain, 'filters')
    const filters = getArray(chain, 'filters').map((f, i) => {
      if (!isObj(f)) return f
      const tcKey = keyOf(f, 'typed_config')
      const tc = f[tcKey]
      if (!isObj(tc) || tc['@type'] !== HCM_TYPE) return f
      return { ...f, [tcKey]: fn(tc, at(at(at(path, filtersKey), i), tcKey)) }
    })
    return { ...chain, [filtersKey]: filters }
  }
  const l = raw.resource
  let out: Obj = { ...l }
  const chainsKey = keyOf(l, 'filter_chains')
  if (Array.isArray(l[chainsKey])) out[chainsKey] = (l[chainsKey] as unknown[]).map((c, i) => mapChain(c, at(at(raw.source, chainsKey), i)))
  const defaultKey = keyOf(l, 'default_filter_chain')
  if (isObj(l[defaultKey])) out = { ...out, [defaultKey]: mapChain(l[defaultKey], at(raw.source, defaultKey)) }
  // A gRPC (proxyless) or Envoy Mobile listener: api_listener.api_listener is the connection manager itself.
  const apiKey = keyOf(l, 'api_listener')
  const api = l[apiKey]
  if (isObj(api)) {
    const innerKey = keyOf(api, 'api_listener')
    const inner = api[innerKey]
    if (isObj(inner) && inner['@type'] === HCM_TYPE) out = { ...out, [apiKey]: { ...api, [innerKey]: fn(inner, at(at(raw.source, apiKey), innerKey)) } }
  }
  return out
}

/**
 * Inline `route_config`s of HTTP connection managers out into RouteConfigurations served over RDS
 * (ADS). Two listeners with the same route configuration share it; a different one under a name
 * already taken gets `<name>-<listener>`. Without `split`, the names left inline are returned so
 * a config dump's copy of them (static_route_configs) is not imported twice.
 */
export function splitRoutes(ctx: ImportContext, listeners: readonly RawResource[], split: boolean): { listeners: RawResource[]; routes: RawResource[]; inline: Map<string, string> } {
  const routes = new Map<string, RawResource>()
  const inline = new Map<string, string>()
  const out = listeners.map((raw) => {
    const resource = mapConnectionManagers(raw, (hcm, path) => {
      const rcKey = keyOf(hcm, 'route_config')
      const rc = hcm[rcKey]
      if (!isObj(rc)) return hcm
      const rcPath = at(path, rcKey)
      let name = getString(rc, 'name') || `${raw.name}-routes`
      if (!split) {
        inline.set(name, raw.name)
        return hcm
      }
      const taken = routes.get(name)
      if (taken && !sameJson(without(taken.resource, 'name'), without(rc, 'name'))) {
        const renamed = `${name}-${raw.name}`
        ctx.add({ severity: 'info', code: 'IMPORT.NAME_GIVEN', path: rcPath, resource: keyOfRaw(raw), message: `another listener has a different route configuration named '${name}': this one is '${renamed}'` })
        name = renamed
      }
      if (!getString(rc, 'name')) ctx.add({ severity: 'info', code: 'IMPORT.NAME_GIVEN', path: rcPath, resource: keyOfRaw(raw), message: `the route configuration has no name: it is '${name}'` })
      if (!routes.has(name)) routes.set(name, { type: 'RouteConfiguration', name, resource: { ...without(rc, 'name'), name }, source: rcPath })
      ctx.add({ severity: 'info', code: 'IMPORT.ROUTES_SPLIT', path: rcPath, resource: keyOfRaw(raw), message: `served as the RouteConfiguration '${name}' over RDS` })
      return { ...without(hcm, 'route_config'), rds: { route_config_name: name, config_source: ADS_SOURCE } }
    })
    return { ...raw, resource }
  })
  return { listeners: out, routes: [...routes.values()], inline }
}

const DNS_TYPES = new Set(['STRICT_DNS', 'LOGICAL_DNS'])

/**
 * Inline `load_assignment`s of STATIC clusters out into ClusterLoadAssignments, the clusters made
 * EDS over ADS. DNS clusters keep theirs (Envoy resolves their host names; EDS carries addresses):
 * said as an info. Without `split`, the names left inline are returned (see splitRoutes).
 */
export function splitEndpoints(ctx: ImportContext, clusters: readonly RawResource[], split: boolean): { clusters: RawResource[]; endpoints: RawResource[]; inline: Map<string, string> } {
  const endpoints: RawResource[] = []
  const inline = new Map<string, string>()
  const out = clusters.map((raw) => {
    const c = raw.resource
    const laKey = keyOf(c, 'load_assignment')
    const la = c[laKey]
    if (!isObj(la)) return raw
    const type = getString(c, 'type') ?? (get(c, 'cluster_type') !== undefined ? 'CUSTOM' : 'STATIC')
    const laPath = at(raw.source, laKey)
    const eds = getObj(c, 'eds_cluster_config')
    const name = (eds && getString(eds, 'service_name')) || raw.name
    if (!split || (type !== 'STATIC' && type !== 'EDS')) {
      inline.set(getString(la, 'cluster_name') ?? raw.name, raw.name)
      if (split && DNS_TYPES.has(type)) {
        ctx.add({ severity: 'info', code: 'IMPORT.DNS_ENDPOINTS_INLINE', path: laPath, resource: keyOfRaw(raw), message: `a ${type} cluster resolves its host names itself (EDS carries addresses): its endpoints stay inline` })
      }
      return raw
    }
    endpoints.push({ type: 'ClusterLoadAssignment', name, resource: { ...without(la, 'cluster_name'), cluster_name: name }, source: laPath })
    ctx.add({ severity: 'info', code: 'IMPORT.ENDPOINTS_SPLIT', path: laPath, resource: keyOfRaw(raw), message: `served as the ClusterLoadAssignment '${name}' over EDS; the cluster is type EDS` })
    const rest = without(c, 'load_assignment', 'type', 'eds_cluster_config')
    return { ...raw, resource: { ...rest, type: 'EDS', eds_cluster_config: { eds_config: ADS_SOURCE, ...(name === raw.name ? {} : { service_name: name }) } } }
  })
  return { clusters: out, endpoints, inline }
}
