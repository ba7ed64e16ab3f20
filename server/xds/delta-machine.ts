import type { Snapshot, SnapshotResource } from '../snapshot/types'
import { classifyDeltaRequest } from './delta-classify-request'
import { computeDeltaResponse, pruneRejected, settleInitialVersions, snapshotTypeOf, type DeltaWatchResponse } from './delta-compute-response'
import { coversType, newDeltaWatchedType, withSubscriptionChanges, type DeltaWatchedType, type InFlightChange } from './delta-subscription'
import { ackEffect, ackedFields, nackRecordOf, newStreamState, recordSend, stepStream, subscriptionEffect, withWatched, type AdmittedRequest, type StepResultOf, type StreamEffect, type StreamEventOf, type StreamStateOf } from './stream-base'
import { isEmptySubscription, sameSubscription } from './subscription'
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  PUSH_ORDER,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  type XdsTypeUrl,
} from '../xds-types/type-urls'
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse } from '../xds-types/wire'

export type { DeltaWatchedType, InFlightChange } from './delta-subscription'
export type { DeltaWatchResponse } from './delta-compute-response'

/** One incremental (delta) ADS stream: node, nonce counter (as in SotW), one watch per type URL. */
export type DeltaStreamState = StreamStateOf<DeltaWatchedType>

export type DeltaStreamEvent = StreamEventOf<DeltaDiscoveryRequest>

export type DeltaSendEffect = Readonly<{
  kind: 'send'
  typeUrl: XdsTypeUrl
  response: DeltaDiscoveryResponse
  fromVersion: number
  resourceNames: readonly string[]
  removedNames: readonly string[]
}>

/** The effects both variants share (stream-base.ts), with a delta `send`. */
export type DeltaEffect = StreamEffect | DeltaSendEffect

export type DeltaStepResult = StepResultOf<DeltaWatchedType, DeltaEffect>

/**
 * Removals go after every addition and update, parents first: a Listener before the
 * RouteConfiguration it names, a Cluster before its ClusterLoadAssignment (xds_protocol "Eventual
 * consistency considerations": "Stale CDS clusters and related EDS endpoints (ones no longer being
 * referenced) can then be removed"). NOTE: the order of this list MATTERS.
 */
export const REMOVAL_ORDER: readonly XdsTypeUrl[] = [LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, SECRET_TYPE_URL]

const NO_NAMES: ReadonlySet<string> = new Set()
const NO_CHANGES: ReadonlyMap<string, InFlightChange> = new Map()

export const initialDeltaState: (options: { controlPlaneId: string }) => DeltaStreamState = newStreamState

/** The whole delta ADS protocol as a reducer: pure and deterministic. The adapter runs the effects in order. */
export function stepDelta(state: DeltaStreamState, event: DeltaStreamEvent): DeltaStepResult {
  return stepStream(state, event, { onRequest, onSnapshot })
}

function onRequest({ state, req, typeUrl, prev, now, effects }: AdmittedRequest<DeltaWatchedType, DeltaDiscoveryRequest, DeltaEffect>): DeltaStepResult {
  const kind = classifyDeltaRequest(prev, req)
  const changesSubscription = req.resource_names_subscribe.length > 0 || req.resource_names_unsubscribe.length > 0

  let w: DeltaWatchedType
  if (prev === undefined) {
    w = newDeltaWatchedType(typeUrl, req)
    effects.push(subscriptionEffect(typeUrl, w))
  } else {
    if (kind === 'stale') {
      effects.push({ kind: 'ignored', reason: 'stale-nonce', typeUrl, nonce: req.response_nonce })
      if (!changesSubscription) return { state, effects }
    }
    w = prev
    if (kind === 'nack') {
      w = nacked(prev, req, now)
      effects.push({ kind: 'nack', typeUrl, nack: w.lastNack! })
    } else if (kind === 'ack') {
      w = acked(prev)
      effects.push(ackEffect(prev, req.response_nonce))
    }
    if (changesSubscription) {
      const before = w
      w = withSubscriptionChanges(w, req.resource_names_subscribe, req.resource_names_unsubscribe)
      if (!sameSubscription(w, before)) effects.push(subscriptionEffect(typeUrl, w))
    }
  }
  let s = withWatched(state, w)
  // Before the first snapshot only the subscription is recorded; the snapshot event answers it.
  if (!s.snapshot) return { state: s, effects }
  const { state: prepared, response, holds } = prepare(s, s.snapshot, typeUrl)
  s = response ? send(prepared, response, now, effects, holds) : whenUpToDate(prepared, s.snapshot, typeUrl)
  return { state: s, effects }
}

