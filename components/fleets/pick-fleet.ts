import type { FleetSummary } from '@/server/contract'

/**
 * The fleet the page shows: the one named in `?fleet=`, else the first. A name that matches no
 * fleet selects nothing, so the page can say so instead of silently showing another fleet.
 */
export function pickFleet(fleets: readonly FleetSummary[], requested: string | undefined): FleetSummary | null {
  if (requested === undefined || requested === '') return fleets[0] ?? null
  return fleets.find((f) => f.name === requested) ?? null
}

export function fleetHref(name: string): string {
  return `/?${new URLSearchParams({ fleet: name }).toString()}`
}
