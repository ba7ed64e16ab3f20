import type { SnapshotResource, SnapshotType } from '../snapshot/types'
import { WILDCARD_NAME, type WatchedTypeBase } from './subscription'
import { WILDCARD_TYPES, type XdsTypeUrl } from '../xds-types/type-urls'
import type { DeltaDiscoveryRequest } from '../xds-types/wire'

/**
 * One resource of the latest response of a type that the client has not answered yet: what the
 * client had before it (null: nothing), and what the response carried (a version, or null for a
 * removal). A NACK of that response puts `previous` back.
 */
export type InFlightChange = Readonly<{ previous: SnapshotResource | null; sent: string | null }>

/**
 * What one delta stream knows about one type URL: the shared fields (server/status maps both
 * variants alike; here `returned` is rolled back if a response is NACKed), plus go-control-plane's
 * per-resource bookkeeping for delta (StreamState.resourceVersions). `versionSent` is the snapshot's type version, which delta
 * sends as system_version_info "for debugging purposes only" (xds_protocol "Incremental xDS").
 */
export type DeltaWatchedType = WatchedTypeBase &
  Readonly<{
    /** Per resource, what the client NACKed (a version, or null for a removal): not sent again while the snapshot still says the same. */
    rejected: ReadonlyMap<string, string | null>
    /** initial_resource_versions of the first request, kept until a snapshot can answer it. */
    initialVersions?: ReadonlyMap<string, string>
    /** Names the next response must report as removed if the snapshot does not have them. */
    pendingRemovals: ReadonlySet<string>
    /** The changes carried by the response with nonce `nonceSent`, until it is ACKed or NACKed. */
    inFlight: ReadonlyMap<string, InFlightChange>
    /**
     * The snapshot type `returned` was last made to match: every subscribed resource it has, at its
     * version, and nothing else. Set when a response (or none) is computed against a type; dropped when
     * the subscription changes. Lets the next snapshot be answered from what changed between the two
     * types instead of comparing every subscribed resource (delta-compute-response.ts).
     */
    syncedWith?: SnapshotType
  }>

const NO_NAMES: ReadonlySet<string> = new Set()
const NO_CHANGES: ReadonlyMap<string, InFlightChange> = new Map()

/**
 * The first request of a type on the stream. Listener and Cluster have a wildcard: "*" asks for it,
 * and, for historical reasons, a first request that subscribes to nothing and unsubscribes from
 * nothing means "*" too (xds_protocol "How the client specifies what resources to return", and
 * "Incremental xDS": "(legacy behavior) the request must have no resources in both").
 * initial_resource_versions says what a reconnecting client already has (xds_protocol "Incremental xDS").
 */
export function newDeltaWatchedType(typeUrl: XdsTypeUrl, req: DeltaDiscoveryRequest): DeltaWatchedType {
  const legacyWildcard = WILDCARD_TYPES.has(typeUrl) && req.resource_names_subscribe.length === 0 && req.resource_names_unsubscribe.length === 0
  const given = req.initial_resource_versions
  const initial: ReadonlyMap<string, string> = given instanceof Map ? given : new Map(Object.entries(given))
  const fresh: DeltaWatchedType = {
    typeUrl,
    names: NO_NAMES,
    wildcard: legacyWildcard,
    returned: new Map(),
    rejected: new Map(),
    pendingRemovals: NO_NAMES,
    inFlight: NO_CHANGES,
    ...(initial.size > 0 ? { initialVersions: initial } : {}),
  }
  return withSubscriptionChanges(fresh, req.resource_names_subscribe, req.resource_names_unsubscribe, { initial: true })
}

/**
 * Applies resource_names_subscribe / resource_names_unsubscribe (xds_protocol "Subscribing to
 * Resources", "Unsubscribing from Resources"). "*" only means the wildcard for Listener and Cluster,
 * as in SotW (server/xds/subscription.ts); for other types it is an ordinary name.
 */
export function withSubscriptionChanges(
  w: DeltaWatchedType,
  subscribe: readonly string[],
  unsubscribe: readonly string[],
  options: { initial?: boolean } = {},
): DeltaWatchedType {
  const hasWildcard = WILDCARD_TYPES.has(w.typeUrl)
  const isWildcardName = (n: string): boolean => hasWildcard && n === WILDCARD_NAME
  let wildcard = w.wildcard
  if (subscribe.some(isWildcardName)) wildcard = true
  // Unsubscribing "*" leaves the wildcard and keeps the explicit names (xds_protocol example list).
  if (unsubscribe.some(isWildcardName)) wildcard = false
  const names = new Set(w.names)
  const returned = new Map(w.returned)
  const rejected = new Map(w.rejected)
  const pendingRemovals = new Set(w.pendingRemovals)

  for (const name of subscribe) {
    if (isWildcardName(name)) continue
    names.add(name)
    // "the server *must* still provide those resources in the response; ... the client may have
    // 'forgotten' those resources despite apparently remaining subscribed" (xds_protocol "Subscribing
    // to Resources"). On the first request initial_resource_versions says what it has instead.
    if (!options.initial) {
      returned.delete(name)
      rejected.delete(name)
    }
  }
  for (const name of unsubscribe) {
    if (isWildcardName(name)) continue
    // "superfluous resource names ... it can simply ignore these phantom unsubscriptions".
    if (!names.delete(name)) continue
    // The client drops it itself; no removal is needed ("servers are not generally required to send
    // a response with the unsubscribed resource name in the removed_resources field")...
    returned.delete(name)
    rejected.delete(name)
    // ...except under a wildcard, where the client cannot tell whether the wildcard still covers it:
    // the server "must send a response that includes the specific resource in either the
    // removed_resources field (if it is not included in the wildcard) or in the resources field".
    // Forgetting it makes the next response carry it if it exists; pendingRemovals, if it does not.
    if (wildcard) pendingRemovals.add(name)
  }
  if (!wildcard) {
    // Leaving the wildcard: only the explicit names stay subscribed; the client forgets the rest.
    for (const name of [...returned.keys()]) if (!names.has(name)) returned.delete(name)
    for (const name of [...rejected.keys()]) if (!names.has(name)) rejected.delete(name)
    for (const name of [...pendingRemovals]) if (!names.has(name)) pendingRemovals.delete(name)
  }
  const { syncedWith: _changed, ...rest } = w
  return { ...rest, names, wildcard, returned, rejected, pendingRemovals }
}

const coverage = new WeakMap<ReadonlySet<string>, WeakMap<SnapshotType, boolean>>()

/**
 * Whether the subscription takes every resource of `type`: then a client in sync holds exactly
 * `type.resources`, and that map can stand for its `returned` instead of a copy per stream. Decided
 * once per name set and type (a stream keeps its set while its subscription does not change).
 */
export function coversType(w: Pick<DeltaWatchedType, 'names' | 'wildcard'>, type: SnapshotType): boolean {
  if (w.wildcard) return true
  if (w.names.size < type.resources.size) return false
  let byType = coverage.get(w.names)
  if (!byType) coverage.set(w.names, (byType = new WeakMap()))
  let covers = byType.get(type)
  if (covers === undefined) byType.set(type, (covers = [...type.resources.keys()].every((name) => w.names.has(name))))
  return covers
}

/** Whether the subscription covers `name`. */
export function isWanted(w: Pick<DeltaWatchedType, 'names' | 'wildcard'>, name: string): boolean {
  return w.wildcard || w.names.has(name)
}