/** ACK of the latest response: the client has what it carried. */
function acked(prev: DeltaWatchedType): DeltaWatchedType {
  return { ...prev, ...ackedFields(prev), inFlight: NO_CHANGES }
}

/**
 * NACK of the latest response. Envoy applies the valid resources of a response and rejects the bad
 * one, so what the client holds for the names in flight is unknown (issue #11): they stay in
 * `returned` as sent, so the next snapshot that differs re-sends them (or removes them), and their
 * sent versions (and removals) are recorded as rejected, so the same content is not sent again, and
 * NACKed again, while the snapshot still says the same. nonceAcked and versionAcked stay on the last ACK.
 */
function nacked(prev: DeltaWatchedType, req: DeltaDiscoveryRequest, now: number): DeltaWatchedType {
  const lastNack = nackRecordOf(prev, req, now)
  const rejected = new Map(prev.rejected)
  for (const [name, change] of prev.inFlight) rejected.set(name, change.sent)
  return { ...prev, lastNack, rejected, inFlight: NO_CHANGES }
}

/**
 * A new snapshot: every watched type that changed for this client, in ADS order (CDS, EDS, LDS, RDS,
 * SDS), additions and updates first; then every removal, in REMOVAL_ORDER. A type with both is two
 * responses, so that a route switching from cluster A to cluster B gets B (CDS, EDS), then the
 * route, and only then loses A (xds_protocol "Eventual consistency considerations").
 */
function onSnapshot(state: DeltaStreamState, snapshot: Snapshot, now: number): DeltaStepResult {
  let s: DeltaStreamState = { ...state, snapshot }
  const effects: DeltaEffect[] = []
  const removals = new Map<XdsTypeUrl, { response: DeltaWatchResponse; holds: ReadonlyMap<string, SnapshotResource> | undefined }>()
  for (const typeUrl of PUSH_ORDER) {
    if (!s.types.has(typeUrl)) continue
    const { state: prepared, response, holds } = prepare(s, snapshot, typeUrl)
    s = prepared
    if (!response) {
      s = whenUpToDate(s, snapshot, typeUrl, { resync: true, now, effects })
      continue
    }
    // The last response of the type leaves the client with what `holds` says.
    const removing = response.removed.length > 0
    if (response.resources.length > 0) s = send(s, { ...response, removed: [] }, now, effects, removing ? undefined : holds)
    if (removing) removals.set(typeUrl, { response: { ...response, resources: [] }, holds })
  }
  for (const typeUrl of REMOVAL_ORDER) {
    const removal = removals.get(typeUrl)
    if (removal) s = send(s, removal.response, now, effects, removal.holds)
  }
  return { state: s, effects }
}

/**
 * Settles a reconnect's initial versions, forgets superseded rejections, and computes the response
 * (consuming pendingRemovals). `holds`: when the subscription takes the whole type and no rejection
 * stands, what the client holds once the response is sent is exactly the type's resource map, which
 * then serves as its `returned` (shared by every such stream, never copied per stream).
 */
function prepare(s: DeltaStreamState, snapshot: Snapshot, typeUrl: XdsTypeUrl): { state: DeltaStreamState; response: DeltaWatchResponse | null; holds: ReadonlyMap<string, SnapshotResource> | undefined } {
  const type = snapshotTypeOf(snapshot, typeUrl)
  const w = pruneRejected(settleInitialVersions(s.types.get(typeUrl)!, type), type)
  const response = computeDeltaResponse(snapshot, w)
  // Once the response is sent (the callers always send it whole), the client holds exactly the
  // subscribed resources of this type, unless a rejected version keeps one at another (see nacked):
  // then nothing is known to be in sync until a response is computed without one.
  const inSync = w.rejected.size === 0
  const holds = inSync && coversType(w, type) ? type.resources : undefined
  const { syncedWith: _before, ...rest } = w
  const next: DeltaWatchedType = {
    ...rest,
    ...(w.pendingRemovals.size === 0 ? {} : { pendingRemovals: NO_NAMES }),
    ...(inSync ? { syncedWith: type } : {}),
    ...(holds && !response ? { returned: holds } : {}),
  }
  return { state: withWatched(s, next), response, holds }
}

