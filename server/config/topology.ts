import { asArray, isObject, num, str, type Json, type JsonObject } from './analysis/finding'
import { httpConnectionManagers, routeConfigurations } from './analysis/http-sites'
import type { ChangeKind } from './diff'
import { joinPath } from './issues'
import { checkReferences, collectReferences, findReferrers, type Reference } from './references'
import { compareResources, resourceKey, type ConfigResource, type ResourceKey } from './resource-types'

/**
 * A fleet's config as a graph (#15 "topology"): listener → filter chain → route configuration →
 * virtual host → route → cluster → endpoints, and the secrets TLS contexts name over SDS. Pure.
 *
 * The references are not walked here again: edges between resources are exactly what
 * `collectReferences` finds (the commit's reference check), and a reference is broken exactly when
 * `checkReferences` reports it (CONFIG.REFERENCE_MISSING, its message is the edge's). What this module
 * adds is the structure inside a resource — filter chains, inline route configurations, virtual
 * hosts, routes, a cluster's inline endpoints — found with the analysis' own site finders
 * (analysis/http-sites.ts), and each reference hangs from the innermost of those parts its field
 * path lies in (a route's `…routes[1].route.cluster` from that route).
 */

export type TopologyNodeKind = 'listener' | 'filterChain' | 'routeConfiguration' | 'virtualHost' | 'route' | 'cluster' | 'endpoints' | 'secret'

export type TopologyNode = Readonly<{
  /** `Cluster/service` for a resource; `Listener/l#filter_chains[0]` for a part of one. */
  id: string
  kind: TopologyNodeKind
  label: string
  /** A few short lines: an address, domains, a match, a cluster's type. */
  detail: readonly string[]
  /** The resource this node is (or is part of): what it links to. */
  resource: ResourceKey
  /** Field path of the part inside its resource ('' for the resource itself). */
  path: string
  /** Not in the draft: named by a reference (broken) or removed by a pending change. */
  missing: boolean
  /** The pending change (draft against the active version) of its resource, if any. */
  change: ChangeKind | null
}>

export type TopologyEdge = Readonly<{
  id: string
  source: string
  target: string
  /** `contains`: a part of the source resource; otherwise the reference's kind (rds, cluster, eds, sds…). */
  via: string
  /** The target does not exist in the draft (the commit's CONFIG.REFERENCE_MISSING). */
  broken: boolean
  /** For a broken edge: the reference check's message. */
  message: string | null
}>

export type TopologyDetail = 'full' | 'resources'

export type Topology = Readonly<{
  nodes: readonly TopologyNode[]
  edges: readonly TopologyEdge[]
  /** `resources`: parts (filter chains, virtual hosts, routes) folded into their resource, as the graph was too large. */
  detail: TopologyDetail
  /** The resource the graph was narrowed to (what reaches it and what it reaches), if any. */
  focus: ResourceKey | null
  /** Resources in the draft, and how many of them the graph shows. */
  resources: Readonly<{ total: number; shown: number }>
  /** More than `maxNodes` resources (after any focus): only the first from the listeners down are drawn. */
  truncated: boolean
  /** Broken references among the edges shown. */
  broken: number
}>

export type TopologyOptions = Readonly<{
  /** Pending changes per `type/name` (resourceKey): draft against the active version. */
  changes?: ReadonlyMap<string, ChangeKind>
  /** Narrow to this resource: the resources that lead to it and the ones it leads to. */
  focus?: ResourceKey | null
  /** `resources` folds parts into their resource even when the full graph would fit. */
  detail?: TopologyDetail
  /** Most nodes drawn (see MAX_TOPOLOGY_NODES). */
  maxNodes?: number
}>

/**
 * A graph of a few hundred nodes is still readable and lays out in well under a second in a browser
 * (dagre); a fleet of 2,000 resources is not. Past this, parts are folded into their resource, and
 * past it again only the first resources from the listeners down are drawn (narrow with `focus`).
 */
export const MAX_TOPOLOGY_NODES = 300

// ---- parts of resources ----------------------------------------------------------------------------

type Part = { node: TopologyNode; parentPath: string | null }

const nodeId = (key: ResourceKey, path = ''): string => (path === '' ? resourceKey(key) : `${resourceKey(key)}#${path}`)
const missingId = (key: ResourceKey): string => `missing:${resourceKey(key)}`

