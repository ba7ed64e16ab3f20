import { globMatches } from '../config/glob'
import type { Grant, Role } from '../contract/auth'

/**
 * Who is calling, as the services see it. Users sign in (session cookie); tokens are bearer
 * credentials for automation (kind api) or for proxies (kind proxy, xDS only).
 */
export type Principal = Readonly<{ kind: 'user' | 'token' | 'proxy-token'; id: string; name: string; grants: readonly Grant[] }>

const RANK: Readonly<Record<Role, number>> = { viewer: 1, editor: 2, admin: 3 }

/** The strongest role a principal holds on a fleet (`null`: none). */
export function roleOn(principal: Principal, fleet: string): Role | null {
  let best: Role | null = null
  for (const g of principal.grants) if (globMatches(g.fleets, fleet) && (best === null || RANK[g.role] > RANK[best])) best = g.role
  return best
}

/** The role held on everything (a `*` grant): what global lists, users and tokens need. */
export function globalRole(principal: Principal): Role | null {
  let best: Role | null = null
  for (const g of principal.grants) if (g.fleets === '*' && (best === null || RANK[g.role] > RANK[best])) best = g.role
  return best
}

function atLeast(role: Role | null, need: Role): boolean {
  return role !== null && RANK[role] >= RANK[need]
}

/** Whether the principal may do what `need` allows on `fleet` (`null`: on everything). */
export function can(principal: Principal, need: Role, fleet: string | null): boolean {
  if (principal.kind === 'proxy-token') return false
  return atLeast(fleet === null ? globalRole(principal) : roleOn(principal, fleet), need)
}

/** Fleets (of those given) on which the principal may do what `need` allows. */
export function fleetsWhere(principal: Principal, need: Role, fleets: readonly string[]): string[] {
  return fleets.filter((f) => can(principal, need, f))
}

/** The actor recorded in versions and the audit log. */
export function actorOf(principal: Principal): string {
  return principal.kind === 'user' ? principal.name : `token:${principal.name}`
}

/** A proxy token may fetch the config (and secrets) of the fleets its grants name, nothing else. */
export function proxyTokenAllows(principal: Principal, fleet: string): boolean {
  return principal.kind === 'proxy-token' && principal.grants.some((g) => globMatches(g.fleets, fleet))
}