/**
 * Nothing to send: the client has every subscribed resource of this snapshot. The status then says
 * so, without a response:
 * - nothing sent yet on this stream (a reconnect whose initial_resource_versions are all current,
 *   or only names that do not exist): in sync at the stream's initial, empty nonce;
 * - otherwise the type version moves on (and, if the latest response is ACKed, the acked version
 *   too), so that a proxy whose resources did not change counts as running the new version;
 * - a NACKed response whose rejected content the snapshot has since dropped (a rollback): on a
 *   snapshot, an empty response lets the client ACK the state it is in.
 */
function whenUpToDate(s: DeltaStreamState, snapshot: Snapshot, typeUrl: XdsTypeUrl, resync?: { resync: true; now: number; effects: DeltaEffect[] }): DeltaStreamState {
  const w = s.types.get(typeUrl)!
  const version = snapshotTypeOf(snapshot, typeUrl).version
  const fromVersion = snapshot.versionNumber
  if (w.nonceSent === undefined) {
    if (isEmptySubscription(w)) return s
    return withWatched(s, { ...w, nonceSent: '', versionSent: version, sentFromVersion: fromVersion, nonceAcked: '', versionAcked: version, ackedFromVersion: fromVersion })
  }
  if (w.lastNack !== undefined && w.lastNack.nonce === w.nonceSent) {
    if (!resync || w.rejected.size > 0) return s
    return send(s, { typeUrl, version, resources: [], removed: [], fromVersion }, resync.now, resync.effects)
  }
  if (w.versionSent === version) return s
  const synced = w.nonceAcked === w.nonceSent
  return withWatched(s, { ...w, versionSent: version, sentFromVersion: fromVersion, ...(synced ? { versionAcked: version, ackedFromVersion: fromVersion } : {}) })
}

/**
 * A delta response: the added or changed resources and the removed names, with the nonce recordSend
 * assigns (stream-base.ts). What the response carries is in flight until the client ACKs or NACKs it.
 */
function send(s: DeltaStreamState, r: DeltaWatchResponse, now: number, effects: DeltaEffect[], holds?: ReadonlyMap<string, SnapshotResource>): DeltaStreamState {
  return recordSend(s, r, now, (w, nonce) => {
    const response: DeltaDiscoveryResponse = {
      system_version_info: r.version,
      resources: r.resources.map((res) => ({ name: res.name, version: res.version, resource: res.any })),
      type_url: r.typeUrl,
      removed_resources: r.removed,
      nonce,
      control_plane: { identifier: s.controlPlaneId },
    }
    // Copied only when something is taken out of them: with 1,000 subscribed resources, a copy of
    // `returned` per stream per push was most of a delta push's cost.
    const returned = holds ? null : new Map(w.returned)
    const rejected = w.rejected.size === 0 ? null : new Map(w.rejected)
    const inFlight = new Map<string, InFlightChange>()
    for (const res of r.resources) {
      inFlight.set(res.name, { previous: w.returned.get(res.name) ?? null, sent: res.version })
      returned?.set(res.name, res)
      rejected?.delete(res.name)
    }
    for (const name of r.removed) {
      inFlight.set(name, { previous: w.returned.get(name) ?? null, sent: null })
      returned?.delete(name)
      rejected?.delete(name)
    }
    effects.push({ kind: 'send', typeUrl: r.typeUrl, response, fromVersion: r.fromVersion, resourceNames: r.resources.map((res) => res.name), removedNames: r.removed })
    return { ...w, returned: holds ?? returned!, rejected: rejected ?? w.rejected, inFlight }
  })
}
