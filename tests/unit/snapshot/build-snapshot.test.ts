import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import { decodeMessage, readProtoJson } from '../../../server/config/proto-json'
import { RESOURCE_TYPE_INFO, RESOURCE_TYPES, type ConfigResource, type ResourceJson, type ResourceType } from '../../../server/config/resource-types'
import { buildSnapshot, checkSnapshotConsistency, snapshotTypeVersions, typeVersionOf, type SnapshotInput } from '../../../server/snapshot/build-snapshot'
import type { Snapshot, SnapshotResource, SnapshotType } from '../../../server/snapshot/types'
import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL as EDS,
  CLUSTER_TYPE_URL as CDS,
  LISTENER_TYPE_URL as LDS,
  ROUTE_CONFIGURATION_TYPE_URL as RDS,
  SECRET_TYPE_URL as SDS,
  typeUrlOf,
  type XdsTypeUrl,
} from '../../../server/xds-types/type-urls'

let root: protobuf.Root

beforeAll(() => {
  root = loadEnvoyRoot()
})

const ALL_TYPE_URLS: readonly XdsTypeUrl[] = [LDS, RDS, CDS, EDS, SDS]
/** sha256("") cut to 16 hex digits: the version of a type with no resources. */
const EMPTY_TYPE_VERSION = 'e3b0c44298fc1c14'

const input = (resources: readonly ConfigResource[], versionNumber = 1, fleet = 'demo'): SnapshotInput => ({ fleet, versionNumber, resources })
const build = (resources: readonly ConfigResource[], versionNumber = 1): Snapshot => buildSnapshot(root, input(resources, versionNumber))

function typeOf(s: Snapshot, typeUrl: XdsTypeUrl): SnapshotType {
  const t = s.types.get(typeUrl)
  if (!t) throw new Error(`snapshot has no ${typeUrl}`)
  return t
}

function resourceOf(s: Snapshot, typeUrl: XdsTypeUrl, name: string): SnapshotResource {
  const r = typeOf(s, typeUrl).resources.get(name)
  if (!r) throw new Error(`snapshot has no ${typeUrl} ${name}`)
  return r
}

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

// ---- hand-made resources ---------------------------------------------------------------

const demo = (type: ResourceType): ConfigResource => {
  const r = DEMO_RESOURCES.find((d) => d.type === type)
  if (!r) throw new Error(`demo has no ${type}`)
  return r
}

/** The demo cluster with its endpoint moved to another host (what the README's demo does). */
const demoClusterTo = (host: string): ConfigResource => ({
  type: 'Cluster',
  name: 'service',
  resource: {
    name: 'service',
    connect_timeout: '0.25s',
    type: 'STRICT_DNS',
    load_assignment: {
      cluster_name: 'service',
      endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: host, port_value: 8080 } } } }] }],
    },
  },
})

const edsCluster = (name: string, serviceName?: string): ConfigResource => ({
  type: 'Cluster',
  name,
  resource: {
    name,
    type: 'EDS',
    connect_timeout: '1s',
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' }, ...(serviceName ? { service_name: serviceName } : {}) },
  },
})

const loadAssignment = (clusterName: string, port = 8080): ConfigResource => ({
  type: 'ClusterLoadAssignment',
  name: clusterName,
  resource: {
    cluster_name: clusterName,
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: port } } } }] }],
  },
})

const secret = (name: string, pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'): ConfigResource => ({
  type: 'Secret',
  name,
  resource: { name, tls_certificate: { certificate_chain: { inline_string: pem } } },
})

const routeToCluster = (name: string, cluster: string): ConfigResource => ({
  type: 'RouteConfiguration',
  name,
  resource: { name, virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster } }] }] },
})

const FULL: readonly ConfigResource[] = [...DEMO_RESOURCES, edsCluster('api'), loadAssignment('api'), secret('cert')]

// ---- buildSnapshot ---------------------------------------------------------------------