const KIND_OF_TYPE: Readonly<Record<ResourceKey['type'], TopologyNodeKind>> = {
  Listener: 'listener',
  RouteConfiguration: 'routeConfiguration',
  Cluster: 'cluster',
  ClusterLoadAssignment: 'endpoints',
  Secret: 'secret',
}

function shortList(values: readonly string[], max = 3): string {
  return values.length <= max ? values.join(', ') : `${values.slice(0, max).join(', ')} +${values.length - max}`
}

function socketAddress(address: Json | undefined): string | undefined {
  const socket = isObject(address) ? address['socket_address'] : undefined
  if (isObject(socket)) return `${str(socket['address']) ?? ''}:${num(socket['port_value']) ?? str(socket['named_port']) ?? ''}`
  const pipe = isObject(address) ? address['pipe'] : undefined
  return isObject(pipe) ? str(pipe['path']) : undefined
}

/** `/api` (prefix), `= /health` (path), `~ ^/v[0-9]+` (regex), `/a/` (path_separated_prefix). */
function routeMatch(route: JsonObject): string {
  const match = isObject(route['match']) ? route['match'] : {}
  const prefix = str(match['prefix'])
  if (prefix !== undefined) return `prefix ${prefix === '' ? '""' : prefix}`
  const path = str(match['path'])
  if (path !== undefined) return `path ${path}`
  const sep = str(match['path_separated_prefix'])
  if (sep !== undefined) return `prefix ${sep}/`
  const regex = isObject(match['safe_regex']) ? str(match['safe_regex']['regex']) : undefined
  if (regex !== undefined) return `regex ${regex}`
  if (isObject(match['connect_matcher'])) return 'CONNECT'
  return 'match'
}

function routeAction(route: JsonObject): string | undefined {
  const action = route['route']
  if (isObject(action)) {
    if (str(action['cluster'])) return undefined // drawn as an edge
    if (isObject(action['weighted_clusters'])) return undefined
    if (str(action['cluster_header'])) return `cluster from header ${str(action['cluster_header'])}`
    return 'route'
  }
  if (isObject(route['redirect'])) return 'redirect'
  if (isObject(route['direct_response'])) return `direct response ${num(route['direct_response']['status']) ?? ''}`.trim()
  if (isObject(route['filter_action'])) return 'filter action'
  return undefined
}

function chainDetail(chain: JsonObject): string[] {
  const lines: string[] = []
  const match = isObject(chain['filter_chain_match']) ? chain['filter_chain_match'] : undefined
  if (match) {
    const names = asArray(match['server_names']).map((v) => str(v)).filter((v): v is string => v !== undefined)
    if (names.length > 0) lines.push(`SNI ${shortList(names, 2)}`)
    const port = num(match['destination_port'])
    if (port !== undefined) lines.push(`port ${port}`)
    const alpn = asArray(match['application_protocols']).map((v) => str(v)).filter((v): v is string => v !== undefined)
    if (alpn.length > 0) lines.push(`ALPN ${shortList(alpn, 2)}`)
  }
  if (isObject(chain['transport_socket'])) lines.push('TLS')
  const filters = asArray(chain['filters'])
    .map((f) => (isObject(f) ? (str(f['name']) ?? '') : ''))
    .map((n) => n.replace(/^envoy\.filters\.network\./, ''))
    .filter((n) => n !== '')
  if (filters.length > 0) lines.push(shortList(filters, 2))
  return lines
}

function clusterDetail(cluster: JsonObject): string[] {
  const lines = [str(cluster['type']) ?? (isObject(cluster['cluster_type']) ? 'custom type' : 'STATIC')]
  const lb = str(cluster['lb_policy'])
  if (lb) lines[0] = `${lines[0]} · ${lb}`
  if (isObject(cluster['transport_socket'])) lines.push('TLS')
  return lines
}

function endpointAddresses(cla: JsonObject): string[] {
  return asArray(cla['endpoints']).flatMap((locality) =>
    asArray(isObject(locality) ? locality['lb_endpoints'] : undefined).flatMap((lb) => {
      const endpoint = isObject(lb) ? lb['endpoint'] : undefined
      const address = isObject(endpoint) ? socketAddress(endpoint['address']) : undefined
      return address ? [address] : []
    }),
  )
}

