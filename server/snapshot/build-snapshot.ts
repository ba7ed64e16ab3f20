import type protobuf from 'protobufjs'
import { sha256Hex } from '../config/hash'
import type { ConfigIssue } from '../config/issues'
import { encodeMessage } from '../config/proto-json'
import { checkReferences } from '../config/references'
import { RESOURCE_TYPE_INFO, type ConfigResource } from '../config/resource-types'
import { typeUrlOf, type XdsTypeUrl } from '../xds-types/type-urls'
import type { Snapshot, SnapshotResource, SnapshotType } from './types'

export type SnapshotInput = Readonly<{
  fleet: string
  versionNumber: number
  resources: readonly ConfigResource[]
  /** `type/name` of the resources that held sealed values (private keys, passwords) before they were decrypted for this snapshot. */
  sensitive?: ReadonlySet<string>
}>

/** Short, stable type versions are easier to read in Envoy's config dump; 64 bits of sha256 is plenty. */
const TYPE_VERSION_LENGTH = 16

function hashBytes(bytes: Uint8Array): string {
  return sha256Hex(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'))
}

/**
 * A type's version is a hash of its resources' (name, version) pairs, so a type whose content did not
 * change between two Legation versions keeps its version_info and is never re-pushed.
 */
export function typeVersionOf(resources: ReadonlyMap<string, SnapshotResource>): string {
  const lines = [...resources.values()].map((r) => `${r.name}\t${r.version}`).sort()
  return sha256Hex(lines.join('\n')).slice(0, TYPE_VERSION_LENGTH)
}

/**
 * Turns a committed version into the xDS view: every resource encoded ONCE to protobuf bytes
 * (deterministic encoding, see proto-json-codec) and wrapped in an Any that every stream shares.
 */
export function buildSnapshot(root: protobuf.Root, input: SnapshotInput): Snapshot {
  const byType = new Map<XdsTypeUrl, Map<string, SnapshotResource>>()
  for (const r of input.resources) {
    const typeUrl = typeUrlOf(r.type)
    const value = encodeMessage(root, RESOURCE_TYPE_INFO[r.type].messageName, r.resource)
    const resources = byType.get(typeUrl) ?? new Map<string, SnapshotResource>()
    resources.set(r.name, { name: r.name, version: hashBytes(value), any: { type_url: typeUrl, value }, ...(input.sensitive?.has(`${r.type}/${r.name}`) ? { sensitive: true as const } : {}) })
    byType.set(typeUrl, resources)
  }
  const types = new Map<XdsTypeUrl, SnapshotType>()
  for (const info of Object.values(RESOURCE_TYPE_INFO)) {
    const typeUrl = info.typeUrl as XdsTypeUrl
    const resources = byType.get(typeUrl) ?? new Map<string, SnapshotResource>()
    types.set(typeUrl, { version: typeVersionOf(resources), resources })
  }
  return { fleet: input.fleet, versionNumber: input.versionNumber, types }
}

/**
 * go-control-plane's Consistent(): every RDS name a listener asks for has a route configuration,
 * every route's cluster exists, every EDS cluster has a load assignment, every SDS secret exists.
 * A snapshot that fails is not served; the last good one stays.
 */
export function checkSnapshotConsistency(input: SnapshotInput): ConfigIssue[] {
  return checkReferences(input.resources)
}

/** type URL → version, as stored for status comparisons and shown in the API. */
export function snapshotTypeVersions(snapshot: Snapshot): Record<string, string> {
  return Object.fromEntries([...snapshot.types].map(([typeUrl, t]) => [typeUrl, t.version]))
}
