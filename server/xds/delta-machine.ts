import type { Snapshot } from '../snapshot/types'
import { classifyDeltaRequest } from './delta-classify-request'
import { computeDeltaResponse, pruneRejected, settleInitialVersions, snapshotTypeOf, type DeltaWatchResponse } from './delta-compute-response'
import { isEmptyDeltaSubscription, newDeltaWatchedType, sameDeltaSubscription, withSubscriptionChanges, type DeltaWatchedType, type InFlightChange } from './delta-subscription'
import type { Effect } from './stream-machine'
import { admitRequest, ignoredAfterClose } from './admit-request'
import type { NackRecord } from './subscription'
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  PUSH_ORDER,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  type XdsTypeUrl,
} from '../xds-types/type-urls'
import type { DeltaDiscoveryRequest, DeltaDiscoveryResponse, WireNode } from '../xds-types/wire'

export type { DeltaWatchedType, InFlightChange } from './delta-subscription'
export type { DeltaWatchResponse } from './delta-compute-response'

/** One incremental (delta) ADS stream: node, nonce counter, one watch per type URL. */
export type DeltaStreamState = Readonly<{
  node: WireNode | null
  /** The next nonce to assign (base-10, increasing across all types of the stream, as in SotW). */
  nextNonce: number
  types: ReadonlyMap<XdsTypeUrl, DeltaWatchedType>
  snapshot: Snapshot | null
  controlPlaneId: string
  closed: boolean
}>

export type DeltaStreamEvent =
  | Readonly<{ kind: 'request'; req: DeltaDiscoveryRequest; now: number }>
  | Readonly<{ kind: 'snapshot'; snapshot: Snapshot; now: number }>

export type DeltaSendEffect = Readonly<{
  kind: 'send'
  typeUrl: XdsTypeUrl
  response: DeltaDiscoveryResponse
  fromVersion: number
  resourceNames: readonly string[]
  removedNames: readonly string[]
}>

/** The SotW effects, with a delta `send`. */
export type DeltaEffect = Exclude<Effect, { kind: 'send' }> | DeltaSendEffect

export type DeltaStepResult = { state: DeltaStreamState; effects: DeltaEffect[] }

/**
 * Removals go after every addition and update, parents first: a Listener before the
 * RouteConfiguration it names, a Cluster before its ClusterLoadAssignment (xds_protocol "Eventual
 * consistency considerations": "Stale CDS clusters and related EDS endpoints (ones no longer being
 * referenced) can then be removed"). NOTE: the order of this list MATTERS.
 */
export const REMOVAL_ORDER: readonly XdsTypeUrl[] = [LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, SECRET_TYPE_URL]

const NO_NAMES: ReadonlySet<string> = new Set()
const NO_CHANGES: ReadonlyMap<string, InFlightChange> = new Map()

export function initialDeltaState(options: { controlPlaneId: string }): DeltaStreamState {
  return { node: null, nextNonce: 1, types: new Map(), snapshot: null, controlPlaneId: options.controlPlaneId, closed: false }
}

/** The whole delta ADS protocol as a reducer: pure and deterministic. The adapter runs the effects in order. */
export function stepDelta(state: DeltaStreamState, event: DeltaStreamEvent): DeltaStepResult {
  if (state.closed) return { state, effects: [ignoredAfterClose(event)] }
  return event.kind === 'request' ? onRequest(state, event.req, event.now) : onSnapshot(state, event.snapshot, event.now)
}

function onRequest(state: DeltaStreamState, req: DeltaDiscoveryRequest, now: number): DeltaStepResult {
  const admission = admitRequest(state.node, req)
  if (admission.kind === 'close') return close(state, admission.details)
  const effects: DeltaEffect[] = [...admission.effects]
  let s: DeltaStreamState = admission.node === state.node ? state : { ...state, node: admission.node }
  if (admission.kind === 'ignored') return { state: s, effects }
  const typeUrl = admission.typeUrl
  const prev = s.types.get(typeUrl)
  const kind = classifyDeltaRequest(prev, req)
  const changesSubscription = req.resource_names_subscribe.length > 0 || req.resource_names_unsubscribe.length > 0

  let w: DeltaWatchedType
  if (prev === undefined) {
    w = newDeltaWatchedType(typeUrl, req)
    effects.push(subscriptionEffect(w))
  } else {
    if (kind === 'stale') {
      effects.push({ kind: 'ignored', reason: 'stale-nonce', typeUrl, nonce: req.response_nonce })
      if (!changesSubscription) return { state: s, effects }
    }
    w = prev
    if (kind === 'nack') {
      w = nacked(prev, req, now)
      effects.push({ kind: 'nack', typeUrl, nack: w.lastNack! })
    } else if (kind === 'ack') {
      w = acked(prev)
      effects.push({ kind: 'ack', typeUrl, version: prev.versionSent ?? '', nonce: req.response_nonce, fromVersion: prev.sentFromVersion })
    }
    if (changesSubscription) {
      const before = w
      w = withSubscriptionChanges(w, req.resource_names_subscribe, req.resource_names_unsubscribe)
      if (!sameDeltaSubscription(w, before)) effects.push(subscriptionEffect(w))
    }
  }
  s = withWatched(s, w)
  // Before the first snapshot only the subscription is recorded; the snapshot event answers it.
  if (!s.snapshot) return { state: s, effects }
  const { state: prepared, response } = prepare(s, s.snapshot, typeUrl)
  s = response ? send(prepared, response, now, effects) : whenUpToDate(prepared, s.snapshot, typeUrl)
  return { state: s, effects }
}

