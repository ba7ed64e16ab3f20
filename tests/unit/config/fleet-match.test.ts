import { describe, expect, it } from 'vitest'
import { matchFleet, nodeMetadataStrings, type FleetMatch, type FleetSelector } from '../../../server/config/fleet-match'

const FLEETS = new Set(['demo', 'edge', 'fallback'])
const hasFleet = (name: string): boolean => FLEETS.has(name)

const match = (cluster: string, defaultFleet?: string, id = 'envoy-1'): FleetMatch => matchFleet({ id, cluster }, { hasFleet, defaultFleet })

describe('matchFleet', () => {
  it.each([
    ['names a fleet: that fleet', 'edge', undefined, 'edge', 'cluster'],
    ['names a fleet: that fleet, even with a default configured', 'edge', 'fallback', 'edge', 'cluster'],
    ['names no fleet: the default fleet', 'unknown', 'fallback', 'fallback', 'default'],
    ['is empty: the default fleet', '', 'fallback', 'fallback', 'default'],
  ])('when node.cluster %s', (_label, cluster, defaultFleet, fleet, by) => {
    expect(match(cluster, defaultFleet)).toEqual({ fleet, by })
  })

  it('refuses an unknown node.cluster with no default fleet, naming the node id and node.cluster', () => {
    const result = match('unknown', undefined, 'envoy-7')
    expect(result).toEqual({ refused: "proxy 'envoy-7' has node.cluster 'unknown', which names no fleet (set node.cluster to a fleet name, or configure LEGATION_DEFAULT_FLEET)" })
  })

  it('treats an empty default fleet as none', () => {
    expect(match('unknown', '')).toHaveProperty('refused', expect.stringContaining('configure LEGATION_DEFAULT_FLEET'))
  })

  it('refuses when the configured default fleet does not exist, naming it', () => {
    const result = match('unknown', 'gone', 'envoy-7')
    expect(result).toEqual({ refused: "proxy 'envoy-7' has node.cluster 'unknown', which names no fleet, and the default fleet 'gone' does not exist" })
  })

  it('refuses an empty node.cluster with no default fleet, saying it is missing', () => {
    const result = match('', undefined, 'envoy-7')
    expect(result).toEqual({ refused: "proxy 'envoy-7' has no node.cluster (set node.cluster to a fleet name, or configure LEGATION_DEFAULT_FLEET)" })
  })

  it('refuses an empty node.cluster when the default fleet does not exist', () => {
    expect(match('', 'gone', 'envoy-7')).toEqual({ refused: "proxy 'envoy-7' has no node.cluster, and the default fleet 'gone' does not exist" })
  })

  it('never asks about an empty fleet name', () => {
    const asked: string[] = []
    matchFleet({ id: 'e', cluster: '' }, { hasFleet: (n) => (asked.push(n), true), defaultFleet: 'demo' })
    expect(asked).not.toContain('')
  })

  it('matches fleet names exactly (case-sensitive)', () => {
    expect(match('Demo')).toHaveProperty('refused')
  })
})

describe('fleet selectors', () => {
  const selectors: Array<{ fleet: string; selector: FleetSelector }> = [
    { fleet: 'edge', selector: { nodeIdGlob: 'edge-*' } },
    { fleet: 'canary', selector: { nodeIdGlob: 'edge-*', metadata: { track: 'canary' } } },
    { fleet: 'mesh', selector: { nodeCluster: 'mesh', metadata: { zone: 'eu' } } },
  ]
  const FLEETS2 = new Set(['edge', 'canary', 'mesh', 'demo'])
  const opts = { hasFleet: (n: string) => FLEETS2.has(n), selectors }

  it('matches by node id glob', () => {
    expect(matchFleet({ id: 'edge-7', cluster: 'x' }, { ...opts, selectors: [selectors[0]!] })).toEqual({ fleet: 'edge', by: 'selector' })
    expect(matchFleet({ id: 'edge7', cluster: 'demo' }, { ...opts, selectors: [selectors[0]!] })).toEqual({ fleet: 'demo', by: 'cluster' })
  })

  it('requires every condition of a selector, including metadata', () => {
    expect(matchFleet({ id: 'm-1', cluster: 'mesh', metadata: { zone: 'eu' } }, opts)).toEqual({ fleet: 'mesh', by: 'selector' })
    expect(matchFleet({ id: 'm-1', cluster: 'mesh', metadata: { zone: 'us' } }, opts)).toHaveProperty('refused')
  })

  it('refuses a proxy matched by several selectors, naming the fleets', () => {
    expect(matchFleet({ id: 'edge-1', cluster: '', metadata: { track: 'canary' } }, opts)).toEqual({ refused: "proxy 'edge-1' matches the selectors of several fleets (canary, edge); make them exclusive" })
  })

  it('does not match a fleet with a selector by its name', () => {
    expect(matchFleet({ id: 'x', cluster: 'mesh' }, opts)).toHaveProperty('refused')
  })

  it('reads string metadata from a decoded Struct', () => {
    expect(nodeMetadataStrings({ fields: { zone: { string_value: 'eu', kind: 'string_value' }, n: { number_value: 1, kind: 'number_value' } } })).toEqual({ zone: 'eu' })
    expect(nodeMetadataStrings(undefined)).toEqual({})
  })

})