function endpointsDetail(cla: JsonObject): string[] {
  const addresses = endpointAddresses(cla)
  return addresses.length === 0 ? ['no endpoints'] : [`${addresses.length} endpoint${addresses.length === 1 ? '' : 's'}`, shortList(addresses, 2)]
}

function secretDetail(secret: JsonObject): string[] {
  if (isObject(secret['tls_certificate'])) return ['TLS certificate']
  if (isObject(secret['validation_context'])) return ['validation context']
  if (isObject(secret['session_ticket_keys'])) return ['session ticket keys']
  if (isObject(secret['generic_secret'])) return ['generic secret']
  return []
}

function makeNode(key: ResourceKey, path: string, kind: TopologyNodeKind, label: string, detail: readonly string[], change: ChangeKind | null): TopologyNode {
  return { id: nodeId(key, path), kind, label, detail, resource: key, path, missing: false, change }
}

/** The virtual hosts and routes of one route configuration (an RDS resource, or inline at `base` in a listener). */
function routeConfigParts(owner: ResourceKey, base: string, rc: JsonObject, change: ChangeKind | null): Part[] {
  const parts: Part[] = []
  asArray(rc['virtual_hosts']).forEach((vh, j) => {
    if (!isObject(vh)) return
    const vhPath = joinPath(joinPath(base, 'virtual_hosts'), j)
    const domains = asArray(vh['domains']).map((d) => str(d)).filter((d): d is string => d !== undefined)
    parts.push({ node: makeNode(owner, vhPath, 'virtualHost', str(vh['name']) || `virtual host ${j}`, domains.length > 0 ? [shortList(domains)] : [], change), parentPath: base })
    asArray(vh['routes']).forEach((route, k) => {
      if (!isObject(route)) return
      const action = routeAction(route)
      parts.push({ node: makeNode(owner, joinPath(joinPath(vhPath, 'routes'), k), 'route', routeMatch(route), [str(route['name']), action].filter((l): l is string => !!l), change), parentPath: vhPath })
    })
  })
  return parts
}

/** Every node of the draft's own resources, parts included, with the part each hangs from. */
function resourceParts(resources: readonly ConfigResource[], changes: ReadonlyMap<string, ChangeKind>): Part[] {
  const parts: Part[] = []
  const changeOf = (r: ResourceKey) => changes.get(resourceKey(r)) ?? null
  for (const r of resources) {
    const key = { type: r.type, name: r.name }
    const change = changeOf(key)
    const json = r.resource
    switch (r.type) {
      case 'Listener': {
        parts.push({ node: makeNode(key, '', 'listener', r.name, [socketAddress(json['address']) ?? (isObject(json['api_listener']) ? 'API listener' : '')].filter((l) => l !== ''), change), parentPath: null })
        asArray(json['filter_chains']).forEach((chain, i) => {
          if (isObject(chain)) parts.push({ node: makeNode(key, joinPath('filter_chains', i), 'filterChain', str(chain['name']) || `filter chain ${i}`, chainDetail(chain), change), parentPath: '' })
        })
        const fallback = json['default_filter_chain']
        if (isObject(fallback)) parts.push({ node: makeNode(key, 'default_filter_chain', 'filterChain', str(fallback['name']) || 'default filter chain', chainDetail(fallback), change), parentPath: '' })
        if (isObject(json['api_listener'])) parts.push({ node: makeNode(key, 'api_listener', 'filterChain', 'API listener', ['gRPC proxyless'], change), parentPath: '' })
        break
      }
      case 'RouteConfiguration':
        parts.push({ node: makeNode(key, '', 'routeConfiguration', r.name, [`${asArray(json['virtual_hosts']).length} virtual host${asArray(json['virtual_hosts']).length === 1 ? '' : 's'}`], change), parentPath: null })
        parts.push(...routeConfigParts(key, '', json, change))
        break
      case 'Cluster': {
        parts.push({ node: makeNode(key, '', 'cluster', r.name, clusterDetail(json), change), parentPath: null })
        const inline = json['load_assignment']
        if (isObject(inline)) parts.push({ node: makeNode(key, 'load_assignment', 'endpoints', 'endpoints', endpointsDetail(inline), change), parentPath: '' })
        break
      }
      case 'ClusterLoadAssignment':
        parts.push({ node: makeNode(key, '', 'endpoints', r.name, endpointsDetail(json), change), parentPath: null })
        break
      case 'Secret':
        parts.push({ node: makeNode(key, '', 'secret', r.name, secretDetail(json), change), parentPath: null })
        break
    }
  }
  // Route configurations inlined in a connection manager, found as the analysis finds them.
  const hcms = httpConnectionManagers(resources)
  for (const site of routeConfigurations(resources, hcms)) {
    if (site.path === '') continue // an RDS resource: above
    const change = changeOf(site.owner)
    parts.push({ node: makeNode(site.owner, site.path, 'routeConfiguration', str(site.rc['name']) || 'inline routes', ['inline'], change), parentPath: null })
    parts.push(...routeConfigParts(site.owner, site.path, site.rc, change))
  }
  return parts
}

