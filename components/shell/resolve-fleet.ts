/**
 * Which fleet the console is about, in order: the `[fleet]` route segment, `?fleet=`, the fleet used
 * last (if it still exists), the first fleet. Pure, so the precedence is unit-tested.
 * A fleet named in the URL wins even when it does not exist: the page then says so.
 */
export function resolveCurrentFleet(input: {
  routeFleet: string | null | undefined
  searchFleet: string | null | undefined
  lastFleet: string | null | undefined
  fleets: ReadonlyArray<{ name: string }> | undefined
}): string | null {
  if (input.routeFleet) return input.routeFleet
  if (input.searchFleet) return input.searchFleet
  if (input.lastFleet && (!input.fleets || input.fleets.some((f) => f.name === input.lastFleet))) return input.lastFleet
  return input.fleets?.[0]?.name ?? null
}
