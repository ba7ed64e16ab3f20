import { joinPath } from '../issues'
import { asArray, durationMs, formatMs, isObject, num, str, type Finding, type JsonObject } from './finding'
import type { RouteConfigSite } from './http-sites'
import { re2FullMatch } from './re2'

// Route checks within one virtual host: a route an earlier route always wins over, timeouts that
// cannot apply, weighted clusters that do not add up.
// https://www.envoyproxy.io/docs/envoy/latest/api-v3/config/route/v3/route_components.proto

type PathSpec = Readonly<{ kind: 'prefix' | 'path' | 'path_separated_prefix' | 'safe_regex'; value: string; caseSensitive: boolean }>

const PATH_KINDS = ['prefix', 'path', 'path_separated_prefix', 'safe_regex'] as const

/** The route's path matcher, or null for one this check does not reason about (connect_matcher, path_match_policy). */
function pathSpec(match: JsonObject): PathSpec | null {
  const caseSensitive = match['case_sensitive'] !== false
  for (const kind of PATH_KINDS) {
    const v = match[kind]
    if (kind === 'safe_regex') {
      const regex = isObject(v) ? str(v['regex']) : undefined
      // case_sensitive does not apply to safe_regex (route_components.proto RouteMatch.case_sensitive).
      if (regex !== undefined) return { kind, value: regex, caseSensitive: true }
    } else if (typeof v === 'string') return { kind, value: v, caseSensitive }
  }
  return null
}

/** Matchers besides the path: a route with any of them is not taken for every request of its path. */
function isPathOnly(match: JsonObject): boolean {
  return Object.keys(match).every((k) => k === 'case_sensitive' || (PATH_KINDS as readonly string[]).includes(k))
}

const hasCase = (s: string) => s.toLowerCase() !== s.toUpperCase()

/** Whether every request path `later` matches is also matched by `earlier`. */
function covers(earlier: PathSpec, later: PathSpec): boolean {
  // A case-insensitive later route matches spellings a case-sensitive earlier one may not.
  if (earlier.caseSensitive && !later.caseSensitive && (hasCase(earlier.value) || earlier.kind === 'safe_regex')) return false
  const ci = !earlier.caseSensitive || !later.caseSensitive
  const norm = (s: string) => (ci ? s.toLowerCase() : s)
  const starts = (s: string, p: string) => norm(s).startsWith(norm(p))
  const P = earlier.value
  const Q = later.value
  switch (earlier.kind) {
    case 'prefix':
      // Every :path starts with '/' (or is '*' for OPTIONS *, which no route below targets either).
      if (P === '' || P === '/') return true
      return later.kind !== 'safe_regex' && starts(Q, P)
    case 'path':
      return later.kind === 'path' && norm(Q) === norm(P)
    case 'path_separated_prefix':
      // Matches P itself or P followed by '/'.
      if (later.kind === 'path' || later.kind === 'path_separated_prefix') return norm(Q) === norm(P) || starts(Q, `${P}/`)
      return later.kind === 'prefix' && starts(Q, `${P}/`)
    case 'safe_regex':
      return later.kind === 'path' && later.caseSensitive && re2FullMatch(P, Q) === true
  }
}

const describe = (s: PathSpec) => `${s.kind} '${s.value}'${s.caseSensitive || s.kind === 'safe_regex' ? '' : ' (case-insensitive)'}`
/** 1-based, as the console's route form counts them, with the index of the path. */
const routeLabel = (route: JsonObject, index: number) => `route ${index + 1} (routes[${index}]${str(route['name']) ? `, '${str(route['name'])}'` : ''})`

function shadowedRoutes(site: RouteConfigSite, vh: JsonObject, vhPath: string): Finding[] {
  const findings: Finding[] = []
  const routes = asArray(vh['routes']).map((r) => (isObject(r) ? r : {}))
  const specs = routes.map((r) => (isObject(r['match']) ? pathSpec(r['match']) : null))
  routes.forEach((route, j) => {
    const later = specs[j]
    if (!later) return
    for (let i = 0; i < j; i++) {
      const earlier = specs[i]
      const match = routes[i]!['match']
      if (!earlier || !isObject(match) || !isPathOnly(match) || !covers(earlier, later)) continue
      findings.push({
        severity: 'warning',
        code: 'ROUTE.SHADOWED',
        resource: site.owner,
        path: joinPath(joinPath(joinPath(joinPath(vhPath, 'routes'), j), 'match'), later.kind),
        message: `never matches: ${routeLabel(routes[i]!, i)} of virtual host '${str(vh['name']) ?? ''}' (${describe(earlier)}) comes first and matches every request this route (${describe(later)}) would; Envoy uses the first route that matches, so move this route above it`,
      })
      return
    }
  })
  return findings
}

/** HttpConnectionManager.stream_idle_timeout defaults to 5 minutes; 0 turns it off. */
const DEFAULT_STREAM_IDLE_MS = 300_000
/** RouteAction.timeout defaults to 15 s; 0 turns it off. */
const DEFAULT_ROUTE_TIMEOUT_MS = 15_000

