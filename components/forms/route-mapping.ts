import type { JsonValue, ResourceJson } from '@/server/contract'
import { FITS, type FormFit } from './fit'
import { fieldForIssue, rule, type IssueRule } from './issue-fields'
import { arr, isObject, numText, obj, omit, setKey, str, toNumber, toText, type JsonObject } from './json'
import type { HeaderMatchValues, RouteConfigFormValues, RouteValues, VirtualHostValues, WeightedClusterValues } from './schemas'

// RouteConfiguration ⇄ form: virtual hosts, and their routes as match → cluster (or weighted
// clusters), with timeout, retries and prefix rewrite. Routes the form cannot show are "locked":
// listed, kept byte for byte, and edited in YAML.

const PATH_SPECIFIERS = ['prefix', 'path', 'safe_regex', 'path_separated_prefix', 'connect_matcher', 'path_match_policy']
const HEADER_MATCHERS = ['exact_match', 'safe_regex_match', 'range_match', 'present_match', 'prefix_match', 'suffix_match', 'contains_match', 'string_match']
const STRING_MATCHERS = ['exact', 'prefix', 'suffix', 'contains', 'safe_regex']
const CLUSTER_SPECIFIERS = ['cluster', 'weighted_clusters', 'cluster_header', 'cluster_specifier_plugin', 'inline_cluster_specifier_plugin']
const OTHER_ACTIONS: Record<string, string> = {
  redirect: 'it is a redirect',
  direct_response: 'it answers directly (direct_response)',
  filter_action: 'it is a filter action',
  non_forwarding_action: 'it is a non-forwarding action',
}

function headerKind(h: JsonObject): HeaderMatchValues['kind'] | null {
  if (h['present_match'] === true && Object.keys(h).every((k) => k === 'name' || k === 'present_match')) return 'present'
  const sm = h['string_match']
  if (!isObject(sm) || Object.keys(h).some((k) => k !== 'name' && k !== 'string_match')) return null
  if ('exact' in sm) return 'exact'
  if ('prefix' in sm) return 'prefix'
  if ('safe_regex' in sm) return 'regex'
  return null
}

/** Why the form cannot edit this route, or null when it can. */
export function routeMisfit(raw: JsonValue | undefined): string | null {
  if (!isObject(raw)) return 'it is not an object'
  for (const [key, reason] of Object.entries(OTHER_ACTIONS)) if (key in raw) return reason
  const match = obj(raw['match'])
  const specifier = PATH_SPECIFIERS.find((k) => k in match)
  if (specifier && !['prefix', 'path', 'safe_regex'].includes(specifier)) return `it matches with ${specifier}`
  for (const h of arr(match['headers'])) if (headerKind(obj(h)) === null) return `it matches header '${str(obj(h)['name'])}' in a way the form has no control for`
  const action = obj(raw['route'])
  const cluster = CLUSTER_SPECIFIERS.find((k) => k in action)
  if (cluster && cluster !== 'cluster' && cluster !== 'weighted_clusters') return `it picks its cluster with ${cluster}`
  if (!('route' in raw)) return 'it has no route action'
  return null
}

function fromEnvoyHeader(raw: JsonValue, k: number): HeaderMatchValues {
  const h = obj(raw)
  const kind = headerKind(h) ?? 'exact'
  const sm = obj(h['string_match'])
  const value = kind === 'regex' ? str(obj(sm['safe_regex'])['regex']) : kind === 'present' ? '' : str(sm[kind])
  return { origin: k, name: str(h['name']), kind, value }
}

