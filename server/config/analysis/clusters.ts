import { joinPath } from '../issues'
import { collectReferences } from '../references'
import type { ConfigResource } from '../resource-types'
import { perResource } from '../per-resource'
import { asArray, isObject, num, str, type ControlPlanePort, type Finding, type Json, type JsonObject } from './finding'
import { rdsName, type HcmSite } from './http-sites'

// What proxies are sent but never use, endpoints that cannot be what was meant, and endpoint sets
// Envoy refuses. "Unused" is judged only when the fleet has the resources that would use them: a
// fleet without listeners may serve clusters to listeners of the proxies' own bootstrap.

/** Cluster names a resource uses: references, plus any `cluster`/`cluster_name`/`clusters` string (filters such as ext_authz, aggregate clusters). */
const clusterNamesUsed = perResource((r: ConfigResource): ReadonlySet<string> => {
  const used = new Set(collectReferences(r).filter((ref) => ref.to.type === 'Cluster').map((ref) => ref.to.name))
  const visit = (v: Json, key: string): void => {
    if (Array.isArray(v)) {
      if (key === 'clusters') v.forEach((item) => typeof item === 'string' && used.add(item))
      return v.forEach((item) => visit(item, key))
    }
    if (typeof v === 'string' && (key === 'cluster' || key === 'cluster_name')) used.add(v)
    if (isObject(v)) for (const [k, child] of Object.entries(v)) visit(child, k)
  }
  visit(r.resource, '')
  // A cluster's load_assignment.cluster_name is its own name, not a use.
  if (r.type === 'Cluster') used.delete(r.name)
  return used
})

/** A route picks its cluster at run time: from a header or a plugin. Then no cluster can be called unused. */
function picksClustersAtRunTime(resources: readonly ConfigResource[]): boolean {
  return resources.some(picksClusterAtRunTime)
}

const picksClusterAtRunTime = perResource((r: ConfigResource): boolean => {
  const text = JSON.stringify(r.resource)
  return text.includes('"cluster_header"') || text.includes('"cluster_specifier_plugin"') || text.includes('"inline_cluster_specifier_plugin"')
})

