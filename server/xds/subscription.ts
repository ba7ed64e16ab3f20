import type { SnapshotResource, SnapshotType } from '../snapshot/types'
import { WILDCARD_TYPES, type XdsTypeUrl } from '../xds-types/type-urls'
import { internNames } from './selection'

/** A NACK as the dashboard shows it: the client's error_detail plus which response it rejected. */
export type NackRecord = Readonly<{ message: string; code: number; version: string; nonce: string; at: number }>

/**
 * What any ADS stream (SotW or delta) knows about one type URL: Istio's WatchedResource plus
 * go-control-plane's returnedResources. It is also the status source: the dashboard shows exactly
 * these fields (server/status/from-stream.ts), whichever variant the stream speaks.
 */
export type WatchedTypeBase = Readonly<{
  typeUrl: XdsTypeUrl
  /** Explicitly subscribed resource names (empty for a pure wildcard subscription; never "*"). */
  names: ReadonlySet<string>
  wildcard: boolean
  nonceSent?: string
  versionSent?: string
  sentFromVersion?: number
  lastSendAt?: number
  nonceAcked?: string
  versionAcked?: string
  ackedFromVersion?: number
  lastNack?: NackRecord
  /** What the client has from us (name → resource as sent): go-control-plane's returnedResources. */
  returned: ReadonlyMap<string, SnapshotResource>
}>

/** What one SotW stream knows about one type URL. */
export type WatchedType = WatchedTypeBase &
  Readonly<{
    /** version_info of the client's latest non-stale request. */
    clientVersion?: string
    /** A type version this client NACKed: not re-sent until the content changes. */
    rejectedVersion?: string
  }>

/** The resource_names of one SotW request, interpreted: go-control-plane's Subscription (a delta watched type has the same two fields). */
export type Subscription = Readonly<{ names: ReadonlySet<string>; wildcard: boolean }>

export const WILDCARD_NAME = '*'

/**
 * Interprets resource_names for a type URL (xds_protocol "How the client specifies what resources
 * to return"). Only Listener and Cluster have a wildcard: "*" asks for it explicitly, and an empty
 * list means "*" for historical reasons, but only while the stream has never subscribed to named
 * resources of that type; after that, an empty list is an unsubscription ("Unsubscribing From
 * Resources"). `prev` is the subscription recorded on this stream, if any.
 */
export function subscriptionOf(typeUrl: XdsTypeUrl, resourceNames: readonly string[], prev: Subscription | undefined): Subscription {
  if (!WILDCARD_TYPES.has(typeUrl)) return { names: new Set(resourceNames), wildcard: false }
  const names = new Set(resourceNames.filter((n) => n !== WILDCARD_NAME))
  if (resourceNames.includes(WILDCARD_NAME)) return { names, wildcard: true }
  const legacyWildcard = names.size === 0 && (prev === undefined || prev.wildcard)
  return { names, wildcard: legacyWildcard }
}

export function sameSubscription(a: Subscription, b: Subscription): boolean {
  if (a.wildcard !== b.wildcard || a.names.size !== b.names.size) return false
  for (const n of a.names) if (!b.names.has(n)) return false
  return true
}

/** A non-wildcard subscription with no names: the client wants nothing of this type. */
export function isEmptySubscription(sub: Subscription): boolean {
  return !sub.wildcard && sub.names.size === 0
}

export function newWatchedType(typeUrl: XdsTypeUrl, sub: Subscription): WatchedType {
  return { typeUrl, names: internNames(sub.names), wildcard: sub.wildcard, returned: new Map() }
}

/**
 * Records a new subscription. `returned` keeps only what is still subscribed, so a name the client
 * drops and later asks for again is re-sent: "the server must resend any newly requested resources,
 * even if it previously sent those resources" (xds_protocol "How the client specifies what resources to return").
 */
export function withSubscription(w: WatchedType, sub: Subscription): WatchedType {
  const returned = sub.wildcard ? w.returned : new Map([...w.returned].filter(([name]) => sub.names.has(name)))
  return { ...w, names: internNames(sub.names), wildcard: sub.wildcard, returned }
}

/** The subscribed resources that exist in the snapshot, sorted by name (deterministic responses). */
export function subscribedResources(type: SnapshotType, sub: Subscription): SnapshotResource[] {
  const picked = sub.wildcard ? [...type.resources.values()] : [...sub.names].flatMap((n) => type.resources.get(n) ?? [])
  return sortByName(picked)
}

export function sortByName<T extends { readonly name: string }>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
}
