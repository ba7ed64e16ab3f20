import dagre from '@dagrejs/dagre'
import type { TopologyEdge, TopologyNode } from '@/server/contract'

/** A node's box on the canvas: wide enough for a name, taller with each detail line. */
export const NODE_WIDTH = 210
export function nodeHeight(node: Pick<TopologyNode, 'detail'>): number {
  return 46 + Math.min(node.detail.length, 3) * 16
}

export type Positioned = Readonly<{ id: string; x: number; y: number; width: number; height: number }>

/** Gap between packed components. */
const GAP = 40
/** Packed components fill rows about this much wider than tall (a desktop canvas). */
const ASPECT = 1.6

/** The connected parts of the graph (union-find over the edges), each in the order its first node comes. */
function components(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[]): TopologyNode[][] {
  const parent = new Map(nodes.map((n) => [n.id, n.id]))
  const find = (id: string): string => {
    let root = id
    while (parent.get(root) !== root) root = parent.get(root)!
    parent.set(id, root)
    return root
  }
  for (const e of edges) if (parent.has(e.source) && parent.has(e.target)) parent.set(find(e.source), find(e.target))
  const groups = new Map<string, TopologyNode[]>()
  for (const n of nodes) {
    const root = find(n.id)
    groups.set(root, [...(groups.get(root) ?? []), n])
  }
  return [...groups.values()]
}

/** One connected part laid out by dagre, top to bottom, at the origin. */
function layoutComponent(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[]): { boxes: Positioned[]; width: number; height: number } {
  const g = new dagre.graphlib.Graph()
  g.setGraph({ rankdir: 'TB', nodesep: 20, ranksep: 34 })
  g.setDefaultEdgeLabel(() => ({}))
  for (const n of nodes) g.setNode(n.id, { width: NODE_WIDTH, height: nodeHeight(n) })
  for (const e of edges) if (g.hasNode(e.source) && g.hasNode(e.target)) g.setEdge(e.source, e.target)
  dagre.layout(g)
  const boxes = nodes.map((n) => {
    const p = g.node(n.id)
    const height = nodeHeight(n)
    return { id: n.id, x: p.x - NODE_WIDTH / 2, y: p.y - height / 2, width: NODE_WIDTH, height }
  })
  const minX = Math.min(...boxes.map((b) => b.x))
  const minY = Math.min(...boxes.map((b) => b.y))
  const moved = boxes.map((b) => ({ ...b, x: b.x - minX, y: b.y - minY }))
  return { boxes: moved, width: Math.max(...moved.map((b) => b.x + b.width)), height: Math.max(...moved.map((b) => b.y + b.height)) }
}

/**
 * Top to bottom, as traffic flows (listener → … → endpoints), laid out by dagre (a layered,
 * Sugiyama-style layout). Top to bottom, not left to right: the flow is seven stages deep, which
 * fits the height of a desktop canvas and the width of a phone at a readable zoom, while a stage
 * with many resources spreads sideways. Unconnected parts (a listener's whole chain, say) are laid
 * out apart and packed in rows, so a fleet of many small chains is a grid, not one long strip.
 * Positions are of the top-left corner, as React Flow places nodes. Pure.
 */
export function layoutTopology(nodes: readonly TopologyNode[], edges: readonly TopologyEdge[]): Map<string, Positioned> {
  const laid = components(nodes, edges).map((c) => {
    const ids = new Set(c.map((n) => n.id))
    return layoutComponent(
      c,
      edges.filter((e) => ids.has(e.source)),
    )
  })
  const area = laid.reduce((sum, c) => sum + (c.width + GAP) * (c.height + GAP), 0)
  const rowWidth = Math.max(Math.sqrt(area * ASPECT), ...laid.map((c) => c.width))
  const out = new Map<string, Positioned>()
  let x = 0
  let y = 0
  let rowHeight = 0
  for (const c of laid) {
    if (x > 0 && x + c.width > rowWidth) {
      x = 0
      y += rowHeight + GAP
      rowHeight = 0
    }
    for (const b of c.boxes) out.set(b.id, { ...b, x: b.x + x, y: b.y + y })
    x += c.width + GAP
    rowHeight = Math.max(rowHeight, c.height)
  }
  return out
}