function unused(resources: readonly ConfigResource[], hcms: readonly HcmSite[]): Finding[] {
  const findings: Finding[] = []
  const hasListeners = resources.some((r) => r.type === 'Listener')
  const hasClusters = resources.some((r) => r.type === 'Cluster')
  if (hasListeners && !picksClustersAtRunTime(resources)) {
    const used = new Set<string>()
    for (const r of resources) if (r.type !== 'ClusterLoadAssignment') for (const name of clusterNamesUsed(r)) used.add(name)
    for (const r of resources) {
      if (r.type !== 'Cluster' || used.has(r.name)) continue
      findings.push({ severity: 'warning', code: 'CLUSTER.UNUSED', resource: { type: r.type, name: r.name }, path: 'name', message: `no route, listener or other cluster of this fleet uses cluster '${r.name}': proxies receive it but send it no traffic (unless their bootstrap config refers to it)` })
    }
    const routed = new Set(hcms.map((h) => rdsName(h.hcm)).filter((n): n is string => n !== undefined))
    for (const r of resources) {
      if (r.type !== 'RouteConfiguration' || routed.has(r.name)) continue
      findings.push({ severity: 'warning', code: 'ROUTE_CONFIGURATION.UNUSED', resource: { type: r.type, name: r.name }, path: 'name', message: `no listener of this fleet uses route configuration '${r.name}' (an HTTP connection manager's rds.route_config_name with an ads config source): its routes are never used` })
    }
  }
  if (hasClusters) {
    const served = new Set(resources.flatMap((r) => (r.type === 'Cluster' ? collectReferences(r) : [])).filter((ref) => ref.to.type === 'ClusterLoadAssignment').map((ref) => ref.to.name))
    for (const r of resources) {
      if (r.type !== 'ClusterLoadAssignment' || served.has(r.name)) continue
      findings.push({ severity: 'warning', code: 'ENDPOINTS.ORPHANED', resource: { type: r.type, name: r.name }, path: 'cluster_name', message: `no EDS cluster of this fleet (type EDS, eds_config ads, service_name or name '${r.name}') reads these endpoints: proxies never ask for them` })
    }
  }
  return findings
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/
/** Loose on purpose: hex groups and colons (an IPv4 tail allowed, a %zone too); not a host name. */
const IPV6 = /^[0-9a-f:]*:[0-9a-f:]*(\d+\.\d+\.\d+\.\d+)?(%[\w.-]+)?$/i
const isIp = (s: string) => IPV4.test(s) || IPV6.test(s)

type Endpoint = Readonly<{ path: string; socket: JsonObject }>

function endpointsOf(assignment: JsonObject, base: string): Endpoint[] {
  return asArray(assignment['endpoints']).flatMap((locality, i) =>
    asArray(isObject(locality) ? locality['lb_endpoints'] : undefined).flatMap((lb, j) => {
      const endpoint = isObject(lb) ? lb['endpoint'] : undefined
      const address = isObject(endpoint) ? endpoint['address'] : undefined
      const socket = isObject(address) ? address['socket_address'] : undefined
      return isObject(socket) ? [{ path: joinPath(joinPath(joinPath(joinPath(joinPath(joinPath(base, 'endpoints'), i), 'lb_endpoints'), j), 'endpoint'), 'address.socket_address'), socket }] : []
    }),
  )
}

function endpointChecks(resources: readonly ConfigResource[], ports: readonly ControlPlanePort[]): Finding[] {
  const portsKey = JSON.stringify(ports)
  return resources.flatMap((r) => {
    // Remembered per resource object (and the ports it was checked against): unchanged resources are not walked again.
    const known = endpointFindings.get(r)
    if (known?.portsKey === portsKey) return known.findings
    const findings = endpointFindingsOf(r, ports)
    endpointFindings.set(r, { portsKey, findings })
    return findings
  })
}

const endpointFindings = new WeakMap<ConfigResource, { portsKey: string; findings: Finding[] }>()

function endpointFindingsOf(r: ConfigResource, ports: readonly ControlPlanePort[]): Finding[] {
  const findings: Finding[] = []
  const resource = { type: r.type, name: r.name }
  let assignment: JsonObject | undefined
  let base = ''
  // EDS endpoints and STATIC clusters are IP addresses; only STRICT_DNS and LOGICAL_DNS resolve names.
  let needsIp = false
  if (r.type === 'ClusterLoadAssignment') {
    assignment = r.resource
    needsIp = true
  } else if (r.type === 'Cluster' && isObject(r.resource['load_assignment'])) {
    assignment = r.resource['load_assignment']
    base = 'load_assignment'
    const type = str(r.resource['type']) ?? (r.resource['cluster_type'] === undefined ? 'STATIC' : 'CUSTOM')
    needsIp = type === 'STATIC'
    const localities = asArray(assignment['endpoints'])
    const lbEndpoints = localities.flatMap((l) => asArray(isObject(l) ? l['lb_endpoints'] : undefined))
    if (type === 'LOGICAL_DNS' && (localities.length !== 1 || lbEndpoints.length !== 1)) {
      findings.push({ severity: 'error', code: 'CLUSTER.LOGICAL_DNS_ENDPOINTS', resource, path: 'load_assignment.endpoints', message: `a LOGICAL_DNS cluster takes exactly one locality with one endpoint (it has ${localities.length} and ${lbEndpoints.length}); Envoy refuses the cluster` })
    }
  }
  if (!assignment) return findings
  for (const { path, socket } of endpointsOf(assignment, base)) {
    const address = str(socket['address']) ?? ''
    const port = num(socket['port_value'])
    if (needsIp && str(socket['resolver_name']) === undefined && address !== '' && !isIp(address)) {
      findings.push({ severity: 'error', code: 'ENDPOINT.NOT_AN_IP', resource, path: joinPath(path, 'address'), message: `'${address}' is not an IP address: ${r.type === 'ClusterLoadAssignment' ? 'EDS endpoints' : 'endpoints of a STATIC cluster'} are not resolved, so Envoy refuses them ("malformed IP address"); use an IP, or a STRICT_DNS or LOGICAL_DNS cluster for a host name` })
    }
    const own = ports.find((p) => p.port === port)
    if (own) {
      findings.push({ severity: 'warning', code: 'ENDPOINT.CONTROL_PLANE_PORT', resource, path: joinPath(path, 'port_value'), message: `port ${own.port} is this control plane's ${own.what} port: if '${address}' is Legation itself, proxies would send their traffic to the control plane` })
    }
  }
  return findings
}

export function checkClusters(resources: readonly ConfigResource[], hcms: readonly HcmSite[], ports: readonly ControlPlanePort[]): Finding[] {
  return [...unused(resources, hcms), ...endpointChecks(resources, ports)]
}
