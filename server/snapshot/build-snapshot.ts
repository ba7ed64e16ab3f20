import type protobuf from 'protobufjs'
import { sha256Hex } from '../config/hash'
import type { ConfigIssue } from '../config/issues'
import { encodeResource } from '../config/encode-resource'
import { checkReferences } from '../config/references'
import { RESOURCE_TYPE_INFO, type ConfigResource } from '../config/resource-types'
import type { StoredResource } from '../config/diff'
import { encodeForServing } from '../config/validate'
import { hashBytes, memoEntryOf, servedOf } from '../config/resource-memo'
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
 * Throws if a resource cannot be encoded; the snapshot engine uses prepareStoredSnapshot, which says why.
 */
export function buildSnapshot(root: protobuf.Root, input: SnapshotInput): Snapshot {
  const encoded = input.resources.map((resource) => {
    const result = encodeResource(root, resource)
    if (!result.ok) throw new Error(`${resource.type} ${resource.name}: ${result.issue.path ? `${result.issue.path}: ` : ''}${result.issue.message}`)
    return { resource, bytes: result.bytes }
  })
  return assemble(input, encoded)
}

export type PreparedSnapshot = { snapshot: Snapshot; issues: [] } | { snapshot: null; issues: ConfigIssue[] }

/**
 * The snapshot of parsed resources, or why they cannot be served: encodeForServing, the checks
 * validateConfig makes too. The snapshot engine builds from stored resources (prepareStoredSnapshot,
 * the same checks per resource, remembered), so what is refused there was refused at commit too,
 * unless the version predates a check (#16 item 6).
 */
export function prepareSnapshot(root: protobuf.Root, input: SnapshotInput): PreparedSnapshot {
  const { encoded, issues } = encodeForServing(root, input.resources)
  if (issues.length > 0) return { snapshot: null, issues }
  return { snapshot: assemble(input, encoded), issues: [] }
}

function assemble(input: SnapshotInput, encoded: ReadonlyArray<{ resource: ConfigResource; bytes: Uint8Array }>): Snapshot {
  const byType = new Map<XdsTypeUrl, Map<string, SnapshotResource>>()
  for (const { resource: r, bytes: value } of encoded) {
    const typeUrl = typeUrlOf(r.type)
    const resources = byType.get(typeUrl) ?? new Map<string, SnapshotResource>()
    resources.set(r.name, { name: r.name, version: hashBytes(value), any: { type_url: typeUrl, value }, ...(input.sensitive?.has(`${r.type}/${r.name}`) ? { sensitive: true as const } : {}) })
    byType.set(typeUrl, resources)
  }
  return { fleet: input.fleet, versionNumber: input.versionNumber, types: typesOf(byType, null) }
}

/**
 * Every xDS type of a snapshot (empty when it has no resources), with its version. A type whose
 * resources are exactly `previous`'s (the same objects) is `previous`'s type object, version included.
 */
function typesOf(byType: ReadonlyMap<XdsTypeUrl, ReadonlyMap<string, SnapshotResource>>, previous: Snapshot | null): Map<XdsTypeUrl, SnapshotType> {
  const types = new Map<XdsTypeUrl, SnapshotType>()
  for (const info of Object.values(RESOURCE_TYPE_INFO)) {
    const typeUrl = info.typeUrl as XdsTypeUrl
    const resources = byType.get(typeUrl) ?? new Map<string, SnapshotResource>()
    const before = previous?.types.get(typeUrl)
    types.set(typeUrl, before && sameResources(before.resources, resources) ? before : { version: typeVersionOf(resources), resources })
  }
  return types
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

/**
 * prepareSnapshot of stored resources, incremental (#13 item 1): each resource is encoded once per
 * content (resource-memo.ts), and against `previous` (the snapshot being served) an unchanged
 * resource keeps its SnapshotResource, and a type whose resources are all unchanged keeps its
 * SnapshotType. So a new version costs the encoding of what changed, and the objects streams share
 * (encoded Anys, sorted selections: server/xds/selection.ts) carry over. Resources in `sensitive`
 * (clear key material) are encoded without a memo entry.
 */
export function prepareStoredSnapshot(root: protobuf.Root, input: Omit<SnapshotInput, 'resources'> & { resources: readonly StoredResource[] }, previous: Snapshot | null): PreparedSnapshot {
  const issues: ConfigIssue[] = []
  const parsed: ConfigResource[] = []
  const byType = new Map<XdsTypeUrl, Map<string, SnapshotResource>>()
  for (const r of input.resources) {
    const key = `${r.type}/${r.name}`
    const sensitive = input.sensitive?.has(key) === true
    const entry = memoEntryOf(root, r, !sensitive)
    parsed.push(entry.parsed)
    const { encoded, version } = servedOf(root, entry)
    if (!encoded.ok) {
      issues.push(encoded.issue)
      continue
    }
    const typeUrl = typeUrlOf(r.type)
    const resources = byType.get(typeUrl) ?? new Map<string, SnapshotResource>()
    byType.set(typeUrl, resources)
    const before = previous?.types.get(typeUrl)?.resources.get(r.name)
    // The memo hands out the same bytes object for the same content: identity means unchanged.
    const same = before !== undefined && before.any.value === encoded.bytes && (before.sensitive === true) === sensitive
    resources.set(r.name, same ? before : { name: r.name, version: version!, any: { type_url: typeUrl, value: encoded.bytes }, ...(sensitive ? { sensitive: true as const } : {}) })
  }
  issues.push(...checkReferences(parsed))
  if (issues.length > 0) return { snapshot: null, issues }
  return { snapshot: { fleet: input.fleet, versionNumber: input.versionNumber, types: typesOf(byType, previous) }, issues: [] }
}

function sameResources(a: ReadonlyMap<string, SnapshotResource>, b: ReadonlyMap<string, SnapshotResource>): boolean {
  if (a.size !== b.size) return false
  for (const [name, r] of b) if (a.get(name) !== r) return false
  return true
}
