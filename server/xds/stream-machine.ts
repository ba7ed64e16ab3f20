import type { Snapshot } from '../snapshot/types'
import type { DiscoveryRequest, DiscoveryResponse, WireNode } from '../xds-types/wire'
import { admitRequest, ignoredAfterClose } from './admit-request'
import { classifyRequest } from './classify-request'
import { computeResponse, removedResources, type WatchResponse } from './compute-response'
import { PUSH_ORDER, WILDCARD_TYPES, type XdsTypeUrl } from '../xds-types/type-urls'
import { newWatchedType, sameSubscription, sortByName, subscriptionOf, withSubscription, type NackRecord, type WatchedType } from './subscription'

export type { NackRecord, WatchedType } from './subscription'

/** One state-of-the-world ADS stream, as go-control-plane's sotw server keeps it: node, nonce counter, one watch per type URL. */
export type StreamState = Readonly<{
  node: WireNode | null
  /** The next nonce to assign (go-control-plane: base-10, increasing across all types of the stream). */
  nextNonce: number
  types: ReadonlyMap<XdsTypeUrl, WatchedType>
  snapshot: Snapshot | null
  controlPlaneId: string
  closed: boolean
}>

export type StreamEvent =
  | Readonly<{ kind: 'request'; req: DiscoveryRequest; now: number }>
  | Readonly<{ kind: 'snapshot'; snapshot: Snapshot; now: number }>

export type Effect =
  /** First valid request: the adapter assigns a fleet and starts feeding snapshots. */
  | Readonly<{ kind: 'node'; node: WireNode }>
  | Readonly<{ kind: 'send'; typeUrl: XdsTypeUrl; response: DiscoveryResponse; fromVersion: number; resourceNames: readonly string[] }>
  | Readonly<{ kind: 'ack'; typeUrl: XdsTypeUrl; version: string; nonce: string; fromVersion?: number }>
  | Readonly<{ kind: 'nack'; typeUrl: XdsTypeUrl; nack: NackRecord }>
  | Readonly<{ kind: 'subscription'; typeUrl: XdsTypeUrl; names: readonly string[]; wildcard: boolean }>
  | Readonly<{ kind: 'ignored'; reason: 'stale-nonce' | 'unknown-type' | 'after-close'; typeUrl: string; nonce: string }>
  | Readonly<{ kind: 'close'; code: 'INVALID_ARGUMENT' | 'UNAVAILABLE'; details: string }>

export type StepResult = { state: StreamState; effects: Effect[] }

/** Istio pkg/xds/server.go Receive wording. */
export { MISSING_NODE_DETAILS, MISSING_TYPE_URL_DETAILS } from './admit-request'

export function initialStreamState(options: { controlPlaneId: string }): StreamState {
  return { node: null, nextNonce: 1, types: new Map(), snapshot: null, controlPlaneId: options.controlPlaneId, closed: false }
}

/** The whole SotW ADS protocol as a reducer: pure and deterministic. The adapter runs the effects in order. */
export function step(state: StreamState, event: StreamEvent): StepResult {
  if (state.closed) return { state, effects: [ignoredAfterClose(event)] }
  return event.kind === 'request' ? onRequest(state, event.req, event.now) : onSnapshot(state, event.snapshot, event.now)
}

function onRequest(state: StreamState, req: DiscoveryRequest, now: number): StepResult {
  const admission = admitRequest(state.node, req)
  if (admission.kind === 'close') return close(state, admission.details)
  const effects: Effect[] = [...admission.effects]
  let s: StreamState = admission.node === state.node ? state : { ...state, node: admission.node }
  if (admission.kind === 'ignored') return { state: s, effects }
  const typeUrl = admission.typeUrl
  const prev = s.types.get(typeUrl)
  const kind = classifyRequest(prev, req)
  if (kind === 'stale') {
    effects.push({ kind: 'ignored', reason: 'stale-nonce', typeUrl, nonce: req.response_nonce })
    return { state: s, effects }
  }

  const sub = subscriptionOf(typeUrl, req.resource_names, prev)
  let w: WatchedType
  if (kind === 'init' || prev === undefined) {
    w = prev ?? newWatchedType(typeUrl, sub)
  } else if (kind === 'nack') {
    // xds_protocol "NACK": the client keeps its last good config, so nonceAcked/versionAcked stay.
    const nack: NackRecord = {
      message: req.error_detail?.message ?? '',
      code: req.error_detail?.code ?? 0,
      version: prev.versionSent ?? '',
      nonce: req.response_nonce,
      at: now,
    }
    w = { ...prev, lastNack: nack, rejectedVersion: nack.version }
    effects.push({ kind: 'nack', typeUrl, nack })
  } else {
    w = acked(prev)
    effects.push({ kind: 'ack', typeUrl, version: prev.versionSent ?? '', nonce: req.response_nonce, fromVersion: prev.sentFromVersion })
  }
  // A NACK's version_info is the client's latest valid version, which after a partial NACK
  // (grpc-js-xds accepts the valid resources) is the new one (xds_protocol "ACK and NACK semantics summary").
  w = { ...w, clientVersion: req.version_info }
  if (prev === undefined || !sameSubscription(sub, prev)) {
    w = withSubscription(w, sub)
    effects.push({ kind: 'subscription', typeUrl, names: [...sub.names].sort(), wildcard: sub.wildcard })
  }
  s = withWatched(s, w)

  // Before the first snapshot only the subscription is recorded; the snapshot event answers it.
  const response = s.snapshot ? computeResponse(s.snapshot, w, { init: kind === 'init' }) : null
  if (response) s = send(s, response, now, effects)
  return { state: s, effects }
}

