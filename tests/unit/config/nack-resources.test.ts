import { describe, expect, it } from 'vitest'
import { resourcesMentioned } from '../../../server/config/nack-resources'
import { CLUSTER_TYPE_URL, LISTENER_TYPE_URL, type ResourceKey } from '../../../server/config/resource-types'

const resources: Array<ResourceKey & { hash: string }> = [
  { type: 'Cluster', name: 'api', hash: 'a1' },
  { type: 'Cluster', name: 'api-v2', hash: 'b1' },
  { type: 'Listener', name: 'edge', hash: 'c1' },
  { type: 'RouteConfiguration', name: 'edge', hash: 'd1' },
  { type: 'Cluster', name: 'web', hash: 'e2' },
]

describe('resourcesMentioned', () => {
  it("names Envoy's rejected listener, the NACKed type first", () => {
    expect(resourcesMentioned("Error adding/updating listener(s) edge: malformed regex '(['", resources, LISTENER_TYPE_URL)).toEqual([
      { type: 'Listener', name: 'edge' },
      { type: 'RouteConfiguration', name: 'edge' },
    ])
  })

  it('matches whole names only, longer ones first', () => {
    expect(resourcesMentioned('cluster api-v2: bad lb_policy', resources, CLUSTER_TYPE_URL)).toEqual([{ type: 'Cluster', name: 'api-v2' }])
    expect(resourcesMentioned("clusters 'api', 'api-v2' rejected", resources, CLUSTER_TYPE_URL)).toEqual([
      { type: 'Cluster', name: 'api-v2' },
      { type: 'Cluster', name: 'api' },
    ])
    expect(resourcesMentioned('webhook failed', resources, CLUSTER_TYPE_URL)).toEqual([])
  })

  it('without a name in the text, suspects the resources of the NACKed type that changed since the accepted version', () => {
    const accepted = resources.map((r) => (r.name === 'web' ? { ...r, hash: 'e1' } : r)).filter((r) => r.name !== 'api-v2')
    expect(resourcesMentioned('resource index 2: Cluster message validation failed', resources, CLUSTER_TYPE_URL, accepted)).toEqual([
      { type: 'Cluster', name: 'api-v2' },
      { type: 'Cluster', name: 'web' },
    ])
  })
})