/** `a.b[0]` lies in `a` and in `a.b[0]`, not in `a.bc`. */
function pathWithin(path: string, base: string): boolean {
  if (base === '') return true
  return path === base || (path.startsWith(base) && (path[base.length] === '.' || path[base.length] === '['))
}

/** The innermost part of `resource` whose path holds `path` (the resource itself when none does). */
function innermost(pathsByResource: ReadonlyMap<string, readonly string[]>, resource: ResourceKey, path: string): string {
  const paths = pathsByResource.get(resourceKey(resource)) ?? []
  let best = ''
  for (const p of paths) if (p.length > best.length && pathWithin(path, p)) best = p
  return nodeId(resource, best)
}

function via(ref: Reference): string {
  if (ref.to.type === 'RouteConfiguration') return 'rds'
  if (ref.to.type === 'ClusterLoadAssignment') return 'eds'
  if (ref.to.type === 'Secret') return 'sds'
  if (ref.path.includes('weighted_clusters')) return 'weighted'
  if (ref.path.includes('request_mirror_policies')) return 'mirror'
  if (ref.from.type === 'Listener' && !ref.path.includes('route_config')) return 'tcp_proxy'
  return 'cluster'
}

type FullGraph = { nodes: TopologyNode[]; edges: TopologyEdge[]; pathsByResource: Map<string, string[]> }

/** The whole graph, parts included, before narrowing or folding. */
function fullGraph(resources: readonly ConfigResource[], changes: ReadonlyMap<string, ChangeKind>): FullGraph {
  const parts = resourceParts(resources, changes)
  const pathsByResource = new Map<string, string[]>()
  for (const { node } of parts) {
    const key = resourceKey(node.resource)
    pathsByResource.set(key, [...(pathsByResource.get(key) ?? []), node.path])
  }
  const nodes = parts.map((p) => p.node)
  const edges: TopologyEdge[] = []
  const seen = new Set<string>()
  const addEdge = (edge: Omit<TopologyEdge, 'id'>) => {
    const id = `${edge.source}->${edge.target}:${edge.via}`
    if (seen.has(id)) return
    seen.add(id)
    edges.push({ id, ...edge })
  }
  for (const p of parts) {
    if (p.parentPath === null) {
      // An inline route configuration hangs from the filter chain (or API listener) it is in.
      if (p.node.path !== '') addEdge({ source: innermost(pathsByResource, p.node.resource, parentOf(p.node.path)), target: p.node.id, via: 'contains', broken: false, message: null })
      continue
    }
    addEdge({ source: nodeId(p.node.resource, p.parentPath), target: p.node.id, via: 'contains', broken: false, message: null })
  }
  const brokenMessages = new Map(checkReferences(resources).map((i) => [`${i.resource ? resourceKey(i.resource) : ''}|${i.path}`, i.message]))
  const present = new Set(resources.map(resourceKey))
  const missing = new Map<string, TopologyNode>()
  for (const r of resources) {
    for (const ref of collectReferences(r)) {
      const message = brokenMessages.get(`${resourceKey(ref.from)}|${ref.path}`)
      const broken = message !== undefined || !present.has(resourceKey(ref.to))
      let target = nodeId(ref.to)
      if (broken) {
        target = missingId(ref.to)
        if (!missing.has(target)) missing.set(target, missingNode(ref.to, changes))
      }
      addEdge({ source: innermost(pathsByResource, ref.from, ref.path), target, via: via(ref), broken, message: broken ? (message ?? 'does not exist') : null })
    }
  }
  // Resources a pending change removes that nothing refers to any more: still shown, as removed.
  for (const [key, change] of changes) {
    if (change !== 'removed' || present.has(key)) continue
    const slash = key.indexOf('/')
    const ref = { type: key.slice(0, slash) as ResourceKey['type'], name: key.slice(slash + 1) }
    if (!missing.has(missingId(ref))) missing.set(missingId(ref), missingNode(ref, changes))
  }
  return { nodes: [...nodes, ...missing.values()], edges, pathsByResource }
}

