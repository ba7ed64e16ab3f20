import { diffResources, type StoredResource } from '../config/diff'
import { RESOURCE_TYPES, RESOURCE_TYPE_INFO, type ResourceType } from '../config/resource-types'
import { deriveTypeState, type TypeStatus } from '../contract/proxy-state'
import type { TypeDrift } from '../contract/rollout'

const typeOfUrl = new Map<string, ResourceType>(RESOURCE_TYPES.map((t) => [RESOURCE_TYPE_INFO[t].typeUrl, t]))

/**
 * The resources a subscription holds from a version: for a wildcard, every resource of the type;
 * otherwise the subscribed names that exist (a SotW response carries exactly these, and a delta
 * client ends up with them).
 */
function held(resources: readonly StoredResource[], type: ResourceType, t: TypeStatus): StoredResource[] {
  const names = new Set(t.names)
  return resources.filter((r) => r.type === type && (t.wildcard || names.has(r.name)))
}

/**
 * Desired against actual for one proxy, per type (docs/xds-conformance.md "When a proxy runs version
 * N"): what it runs is the content of the version it ACKed last for that type (`ackedFromVersion`),
 * restricted to its subscription; what it should run is the active version, restricted the same way.
 * `versions` holds the resources of every version named (sealed values already redacted).
 */
export function typeDrift(t: TypeStatus, active: readonly StoredResource[], versions: ReadonlyMap<number, readonly StoredResource[]>): TypeDrift | null {
  const type = typeOfUrl.get(t.typeUrl)
  if (!type) return null
  const acked = t.ackedFromVersion ?? null
  const runs = acked === null ? [] : held(versions.get(acked) ?? [], type, t)
  const caveats = [
    (t.nameCount ?? t.names.length) > t.names.length ? `the subscription has ${t.nameCount} names; the status keeps ${t.names.length}` : null,
    (t.rejectedCount ?? 0) > 0 ? `the proxy rejected ${t.rejectedCount} resource(s) of a later response and applied the rest: it may run a mix of versions` : null,
  ].filter((c): c is string => c !== null)
  return {
    typeUrl: t.typeUrl,
    ackedFromVersion: acked,
    state: deriveTypeState(t),
    changes: diffResources(runs, held(active, type, t)),
    caveat: caveats.length > 0 ? caveats.join('; ') : null,
  }
}

/** Whether a proxy runs the active version on every type: nothing differs and nothing is outstanding. */
export function runsActive(types: readonly TypeDrift[]): boolean {
  return types.length > 0 && types.every((t) => t.changes.length === 0 && (t.state === 'SYNCED' || t.state === 'NOT_SENT'))
}