describe('buildSnapshot', () => {
  it('carries the fleet and version number it was built from', () => {
    const s = buildSnapshot(root, input(DEMO_RESOURCES, 7, 'edge'))
    expect(s.fleet).toBe('edge')
    expect(s.versionNumber).toBe(7)
  })

  it('has all five type URLs, even for types with no resources', () => {
    const s = build(DEMO_RESOURCES)
    expect([...s.types.keys()].sort()).toEqual([...ALL_TYPE_URLS].sort())
    expect(typeOf(s, EDS).resources.size).toBe(0)
    expect(typeOf(s, SDS).resources.size).toBe(0)
  })

  it('gives an empty type a stable version, the same as typeVersionOf(empty)', () => {
    const empty = build([])
    for (const typeUrl of ALL_TYPE_URLS) {
      expect(typeOf(empty, typeUrl).version).toBe(EMPTY_TYPE_VERSION)
      expect(typeOf(empty, typeUrl).resources.size).toBe(0)
    }
    expect(typeVersionOf(new Map())).toBe(EMPTY_TYPE_VERSION)
    expect(typeOf(build(DEMO_RESOURCES), EDS).version).toBe(EMPTY_TYPE_VERSION)
  })

  it('puts each resource under its own type URL, keyed by name', () => {
    const s = build(FULL)
    const names = Object.fromEntries(ALL_TYPE_URLS.map((t) => [t, [...typeOf(s, t).resources.keys()].sort()]))
    expect(names).toEqual({
      [LDS]: ['listener_0'],
      [RDS]: ['local_route'],
      [CDS]: ['api', 'service'],
      [EDS]: ['api'],
      [SDS]: ['cert'],
    })
  })

  it.each(RESOURCE_TYPES)('wraps a %s in an Any whose type_url is that type', (type) => {
    const s = build(FULL)
    const typeUrl = typeUrlOf(type)
    const resources = [...typeOf(s, typeUrl).resources.values()]
    expect(resources.length).toBeGreaterThan(0)
    for (const r of resources) {
      expect(r.any.type_url).toBe(typeUrl)
      expect(r.any.type_url).toBe(RESOURCE_TYPE_INFO[type].typeUrl)
    }
  })

  it('gives short (16 hex digit) type versions and sha256 (64 hex digit) resource versions', () => {
    const s = build(FULL)
    for (const t of s.types.values()) {
      expect(t.version).toMatch(/^[0-9a-f]{16}$/)
      for (const r of t.resources.values()) expect(r.version).toMatch(/^[0-9a-f]{64}$/)
    }
  })

  describe('determinism', () => {
    it('builds byte-identical Any values and equal versions from the same input twice', () => {
      const a = build(FULL)
      const b = build(structuredClone(FULL) as ConfigResource[])
      expect(snapshotTypeVersions(b)).toEqual(snapshotTypeVersions(a))
      for (const typeUrl of ALL_TYPE_URLS) {
        for (const [name, ra] of typeOf(a, typeUrl).resources) {
          const rb = resourceOf(b, typeUrl, name)
          expect(hex(rb.any.value)).toBe(hex(ra.any.value))
          expect(rb.version).toBe(ra.version)
        }
      }
    })

    it('gives the same type versions whatever order the resources come in', () => {
      const forward = build(FULL)
      const reversed = build([...FULL].reverse())
      const rotated = build([...FULL.slice(2), ...FULL.slice(0, 2)])
      expect(snapshotTypeVersions(reversed)).toEqual(snapshotTypeVersions(forward))
      expect(snapshotTypeVersions(rotated)).toEqual(snapshotTypeVersions(forward))
    })

    it('gives the same bytes whatever order the keys of a map field are written in', () => {
      const withMetadata = (keys: string[]): ConfigResource => ({
        type: 'Cluster',
        name: 'm',
        resource: { name: 'm', metadata: { filter_metadata: Object.fromEntries(keys.map((k) => [k, { k }])) } },
      })
      const ab = resourceOf(build([withMetadata(['a', 'b', 'c'])]), CDS, 'm')
      const ba = resourceOf(build([withMetadata(['c', 'b', 'a'])]), CDS, 'm')
      expect(hex(ba.any.value)).toBe(hex(ab.any.value))
      expect(ba.version).toBe(ab.version)
    })

    it('does not depend on the version number or the fleet name', () => {
      const a = buildSnapshot(root, input(FULL, 1, 'demo'))
      const b = buildSnapshot(root, input(FULL, 2, 'other'))
      expect(snapshotTypeVersions(b)).toEqual(snapshotTypeVersions(a))
    })
  })

  describe('versions follow content', () => {
    it('keeps the Listener and RouteConfiguration versions when only the cluster changes', () => {
      const before = build(DEMO_RESOURCES)
      const after = build([demo('Listener'), demo('RouteConfiguration'), demoClusterTo('service2')])
      expect(typeOf(after, LDS).version).toBe(typeOf(before, LDS).version)
      expect(typeOf(after, RDS).version).toBe(typeOf(before, RDS).version)
      expect(typeOf(after, EDS).version).toBe(typeOf(before, EDS).version)
      expect(typeOf(after, SDS).version).toBe(typeOf(before, SDS).version)
      expect(typeOf(after, CDS).version).not.toBe(typeOf(before, CDS).version)
    })

    it('changes a type version when a resource is added to or removed from it', () => {
      const one = build([loadAssignment('a')])
      const two = build([loadAssignment('a'), loadAssignment('b')])
      const none = build([])
      expect(typeOf(two, EDS).version).not.toBe(typeOf(one, EDS).version)
      expect(typeOf(none, EDS).version).not.toBe(typeOf(one, EDS).version)
    })

    it('changes a resource version when that resource changes, and only then', () => {
      const before = build([loadAssignment('a', 8080), loadAssignment('b', 8080)])
      const after = build([loadAssignment('a', 9090), loadAssignment('b', 8080)])
      expect(resourceOf(after, EDS, 'a').version).not.toBe(resourceOf(before, EDS, 'a').version)
      expect(resourceOf(after, EDS, 'b').version).toBe(resourceOf(before, EDS, 'b').version)
    })

    it('changes a secret version when only its certificate text changes', () => {
      const a = build([secret('x')])
      const b = build([secret('x', 'other')])
      expect(resourceOf(b, SDS, 'x').version).not.toBe(resourceOf(a, SDS, 'x').version)
      expect(typeOf(b, SDS).version).not.toBe(typeOf(a, SDS).version)
    })

    it('changes the type version when a resource is renamed', () => {
      expect(typeOf(build([routeToCluster('s', 'c')]), RDS).version).not.toBe(typeOf(build([routeToCluster('r', 'c')]), RDS).version)
    })

    it('does not change a version for an explicit proto3 default (lb_policy: ROUND_ROBIN is not on the wire)', () => {
      const explicit = resourceOf(build([demo('Cluster')]), CDS, 'service')
      const implicit = resourceOf(build([demoClusterTo('service1')]), CDS, 'service')
      expect(hex(implicit.any.value)).toBe(hex(explicit.any.value))
      expect(implicit.version).toBe(explicit.version)
    })
  })

  describe('golden: the Any bytes decode back to the canonical JSON', () => {
    const canonical = (r: ConfigResource): ResourceJson => {
      const { value, issues } = readProtoJson(root, RESOURCE_TYPE_INFO[r.type].messageName, r.resource)
      expect(issues).toEqual([])
      return value as ResourceJson
    }
    const decoded = (s: Snapshot, r: ConfigResource): unknown => decodeMessage(root, RESOURCE_TYPE_INFO[r.type].messageName, resourceOf(s, typeUrlOf(r.type), r.name).any.value)

    const WITHOUT_DEFAULTS: readonly ConfigResource[] = [demo('Listener'), demo('RouteConfiguration'), demoClusterTo('service1'), edsCluster('api', 'api-eds'), loadAssignment('api'), secret('cert')]

    it.each(WITHOUT_DEFAULTS.map((r) => [`${r.type} ${r.name}`, r] as const))('%s', (_label, r) => {
      expect(decoded(build(WITHOUT_DEFAULTS), r)).toEqual(canonical(r))
    })

    it('decodes the demo route configuration to this exact JSON', () => {
      expect(decoded(build(DEMO_RESOURCES), demo('RouteConfiguration'))).toEqual({
        name: 'local_route',
        virtual_hosts: [{ name: 'local_service', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'service' } }] }],
      })
    })

    it('decodes the demo listener with its HttpConnectionManager expanded under "@type"', () => {
      expect(decoded(build(DEMO_RESOURCES), demo('Listener'))).toEqual({
        name: 'listener_0',
        address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
        filter_chains: [
          {
            filters: [
              {
                name: 'envoy.filters.network.http_connection_manager',
                typed_config: {
                  '@type': 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager',
                  stat_prefix: 'ingress_http',
                  rds: { config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'local_route' },
                  http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router' } }],
                },
              },
            ],
          },
        ],
      })
    })

    it('drops an explicit proto3 default: the demo cluster decodes without lb_policy', () => {
      const { lb_policy: lbPolicy, ...rest } = canonical(demo('Cluster'))
      expect(lbPolicy).toBe('ROUND_ROBIN')
      expect(decoded(build(DEMO_RESOURCES), demo('Cluster'))).toEqual(rest)
    })
  })
})

