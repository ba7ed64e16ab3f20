import type { Grant, Role } from '../contract/auth'

/** One entry of LEGATION_OIDC_ROLE_MAP: members of `group` get `role` on fleets matching `fleets`. */
export type RoleMapping = Readonly<{ group: string; role: Role; fleets: string }>

const ROLES: readonly Role[] = ['viewer', 'editor', 'admin']

/**
 * Parses `group=role[:fleets],…` (e.g. `legation-admins=admin,edge-team=editor:edge-*,*=viewer`;
 * the group `*` means every signed-in user). Throws an Error naming the bad entry.
 */
export function parseRoleMap(text: string): RoleMapping[] {
  return text
    .split(',')
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const m = /^([^=]+)=(viewer|editor|admin)(?::(\S+))?$/.exec(entry)
      if (!m) throw new Error(`'${entry}' is not group=role or group=role:fleets (role: ${ROLES.join(', ')})`)
      return { group: m[1]!.trim(), role: m[2] as Role, fleets: m[3] ?? '*' }
    })
}

/** The grants of a user who is in `groups`, by the role map (empty: the user has no role here). */
export function grantsForGroups(map: readonly RoleMapping[], groups: readonly string[]): Grant[] {
  const member = new Set(groups)
  const grants = map.filter((m) => m.group === '*' || member.has(m.group)).map((m) => ({ role: m.role, fleets: m.fleets }))
  return grants.filter((g, i) => grants.findIndex((o) => o.role === g.role && o.fleets === g.fleets) === i)
}

/** A claim's value as a list of group names (a string, an array of strings, or absent). */
export function groupsOfClaim(value: unknown): string[] {
  if (typeof value === 'string') return [value]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
