import type { FleetStatus, VersionListItem } from '@/components/versions/queries'
import type { Runtime } from '@/server/runtime'

/** Route segments arrive URL-encoded or not depending on the path taken; fleet names never contain '%'. */
export function fleetParam(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** What GET /api/v1/fleets/{fleet} answers, straight from the services. */
export async function loadFleetStatus(runtime: Runtime, fleet: string): Promise<FleetStatus> {
  return { ...(await runtime.services.fleets.get(fleet)), serving: runtime.xds.snapshotStatus(fleet) }
}

/** What GET /api/v1/fleets/{fleet}/versions answers: each version with its convergence. */
export async function loadVersionPage(runtime: Runtime, fleet: string, query: { limit?: number; before?: number }): Promise<VersionListItem[]> {
  const versions = await runtime.services.versions.list({ fleet, ...query })
  const convergence = await runtime.services.proxies.convergence({ fleet, versions: versions.map((v) => v.number) })
  const byNumber = new Map(convergence.map((c) => [c.version, c]))
  return versions.map((v) => ({ ...v, convergence: byNumber.get(v.number) ?? null }))
}
