import { diffResources } from '../config/diff'
import { resourceKey, type ResourceKey } from '../config/resource-types'
import { buildTopology, resourceLinks, type TopologyDetail } from '../config/topology'
import type { ResourceLinks, Topology } from '../contract'
import type { Db } from '../store/db'
import { fleetIdOrThrow, redactAll } from '../store/drafts'
import { readDraftResources, readVersionResourceHashes, toConfigResources } from '../store/resources'

/**
 * GET /fleets/{fleet}/topology (#15): the draft as a graph (server/config/topology.ts), each node
 * marked with the pending change of its resource (the draft against the active version, by hash).
 */
export async function fleetTopology(options: { db: Db; fleet: string; focus?: ResourceKey; detail?: TopologyDetail }): Promise<Topology> {
  const { db, fleet } = options
  const f = await fleetIdOrThrow(db, fleet)
  const [draft, active] = await Promise.all([readDraftResources(db, f.id), readVersionResourceHashes(db, f.activeVersionId)])
  // Before the first commit nothing is served: nothing is a pending change of something served.
  const changes = f.activeVersionId === null ? new Map() : new Map(diffResources(active, draft, { withPatch: false }).map((c) => [resourceKey(c), c.change]))
  const graph = buildTopology(toConfigResources(redactAll(draft)), { changes, ...(options.focus ? { focus: options.focus } : {}), ...(options.detail ? { detail: options.detail } : {}) })
  return { fleet, draftRevision: f.draftRevision, activeVersion: f.activeVersionNumber, ...graph, nodes: [...graph.nodes], edges: [...graph.edges] }
}

/**
 * GET /fleets/{fleet}/draft/{type}/{name}/links: what a draft resource uses and what uses it. A name
 * the draft does not have uses nothing, and its `usedBy` are the references to it that are broken.
 */
export async function draftResourceLinks(options: { db: Db; fleet: string; type: ResourceKey['type']; name: string }): Promise<ResourceLinks> {
  const { db, fleet, type, name } = options
  const f = await fleetIdOrThrow(db, fleet)
  const draft = toConfigResources(redactAll(await readDraftResources(db, f.id)))
  const links = resourceLinks(draft, { type, name })
  return { fleet, resource: { type, name }, uses: [...links.uses], usedBy: [...links.usedBy] }
}
