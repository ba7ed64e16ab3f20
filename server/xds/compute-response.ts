import type { Snapshot, SnapshotResource, SnapshotType } from '../snapshot/types'
import type { XdsTypeUrl } from '../xds-types/type-urls'
import { isEmptySubscription, type WatchedType } from './subscription'
import { selectionOf, type Selection } from './selection'

/** What to send for one type URL, before the stream assigns a nonce (go-control-plane's RawResponse). */
export type WatchResponse = Readonly<{
  typeUrl: XdsTypeUrl
  /** version_info: the snapshot's version for this type. */
  version: string
  /** Sorted by name. */
  resources: readonly SnapshotResource[]
  /** The shared selection `resources` came from, when the response carries exactly it (selection.ts). */
  selection?: Selection
  /** The Legation version number the snapshot was built from (status only, not on the wire). */
  fromVersion: number
}>

export type ComputeResponseOptions = Readonly<{
  /** The request is the first for this type on the stream (empty response_nonce): always answered. */
  init?: boolean
}>

/** A type the snapshot doesn't carry is served as empty, so a client waiting on it can finish initializing. */
const EMPTY_TYPE: SnapshotType = { version: '', resources: new Map() }

/**
 * Decides what a SotW watch needs, like go-control-plane simple.go createResponse, which "may return
 * a nil response to indicate the watch is up-to-date". The response always carries every subscribed
 * resource that exists (for a wildcard, every resource of the type): in SotW a Listener or Cluster
 * missing from a response is deleted by the client (xds_protocol "Grouping Resources into Responses").
 */
export function computeResponse(snapshot: Snapshot, watched: WatchedType, options: ComputeResponseOptions = {}): WatchResponse | null {
  // xds_protocol "Unsubscribing From Resources": an empty list of a non-wildcard type means no interest.
  if (isEmptySubscription(watched)) return null
  const type = snapshot.types.get(watched.typeUrl) ?? EMPTY_TYPE
  const selection = selectionOf(type, watched)
  const resources = selection.resources
  // Named resources none of which exist yet: nothing is sent until one does, as go-control-plane
  // does; the client's watch times out as "does not exist" (xds_protocol "Knowing When a Requested
  // Resource Does Not Exist"). An empty response would say "version X has none of them" instead.
  if (!watched.wildcard && resources.length === 0 && watched.returned.size === 0) return null
  const response: WatchResponse = { typeUrl: watched.typeUrl, version: type.version, resources, selection, fromVersion: snapshot.versionNumber }
  // The initial request is always answered, even when its version_info equals the current version: a
  // reconnecting client may have subscribed to something new (xds_protocol "ACK/NACK and resource
  // type instance version": skipping is safe only when the subscription is known not to have grown).
  if (options.init) return response
  // "the server must resend any newly requested resources, even if it previously sent those
  // resources" (xds_protocol "How the client specifies what resources to return").
  if (watched.returned !== selection.returned && resources.some((r) => !watched.returned.has(r.name))) return response
  // xds_protocol "When to send an update": only when the resources changed.
  if (type.version === watched.versionSent) return null
  // A version the client NACKed would be rejected again; wait until the content changes.
  if (type.version === watched.rejectedVersion) return null
  return response
}

/**
 * Make-before-break for Listener and Cluster: what the client holds (`returned`) but the response
 * drops. These are deleted on receipt, so they must go after the resources that replace them
 * (xds_protocol "Eventual consistency considerations").
 */
export function removedResources(watched: WatchedType, response: WatchResponse): SnapshotResource[] {
  const kept = new Set(response.resources.map((r) => r.name))
  return [...watched.returned.values()].filter((r) => !kept.has(r.name))
}