/** ACK of the latest response: the client has what it carried. */
function acked(prev: DeltaWatchedType): DeltaWatchedType {
  return { ...prev, nonceAcked: prev.nonceSent, versionAcked: prev.versionSent, ackedFromVersion: prev.sentFromVersion, inFlight: NO_CHANGES }
}

/**
 * NACK of the latest response: the client keeps what it had (xds_protocol "NACK"), so `returned`
 * goes back to before that response, and its resource versions (and removals) are recorded as
 * rejected so they are not sent again while the snapshot still says the same. nonceAcked and
 * versionAcked stay on the last ACK.
 */
function nacked(prev: DeltaWatchedType, req: DeltaDiscoveryRequest, now: number): DeltaWatchedType {
  const lastNack: NackRecord = {
    message: req.error_detail?.message ?? '',
    code: req.error_detail?.code ?? 0,
    version: prev.versionSent ?? '',
    nonce: req.response_nonce,
    at: now,
  }
  const returned = new Map(prev.returned)
  const rejected = new Map(prev.rejected)
  for (const [name, change] of prev.inFlight) {
    if (change.previous) returned.set(name, change.previous)
    else returned.delete(name)
    rejected.set(name, change.sent)
  }
  return { ...prev, lastNack, returned, rejected, inFlight: NO_CHANGES }
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
  const removals = new Map<XdsTypeUrl, DeltaWatchResponse>()
  for (const typeUrl of PUSH_ORDER) {
    if (!s.types.has(typeUrl)) continue
    const { state: prepared, response } = prepare(s, snapshot, typeUrl)
    s = prepared
    if (!response) {
      s = whenUpToDate(s, snapshot, typeUrl, { resync: true, now, effects })
      continue
    }
    if (response.resources.length > 0) s = send(s, { ...response, removed: [] }, now, effects)
    if (response.removed.length > 0) removals.set(typeUrl, { ...response, resources: [] })
  }
  for (const typeUrl of REMOVAL_ORDER) {
    const response = removals.get(typeUrl)
    if (response) s = send(s, response, now, effects)
  }
  return { state: s, effects }
}

/** Settles a reconnect's initial versions, forgets superseded rejections, and computes the response (consuming pendingRemovals). */
function prepare(s: DeltaStreamState, snapshot: Snapshot, typeUrl: XdsTypeUrl): { state: DeltaStreamState; response: DeltaWatchResponse | null } {
  const type = snapshotTypeOf(snapshot, typeUrl)
  const w = pruneRejected(settleInitialVersions(s.types.get(typeUrl)!, type), type)
  const response = computeDeltaResponse(snapshot, w)
  return { state: withWatched(s, w.pendingRemovals.size === 0 ? w : { ...w, pendingRemovals: NO_NAMES }), response }
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
    if (isEmptyDeltaSubscription(w)) return s
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
 * Assigns the next nonce and records, in the same step, what the client will have: go-control-plane
 * delta/v3 server.go sets the nonce and the stream's resource versions together.
 */
function send(s: DeltaStreamState, r: DeltaWatchResponse, now: number, effects: DeltaEffect[]): DeltaStreamState {
  const w = s.types.get(r.typeUrl)
  if (!w) throw new Error(`bug: send for unwatched type ${r.typeUrl}`)
  const nonce = String(s.nextNonce)
  const response: DeltaDiscoveryResponse = {
    system_version_info: r.version,
    resources: r.resources.map((res) => ({ name: res.name, version: res.version, resource: res.any })),
    type_url: r.typeUrl,
    removed_resources: r.removed,
    nonce,
    control_plane: { identifier: s.controlPlaneId },
  }
  const returned = new Map(w.returned)
  const rejected = new Map(w.rejected)
  const inFlight = new Map<string, InFlightChange>()
  for (const res of r.resources) {
    inFlight.set(res.name, { previous: w.returned.get(res.name) ?? null, sent: res.version })
    returned.set(res.name, res)
    rejected.delete(res.name)
  }
  for (const name of r.removed) {
    inFlight.set(name, { previous: w.returned.get(name) ?? null, sent: null })
    returned.delete(name)
    rejected.delete(name)
  }
  const sent: DeltaWatchedType = { ...w, nonceSent: nonce, versionSent: r.version, sentFromVersion: r.fromVersion, lastSendAt: now, returned, rejected, inFlight }
  effects.push({ kind: 'send', typeUrl: r.typeUrl, response, fromVersion: r.fromVersion, resourceNames: r.resources.map((res) => res.name), removedNames: r.removed })
  return { ...withWatched(s, sent), nextNonce: s.nextNonce + 1 }
}

function subscriptionEffect(w: DeltaWatchedType): DeltaEffect {
  return { kind: 'subscription', typeUrl: w.typeUrl, names: [...w.names].sort(), wildcard: w.wildcard }
}

function withWatched(s: DeltaStreamState, w: DeltaWatchedType): DeltaStreamState {
  const types = new Map(s.types)
  types.set(w.typeUrl, w)
  return { ...s, types }
}

function close(s: DeltaStreamState, details: string): DeltaStepResult {
  return { state: { ...s, closed: true }, effects: [{ kind: 'close', code: 'INVALID_ARGUMENT', details }] }
}
