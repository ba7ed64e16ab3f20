import type { WireAny } from '../xds-types/wire'
import type { XdsTypeUrl } from '../xds-types/type-urls'

/** One resource, encoded once (protobuf bytes in an Any) and shared by every stream that gets it. */
export type SnapshotResource = Readonly<{
  name: string
  /** sha256 of the encoded bytes (go-control-plane HashResource): the per-resource version used by delta xDS. */
  version: string
  any: WireAny
  /** Carries private key material (decrypted for proxies): served over REST only to a proxy token of the fleet. */
  sensitive?: true
}>

export type SnapshotType = Readonly<{
  /** version_info for this type: a hash of the type's content, so an unchanged type is never re-pushed. */
  version: string
  resources: ReadonlyMap<string, SnapshotResource>
}>

/** The immutable xDS view of one fleet's active version. */
export type Snapshot = Readonly<{
  fleet: string
  /** The Legation version number it was built from (for status and logs; not sent on the wire). */
  versionNumber: number
  types: ReadonlyMap<XdsTypeUrl, SnapshotType>
}>
