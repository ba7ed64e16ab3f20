import type { JsonValue, ResourceJson } from '@/server/contract'
import { doesNotFit, firstMisfit, FITS, type FormFit } from './fit'
import { fieldForIssue, rule, type IssueRule } from './issue-fields'
import { ADS_CONFIG_SOURCE, arr, isObject, numText, obj, setKey, str, type JsonObject } from './json'
import type { ListenerFormValues } from './schemas'

export const HCM_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
export const TCP_PROXY_TYPE = 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy'
export const DOWNSTREAM_TLS_TYPE = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'
const ROUTER_FILTER: JsonObject = { name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }

function typeOf(filter: JsonValue | undefined): string {
  return str(obj(obj(filter)['typed_config'])['@type'])
}

/** The network filter the form edits: the HTTP connection manager or the TCP proxy that ends the chain. */
function terminalFilterIndex(filters: readonly JsonValue[]): number {
  return filters.findIndex((f) => typeOf(f) === HCM_TYPE || typeOf(f) === TCP_PROXY_TYPE)
}

function firstChain(listener: ResourceJson): JsonObject {
  return obj(arr(listener['filter_chains'])[0])
}

function sdsSecretName(chain: JsonObject): string {
  const tls = obj(obj(chain['transport_socket'])['typed_config'])
  return str(obj(arr(obj(tls['common_tls_context'])['tls_certificate_sds_secret_configs'])[0])['name'])
}

export function fromEnvoyListener(listener: ResourceJson): ListenerFormValues {
  const socket = obj(obj(listener['address'])['socket_address'])
  const chain = firstChain(listener)
  const filters = arr(chain['filters'])
  const config = obj(obj(filters[terminalFilterIndex(filters)])['typed_config'])
  const tcp = config['@type'] === TCP_PROXY_TYPE
  return {
    name: str(listener['name']),
    address: 'socket_address' in obj(listener['address']) ? str(socket['address']) : '0.0.0.0',
    port: numText(socket['port_value']),
    mode: tcp ? 'tcp' : 'http',
    statPrefix: str(config['stat_prefix']) || (tcp ? 'ingress_tcp' : 'ingress_http'),
    routeConfigName: str(obj(config['rds'])['route_config_name']),
    cluster: str(config['cluster']),
    tlsSecret: sdsSecretName(chain),
  }
}

function toEnvoyTerminalFilter(values: ListenerFormValues, current: JsonObject | null): JsonObject {
  const wanted = values.mode === 'http' ? HCM_TYPE : TCP_PROXY_TYPE
  // Same kind: merge into it (access logs, other HTTP filters, timeouts stay). Other kind: a new filter.
  const same = current !== null && typeOf(current) === wanted
  const filter: JsonObject = same ? current : { name: values.mode === 'http' ? 'envoy.filters.network.http_connection_manager' : 'envoy.filters.network.tcp_proxy' }
  let config: JsonObject = same ? obj(current['typed_config']) : { '@type': wanted }
  config = setKey(config, 'stat_prefix', values.statPrefix.trim())
  if (values.mode === 'http') {
    // RDS over ADS: the route configuration is its own resource, served by this control plane.
    const rds = setKey(obj(config['rds']), 'route_config_name', values.routeConfigName.trim())
    config = setKey(config, 'rds', isObject(rds['config_source']) ? rds : setKey(rds, 'config_source', ADS_CONFIG_SOURCE))
    if (!('http_filters' in config)) config = setKey(config, 'http_filters', [ROUTER_FILTER])
  } else {
    config = setKey(config, 'cluster', values.cluster.trim())
  }
  return setKey(filter, 'typed_config', config)
}

function toEnvoyTransportSocket(secret: string, chain: JsonObject): JsonObject | undefined {
  if (secret === '') return undefined
  const socket = obj(chain['transport_socket'])
  const isTls = typeOf(socket) === DOWNSTREAM_TLS_TYPE
  const config = isTls ? obj(socket['typed_config']) : { '@type': DOWNSTREAM_TLS_TYPE }
  const common = obj(config['common_tls_context'])
  const sdsList = arr(common['tls_certificate_sds_secret_configs'])
  const first = obj(sdsList[0])
  const sds = setKey(setKey(first, 'name', secret), 'sds_config', isObject(first['sds_config']) ? first['sds_config'] : ADS_CONFIG_SOURCE)
  const newCommon = setKey(common, 'tls_certificate_sds_secret_configs', [sds, ...sdsList.slice(1)])
  return setKey(isTls ? socket : { name: 'envoy.transport_sockets.tls' }, 'typed_config', setKey(config, 'common_tls_context', newCommon))
}

