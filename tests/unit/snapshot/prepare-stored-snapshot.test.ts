import type protobuf from 'protobufjs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import type { StoredResource } from '../../../server/config/diff'
import { clearResourceMemo, memoEntryOf } from '../../../server/config/resource-memo'
import type { JsonValue } from '../../../server/config/resource-types'
import { prepareSnapshot, prepareStoredSnapshot, type PreparedSnapshot } from '../../../server/snapshot/build-snapshot'
import type { Snapshot, SnapshotResource, SnapshotType } from '../../../server/snapshot/types'
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS,
  CLUSTER_TYPE_URL as CDS,
  LISTENER_TYPE_URL as LDS,
  ROUTE_CONFIGURATION_TYPE_URL as RDS,
  SECRET_TYPE_URL as SDS,
  type XdsTypeUrl,
} from '../../../server/xds-types/type-urls'
import { storedFixtures } from '../../support/stored-resources'

// prepareStoredSnapshot (#13): prepareSnapshot of stored resources, encoded once per content, and
// against the serving snapshot reusing every unchanged SnapshotResource and SnapshotType object.

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})
beforeEach(() => {
  clearResourceMemo(root)
})

const ALL: readonly XdsTypeUrl[] = [LDS, RDS, CDS, EDS, SDS]
const ads = { ads: {}, resource_api_version: 'V3' }

const { stored, parsed } = storedFixtures(() => root)

const edsCluster = (name: string) => stored('Cluster', name, { name, type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: ads } })
const assignment = (name: string, port = 8080) =>
  stored('ClusterLoadAssignment', name, { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: port } } } }] }] })
const secret = (name: string, pem = 'KEY-A') => stored('Secret', name, { name, tls_certificate: { private_key: { inline_string: pem } } })
const route = (name: string, cluster: string) =>
  stored('RouteConfiguration', name, { name, virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster } }] }] })

/** Demo fleet, two EDS clusters with their load assignments, one secret. */
const fleet = (): StoredResource[] => [...DEMO_RESOURCES.map((r) => stored(r.type, r.name, r.resource)), edsCluster('api'), assignment('api'), edsCluster('orders'), assignment('orders'), secret('cert')]
const replace = (rs: readonly StoredResource[], r: StoredResource): StoredResource[] => rs.map((x) => (x.type === r.type && x.name === r.name ? r : x))

const build = (resources: readonly StoredResource[], previous: Snapshot | null = null, sensitive?: ReadonlySet<string>, versionNumber = 1): PreparedSnapshot =>
  prepareStoredSnapshot(root, { fleet: 'f', versionNumber, resources, ...(sensitive ? { sensitive } : {}) }, previous)
const snapshotOf = (prepared: PreparedSnapshot): Snapshot => {
  if (!prepared.snapshot) throw new Error(`no snapshot: ${JSON.stringify(prepared.issues)}`)
  return prepared.snapshot
}
const typeOf = (s: Snapshot, url: XdsTypeUrl): SnapshotType => {
  const t = s.types.get(url)
  if (!t) throw new Error(`no ${url}`)
  return t
}
const resourceOf = (s: Snapshot, url: XdsTypeUrl, name: string): SnapshotResource => {
  const r = typeOf(s, url).resources.get(name)
  if (!r) throw new Error(`no ${url} ${name}`)
  return r
}

/** Everything a stream sees of a snapshot, as plain data: type versions, resource versions and bytes. */
const served = (s: Snapshot) =>
  Object.fromEntries(
    [...s.types].map(([url, t]) => [
      url,
      { version: t.version, resources: Object.fromEntries([...t.resources].map(([name, r]) => [name, { name: r.name, version: r.version, type_url: r.any.type_url, bytes: Buffer.from(r.any.value).toString('hex'), sensitive: r.sensitive ?? false }])) },
    ]),
  )

function nestedObject(levels: number): JsonValue {
  let value: JsonValue = { leaf: true }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}