// ---- typeVersionOf / snapshotTypeVersions ----------------------------------------------

describe('typeVersionOf', () => {
  const res = (name: string, version: string): [string, SnapshotResource] => [name, { name, version, any: { type_url: CDS, value: new Uint8Array() } }]

  it('depends on (name, version) pairs, not on map order', () => {
    expect(typeVersionOf(new Map([res('a', '1'), res('b', '2')]))).toBe(typeVersionOf(new Map([res('b', '2'), res('a', '1')])))
  })

  it.each([
    ['a resource version changes', [res('a', '1'), res('b', '3')]],
    ['a resource is renamed', [res('a', '1'), res('c', '2')]],
    ['a resource is added', [res('a', '1'), res('b', '2'), res('c', '3')]],
    ['a resource is removed', [res('a', '1')]],
  ] as const)('changes when %s', (_label, entries) => {
    const base = typeVersionOf(new Map([res('a', '1'), res('b', '2')]))
    expect(typeVersionOf(new Map(entries))).not.toBe(base)
  })
})

describe('snapshotTypeVersions', () => {
  it('maps each of the five type URLs to its type version', () => {
    const s = build(FULL)
    const versions = snapshotTypeVersions(s)
    expect(Object.keys(versions).sort()).toEqual([...ALL_TYPE_URLS].sort())
    for (const typeUrl of ALL_TYPE_URLS) expect(versions[typeUrl]).toBe(typeOf(s, typeUrl).version)
  })
})