export function fromEnvoyRoute(raw: JsonValue | undefined, j: number): RouteValues {
  const r = obj(raw)
  const match = obj(r['match'])
  const action = obj(r['route'])
  const matchKind = 'path' in match ? 'path' : 'safe_regex' in match ? 'safe_regex' : 'prefix'
  const retry = obj(action['retry_policy'])
  const reason = routeMisfit(raw)
  return {
    origin: j,
    locked: reason !== null,
    lockedReason: reason ?? '',
    matchKind,
    matchValue: matchKind === 'safe_regex' ? str(obj(match['safe_regex'])['regex']) : str(match[matchKind]),
    headers: reason === null ? arr(match['headers']).map(fromEnvoyHeader) : [],
    target: 'weighted_clusters' in action ? 'weighted' : 'cluster',
    cluster: str(action['cluster']),
    weightedClusters: arr(obj(action['weighted_clusters'])['clusters']).map((wc, k): WeightedClusterValues => ({ origin: k, name: str(obj(wc)['name']), weight: numText(obj(wc)['weight']) })),
    timeout: str(action['timeout']),
    retryOn: str(retry['retry_on']),
    numRetries: numText(retry['num_retries']),
    prefixRewrite: str(action['prefix_rewrite']),
  }
}

function toEnvoyHeader(h: HeaderMatchValues, original: JsonValue | undefined): JsonObject {
  const base = setKey(obj(original), 'name', h.name.trim())
  if (h.kind === 'present') return setKey(omit(base, ...HEADER_MATCHERS), 'present_match', true)
  const sm = omit(obj(base['string_match']), ...STRING_MATCHERS)
  const matcher = h.kind === 'regex' ? setKey(sm, 'safe_regex', { regex: h.value }) : setKey(sm, h.kind, h.value)
  return setKey(omit(base, ...HEADER_MATCHERS.filter((k) => k !== 'string_match')), 'string_match', matcher)
}

function toEnvoyMatch(v: RouteValues, original: JsonObject): JsonObject {
  let match = omit(original, ...PATH_SPECIFIERS.filter((k) => k !== v.matchKind))
  match = setKey(match, v.matchKind, v.matchKind === 'safe_regex' ? setKey(obj(original['safe_regex']), 'regex', v.matchValue) : v.matchValue)
  const headers = arr(original['headers'])
  return setKey(match, 'headers', v.headers.length > 0 ? v.headers.map((h) => toEnvoyHeader(h, h.origin === undefined ? undefined : headers[h.origin])) : undefined)
}

function toEnvoyAction(v: RouteValues, original: JsonObject): JsonObject {
  let action: JsonObject
  if (v.target === 'cluster') {
    action = setKey(omit(original, ...CLUSTER_SPECIFIERS.filter((k) => k !== 'cluster')), 'cluster', v.cluster.trim())
  } else {
    const weighted = obj(original['weighted_clusters'])
    const before = arr(weighted['clusters'])
    const clusters = v.weightedClusters.map((w) => setKey(setKey(obj(w.origin === undefined ? undefined : before[w.origin]), 'name', w.name.trim()), 'weight', Number(w.weight)))
    action = setKey(omit(original, ...CLUSTER_SPECIFIERS.filter((k) => k !== 'weighted_clusters')), 'weighted_clusters', setKey(weighted, 'clusters', clusters))
  }
  action = setKey(action, 'timeout', toText(v.timeout))
  const retry = setKey(setKey(obj(original['retry_policy']), 'retry_on', toText(v.retryOn)), 'num_retries', toNumber(v.numRetries))
  action = setKey(action, 'retry_policy', Object.keys(retry).length > 0 ? retry : undefined)
  return setKey(action, 'prefix_rewrite', v.prefixRewrite === '' ? undefined : v.prefixRewrite)
}

export function toEnvoyRoute(v: RouteValues, original: JsonValue | undefined): JsonValue {
  if (v.locked && original !== undefined) return original
  const r = obj(original)
  return setKey(setKey(r, 'match', toEnvoyMatch(v, obj(r['match']))), 'route', toEnvoyAction(v, obj(r['route'])))
}

export function splitDomains(text: string): string[] {
  return text.split(/[\s,]+/).filter((d) => d !== '')
}

