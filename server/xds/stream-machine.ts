import { sha256Hex } from '../config/hash'
import type { Snapshot } from '../snapshot/types'
import type { DiscoveryRequest, DiscoveryResponse } from '../xds-types/wire'
import { classifyRequest } from './classify-request'
import { computeResponse, removedResources, type WatchResponse } from './compute-response'
import { PUSH_ORDER, WILDCARD_TYPES, type XdsTypeUrl } from '../xds-types/type-urls'
import { ackEffect, ackedFields, nackRecordOf, newStreamState, recordSend, stepStream, subscriptionEffect, withWatched, type AdmittedRequest, type StepResultOf, type StreamEffect, type StreamEventOf, type StreamStateOf } from './stream-base'
import { newWatchedType, sameSubscription, sortByName, subscriptionOf, withSubscription, type WatchedType } from './subscription'

export type { NackRecord, WatchedType } from './subscription'

/** One state-of-the-world ADS stream, as go-control-plane's sotw server keeps it: node, nonce counter, one watch per type URL. */
export type StreamState = StreamStateOf<WatchedType>

export type StreamEvent = StreamEventOf<DiscoveryRequest>

export type Effect =
  | StreamEffect
  | Readonly<{ kind: 'send'; typeUrl: XdsTypeUrl; response: DiscoveryResponse; fromVersion: number; resourceNames: readonly string[] }>

export type StepResult = StepResultOf<WatchedType, Effect>

/** Istio pkg/xds/server.go Receive wording. */
export { MISSING_NODE_DETAILS, MISSING_TYPE_URL_DETAILS } from './admit-request'

export const initialStreamState: (options: { controlPlaneId: string }) => StreamState = newStreamState

/** The whole SotW ADS protocol as a reducer: pure and deterministic. The adapter runs the effects in order. */
export function step(state: StreamState, event: StreamEvent): StepResult {
  return stepStream(state, event, { onRequest, onSnapshot })
}

function onRequest({ state, req, typeUrl, prev, now, effects }: AdmittedRequest<WatchedType, DiscoveryRequest, Effect>): StepResult {
  const kind = classifyRequest(prev, req)
  if (kind === 'stale') {
    effects.push({ kind: 'ignored', reason: 'stale-nonce', typeUrl, nonce: req.response_nonce })
    return { state, effects }
  }

  const sub = subscriptionOf(typeUrl, req.resource_names, prev)
  let w: WatchedType
  if (kind === 'init' || prev === undefined) {
    w = prev ?? newWatchedType(typeUrl, sub)
  } else if (kind === 'nack') {
    // xds_protocol "NACK": the client keeps its last good config, so nonceAcked/versionAcked stay.
    const nack = nackRecordOf(prev, req, now)
    w = { ...prev, lastNack: nack, rejectedVersion: nack.version }
    effects.push({ kind: 'nack', typeUrl, nack })
  } else {
    w = acked(prev)
    effects.push(ackEffect(prev, req.response_nonce))
  }
  // A NACK's version_info is the client's latest valid version, which after a partial NACK
  // (grpc-js-xds accepts the valid resources) is the new one (xds_protocol "ACK and NACK semantics summary").
  w = { ...w, clientVersion: req.version_info }
  if (prev === undefined || !sameSubscription(sub, prev)) {
    w = withSubscription(w, sub)
    effects.push(subscriptionEffect(typeUrl, sub))
  }
  let s = withWatched(state, w)

  // Before the first snapshot only the subscription is recorded; the snapshot event answers it.
  const response = s.snapshot ? computeResponse(s.snapshot, w, { init: kind === 'init' }) : null
  if (response) s = send(s, response, now, effects)
  return { state: s, effects }
}

/** ACK: the client applied what we sent last (xds_protocol "ACK"). Whatever it rejected before is superseded. */
function acked(prev: WatchedType): WatchedType {
  const { rejectedVersion: _superseded, ...rest } = prev
  return { ...rest, ...ackedFields(prev) }
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
    s = send(s, { ...response, version: transitionalVersion(response.version, removed), resources: sortByName([...response.resources, ...removed]) }, now, effects)
    finals.push(response)
  }
  // Removals go in reverse ADS order: a Listener is dropped before the Cluster it may still route to.
  for (const response of finals.reverse()) s = send(s, response, now, effects)
  return { state: s, effects }
}

/**
 * The version_info of a make-before-break response, which still carries what the final one drops: a
 * version string never stands for two contents (issue #11), so it is the target version plus a hash of
 * the names kept for now. It never equals a snapshot's type version, so no proxy counts as on a
 * version until it has ACKed the final response.
 */
export function transitionalVersion(version: string, kept: readonly { name: string }[]): string {
  return `${version}+keep-${sha256Hex(kept.map((r) => r.name).sort().join('\n')).slice(0, 12)}`
}

/**
 * A SotW response, with the nonce recordSend assigns (stream-base.ts); what it carries becomes the
 * type's `returned`, as go-control-plane sotw/server.go records it (`SetReturnedResources`).
 */
function send(s: StreamState, r: WatchResponse, now: number, effects: Effect[]): StreamState {
  // A response that is exactly a shared selection uses its pieces; a make-before-break one builds its own.
  const selection = r.selection?.resources === r.resources ? r.selection : undefined
  return recordSend(s, r, now, (w, nonce) => {
    const response: DiscoveryResponse = {
      version_info: r.version,
      resources: selection ? selection.anys : r.resources.map((res) => res.any),
      type_url: r.typeUrl,
      nonce,
      control_plane: { identifier: s.controlPlaneId },
    }
    effects.push({ kind: 'send', typeUrl: r.typeUrl, response, fromVersion: r.fromVersion, resourceNames: selection ? selection.names : r.resources.map((res) => res.name) })
    return { ...w, returned: selection ? selection.returned : new Map(r.resources.map((res) => [res.name, res])) }
  })
}
