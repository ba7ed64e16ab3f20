import type { WatchedTypeBase as WatchedType } from '../xds/subscription'
import { MAX_STATUS_NAMES, type TypeStatus } from '../contract/proxy-state'

const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString())

/** Up to MAX_STATUS_NAMES names, sorted; large sets are cut without sorting them whole. */
function someNames(names: Iterable<string>, size: number): string[] {
  if (size <= MAX_STATUS_NAMES) return [...names].sort()
  const out: string[] = []
  for (const name of names) {
    out.push(name)
    if (out.length === MAX_STATUS_NAMES) break
  }
  return out.sort()
}

/** A client's error_detail can be megabytes; the status row is rewritten on every flush, so it keeps the start. */
export const MAX_NACK_MESSAGE_CHARS = 4096

function cutNackMessage(message: string): string {
  return message.length <= MAX_NACK_MESSAGE_CHARS ? message : `${message.slice(0, MAX_NACK_MESSAGE_CHARS)}… (${message.length} characters)`
}

/** The protocol's per-type state (the stream machine's WatchedType) as the dashboard stores it. */
export function typeStatusFromWatched(w: WatchedType, previous: TypeStatus | undefined, now: number): TypeStatus {
  const ackChanged = w.nonceAcked !== undefined && w.nonceAcked !== previous?.nonceAcked
  const ackedAt = ackChanged ? iso(now) : previous?.ackedAt
  const lastSendAt = iso(w.lastSendAt)
  const rejected = (w as { rejected?: ReadonlyMap<string, unknown> }).rejected
  return {
    typeUrl: w.typeUrl,
    names: someNames(w.names, w.names.size),
    nameCount: w.names.size,
    wildcard: w.wildcard,
    ...(w.nonceSent !== undefined ? { nonceSent: w.nonceSent } : {}),
    ...(w.versionSent !== undefined ? { versionSent: w.versionSent } : {}),
    ...(w.sentFromVersion !== undefined ? { sentFromVersion: w.sentFromVersion } : {}),
    ...(lastSendAt ? { lastSendAt } : {}),
    ...(w.nonceAcked !== undefined ? { nonceAcked: w.nonceAcked } : {}),
    ...(w.versionAcked !== undefined ? { versionAcked: w.versionAcked } : {}),
    ...(w.ackedFromVersion !== undefined ? { ackedFromVersion: w.ackedFromVersion } : {}),
    ...(ackedAt ? { ackedAt } : {}),
    ...(w.lastNack ? { lastNack: { message: cutNackMessage(w.lastNack.message), code: w.lastNack.code, version: w.lastNack.version, nonce: w.lastNack.nonce, at: new Date(w.lastNack.at).toISOString() } } : {}),
    ...(rejected && rejected.size > 0 ? { rejectedCount: rejected.size } : {}),
    resourceNames: someNames(w.returned.keys(), w.returned.size),
    resourceCount: w.returned.size,
  }
}

export function typeStatusesFromWatched(types: ReadonlyMap<string, WatchedType>, previous: Readonly<Record<string, TypeStatus>>, now: number): Record<string, TypeStatus> {
  return Object.fromEntries([...types].map(([typeUrl, w]) => [typeUrl, typeStatusFromWatched(w, previous[typeUrl], now)]))
}