/** `a.b[0].c` → `a.b[0]`; `a[2]` → `a`. */
function parentOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['))
  return cut <= 0 ? '' : path.slice(0, cut)
}

function missingNode(key: ResourceKey, changes: ReadonlyMap<string, ChangeKind>): TopologyNode {
  const change = changes.get(resourceKey(key)) ?? null
  return { id: missingId(key), kind: KIND_OF_TYPE[key.type], label: key.name, detail: [change === 'removed' ? 'removed in the draft' : 'missing'], resource: key, path: '', missing: true, change }
}

/** The resource a node belongs to, as the `type/name` key (missing nodes included). */
const ownerKey = (n: TopologyNode): string => resourceKey(n.resource)

/** Parts folded into their resource: edges move to the resource node, the ones inside it go. */
function foldParts(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[]): { nodes: TopologyNode[]; edges: TopologyEdge[] } {
  const byId = new Map(nodes.map((n) => [n.id, n]))
  const top = (id: string): string => {
    const n = byId.get(id)
    return !n || n.missing || n.path === '' ? id : nodeId(n.resource)
  }
  const kept = nodes.filter((n) => n.missing || n.path === '')
  const out = new Map<string, TopologyEdge>()
  for (const e of edges) {
    const source = top(e.source)
    const target = top(e.target)
    if (source === target) continue
    const id = `${source}->${target}:${e.via}`
    const prior = out.get(id)
    if (!prior) out.set(id, { ...e, id, source, target })
  }
  return { nodes: kept, edges: [...out.values()] }
}

/** Resource keys that reach `focus` or that `focus` reaches, by the references. */
function neighbourhood(edges: readonly TopologyEdge[], byId: ReadonlyMap<string, TopologyNode>, focus: string): Set<string> {
  const down = new Map<string, Set<string>>()
  const up = new Map<string, Set<string>>()
  for (const e of edges) {
    const s = byId.get(e.source)
    const t = byId.get(e.target)
    if (!s || !t) continue
    const a = ownerKey(s)
    const b = ownerKey(t)
    if (a === b) continue
    down.set(a, (down.get(a) ?? new Set()).add(b))
    up.set(b, (up.get(b) ?? new Set()).add(a))
  }
  const keep = new Set([focus])
  for (const graph of [down, up]) {
    const queue = [focus]
    const seen = new Set([focus])
    while (queue.length > 0) {
      for (const next of graph.get(queue.shift()!) ?? []) {
        if (seen.has(next)) continue
        seen.add(next)
        keep.add(next)
        queue.push(next)
      }
    }
  }
  return keep
}

/**
 * Resource keys from each listener down (depth first, listeners by name), then the rest in (type,
 * name) order: a cut keeps whole chains from a listener to its endpoints, not 300 lone listeners.
 */
function drawingOrder(resources: readonly ResourceKey[], edges: readonly TopologyEdge[], byId: ReadonlyMap<string, TopologyNode>): string[] {
  const down = new Map<string, string[]>()
  for (const e of edges) {
    const s = byId.get(e.source)
    const t = byId.get(e.target)
    if (s && t && ownerKey(s) !== ownerKey(t)) down.set(ownerKey(s), [...(down.get(ownerKey(s)) ?? []), ownerKey(t)])
  }
  const sorted = [...resources].sort(compareResources)
  const order: string[] = []
  const seen = new Set<string>()
  const visit = (start: string) => {
    const stack = [start]
    while (stack.length > 0) {
      const k = stack.pop()!
      if (seen.has(k)) continue
      seen.add(k)
      order.push(k)
      stack.push(...(down.get(k) ?? []).slice().sort().reverse())
    }
  }
  for (const r of sorted) if (r.type === 'Listener') visit(resourceKey(r))
  for (const r of sorted) if (!seen.has(resourceKey(r))) order.push(resourceKey(r))
  return order
}

