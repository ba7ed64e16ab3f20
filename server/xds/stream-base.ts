import type { Snapshot } from '../snapshot/types'
import type { XdsTypeUrl } from '../xds-types/type-urls'
import type { WireNode, WireStatus } from '../xds-types/wire'
import { admitRequest, ignoredAfterClose, type AdmissionEffect } from './admit-request'
import type { NackRecord, Subscription, WatchedTypeBase } from './subscription'

/**
 * What the SotW reducer (stream-machine.ts) and the delta reducer (delta-machine.ts) share: the
 * per-stream state go-control-plane's sotw and delta servers both keep (node, nonce counter, one
 * watch per type URL), the events, the effects other than `send`, and the steps that do not depend
 * on the variant. Each reducer keeps its own `onRequest` (after admission) and `onSnapshot`.
 */
export type StreamStateOf<W extends WatchedTypeBase> = Readonly<{
  node: WireNode | null
  /** The next nonce to assign (go-control-plane: base-10, increasing across all types of the stream). */
  nextNonce: number
  types: ReadonlyMap<XdsTypeUrl, W>
  snapshot: Snapshot | null
  controlPlaneId: string
  closed: boolean
}>

/** The fields of a request every variant reads before looking at its type. */
type RequestBase = Readonly<{ node?: WireNode | null; type_url: string; response_nonce: string; error_detail?: WireStatus | null }>

export type StreamEventOf<R extends RequestBase> =
  | Readonly<{ kind: 'request'; req: R; now: number }>
  | Readonly<{ kind: 'snapshot'; snapshot: Snapshot; now: number }>

/** Every effect but `send`, whose response differs between SotW and delta. */
export type StreamEffect =
  | AdmissionEffect
  | Readonly<{ kind: 'ack'; typeUrl: XdsTypeUrl; version: string; nonce: string; fromVersion?: number }>
  | Readonly<{ kind: 'nack'; typeUrl: XdsTypeUrl; nack: NackRecord }>
  /** `names`: sorted, when there are at most SUBSCRIPTION_NAMES_LISTED of them (the timeline lists those); `count`: how many. */
  | Readonly<{ kind: 'subscription'; typeUrl: XdsTypeUrl; names: readonly string[]; count: number; wildcard: boolean }>
  | Readonly<{ kind: 'close'; code: 'INVALID_ARGUMENT' | 'UNAVAILABLE'; details: string }>

export type StepResultOf<W extends WatchedTypeBase, E> = { state: StreamStateOf<W>; effects: E[] }

export function newStreamState<W extends WatchedTypeBase>(options: { controlPlaneId: string }): StreamStateOf<W> {
  return { node: null, nextNonce: 1, types: new Map(), snapshot: null, controlPlaneId: options.controlPlaneId, closed: false }
}

/**
 * A request past admission, for a known type URL: `state` has the node recorded, `prev` is what the
 * stream knows of the type (undefined on its first request), and `effects` holds admission's effects,
 * to which the variant appends its own (E).
 */
export type AdmittedRequest<W extends WatchedTypeBase, R extends RequestBase, E> = Readonly<{
  state: StreamStateOf<W>
  req: R
  typeUrl: XdsTypeUrl
  prev: W | undefined
  now: number
  effects: (StreamEffect | E)[]
}>

/**
 * One step of either reducer. After a close every event is ignored. A request is first admitted
 * (admit-request.ts: without a node or, on ADS, a type URL it closes the stream; the first node is
 * recorded; an unknown type URL ends the step); the variant handles the rest of it, and snapshots.
 */
