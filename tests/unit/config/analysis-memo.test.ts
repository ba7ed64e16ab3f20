import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { analyzeConfig, type ControlPlanePort, type Finding } from '../../../server/config/analysis'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import { checkReferences, findReferrers } from '../../../server/config/references'
import type { ConfigResource, ResourceType } from '../../../server/config/resource-types'
import { readResource } from '../../../server/config/validate'

// The analysis and the reference check remember per-resource parts per resource object (#13,
// server/config/per-resource.ts and the endpoint memo in analysis/clusters.ts). Whatever is
// remembered, the result must be what a fresh run over the same content gives, and must follow
// every change: of a resource (a new object), of the set of resources, or of the control plane ports.

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})

const ads = { ads: {}, resource_api_version: 'V3' }

/** Canonical JSON, as the analysis gets it from validation. */
const canonical = (type: ResourceType, name: string, body: unknown): ConfigResource => {
  const read = readResource(root, type, name, body)
  if (!read.resource) throw new Error(`fixture ${type}/${name} does not read: ${JSON.stringify(read.issues)}`)
  return { type, name, resource: read.resource }
}
const routeConfig = (routes: unknown[]) => canonical('RouteConfiguration', 'local_route', { name: 'local_route', virtual_hosts: [{ name: 'local_service', domains: ['*'], routes }] })
const ROUTES = [
  { match: { prefix: '/api' }, route: { cluster: 'api' } },
  { match: { prefix: '/' }, route: { cluster: 'service' } },
]
const assignment = (address: string, port = 8080) =>
  canonical('ClusterLoadAssignment', 'api', { cluster_name: 'api', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }] })

/** The demo listener and cluster, a route to them and to an EDS cluster `api` with one endpoint (port 18000). */
function fleet(): ConfigResource[] {
  const demo = (type: ResourceType) => DEMO_RESOURCES.find((r) => r.type === type)!
  return [
    canonical('Listener', 'listener_0', demo('Listener').resource),
    routeConfig(ROUTES),
    canonical('Cluster', 'service', demo('Cluster').resource),
    canonical('Cluster', 'api', { name: 'api', type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: ads } }),
    assignment('10.0.0.1', 18000),
  ]
}
const replace = (rs: readonly ConfigResource[], r: ConfigResource): ConfigResource[] => rs.map((x) => (x.type === r.type && x.name === r.name ? r : x))
/** The same content in new objects: no memo entry can apply to it. */
const fresh = (rs: readonly ConfigResource[]): ConfigResource[] => structuredClone(rs as ConfigResource[])
const codes = (findings: readonly Finding[]): string[] => findings.map((f) => f.code)
const XDS: readonly ControlPlanePort[] = [{ port: 18000, what: 'xDS (gRPC)' }]