describe('prepareStoredSnapshot: same result as prepareSnapshot', () => {
  it('serves the same type versions, resource versions and bytes', () => {
    const resources = fleet()
    const incremental = snapshotOf(build(resources, null, undefined, 7))
    const full = snapshotOf(prepareSnapshot(root, { fleet: 'f', versionNumber: 7, resources: parsed(resources) }))
    expect(incremental.fleet).toBe('f')
    expect(incremental.versionNumber).toBe(7)
    expect([...incremental.types.keys()].sort()).toEqual([...ALL].sort())
    expect(served(incremental)).toEqual(served(full))
  })

  it('is the same built from a warm memo, and for a changed fleet against a previous snapshot', () => {
    const resources = fleet()
    const first = snapshotOf(build(resources))
    expect(served(snapshotOf(build(resources)))).toEqual(served(first))
    const changed = replace(resources, assignment('api', 9090))
    const incremental = snapshotOf(build(changed, first))
    expect(served(incremental)).toEqual(served(snapshotOf(prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: parsed(changed) }))))
  })

  it('marks the resources in `sensitive`, like prepareSnapshot', () => {
    const resources = fleet()
    const sensitive = new Set(['Secret/cert'])
    const incremental = snapshotOf(build(resources, null, sensitive))
    expect(resourceOf(incremental, SDS, 'cert').sensitive).toBe(true)
    expect(resourceOf(incremental, CDS, 'api').sensitive).toBeUndefined()
    expect(served(incremental)).toEqual(served(snapshotOf(prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: parsed(resources), sensitive }))))
  })

  it('refuses a missing reference with the issues of prepareSnapshot, and no snapshot', () => {
    const resources = [...fleet().filter((r) => !(r.type === 'ClusterLoadAssignment' && r.name === 'orders')), route('extra', 'nowhere')]
    const prepared = build(resources)
    expect(prepared.snapshot).toBeNull()
    expect(prepared.issues.map((i) => i.code)).toEqual(['CONFIG.REFERENCE_MISSING', 'CONFIG.REFERENCE_MISSING'])
    expect(prepared.issues).toEqual(prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: parsed(resources) }).issues)
    // Also against a previous snapshot it could have reused from.
    const previous = snapshotOf(build(fleet()))
    expect(build(resources, previous)).toEqual(prepared)
  })

  it('refuses a resource that cannot be encoded with the issues of prepareSnapshot, encoding issues first', () => {
    const deep = stored('Cluster', 'deep', { name: 'deep', type: 'STATIC', connect_timeout: '1s', metadata: { filter_metadata: { x: nestedObject(40) } } })
    const resources = [route('extra', 'nowhere'), ...fleet(), deep]
    const prepared = build(resources)
    expect(prepared.snapshot).toBeNull()
    expect(prepared.issues.map((i) => i.code)).toEqual(['PROTO.TOO_DEEP', 'CONFIG.REFERENCE_MISSING'])
    expect(prepared.issues).toEqual(prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: parsed(resources) }).issues)
  })
})