export function stepStream<W extends WatchedTypeBase, R extends RequestBase, E>(
  state: StreamStateOf<W>,
  event: StreamEventOf<R>,
  handlers: Readonly<{
    onRequest: (admitted: AdmittedRequest<W, R, E>) => StepResultOf<W, StreamEffect | E>
    onSnapshot: (s: StreamStateOf<W>, snapshot: Snapshot, now: number) => StepResultOf<W, StreamEffect | E>
  }>,
): StepResultOf<W, StreamEffect | E> {
  if (state.closed) return { state, effects: [ignoredAfterClose(event)] }
  if (event.kind === 'snapshot') return handlers.onSnapshot(state, event.snapshot, event.now)
  const { req, now } = event
  const admission = admitRequest(state.node, req)
  if (admission.kind === 'close') return { state: { ...state, closed: true }, effects: [{ kind: 'close', code: 'INVALID_ARGUMENT', details: admission.details }] }
  const s = admission.node === state.node ? state : { ...state, node: admission.node }
  const effects: (StreamEffect | E)[] = [...admission.effects]
  if (admission.kind === 'ignored') return { state: s, effects }
  return handlers.onRequest({ state: s, req, typeUrl: admission.typeUrl, prev: s.types.get(admission.typeUrl), now, effects })
}

/**
 * Assigns the next nonce and records what was sent in the same step, as go-control-plane's servers
 * do (sotw/server.go `out.Nonce = strconv.FormatInt(s.nonce.Add(1), 10)`; delta/v3 server.go sets
 * the nonce and the stream's resource versions together). `finish` builds the variant's response
 * and effect with that nonce and returns the watched type with the rest of what the client will have.
 */
export function recordSend<W extends WatchedTypeBase>(
  s: StreamStateOf<W>,
  r: Readonly<{ typeUrl: XdsTypeUrl; version: string; fromVersion: number }>,
  now: number,
  finish: (w: W, nonce: string) => W,
): StreamStateOf<W> {
  const w = s.types.get(r.typeUrl)
  if (!w) throw new Error(`bug: send for unwatched type ${r.typeUrl}`)
  const nonce = String(s.nextNonce)
  const sent = finish({ ...w, nonceSent: nonce, versionSent: r.version, sentFromVersion: r.fromVersion, lastSendAt: now }, nonce)
  return { ...withWatched(s, sent), nextNonce: s.nextNonce + 1 }
}

export function withWatched<W extends WatchedTypeBase>(s: StreamStateOf<W>, w: W): StreamStateOf<W> {
  const types = new Map(s.types)
  types.set(w.typeUrl, w)
  return { ...s, types }
}

/** The NACK of the latest response of `prev`'s type: the client's error_detail plus what it rejected. */
export function nackRecordOf(prev: WatchedTypeBase, req: RequestBase, now: number): NackRecord {
  return {
    message: req.error_detail?.message ?? '',
    code: req.error_detail?.code ?? 0,
    version: prev.versionSent ?? '',
    nonce: req.response_nonce,
    at: now,
  }
}

/** ACK of the latest response of `prev`'s type: what it carried is now what the client runs. */
export function ackedFields(prev: WatchedTypeBase): Pick<WatchedTypeBase, 'nonceAcked' | 'versionAcked' | 'ackedFromVersion'> {
  return { nonceAcked: prev.nonceSent, versionAcked: prev.versionSent, ackedFromVersion: prev.sentFromVersion }
}

export function ackEffect(prev: WatchedTypeBase, nonce: string): StreamEffect {
  return { kind: 'ack', typeUrl: prev.typeUrl, version: prev.versionSent ?? '', nonce, fromVersion: prev.sentFromVersion }
}

/** A subscription of at most this many names is listed by name in the proxy's timeline. */
export const SUBSCRIPTION_NAMES_LISTED = 10

export function subscriptionEffect(typeUrl: XdsTypeUrl, sub: Subscription): StreamEffect {
  // Sorting a 1,000-name subscription per stream only to say "1000 names" cost a reconnect storm 150 ms.
  const names = sub.names.size <= SUBSCRIPTION_NAMES_LISTED ? [...sub.names].sort() : []
  return { kind: 'subscription', typeUrl, names, count: sub.names.size, wildcard: sub.wildcard }
}