// ---- checkSnapshotConsistency ----------------------------------------------------------

describe('checkSnapshotConsistency', () => {
  it('passes the demo config', () => {
    expect(checkSnapshotConsistency(input(DEMO_RESOURCES))).toEqual([])
  })

  it('passes an EDS cluster with its load assignment and a route to it', () => {
    expect(checkSnapshotConsistency(input([edsCluster('api'), loadAssignment('api'), routeToCluster('r', 'api')]))).toEqual([])
  })

  it('reports a route whose cluster is missing, naming the route and the field', () => {
    expect(checkSnapshotConsistency(input([demo('Listener'), routeToCluster('local_route', 'gone')]))).toEqual([
      {
        code: 'CONFIG.REFERENCE_MISSING',
        resource: { type: 'RouteConfiguration', name: 'local_route' },
        path: 'virtual_hosts[0].routes[0].route.cluster',
        message: "refers to cluster 'gone', which does not exist",
      },
    ])
  })

  it('reports an EDS cluster with no load assignment', () => {
    expect(checkSnapshotConsistency(input([edsCluster('api')]))).toEqual([
      {
        code: 'CONFIG.REFERENCE_MISSING',
        resource: { type: 'Cluster', name: 'api' },
        path: 'name',
        message: "refers to load assignment (endpoints) 'api', which does not exist",
      },
    ])
  })

  it('looks the load assignment up by eds_cluster_config.service_name when one is set', () => {
    const issues = checkSnapshotConsistency(input([edsCluster('api', 'api-eds'), loadAssignment('api')]))
    expect(issues).toEqual([expect.objectContaining({ resource: { type: 'Cluster', name: 'api' }, path: 'eds_cluster_config.service_name' })])
    expect(issues[0]?.message).toContain("'api-eds'")
    expect(checkSnapshotConsistency(input([edsCluster('api', 'api-eds'), loadAssignment('api-eds')]))).toEqual([])
  })

  it('reports a listener whose RDS route configuration is missing', () => {
    const issues = checkSnapshotConsistency(input([demo('Listener'), demo('Cluster')]))
    expect(issues).toEqual([expect.objectContaining({ code: 'CONFIG.REFERENCE_MISSING', resource: { type: 'Listener', name: 'listener_0' } })])
    expect(issues[0]?.message).toContain("route configuration 'local_route'")
  })
})
