import { globMatches, type Grant, type Role } from '@/server/contract'

/**
 * What the console offers a signed-in caller: the same rule as server/access/principal.ts `can`, so
 * a button shown is a request the server will accept. The role on a fleet is the strongest among
 * the grants whose fleet glob matches it; `null` for the fleet means every fleet (users, tokens,
 * the global lists), which only a `*` grant gives.
 */
const RANK: Readonly<Record<Role, number>> = { viewer: 1, editor: 2, admin: 3 }

export function roleOn(grants: readonly Grant[], fleet: string | null): Role | null {
  let best: Role | null = null
  for (const g of grants) {
    const applies = fleet === null ? g.fleets === '*' : globMatches(g.fleets, fleet)
    if (applies && (best === null || RANK[g.role] > RANK[best])) best = g.role
  }
  return best
}

/** Whether these grants allow what `need` allows on `fleet` (`null`: on everything). */
export function grantsAllow(grants: readonly Grant[], need: Role, fleet: string | null): boolean {
  const role = roleOn(grants, fleet)
  return role !== null && RANK[role] >= RANK[need]
}

/** One line for a list of grants: "admin on *, viewer on edge-*". */
export function describeGrants(grants: readonly Grant[]): string {
  return grants.map((g) => `${g.role} on ${g.fleets}`).join(', ')
}