describe('prepareStoredSnapshot: reuse of the previous snapshot', () => {
  it('reuses every SnapshotResource and SnapshotType object when nothing changed', () => {
    const resources = fleet()
    const previous = snapshotOf(build(resources, null, undefined, 1))
    const next = snapshotOf(build(resources.map((r) => ({ ...r })), previous, undefined, 2))
    expect(next).not.toBe(previous)
    expect(next.versionNumber).toBe(2)
    for (const url of ALL) {
      expect(typeOf(next, url), url).toBe(typeOf(previous, url))
      for (const [name, r] of typeOf(next, url).resources) expect(r, `${url} ${name}`).toBe(resourceOf(previous, url, name))
    }
  })

  it('replaces only the changed load assignment and the EDS type; other types stay the same objects', () => {
    const resources = fleet()
    const previous = snapshotOf(build(resources))
    const next = snapshotOf(build(replace(resources, assignment('api', 9090)), previous))
    expect(resourceOf(next, EDS, 'api')).not.toBe(resourceOf(previous, EDS, 'api'))
    expect(resourceOf(next, EDS, 'api').version).not.toBe(resourceOf(previous, EDS, 'api').version)
    expect(resourceOf(next, EDS, 'orders')).toBe(resourceOf(previous, EDS, 'orders'))
    expect(typeOf(next, EDS)).not.toBe(typeOf(previous, EDS))
    expect(typeOf(next, EDS).version).not.toBe(typeOf(previous, EDS).version)
    for (const url of [LDS, RDS, CDS, SDS] as const) expect(typeOf(next, url), url).toBe(typeOf(previous, url))
    // Changing it back gives the first version again (content, not history).
    const back = snapshotOf(build(resources, next))
    expect(typeOf(back, EDS).version).toBe(typeOf(previous, EDS).version)
    expect(typeOf(back, CDS)).toBe(typeOf(previous, CDS))
  })

  it('changes a type version when a resource is removed or added', () => {
    const resources = fleet()
    const previous = snapshotOf(build(resources))
    // Removed: the orders cluster and its load assignment.
    const removed = snapshotOf(build(resources.filter((r) => r.name !== 'orders'), previous))
    for (const url of [CDS, EDS] as const) {
      expect(typeOf(removed, url).version, url).not.toBe(typeOf(previous, url).version)
      expect(typeOf(removed, url).resources.has('orders')).toBe(false)
    }
    expect(resourceOf(removed, EDS, 'api')).toBe(resourceOf(previous, EDS, 'api'))
    for (const url of [LDS, RDS, SDS] as const) expect(typeOf(removed, url), url).toBe(typeOf(previous, url))
    // Added: a second secret.
    const added = snapshotOf(build([...resources, secret('other', 'KEY-B')], previous))
    expect(typeOf(added, SDS).version).not.toBe(typeOf(previous, SDS).version)
    expect(resourceOf(added, SDS, 'cert')).toBe(resourceOf(previous, SDS, 'cert'))
    for (const url of [LDS, RDS, CDS, EDS] as const) expect(typeOf(added, url), url).toBe(typeOf(previous, url))
  })

  it('serves the same against a previous snapshot that prepareSnapshot built (other bytes objects)', () => {
    const resources = fleet()
    const full = snapshotOf(prepareSnapshot(root, { fleet: 'f', versionNumber: 1, resources: parsed(resources) }))
    const next = snapshotOf(build(resources, full))
    expect(served(next)).toEqual(served(full))
  })
})

describe('prepareStoredSnapshot: sensitive resources', () => {
  const sensitive = new Set(['Secret/cert'])

  it('neither stores nor uses a memo entry for a sensitive resource', () => {
    const resources = fleet()
    const cert = resources.find((r) => r.type === 'Secret')!
    const first = snapshotOf(build(resources, null, sensitive))
    // The memo never saw the clear key: a later look-up is a new entry, never read or encoded.
    const entry = memoEntryOf(root, cert)
    expect(entry.served).toBeUndefined()
    expect(entry.checked).toBeUndefined()
    // The same content built again, still sensitive: encoded again (a new object), the same version.
    const again = snapshotOf(build(resources, first, sensitive))
    expect(resourceOf(again, SDS, 'cert')).not.toBe(resourceOf(first, SDS, 'cert'))
    expect(resourceOf(again, SDS, 'cert').version).toBe(resourceOf(first, SDS, 'cert').version)
    expect(resourceOf(again, SDS, 'cert').sensitive).toBe(true)
    expect(resourceOf(again, CDS, 'api')).toBe(resourceOf(first, CDS, 'api'))
  })

  it('reuses nothing from a sensitive build for the same content built without `sensitive`', () => {
    const resources = fleet()
    const withSensitive = snapshotOf(build(resources, null, sensitive))
    const plain = snapshotOf(build(resources, withSensitive))
    expect(resourceOf(plain, SDS, 'cert')).not.toBe(resourceOf(withSensitive, SDS, 'cert'))
    expect(resourceOf(plain, SDS, 'cert').sensitive).toBeUndefined()
    expect(typeOf(plain, SDS)).not.toBe(typeOf(withSensitive, SDS))
    expect(Buffer.from(resourceOf(plain, SDS, 'cert').any.value).equals(Buffer.from(resourceOf(withSensitive, SDS, 'cert').any.value))).toBe(true)
  })

  it('does not reuse a non-sensitive resource for the same content now sensitive', () => {
    const resources = fleet()
    const plain = snapshotOf(build(resources))
    const withSensitive = snapshotOf(build(resources, plain, sensitive))
    expect(resourceOf(withSensitive, SDS, 'cert')).not.toBe(resourceOf(plain, SDS, 'cert'))
    expect(resourceOf(withSensitive, SDS, 'cert').sensitive).toBe(true)
    expect(typeOf(withSensitive, SDS)).not.toBe(typeOf(plain, SDS))
  })
})
