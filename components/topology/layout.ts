import dagre from '@dagrejs/dagre'
import type { TopologyEdge, TopologyNode } from '@/server/contract'

/** A node's box on the canvas: wide enough for a name, taller with each detail line. */
export const NODE_WIDTH = 210
export function nodeHeight(node: Pick<TopologyNode, 'detail'>): number {
  return 46 + Math.min(node.detail.length, 3) * 16
}

export type Positioned = Readonly<{ id: string; x: number; y: number; width: number; height: number }>

/**
 * Top to bottom, as traffic flows (listener → … → endpoints), laid out by dagre (a layered,
 * Sugiyama-style layout). Top to bottom, not left to right: the flow is seven stages deep, which
 * fits the height of a desktop canvas and the width of a phone at a readable zoom, while a stage
 * with many resources spreads sideways. Positions are of the top-left corner, as React Flow places nodes. Pure.
 */
export function layoutTopology(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[]): Map<string, Positioned> {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'TB', nodesep: 20, ranksep: 34, marginx: 8, marginy: 8 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: nodeHeight(n) })
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target)
  dagre.layout(g)
  const out = new Map<string, Positioned>()
  for (const n of nodes) {
    const p = g.node(n.id)
    const height = nodeHeight(n)
    out.set(n.id, { id: n.id, x: p.x - NODE_WIDTH / 2, y: p.y - height / 2, width: NODE_WIDTH, height })
  }
  return out
}
