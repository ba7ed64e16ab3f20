import { describe, expect, it } from 'vitest'
import { layoutTopology, NODE_WIDTH, type Positioned } from '../../../../components/topology/layout'
import { DEMO_RESOURCES } from '../../../../server/config/demo'
import type { ConfigResource, ResourceJson } from '../../../../server/config/resource-types'
import { buildTopology } from '../../../../server/config/topology'

const overlap = (a: Positioned, b: Positioned) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height

describe('layoutTopology', () => {
  it('lays the demo fleet out top to bottom, as traffic flows', () => {
    const t = buildTopology(DEMO_RESOURCES)
    const p = layoutTopology(t.nodes, t.edges)
    const order = ['Listener/listener_0', 'Listener/listener_0#filter_chains[0]', 'RouteConfiguration/local_route', 'RouteConfiguration/local_route#virtual_hosts[0]', 'RouteConfiguration/local_route#virtual_hosts[0].routes[0]', 'Cluster/service', 'Cluster/service#load_assignment']
    const ys = order.map((id) => p.get(id)!.y)
    expect(ys).toEqual([...ys].sort((a, b) => a - b))
    expect(new Set(ys).size).toBe(order.length)
  })

  it('packs unconnected chains in rows (a grid, not one long strip), without overlaps', () => {
    // 75 chains listener → route configuration → cluster → endpoints, as a cut large fleet draws them.
    const resources: ConfigResource[] = Array.from({ length: 75 }, (_, i) => [
      { type: 'RouteConfiguration' as const, name: `r${i}`, resource: { name: `r${i}`, virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: `c${i}` } }] }] } as ResourceJson },
      { type: 'Cluster' as const, name: `c${i}`, resource: { name: `c${i}` } as ResourceJson },
    ]).flat()
    const t = buildTopology(resources, { detail: 'resources' })
    const boxes = [...layoutTopology(t.nodes, t.edges).values()]
    expect(boxes).toHaveLength(150)
    const width = Math.max(...boxes.map((b) => b.x + b.width))
    const height = Math.max(...boxes.map((b) => b.y + b.height))
    expect(width).toBeLessThan(75 * NODE_WIDTH) // not one row
    expect(width / height).toBeGreaterThan(0.8) // roughly the canvas' shape
    expect(width / height).toBeLessThan(4)
    for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) expect(overlap(boxes[i]!, boxes[j]!), `${boxes[i]!.id} / ${boxes[j]!.id}`).toBe(false)
  })
})
