import { z } from 'zod'
import { MAX_TOPOLOGY_NODES } from '../config/topology'
import { RESOURCE_TYPES } from '../config/resource-types'
import { ChangeKindSchema, ResourceKeySchema, ResourceTypeSchema } from './common'

export { MAX_TOPOLOGY_NODES }

/**
 * GET /fleets/{fleet}/topology: the fleet's draft as a graph (server/config/topology.ts) — listener →
 * filter chain → route configuration → virtual host → route → cluster → endpoints, and secrets —
 * with broken references and pending changes marked.
 */
export const TopologyNodeKindSchema = z.enum(['listener', 'filterChain', 'routeConfiguration', 'virtualHost', 'route', 'cluster', 'endpoints', 'secret'])
export type TopologyNodeKind = z.infer<typeof TopologyNodeKindSchema>

export const TopologyNodeSchema = z
  .object({
    /** `Cluster/service` for a resource; `Listener/l#filter_chains[0]` for a part of one. */
    id: z.string(),
    kind: TopologyNodeKindSchema,
    label: z.string(),
    detail: z.array(z.string()).readonly(),
    /** The resource this node is, or is part of: what it links to. */
    resource: ResourceKeySchema,
    /** Field path of the part inside its resource ('' for the resource itself). */
    path: z.string(),
    /** Not in the draft: named by a broken reference, or removed by a pending change. */
    missing: z.boolean(),
    /** The pending change of its resource (draft against the active version). */
    change: ChangeKindSchema.nullable(),
  })
  .readonly()
export type TopologyNode = z.infer<typeof TopologyNodeSchema>

export const TopologyEdgeSchema = z
  .object({
    id: z.string(),
    source: z.string(),
    target: z.string(),
    /** `contains` (a part of the resource), or the reference: rds, cluster, weighted, mirror, tcp_proxy, eds, sds. */
    via: z.string(),
    /** The target is not in the draft (a commit would be refused: CONFIG.REFERENCE_MISSING). */
    broken: z.boolean(),
    message: z.string().nullable(),
  })
  .readonly()
export type TopologyEdge = z.infer<typeof TopologyEdgeSchema>

export const TopologySchema = z
  .object({
    fleet: z.string(),
    draftRevision: z.number().int(),
    activeVersion: z.number().int().nullable(),
    nodes: z.array(TopologyNodeSchema),
    edges: z.array(TopologyEdgeSchema),
    /** `resources`: filter chains, virtual hosts and routes folded into their resource (the full graph has over MAX_TOPOLOGY_NODES nodes). */
    detail: z.enum(['full', 'resources']),
    focus: ResourceKeySchema.nullable(),
    /** Resources in the draft, and how many the graph shows (fewer past MAX_TOPOLOGY_NODES: narrow with `focus`). */
    resources: z.object({ total: z.number().int(), shown: z.number().int() }).readonly(),
    /** Too many resources (after any focus) to draw: only the first from the listeners down are (narrow with `focus`). */
    truncated: z.boolean(),
    broken: z.number().int(),
  })
  .readonly()
export type Topology = z.infer<typeof TopologySchema>

const FOCUS = new RegExp(`^(${RESOURCE_TYPES.join('|')})/.+$`)

/** `?focus=Cluster/service`: what leads to that resource and what it leads to. `?detail=resources`: no parts. */
export const TopologyQuery = z.object({
  focus: z.string().max(300).regex(FOCUS, 'a resource as <Type>/<name>, e.g. Cluster/service').optional(),
  detail: z.enum(['full', 'resources']).optional(),
})
export type TopologyQuery = z.infer<typeof TopologyQuery>

/** `Cluster/service` → its key (the query was checked by TopologyQuery). */
export function parseFocus(focus: string): z.infer<typeof ResourceKeySchema> {
  const slash = focus.indexOf('/')
  return { type: ResourceTypeSchema.parse(focus.slice(0, slash)), name: focus.slice(slash + 1) }
}

/** One reference of GET /fleets/{fleet}/draft/{type}/{name}/links. */
export const ResourceLinkSchema = z
  .object({
    resource: ResourceKeySchema,
    /** The referring field in the referring resource, e.g. `virtual_hosts[0].routes[1].route.cluster`. */
    path: z.string(),
    /** Where, in words: `route prefix /api in virtual host backend`. */
    at: z.string().nullable(),
    /** The referred resource is not in the draft. */
    missing: z.boolean(),
  })
  .readonly()
export type ResourceLink = z.infer<typeof ResourceLinkSchema>

/** What one draft resource refers to (`uses`) and which draft resources refer to it (`usedBy`). */
export const ResourceLinksSchema = z
  .object({ fleet: z.string(), resource: ResourceKeySchema, uses: z.array(ResourceLinkSchema), usedBy: z.array(ResourceLinkSchema) })
  .readonly()
export type ResourceLinks = z.infer<typeof ResourceLinksSchema>