export function fromEnvoyRouteConfig(rc: ResourceJson): RouteConfigFormValues {
  return {
    name: str(rc['name']),
    virtualHosts: arr(rc['virtual_hosts']).map((raw, i): VirtualHostValues => {
      const vh = obj(raw)
      return { origin: i, name: str(vh['name']), domains: arr(vh['domains']).map(str).join(', '), routes: arr(vh['routes']).map(fromEnvoyRoute) }
    }),
  }
}

export function toEnvoyRouteConfig(values: RouteConfigFormValues, base: ResourceJson): ResourceJson {
  const named = setKey(base, 'name', values.name.trim())
  const hosts = arr(base['virtual_hosts'])
  const virtualHosts = values.virtualHosts.map((vh) => {
    const original = obj(vh.origin === undefined ? undefined : hosts[vh.origin])
    const routes = arr(original['routes'])
    const withDomains = setKey(setKey(original, 'name', vh.name.trim()), 'domains', splitDomains(vh.domains))
    return setKey(withDomains, 'routes', vh.routes.length > 0 || 'routes' in original ? vh.routes.map((r) => toEnvoyRoute(r, r.origin === undefined ? undefined : routes[r.origin])) : undefined)
  })
  return setKey(named, 'virtual_hosts', virtualHosts.length > 0 || 'virtual_hosts' in base ? virtualHosts : undefined)
}

/** Every route configuration opens in the form; routes it cannot show are kept and marked. */
export function routeConfigFit(_rc: ResourceJson): FormFit {
  return FITS
}

const V = 'virtual_hosts\\[(\\d+)\\]'
const R = `${V}\\.routes\\[(\\d+)\\]`
const at = (m: RegExpExecArray, field: string) => `virtualHosts.${m[1]}.routes.${m[2]}.${field}`
const ROUTE_CONFIG_RULES: readonly IssueRule[] = [
  rule('name', 'name'),
  rule(`${R}\\.match\\.headers\\[(\\d+)\\]\\.name`, (m) => at(m, `headers.${m[3]}.name`)),
  rule(`${R}\\.match\\.headers\\[(\\d+)\\]`, (m) => at(m, `headers.${m[3]}.value`)),
  rule(`${R}\\.match`, (m) => at(m, 'matchValue')),
  rule(`${R}\\.route\\.weighted_clusters\\.clusters\\[(\\d+)\\]\\.weight`, (m) => at(m, `weightedClusters.${m[3]}.weight`)),
  rule(`${R}\\.route\\.weighted_clusters\\.clusters\\[(\\d+)\\]`, (m) => at(m, `weightedClusters.${m[3]}.name`)),
  rule(`${R}\\.route\\.weighted_clusters`, (m) => at(m, 'target')),
  rule(`${R}\\.route\\.cluster`, (m) => at(m, 'cluster')),
  rule(`${R}\\.route\\.timeout`, (m) => at(m, 'timeout')),
  rule(`${R}\\.route\\.retry_policy\\.num_retries`, (m) => at(m, 'numRetries')),
  rule(`${R}\\.route\\.retry_policy`, (m) => at(m, 'retryOn')),
  rule(`${R}\\.route\\.prefix_rewrite`, (m) => at(m, 'prefixRewrite')),
  rule(`${V}\\.name`, (m) => `virtualHosts.${m[1]}.name`),
  rule(`${V}\\.domains`, (m) => `virtualHosts.${m[1]}.domains`),
]

export function routeConfigIssueField(path: string): string | null {
  return fieldForIssue(ROUTE_CONFIG_RULES, path)
}

/** A new route sending `matchValue` (a path prefix) to a cluster still to pick. */
export function newRouteRow(matchValue = '/'): RouteValues {
  return { locked: false, lockedReason: '', matchKind: 'prefix', matchValue, headers: [], target: 'cluster', cluster: '', weightedClusters: [], timeout: '', retryOn: '', numRetries: '', prefixRewrite: '' }
}

export function newVirtualHostRow(): VirtualHostValues {
  return { name: '', domains: '*', routes: [newRouteRow()] }
}
