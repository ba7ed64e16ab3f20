import type { FleetStatus, VersionListItem } from '@/components/versions/queries'
import type { CallerServices } from '@/server/http/with-api'
import { getRuntime } from '@/server/runtime'

/** Route segments arrive URL-encoded or not depending on the path taken; fleet names never contain '%'. */
export function fleetParam(raw: string): string {
  try {
    return decodeURIComponent(raw)
  } catch {
    return raw
  }
}

/** What GET /api/v1/fleets/{fleet} answers, straight from the services. */
export async function loadFleetStatus(services: CallerServices, fleet: string): Promise<FleetStatus> {
  return { ...(await services.fleets.get(fleet)), serving: getRuntime().xds.snapshotStatus(fleet) }
}

/** What GET /api/v1/fleets/{fleet}/versions answers: each version with its convergence. */
export async function loadVersionPage(services: CallerServices, fleet: string, query: { limit?: number; before?: number }): Promise<VersionListItem[]> {
  const versions = await services.versions.list({ fleet, ...query })
  const convergence = await services.proxies.convergence({ fleet, versions: versions.map((v) => v.number) })
  const byNumber = new Map(convergence.map((c) => [c.version, c]))
  return versions.map((v) => ({ ...v, convergence: byNumber.get(v.number) ?? null }))
}
