import { readdir } from 'node:fs/promises'
import path from 'node:path'

/**
 * The route pattern of an API path (`/api/v1/fleets/edge/versions/3` → `/api/v1/fleets/[fleet]/versions/[number]`),
 * for metric labels: a raw path would make one series per fleet, node and token id.
 * The patterns are the App Router's own folders (app/api/**\/route.ts).
 */
export type RoutePattern = Readonly<{ pattern: string; segments: readonly string[] }>

const isDynamic = (segment: string): boolean => segment.startsWith('[') && segment.endsWith(']')

export function toRoutePatterns(patterns: readonly string[]): RoutePattern[] {
  return patterns.map((pattern) => ({ pattern, segments: pattern.split('/').filter((s) => s !== '') }))
}

/**
 * The pattern Next would route `pathname` to, or null. As in the App Router, a static segment wins
 * over a dynamic one at the same place (`/proxies/summary` is not `/proxies/[node]`). Catch-all
 * segments are not used by the API and not matched.
 */
export function matchRoutePattern(patterns: readonly RoutePattern[], pathname: string): string | null {
  const parts = pathname.split('?')[0]!.split('/').filter((s) => s !== '')
  let best: RoutePattern | null = null
  for (const candidate of patterns) {
    if (candidate.segments.length !== parts.length) continue
    if (!candidate.segments.every((s, i) => isDynamic(s) || s === parts[i])) continue
    if (!best || moreSpecific(candidate, best)) best = candidate
  }
  return best?.pattern ?? null
}

/** At the first place they differ, the static segment is the more specific. */
function moreSpecific(a: RoutePattern, b: RoutePattern): boolean {
  for (let i = 0; i < a.segments.length; i++) {
    const da = isDynamic(a.segments[i]!)
    const db = isDynamic(b.segments[i]!)
    if (da !== db) return !da
  }
  return false
}

/** Every folder under `apiDir` (the app's `app/api`) holding a route.ts, as a URL pattern; route groups `(x)` leave the URL. */
export async function listApiRoutePatterns(apiDir: string, urlPrefix = '/api'): Promise<string[]> {
  const found: string[] = []
  const walk = async (dir: string, url: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (entry.isFile() && /^route\.(ts|js)$/.test(entry.name)) found.push(url)
      if (entry.isDirectory()) {
        const group = entry.name.startsWith('(') && entry.name.endsWith(')')
        await walk(path.join(dir, entry.name), group ? url : `${url}/${entry.name}`)
      }
    }
  }
  await walk(apiDir, urlPrefix)
  return found.sort()
}
