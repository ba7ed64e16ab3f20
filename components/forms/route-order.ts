import type { Finding, JsonValue } from '@/server/contract'
import { isObject } from './json'

/**
 * A route's order decides which route a request takes: Envoy uses the first that matches. These
 * helpers keep a new route from landing behind a catch-all, move routes, and find the config
 * analysis' findings of one route.
 */

/**
 * Whether `route` matches every request: `prefix: /` or `prefix: ''` and no other matcher (headers,
 * query parameters, gRPC, runtime fraction, …). `case_sensitive` does not narrow such a prefix.
 */
export function isCatchAllRoute(route: JsonValue | undefined): boolean {
  if (!isObject(route) || !isObject(route['match'])) return false
  const match = route['match']
  const prefix = match['prefix']
  return (prefix === '/' || prefix === '') && Object.keys(match).every((k) => k === 'prefix' || k === 'case_sensitive')
}

/** Where "Add route" puts a new route: before the first catch-all (a route after it could never match), else last. */
export function routeInsertIndex(routes: readonly JsonValue[]): number {
  const first = routes.findIndex(isCatchAllRoute)
  return first === -1 ? routes.length : first
}

/** `list` with the item at `from` moved to index `to` (what react-hook-form's `move` does to the form). */
export function reorder<T>(list: readonly T[], from: number, to: number): T[] {
  const next = [...list]
  if (from < 0 || from >= list.length) return next
  const [item] = next.splice(from, 1)
  next.splice(Math.max(0, Math.min(to, next.length)), 0, item!)
  return next
}

/**
 * The index a dragged item ends at when dropped before (or after) the item at `over`, counted in
 * the list as it is after the item left its place: `move(from, dropIndex(…))`.
 */
export function dropIndex(from: number, over: number, after: boolean): number {
  const target = after ? over + 1 : over
  return target > from ? target - 1 : target
}

/** The findings about route `route` of virtual host `vh` (their path is at or under `virtual_hosts[vh].routes[route]`). */
export function routeFindings(findings: readonly Finding[], vh: number, route: number): Finding[] {
  const at = `virtual_hosts[${vh}].routes[${route}]`
  return findings.filter((f) => f.path === at || f.path.startsWith(`${at}.`) || f.path.startsWith(`${at}[`))
}
