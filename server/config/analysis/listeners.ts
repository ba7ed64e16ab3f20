import { joinPath } from '../issues'
import type { ConfigResource } from '../resource-types'
import { asArray, isObject, num, str, type Finding, type Json, type JsonObject } from './finding'
import type { HcmSite } from './http-sites'

const ROUTER_TYPE = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router'
const ROUTER_NAME = 'envoy.filters.http.router'
const ORIGINAL_DST_TYPE = 'type.googleapis.com/envoy.extensions.filters.listener.original_dst.v3.OriginalDst'

/**
 * The HTTP filter chain ends in the router: Envoy refuses a chain whose last filter is not terminal
 * ("non-terminal filter … is the last filter in a http filter chain") or that has a terminal filter
 * before the end; gRPC clients require the router last as well (gRFC A39). Without it no request is routed.
 */
function checkRouter(site: HcmSite): Finding[] {
  const filters = asArray(site.hcm['http_filters']).map((f) => (isObject(f) ? f : ({} as JsonObject)))
  const path = joinPath(site.path, 'http_filters')
  // A filter configured over ECDS (config_discovery) may be anything: nothing to say.
  if (filters.some((f) => isObject(f['config_discovery']))) return []
  const isRouter = (f: JsonObject) => {
    const config = f['typed_config']
    return isObject(config) ? config['@type'] === ROUTER_TYPE : f['name'] === ROUTER_NAME
  }
  const at = filters.findIndex(isRouter)
  if (at === -1) {
    return [{ severity: 'error', code: 'HTTP_FILTERS.NO_ROUTER', resource: site.listener, path, message: `the HTTP connection manager has no router filter (${ROUTER_NAME}, typed_config ${ROUTER_TYPE}) as its last HTTP filter: no request would be routed, and Envoy refuses a chain whose last filter is not terminal` }]
  }
  if (at !== filters.length - 1) {
    const next = str(filters[at + 1]!['name']) ?? `http_filters[${at + 1}]`
    return [{ severity: 'error', code: 'HTTP_FILTERS.ROUTER_NOT_LAST', resource: site.listener, path: joinPath(path, at), message: `the router filter must be the last HTTP filter, but '${next}' comes after it; Envoy refuses a terminal filter that is not last` }]
  }
  return []
}

// ---- filter chain matching -------------------------------------------------------------------
// Envoy builds a tree over FilterChainMatch's fields (listener_impl.cc, filter_chain_manager_impl.cc)
// and refuses two chains that reach the same leaf: "multiple filter chains with the same matching
// rules are defined". Each list field is expanded into its values; an empty list is "any".

const MATCH_FIELDS = ['destination_port', 'prefix_ranges', 'server_names', 'transport_protocol', 'application_protocols', 'direct_source_prefix_ranges', 'source_type', 'source_prefix_ranges', 'source_ports'] as const
/** Past this many combinations a chain is not compared (a pathological config, not a typical one). */
const MAX_COMBINATIONS = 4096

function valuesOf(field: string, v: Json | undefined): string[] {
  if (v === undefined) return ['']
  if (Array.isArray(v)) {
    if (v.length === 0) return ['']
    return v.map((item) => (isObject(item) ? `${str(item['address_prefix'])?.toLowerCase() ?? ''}/${num(item['prefix_len']) ?? ''}` : String(item).toLowerCase()))
  }
  if (field === 'source_type' && v === 'ANY') return ['']
  return [String(v)]
}

function combinations(match: JsonObject): string[] | null {
  let keys: string[] = ['']
  for (const field of MATCH_FIELDS) {
    const values = [...new Set(valuesOf(field, match[field]))]
    if (keys.length * values.length > MAX_COMBINATIONS) return null
    keys = keys.flatMap((k) => values.map((v) => `${k}|${v}`))
  }
  return keys
}

function describeMatch(match: JsonObject): string {
  const set = MATCH_FIELDS.filter((f) => match[f] !== undefined)
  return set.length === 0 ? 'no filter_chain_match: every connection' : set.map((f) => `${f} ${JSON.stringify(match[f])}`).join(', ')
}

function checkFilterChains(r: ConfigResource): Finding[] {
  const findings: Finding[] = []
  const listener = { type: r.type, name: r.name }
  const chains = asArray(r.resource['filter_chains']).map((c) => (isObject(c) ? c : ({} as JsonObject)))
  const socket = isObject(r.resource['address']) && isObject(r.resource['address']['socket_address']) ? r.resource['address']['socket_address'] : undefined
  const port = socket ? num(socket['port_value']) : undefined
  // With use_original_dst (or the original_dst listener filter) the destination is the connection's
  // original one; extra addresses may add ports. Otherwise it is the listener's own port.
  const originalDst =
    r.resource['use_original_dst'] === true ||
    asArray(r.resource['listener_filters']).some((f) => isObject(f) && ((isObject(f['typed_config']) && f['typed_config']['@type'] === ORIGINAL_DST_TYPE) || f['name'] === 'envoy.filters.listener.original_dst')) ||
    asArray(r.resource['additional_addresses']).length > 0
  const seen = new Map<string, number>()
  chains.forEach((chain, j) => {
    const match = isObject(chain['filter_chain_match']) ? chain['filter_chain_match'] : {}
    const matchPath = joinPath(joinPath('filter_chains', j), 'filter_chain_match')
    const destination = num(match['destination_port'])
    if (destination !== undefined && port !== undefined && port !== 0 && destination !== port && !originalDst) {
      findings.push({
        severity: 'warning',
        code: 'LISTENER.FILTER_CHAIN_UNREACHABLE',
        resource: listener,
        path: joinPath(matchPath, 'destination_port'),
        message: `this filter chain only takes connections to port ${destination}, but the listener listens on port ${port} and does not use the original destination (use_original_dst or the original_dst listener filter): it never matches`,
      })
    }
    const keys = combinations(match)
    if (keys === null) return
    const clash = keys.map((k) => seen.get(k)).find((i) => i !== undefined)
    if (clash !== undefined) {
      findings.push({
        severity: 'error',
        code: 'LISTENER.FILTER_CHAIN_DUPLICATE_MATCH',
        resource: listener,
        path: matchPath,
        message: `this filter chain matches the same connections as filter_chains[${clash}] (${describeMatch(match)}); Envoy refuses a listener whose filter chains have the same matching rules`,
      })
      return
    }
    for (const k of keys) seen.set(k, j)
  })
  return findings
}

export function checkListeners(resources: readonly ConfigResource[], hcms: readonly HcmSite[]): Finding[] {
  return [...resources.filter((r) => r.type === 'Listener').flatMap(checkFilterChains), ...hcms.flatMap(checkRouter)]
}