export function toEnvoyListener(values: ListenerFormValues, base: ResourceJson): ResourceJson {
  let l: JsonObject = setKey(base, 'name', values.name.trim())
  const address = obj(base['address'])
  const socket = setKey(setKey(obj(address['socket_address']), 'address', values.address.trim()), 'port_value', Number(values.port))
  l = setKey(l, 'address', setKey(address, 'socket_address', socket))
  const chains = arr(base['filter_chains'])
  const chain = obj(chains[0])
  const filters = [...arr(chain['filters'])]
  const index = terminalFilterIndex(filters)
  const filter = toEnvoyTerminalFilter(values, index >= 0 ? obj(filters[index]) : null)
  if (index >= 0) filters[index] = filter
  else filters.push(filter)
  let newChain = setKey(chain, 'filters', filters)
  newChain = setKey(newChain, 'transport_socket', toEnvoyTransportSocket(values.tlsSecret.trim(), chain))
  return setKey(l, 'filter_chains', [newChain, ...chains.slice(1)])
}

function terminalFilterFit(chain: JsonObject): FormFit {
  const filters = arr(chain['filters'])
  const terminals = filters.filter((f) => typeOf(f) === HCM_TYPE || typeOf(f) === TCP_PROXY_TYPE)
  if (filters.length === 0) return FITS
  if (terminals.length !== 1) return doesNotFit('its filter chain has no HTTP connection manager or TCP proxy the form knows')
  const config = obj(obj(terminals[0])['typed_config'])
  if (config['@type'] === HCM_TYPE) {
    if ('route_config' in config) return doesNotFit('its routes are inline (route_config) rather than a route configuration over RDS')
    if ('scoped_routes' in config) return doesNotFit('it uses scoped routes')
    const rds = obj(config['rds'])
    if ('config_source' in rds && !isObject(obj(rds['config_source'])['ads'])) return doesNotFit('its RDS config source is not this control plane (ADS)')
  } else if ('weighted_clusters' in config) {
    return doesNotFit('its TCP proxy splits traffic over weighted clusters')
  }
  return FITS
}

function tlsFit(chain: JsonObject): FormFit {
  if (!('transport_socket' in chain)) return FITS
  const socket = obj(chain['transport_socket'])
  if (typeOf(socket) !== DOWNSTREAM_TLS_TYPE) return doesNotFit('its transport socket is not TLS')
  const common = obj(obj(socket['typed_config'])['common_tls_context'])
  if ('tls_certificates' in common) return doesNotFit('its TLS certificate is inline rather than an SDS secret')
  if (arr(common['tls_certificate_sds_secret_configs']).length > 1) return doesNotFit('it has several TLS certificates')
  return FITS
}

export function listenerFit(listener: ResourceJson): FormFit {
  const address = obj(listener['address'])
  const chains = arr(listener['filter_chains'])
  const chain = obj(chains[0])
  return firstMisfit(
    Object.keys(address).some((k) => k !== 'socket_address') ? doesNotFit('it listens on a pipe or an internal address') : FITS,
    'named_port' in obj(address['socket_address']) ? doesNotFit('it uses a named port') : FITS,
    chains.length > 1 ? doesNotFit(`it has ${chains.length} filter chains`) : FITS,
    terminalFilterFit(chain),
    tlsFit(chain),
  )
}

const F = 'filter_chains\\[0\\]\\.filters\\[\\d+\\]\\.typed_config'
const LISTENER_RULES: readonly IssueRule[] = [
  rule('name', 'name'),
  rule('address\\.socket_address\\.address', 'address'),
  // An address clash is reported at the port: that is what to change.
  rule('address', 'port'),
  rule(`${F}\\.rds`, 'routeConfigName'),
  rule(`${F}\\.stat_prefix`, 'statPrefix'),
  rule(`${F}\\.cluster`, 'cluster'),
  rule('filter_chains\\[0\\]\\.transport_socket', 'tlsSecret'),
]

export function listenerIssueField(path: string): string | null {
  return fieldForIssue(LISTENER_RULES, path)
}

