import { describe, expect, it } from 'vitest'
import type { StoredResource } from '../../../server/config/diff'
import type { TypeStatus } from '../../../server/contract/proxy-state'
import { runsActive, typeDrift } from '../../../server/status/drift'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const EDS = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'
const cluster = (name: string, hash: string): StoredResource => ({ type: 'Cluster', name, hash, body: `{"name":"${name}","h":"${hash}"}` })
const eds = (name: string, hash: string): StoredResource => ({ type: 'ClusterLoadAssignment', name, hash, body: `{"cluster_name":"${name}","h":"${hash}"}` })
const status = (typeUrl: string, t: Partial<TypeStatus>): TypeStatus => ({ typeUrl, names: [], wildcard: true, resourceNames: [], ...t })

const v1 = [cluster('a', 'a1'), cluster('b', 'b1'), eds('a', 'ea1'), eds('b', 'eb1')]
const v2 = [cluster('a', 'a2'), cluster('c', 'c1'), eds('a', 'ea1'), eds('b', 'eb2')]
const versions = new Map([[1, v1], [2, v2]])

describe('typeDrift: what the proxy runs against the active version', () => {
  it('a wildcard type on the old version: every difference of the type', () => {
    const d = typeDrift(status(CDS, { nonceSent: '5', nonceAcked: '4', sentFromVersion: 2, ackedFromVersion: 1, lastNack: { message: 'x', code: 3, version: 'v', nonce: '5', at: new Date(0).toISOString() } }), v2, versions)!
    expect(d.state).toBe('NACKED')
    expect(d.ackedFromVersion).toBe(1)
    expect(d.changes.map((c) => [c.name, c.change])).toEqual([['a', 'modified'], ['b', 'removed'], ['c', 'added']])
    expect(d.changes[0]!.patch).toContain('a2')
    expect(d.caveat).toBeNull()
    expect(runsActive([d])).toBe(false)
  })

  it('a named subscription only compares the names it asked for', () => {
    const d = typeDrift(status(EDS, { wildcard: false, names: ['a'], nonceSent: '2', nonceAcked: '2', ackedFromVersion: 1, sentFromVersion: 1 }), v2, versions)!
    // eds b changed in v2, but this proxy does not subscribe to it.
    expect(d.changes).toEqual([])
    expect(runsActive([d])).toBe(true)
  })

  it('nothing ACKed yet: everything the subscription should have is missing; a long subscription is a caveat', () => {
    const d = typeDrift(status(EDS, { wildcard: false, names: ['a', 'b'], nameCount: 300, nonceSent: '1' }), v2, versions)!
    expect(d.ackedFromVersion).toBeNull()
    expect(d.changes.map((c) => c.change)).toEqual(['added', 'added'])
    expect(d.caveat).toMatch(/300 names/)
    expect(runsActive([d])).toBe(false)
  })

  it('on the active version and ACKed: no change; an unknown type URL is skipped', () => {
    const d = typeDrift(status(CDS, { nonceSent: '3', nonceAcked: '3', ackedFromVersion: 2, sentFromVersion: 2 }), v2, versions)!
    expect(d.changes).toEqual([])
    expect(runsActive([d])).toBe(true)
    expect(typeDrift(status('type.googleapis.com/unknown', {}), v2, versions)).toBeNull()
    expect(runsActive([])).toBe(false)
  })
})
