import protobuf from 'protobufjs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import type { StoredResource } from '../../../server/config/diff'
import { encodeResource } from '../../../server/config/encode-resource'
import { serializeResource, sha256Hex } from '../../../server/config/hash'
import { checkedOf, clearResourceMemo, hashBytes, memoEntryOf, RESOURCE_MEMO_LIMIT, servedOf } from '../../../server/config/resource-memo'
import type { ConfigResource, JsonValue } from '../../../server/config/resource-types'
import { validateResource } from '../../../server/config/validate'
import { prepareSnapshot } from '../../../server/snapshot/build-snapshot'
import { typeUrlOf } from '../../../server/xds-types/type-urls'
import { storedFixtures } from '../../support/stored-resources'

// resource-memo.ts (#13): a stored resource's parse, proto read, encoding and bytes hash, remembered
// by (type, name, body hash), bounded LRU per proto root. Pure: no I/O.

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})
// Each test starts from an empty memo: entries of one test must not make another pass.
beforeEach(() => {
  clearResourceMemo(root)
})

const { raw, stored } = storedFixtures(() => root)

const assignment = (name: string, port = 8080): StoredResource =>
  stored('ClusterLoadAssignment', name, { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: port } } } }] }] })

const parsedOf = (r: StoredResource): ConfigResource => ({ type: r.type, name: r.name, resource: JSON.parse(r.body) as ConfigResource['resource'] })

function nestedObject(levels: number): JsonValue {
  let value: JsonValue = { leaf: true }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}

describe('memoEntryOf', () => {
  it('returns the same entry, with the same parsed object, for the same type, name, hash and body', () => {
    const a = assignment('api')
    const first = memoEntryOf(root, a)
    const again = memoEntryOf(root, { ...a })
    expect(again).toBe(first)
    expect(again.parsed).toBe(first.parsed)
    expect(first.parsed).toEqual(parsedOf(a))
  })

  it('gives a different entry for a different body (and so hash), name, type or hash', () => {
    const a = assignment('api', 8080)
    const entry = memoEntryOf(root, a)
    const otherBody = assignment('api', 9090)
    expect(otherBody.hash).not.toBe(a.hash)
    const changed = memoEntryOf(root, otherBody)
    expect(changed).not.toBe(entry)
    expect(changed.parsed).toEqual(parsedOf(otherBody))
    expect(memoEntryOf(root, { ...a, hash: sha256Hex('something else') })).not.toBe(entry)
    expect(memoEntryOf(root, { ...a, name: 'other' })).not.toBe(entry)
    expect(memoEntryOf(root, { ...a, type: 'Cluster' })).not.toBe(entry)
    // The original is still remembered after all of these.
    expect(memoEntryOf(root, a)).toBe(entry)
  })

  it('keeps one memo per proto root', () => {
    const a = assignment('api')
    const entry = memoEntryOf(root, a)
    expect(memoEntryOf(new protobuf.Root(), a)).not.toBe(entry)
    expect(memoEntryOf(root, a)).toBe(entry)
  })

  it('with remember=false gives a fresh entry every time and stores none of them', () => {
    const a = assignment('api')
    const once = memoEntryOf(root, a, false)
    const twice = memoEntryOf(root, a, false)
    expect(twice).not.toBe(once)
    expect(twice.parsed).not.toBe(once.parsed)
    expect(once.parsed).toEqual(parsedOf(a))
    // Work done on a non-remembered entry stays on it.
    checkedOf(root, once)
    servedOf(root, once)
    const remembered = memoEntryOf(root, a)
    expect(remembered).not.toBe(once)
    expect(remembered).not.toBe(twice)
    expect(remembered.checked).toBeUndefined()
    expect(remembered.served).toBeUndefined()
    expect(memoEntryOf(root, a)).toBe(remembered)
  })

  it('with remember=false does not hand out a remembered entry either', () => {
    const a = assignment('api')
    const remembered = memoEntryOf(root, a)
    const fresh = memoEntryOf(root, a, false)
    expect(fresh).not.toBe(remembered)
    expect(fresh.parsed).not.toBe(remembered.parsed)
    expect(memoEntryOf(root, a)).toBe(remembered)
  })

  it('forgets everything on clearResourceMemo', () => {
    const a = assignment('api')
    const entry = memoEntryOf(root, a)
    clearResourceMemo(root)
    expect(memoEntryOf(root, a)).not.toBe(entry)
  })
})

describe('memoEntryOf: bounded LRU (RESOURCE_MEMO_LIMIT)', () => {
  // Tiny bodies keep the 20,001 look-ups well under a second.
  const small = (i: number): StoredResource => raw('ClusterLoadAssignment', `c${i}`, { cluster_name: `c${i}` })

  it('evicts the least recently inserted entry once the limit is reached', () => {
    const entries = Array.from({ length: RESOURCE_MEMO_LIMIT }, (_, i) => memoEntryOf(root, small(i)))
    // Full, nothing evicted yet: the first and last are still there.
    expect(memoEntryOf(root, small(RESOURCE_MEMO_LIMIT - 1))).toBe(entries[RESOURCE_MEMO_LIMIT - 1])
    memoEntryOf(root, small(RESOURCE_MEMO_LIMIT))
    expect(memoEntryOf(root, small(1))).toBe(entries[1])
    expect(memoEntryOf(root, small(0))).not.toBe(entries[0])
  })

  it('keeps an entry that was used again and evicts the least recently used one instead', () => {
    const entries = Array.from({ length: RESOURCE_MEMO_LIMIT }, (_, i) => memoEntryOf(root, small(i)))
    // Using entry 0 makes entry 1 the least recently used.
    expect(memoEntryOf(root, small(0))).toBe(entries[0])
    memoEntryOf(root, small(RESOURCE_MEMO_LIMIT))
    expect(memoEntryOf(root, small(0))).toBe(entries[0])
    expect(memoEntryOf(root, small(2))).toBe(entries[2])
    expect(memoEntryOf(root, small(1))).not.toBe(entries[1])
  })
})