function timeouts(site: RouteConfigSite, vh: JsonObject, vhPath: string, route: JsonObject, routePath: string): Finding[] {
  const action = route['route']
  if (!isObject(action)) return []
  const findings: Finding[] = []
  const actionPath = joinPath(routePath, 'route')
  const timeout = durationMs(action['timeout']) ?? DEFAULT_ROUTE_TIMEOUT_MS
  const timeoutText = action['timeout'] === undefined ? `the default route timeout of ${formatMs(timeout)}` : `the route timeout of ${formatMs(timeout)}`
  if (timeout > 0) {
    // RouteAction.idle_timeout overrides the connection manager's stream_idle_timeout for this route.
    const routeIdle = durationMs(action['idle_timeout'])
    const idles =
      routeIdle !== undefined
        ? [{ ms: routeIdle, what: `its idle_timeout (${formatMs(routeIdle)})` }]
        : site.hcms.map((h) => {
            const ms = durationMs(h.hcm['stream_idle_timeout']) ?? DEFAULT_STREAM_IDLE_MS
            return { ms, what: `the stream_idle_timeout of listener '${h.listener.name}' (${formatMs(ms)}${h.hcm['stream_idle_timeout'] === undefined ? ', the default' : ''})` }
          })
    const shorter = idles.find((idle) => idle.ms > 0 && idle.ms < timeout)
    if (shorter) {
      findings.push({
        severity: 'warning',
        code: 'ROUTE.TIMEOUT_OVER_IDLE_TIMEOUT',
        resource: site.owner,
        path: joinPath(actionPath, action['timeout'] === undefined && routeIdle !== undefined ? 'idle_timeout' : 'timeout'),
        message: `${timeoutText} is longer than ${shorter.what}: a request whose upstream sends nothing for ${formatMs(shorter.ms)} is reset by the idle timeout first, so the route timeout never applies`,
      })
    }
  }
  // x-envoy-upstream-rq-per-try-timeout-ms: a per-try timeout not below the global route timeout is ignored.
  const retry = isObject(action['retry_policy']) ? action['retry_policy'] : isObject(vh['retry_policy']) ? vh['retry_policy'] : undefined
  const perTry = retry ? durationMs(retry['per_try_timeout']) : undefined
  if (perTry !== undefined && perTry > 0 && timeout > 0 && perTry >= timeout) {
    findings.push({
      severity: 'warning',
      code: 'ROUTE.PER_TRY_TIMEOUT_OVER_TIMEOUT',
      resource: site.owner,
      path: joinPath(joinPath(isObject(action['retry_policy']) ? actionPath : vhPath, 'retry_policy'), 'per_try_timeout'),
      message: `the per-try timeout (${formatMs(perTry)}) is not shorter than ${timeoutText}: the whole request times out before a retry can start, so retries on timeout never happen`,
    })
  }
  return findings
}

function weights(site: RouteConfigSite, route: JsonObject, routePath: string): Finding[] {
  const action = route['route']
  const weighted = isObject(action) ? action['weighted_clusters'] : undefined
  if (!isObject(weighted)) return []
  const base = joinPath(joinPath(routePath, 'route'), 'weighted_clusters')
  const sum = asArray(weighted['clusters']).reduce<number>((s, c) => s + (isObject(c) ? (num(c['weight']) ?? 0) : 0), 0)
  const total = num(weighted['total_weight'])
  // Envoy refuses both (RouteEntryImplBase: "Sum of weights in the weighted_cluster must …").
  if (total !== undefined && total > 0 && sum !== total) {
    return [{ severity: 'error', code: 'ROUTE.WEIGHTS_MISMATCH', resource: site.owner, path: joinPath(base, 'total_weight'), message: `the cluster weights add up to ${sum}, not the total_weight of ${total}; Envoy refuses the route configuration` }]
  }
  if (sum === 0) {
    return [{ severity: 'error', code: 'ROUTE.WEIGHTS_MISMATCH', resource: site.owner, path: joinPath(base, 'clusters'), message: 'the cluster weights add up to 0; Envoy refuses the route configuration (at least one cluster needs a weight)' }]
  }
  return []
}

export function checkRoutes(sites: readonly RouteConfigSite[]): Finding[] {
  return sites.flatMap((site) =>
    asArray(site.rc['virtual_hosts']).flatMap((vh, i) => {
      if (!isObject(vh)) return []
      const vhPath = joinPath(joinPath(site.path, 'virtual_hosts'), i)
      return [
        ...shadowedRoutes(site, vh, vhPath),
        ...asArray(vh['routes']).flatMap((route, j) => {
          if (!isObject(route)) return []
          const routePath = joinPath(joinPath(vhPath, 'routes'), j)
          return [...timeouts(site, vh, vhPath, route, routePath), ...weights(site, route, routePath)]
        }),
      ]
    }),
  )
}