describe('analyzeConfig over remembered per-resource parts', () => {
  it('gives identical findings twice on the same objects, and the same as on fresh copies', () => {
    const resources = fleet()
    const first = analyzeConfig({ resources, controlPlanePorts: XDS })
    const second = analyzeConfig({ resources, controlPlanePorts: XDS })
    expect(second).toEqual(first)
    expect(analyzeConfig({ resources: fresh(resources), controlPlanePorts: XDS })).toEqual(first)
    expect(codes(first)).toEqual(['ENDPOINT.CONTROL_PLANE_PORT'])
  })

  it('follows a route whose regex is made invalid (a new object), and forgets it for the old object', () => {
    const resources = fleet()
    const before = analyzeConfig({ resources })
    expect(codes(before)).not.toContain('REGEX.INVALID')
    const changed = replace(resources, routeConfig([{ match: { safe_regex: { regex: '(' } }, route: { cluster: 'api' } }, ...ROUTES]))
    const after = analyzeConfig({ resources: changed })
    expect(after).toContainEqual(expect.objectContaining({ code: 'REGEX.INVALID', resource: { type: 'RouteConfiguration', name: 'local_route' }, path: 'virtual_hosts[0].routes[0].match.safe_regex.regex' }))
    expect(after).toEqual(analyzeConfig({ resources: fresh(changed) }))
    expect(analyzeConfig({ resources })).toEqual(before)
  })

  it('follows a load assignment given a host name (a new object): ENDPOINT.NOT_AN_IP', () => {
    const resources = fleet()
    expect(codes(analyzeConfig({ resources }))).not.toContain('ENDPOINT.NOT_AN_IP')
    const changed = replace(resources, assignment('api.internal', 18000))
    const after = analyzeConfig({ resources: changed })
    expect(after).toContainEqual(expect.objectContaining({ code: 'ENDPOINT.NOT_AN_IP', resource: { type: 'ClusterLoadAssignment', name: 'api' }, path: 'endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address' }))
    expect(after).toEqual(analyzeConfig({ resources: fresh(changed) }))
    expect(codes(analyzeConfig({ resources }))).not.toContain('ENDPOINT.NOT_AN_IP')
  })

  it('follows the control plane ports between calls on the same objects', () => {
    const resources = fleet()
    const port = (findings: readonly Finding[]) => findings.filter((f) => f.code === 'ENDPOINT.CONTROL_PLANE_PORT')
    expect(port(analyzeConfig({ resources }))).toEqual([])
    const withXds = port(analyzeConfig({ resources, controlPlanePorts: XDS }))
    expect(withXds).toEqual([expect.objectContaining({ resource: { type: 'ClusterLoadAssignment', name: 'api' }, path: 'endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value' })])
    expect(withXds[0]?.message).toContain('xDS (gRPC)')
    // Same port, another name for it: the message follows.
    const renamed = port(analyzeConfig({ resources, controlPlanePorts: [{ port: 18000, what: 'HTTP' }] }))
    expect(renamed).toHaveLength(1)
    expect(renamed[0]?.message).toContain("control plane's HTTP port")
    expect(port(analyzeConfig({ resources, controlPlanePorts: [{ port: 9999, what: 'HTTP' }] }))).toEqual([])
    expect(port(analyzeConfig({ resources }))).toEqual([])
    expect(port(analyzeConfig({ resources, controlPlanePorts: XDS }))).toEqual(withXds)
  })

  it('follows the set of resources: a cluster no route uses any more is unused, unless a route picks clusters at run time', () => {
    const resources = fleet()
    expect(codes(analyzeConfig({ resources }))).not.toContain('CLUSTER.UNUSED')
    const toServiceOnly = replace(resources, routeConfig([ROUTES[1]]))
    expect(analyzeConfig({ resources: toServiceOnly })).toContainEqual(expect.objectContaining({ code: 'CLUSTER.UNUSED', resource: { type: 'Cluster', name: 'api' } }))
    const byHeader = replace(resources, routeConfig([{ match: { prefix: '/api' }, route: { cluster_header: 'x-cluster' } }, ROUTES[1]]))
    expect(codes(analyzeConfig({ resources: byHeader }))).not.toContain('CLUSTER.UNUSED')
    // The api cluster removed with its load assignment still there: orphaned endpoints, on the same objects.
    const noApiCluster = toServiceOnly.filter((r) => !(r.type === 'Cluster' && r.name === 'api'))
    expect(analyzeConfig({ resources: noApiCluster })).toContainEqual(expect.objectContaining({ code: 'ENDPOINTS.ORPHANED', resource: { type: 'ClusterLoadAssignment', name: 'api' } }))
    expect(codes(analyzeConfig({ resources }))).not.toContain('ENDPOINTS.ORPHANED')
  })
})

describe('checkReferences over remembered references', () => {
  it('reports a reference as missing once the referenced resource leaves the list (same objects)', () => {
    const resources = fleet()
    expect(checkReferences(resources)).toEqual([])
    const withoutAssignment = resources.filter((r) => r.type !== 'ClusterLoadAssignment')
    expect(checkReferences(withoutAssignment)).toEqual([expect.objectContaining({ code: 'CONFIG.REFERENCE_MISSING', resource: { type: 'Cluster', name: 'api' } })])
    const withoutApi = resources.filter((r) => !(r.type === 'Cluster' && r.name === 'api'))
    expect(checkReferences(withoutApi)).toEqual([expect.objectContaining({ code: 'CONFIG.REFERENCE_MISSING', resource: { type: 'RouteConfiguration', name: 'local_route' }, path: 'virtual_hosts[0].routes[0].route.cluster' })])
    expect(checkReferences(withoutApi)).toEqual(checkReferences(fresh(withoutApi)))
    expect(checkReferences(resources)).toEqual([])
  })

  it('follows a changed resource (a new object) and finds its referrers', () => {
    const resources = fleet()
    expect(findReferrers(resources, { type: 'Cluster', name: 'api' })).toEqual([expect.objectContaining({ from: { type: 'RouteConfiguration', name: 'local_route' } })])
    const changed = replace(resources, routeConfig([{ match: { prefix: '/api' }, route: { cluster: 'gone' } }, ROUTES[1]]))
    expect(findReferrers(changed, { type: 'Cluster', name: 'api' })).toEqual([])
    expect(checkReferences(changed)).toEqual([expect.objectContaining({ code: 'CONFIG.REFERENCE_MISSING', message: expect.stringContaining("'gone'") as unknown })])
    expect(findReferrers(resources, { type: 'Cluster', name: 'api' })).toHaveLength(1)
  })
})