/** ACK: the client applied what we sent last (xds_protocol "ACK"). Whatever it rejected before is superseded. */
function acked(prev: WatchedType): WatchedType {
  const { rejectedVersion: _superseded, ...rest } = prev
  return { ...rest, nonceAcked: prev.nonceSent, versionAcked: prev.versionSent, ackedFromVersion: prev.sentFromVersion }
}

/**
 * A new snapshot: push every watched type that needs it, in ADS order (CDS, EDS, LDS, RDS, SDS).
 * Listener and Cluster resources that disappear are removed make-before-break: the first response of
 * that type still carries them, and a second one, after every other type, drops them (xds_protocol
 * "Eventual consistency considerations": stale clusters are removed after the updates that stop using them).
 */
function onSnapshot(state: StreamState, snapshot: Snapshot, now: number): StepResult {
  let s: StreamState = { ...state, snapshot }
  const effects: Effect[] = []
  const finals: WatchResponse[] = []
  for (const typeUrl of PUSH_ORDER) {
    const w = s.types.get(typeUrl)
    const response = w ? computeResponse(snapshot, w) : null
    if (!w || !response) continue
    const removed = WILDCARD_TYPES.has(typeUrl) ? removedResources(w, response) : []
    if (removed.length === 0) {
      s = send(s, response, now, effects)
      continue
    }
    s = send(s, { ...response, resources: sortByName([...response.resources, ...removed]) }, now, effects)
    finals.push(response)
  }
  // Removals go in reverse ADS order: a Listener is dropped before the Cluster it may still route to.
  for (const response of finals.reverse()) s = send(s, response, now, effects)
  return { state: s, effects }
}

/**
 * Assigns the next nonce and records what was sent in the same step, as go-control-plane sotw/server.go
 * does (`out.Nonce = strconv.FormatInt(s.nonce.Add(1), 10)`, `SetReturnedResources`).
 */
function send(s: StreamState, r: WatchResponse, now: number, effects: Effect[]): StreamState {
  const w = s.types.get(r.typeUrl)
  if (!w) throw new Error(`bug: send for unwatched type ${r.typeUrl}`)
  const nonce = String(s.nextNonce)
  const response: DiscoveryResponse = {
    version_info: r.version,
    resources: r.resources.map((res) => res.any),
    type_url: r.typeUrl,
    nonce,
    control_plane: { identifier: s.controlPlaneId },
  }
  const sent: WatchedType = {
    ...w,
    nonceSent: nonce,
    versionSent: r.version,
    sentFromVersion: r.fromVersion,
    lastSendAt: now,
    returned: new Map(r.resources.map((res) => [res.name, res])),
  }
  effects.push({ kind: 'send', typeUrl: r.typeUrl, response, fromVersion: r.fromVersion, resourceNames: r.resources.map((res) => res.name) })
  return { ...withWatched(s, sent), nextNonce: s.nextNonce + 1 }
}

function withWatched(s: StreamState, w: WatchedType): StreamState {
  const types = new Map(s.types)
  types.set(w.typeUrl, w)
  return { ...s, types }
}

function close(s: StreamState, details: string): StepResult {
  return { state: { ...s, closed: true }, effects: [{ kind: 'close', code: 'INVALID_ARGUMENT', details }] }
}