describe('servedOf', () => {
  it("serves encodeResource's bytes, versioned like prepareSnapshot (sha256 hex of the bytes' base64)", () => {
    const a = assignment('api')
    const served = servedOf(root, memoEntryOf(root, a))
    const encoded = encodeResource(root, parsedOf(a))
    if (!encoded.ok || !served.encoded.ok) throw new Error('the fixture must encode')
    expect(Buffer.from(served.encoded.bytes).equals(Buffer.from(encoded.bytes))).toBe(true)
    expect(served.version).toBe(sha256Hex(Buffer.from(encoded.bytes).toString('base64')))
    expect(served.version).toBe(hashBytes(encoded.bytes))
    const prepared = prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: [parsedOf(a)] })
    expect(served.version).toBe(prepared.snapshot?.types.get(typeUrlOf('ClusterLoadAssignment'))?.resources.get('api')?.version)
  })

  it('is remembered: the same bytes object for the same content', () => {
    const a = assignment('api')
    const served = servedOf(root, memoEntryOf(root, a))
    const again = servedOf(root, memoEntryOf(root, { ...a }))
    expect(again).toBe(served)
    if (!served.encoded.ok || !again.encoded.ok) throw new Error('the fixture must encode')
    expect(again.encoded.bytes).toBe(served.encoded.bytes)
  })

  it('says why a body cannot be encoded, with no version', () => {
    const deep = stored('Cluster', 'c', { name: 'c', type: 'STATIC', connect_timeout: '1s', metadata: { filter_metadata: { x: nestedObject(40) } } })
    const served = servedOf(root, memoEntryOf(root, deep))
    expect(served.version).toBeNull()
    expect(served.encoded.ok ? null : served.encoded.issue.code).toBe('PROTO.TOO_DEEP')
  })
})

describe('checkedOf', () => {
  it('reports a body that does not read as its proto, naming the field, with nothing to encode', () => {
    const bad = raw('Cluster', 'web', { name: 'web', conect_timeout: '1s' })
    const checked = checkedOf(root, memoEntryOf(root, bad))
    expect(checked.canonical).toBeNull()
    expect(checked.encodeIssue).toBeNull()
    expect(checked.readIssues).toEqual([expect.objectContaining({ code: 'PROTO.UNKNOWN_FIELD', path: 'conect_timeout', resource: { type: 'Cluster', name: 'web' } })])
    expect(checked.readIssues).toEqual(validateResource(root, 'Cluster', 'web', JSON.parse(bad.body)).issues)
  })

  it('reports a value of the wrong type at its path', () => {
    const bad = raw('Listener', 'l', { name: 'l', address: { socket_address: { address: '0.0.0.0', port_value: true } } })
    const checked = checkedOf(root, memoEntryOf(root, bad))
    expect(checked.readIssues).toEqual([expect.objectContaining({ code: 'PROTO.WRONG_TYPE', path: 'address.socket_address.port_value' })])
  })

  it('shares the parsed body as the canonical one when the body is canonical, and fills in what servedOf serves', () => {
    const a = assignment('api')
    const entry = memoEntryOf(root, a)
    const checked = checkedOf(root, entry)
    expect(checked.readIssues).toEqual([])
    expect(checked.encodeIssue).toBeNull()
    expect(checked.canonical).toBe(entry.parsed)
    expect(entry.served).toBeDefined()
    expect(servedOf(root, entry)).toBe(entry.served)
    expect(checkedOf(root, memoEntryOf(root, a))).toBe(checked)
  })

  it('reads a body that is not canonical (no name field) into a canonical copy, and leaves the parsed body as stored', () => {
    const noName = raw('ClusterLoadAssignment', 'api', { endpoints: [] })
    const entry = memoEntryOf(root, noName)
    const checked = checkedOf(root, entry)
    expect(checked.readIssues).toEqual([])
    expect(checked.canonical).not.toBe(entry.parsed)
    expect(checked.canonical?.resource).toEqual(validateResource(root, 'ClusterLoadAssignment', 'api', { endpoints: [] }).resource)
    expect(serializeResource(entry.parsed.resource)).toBe(noName.body)
    // What is served is the body as stored, not the canonical copy.
    expect(entry.served).toBeUndefined()
  })

  it('reports a body that reads but cannot be encoded (nested too deep) as its encode issue', () => {
    const deep = stored('Cluster', 'c', { name: 'c', type: 'STATIC', connect_timeout: '1s', metadata: { filter_metadata: { x: nestedObject(40) } } })
    const checked = checkedOf(root, memoEntryOf(root, deep))
    expect(checked.readIssues).toEqual([])
    expect(checked.encodeIssue).toMatchObject({ code: 'PROTO.TOO_DEEP', resource: { type: 'Cluster', name: 'c' } })
  })
})
