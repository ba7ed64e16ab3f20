import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { encodeResource } from '../../../server/config/encode-resource'
import { PROTOBUF_RECURSION_LIMIT } from '../../../server/config/limits'
import { decodeMessage } from '../../../server/config/proto-json'
import type { ConfigResource, JsonValue } from '../../../server/config/resource-types'
import { validateConfig, validateResource } from '../../../server/config/validate'
import { buildSnapshot, prepareSnapshot } from '../../../server/snapshot/build-snapshot'

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})

/** `levels` JSON objects, one inside the other. */
function nestedObject(levels: number): JsonValue {
  let value: JsonValue = { leaf: true }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}
function nestedList(levels: number): JsonValue {
  let value: JsonValue = [1]
  for (let i = 1; i < levels; i++) value = [value]
  return value
}
const clusterWith = (x: JsonValue): ConfigResource => ({ type: 'Cluster', name: 'c', resource: { name: 'c', type: 'STATIC', connect_timeout: '1s', metadata: { filter_metadata: { x } } } })

describe('encodeResource: protobuf recursion limit (#16 item 6)', () => {
  // Cluster (0) → Metadata (1) → filter_metadata entry (2) → Struct (3); then each object level is
  // a fields entry, a Value and a Struct: 3 + 3 × 32 = 99 ≤ 100 < 102.
  it('encodes a Struct 32 objects deep in a cluster, and the bytes decode back to it', () => {
    const r = clusterWith(nestedObject(32))
    const encoded = encodeResource(root, r)
    expect(encoded.ok).toBe(true)
    if (encoded.ok) expect(decodeMessage(root, 'envoy.config.cluster.v3.Cluster', encoded.bytes)).toEqual(r.resource)
  })

  it('refuses 33 objects deep at the first message past the limit, naming it', () => {
    const encoded = encodeResource(root, clusterWith(nestedObject(33)))
    expect(encoded.ok).toBe(false)
    if (encoded.ok) return
    expect(encoded.issue.code).toBe('PROTO.TOO_DEEP')
    expect(encoded.issue.resource).toEqual({ type: 'Cluster', name: 'c' })
    expect(encoded.issue.message).toContain(`nested deeper than ${PROTOBUF_RECURSION_LIMIT} protobuf messages`)
    // The 33rd Struct is message 99, its entry 100, and the Value of "leaf" 101.
    expect(encoded.issue.path).toBe(`metadata.filter_metadata["x"]${'["a"]'.repeat(32)}["leaf"]`)
  })

  it('counts a list level as 2 (ListValue, Value)', () => {
    // Struct (3) → entry (4) → Value (5) → then each list level: ListValue, Value; the innermost item is 2n + 5.
    expect(encodeResource(root, clusterWith({ l: nestedList(47) })).ok).toBe(true)
    const refused = encodeResource(root, clusterWith({ l: nestedList(48) }))
    expect(refused.ok ? null : refused.issue.code).toBe('PROTO.TOO_DEEP')
  })

  it('starts again at 0 inside an Any (its value is bytes Envoy unpacks with a fresh limit)', () => {
    const deepInAny: ConfigResource = {
      type: 'Listener',
      name: 'l',
      resource: {
        name: 'l',
        address: { socket_address: { address: '0.0.0.0', port_value: 8080 } },
        filter_chains: [{ filters: [{ name: 'x', typed_config: { '@type': 'type.googleapis.com/google.protobuf.Struct', value: nestedObject(33) } }] }],
      },
    }
    // A Struct 33 objects deep from 0 ends at message 98; counted on from the Any (3) it would end at 102.
    expect(encodeResource(root, deepInAny).ok).toBe(true)
  })
})

describe('commit and snapshot build run the same check', () => {
  it('validateResource (PUT), validateConfig (commit) and prepareSnapshot (the snapshot build) refuse the same resource with the same issue', () => {
    const deep = clusterWith(nestedObject(40))
    const atPut = validateResource(root, deep.type, deep.name, deep.resource).issues
    const atCommit = validateConfig(root, [deep])
    const atBuild = prepareSnapshot(root, { fleet: 'f', versionNumber: 2, resources: [deep] })
    expect(atBuild.snapshot).toBeNull()
    expect(atPut).toEqual(atBuild.issues)
    expect(atCommit).toEqual(atBuild.issues)
    expect(() => buildSnapshot(root, { fleet: 'f', versionNumber: 2, resources: [deep] })).toThrow(/nested deeper than 100 protobuf messages/)
  })

  it('prepareSnapshot refuses a dangling reference as commit does, and builds what commit accepts', () => {
    const dangling: ConfigResource = { type: 'Cluster', name: 'eds', resource: { name: 'eds', type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: { ads: {} } } } }
    const built = prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: [dangling] })
    expect(built.issues.map((i) => i.code)).toEqual(validateConfig(root, [dangling]).map((i) => i.code))
    expect(built.issues.length).toBeGreaterThan(0)
    const fine = clusterWith(nestedObject(3))
    expect(validateConfig(root, [fine])).toEqual([])
    expect(prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: [fine] }).snapshot?.versionNumber).toBe(1)
  })
})