/**
 * The topology of a resource set (the draft), with the pending changes marked. Narrowed to `focus`
 * when given; parts folded into their resources when the full graph has more than `maxNodes` nodes
 * (or when asked); and past `maxNodes` resources, only the first ones from the listeners down.
 */
export function buildTopology(resources: readonly ConfigResource[], options: TopologyOptions = {}): Topology {
  const changes = options.changes ?? new Map<string, ChangeKind>()
  const maxNodes = options.maxNodes ?? MAX_TOPOLOGY_NODES
  const focus = options.focus ?? null
  const full = fullGraph(resources, changes)
  const byId = new Map(full.nodes.map((n) => [n.id, n]))

  let nodes: TopologyNode[] = full.nodes
  let edges: TopologyEdge[] = full.edges
  if (focus) {
    const keep = neighbourhood(edges, byId, resourceKey(focus))
    nodes = nodes.filter((n) => keep.has(ownerKey(n)))
    const ids = new Set(nodes.map((n) => n.id))
    edges = edges.filter((e) => ids.has(e.source) && ids.has(e.target))
  }
  let detail: TopologyDetail = options.detail ?? 'full'
  if (detail === 'resources' || nodes.length > maxNodes) {
    detail = 'resources'
    ;({ nodes, edges } = foldParts(nodes, edges))
  }
  const truncated = nodes.length > maxNodes
  if (truncated) {
    const order = drawingOrder(
      nodes.map((n) => n.resource),
      edges,
      byId,
    )
    const keep = new Set(order.slice(0, maxNodes))
    nodes = nodes.filter((n) => keep.has(ownerKey(n)))
    const ids = new Set(nodes.map((n) => n.id))
    edges = edges.filter((e) => ids.has(e.source) && ids.has(e.target))
  }
  const shown = nodes.filter((n) => !n.missing).map(ownerKey)
  return {
    nodes,
    edges,
    detail,
    focus,
    resources: { total: resources.length, shown: new Set(shown).size },
    truncated,
    broken: edges.filter((e) => e.broken).length,
  }
}

// ---- "used by" ---------------------------------------------------------------------------------------

export type ResourceLink = Readonly<{
  resource: ResourceKey
  /** The referring field, e.g. `virtual_hosts[0].routes[1].route.cluster`. */
  path: string
  /** Where in the referring resource, in words: `route prefix /api in virtual host backend`. */
  at: string | null
  /** The referred resource is not in the draft. */
  missing: boolean
}>

export type ResourceLinks = Readonly<{ uses: readonly ResourceLink[]; usedBy: readonly ResourceLink[] }>

/**
 * What one resource refers to, and which resources refer to it: the same references as the
 * topology (and the commit's check, and the refusal to delete a referenced resource).
 */
export function resourceLinks(resources: readonly ConfigResource[], target: ResourceKey): ResourceLinks {
  const present = new Set(resources.map(resourceKey))
  const byKey = new Map(resources.map((r) => [resourceKey(r), r]))
  const partsOf = new Map<string, TopologyNode[]>()
  /** The innermost part (and the virtual host or filter chain around it) a field path lies in. */
  const describe = (key: ResourceKey, path: string): string | null => {
    const r = byKey.get(resourceKey(key))
    if (!r) return null
    if (!partsOf.has(resourceKey(r))) partsOf.set(resourceKey(r), resourceParts([r], new Map()).map((p) => p.node).filter((n) => n.path !== ''))
    const inner = partsOf.get(resourceKey(r))!.filter((n) => pathWithin(path, n.path)).sort((a, b) => b.path.length - a.path.length)
    const [first, ...rest] = inner
    if (!first) return null
    const words = (n: TopologyNode) => (n.kind === 'route' ? `route ${n.label}` : n.kind === 'virtualHost' ? `virtual host ${n.label}` : n.label)
    const outer = rest.find((n) => n.kind === 'virtualHost' || n.kind === 'filterChain')
    return outer ? `${words(first)} in ${words(outer)}` : words(first)
  }
  const self = byKey.get(resourceKey(target))
  const uses = self ? collectReferences(self).map((ref) => ({ resource: ref.to, path: ref.path, at: describe(ref.from, ref.path), missing: !present.has(resourceKey(ref.to)) })) : []
  const usedBy = findReferrers(resources, target).map((ref) => ({ resource: ref.from, path: ref.path, at: describe(ref.from, ref.path), missing: false }))
  return { uses, usedBy }
}
