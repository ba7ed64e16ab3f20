import { describe, expect, it } from 'vitest'
import { computeSelectorTakeovers, matchFleet, nodeMetadataStrings, selectorMatchesEveryNode, type ConnectedNode, type FleetMatch, type FleetSelector } from '../../../server/config/fleet-match'

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

  it('reads the camelCase Struct the xDS wire decoder produces (protobufjs bundles google.protobuf.Struct with camelCase names)', () => {
    // What serveXdsStream gets for node.metadata { team: "blue", n: 1 } from Envoy or grpc-js-xds.
    const decoded = { fields: { team: { stringValue: 'blue', kind: 'stringValue' }, n: { numberValue: 1, kind: 'numberValue' }, odd: { stringValue: 'x', kind: 'numberValue' } } }
    expect(nodeMetadataStrings(decoded)).toEqual({ team: 'blue' })
    expect(matchFleet({ id: 'p', cluster: '', metadata: nodeMetadataStrings(decoded) }, { hasFleet: () => true, selectors: [{ fleet: 'blue', selector: { metadata: { team: 'blue' } } }] })).toEqual({ fleet: 'blue', by: 'selector' })
  })

})

describe('selectorMatchesEveryNode', () => {
  it.each<[FleetSelector, boolean]>([
    [{ nodeIdGlob: '*' }, true],
    [{ nodeIdGlob: '**' }, true],
    [{ nodeIdGlob: '*****' }, true],
    [{ nodeIdGlob: '?*' }, true],
    [{ nodeIdGlob: '*?' }, true],
    [{}, true],
    // Node ids are never empty, but `??*` needs two characters: a one-character id escapes it.
    [{ nodeIdGlob: '??*' }, false],
    [{ nodeIdGlob: '?' }, false],
    [{ nodeIdGlob: 'edge-*' }, false],
    [{ nodeIdGlob: '*-*' }, false],
    // node.cluster and metadata compare literally: '*' there is a name, not a wildcard.
    [{ nodeIdGlob: '*', nodeCluster: '*' }, false],
    [{ nodeCluster: '*' }, false],
    [{ nodeIdGlob: '*', metadata: { '*': '*' } }, false],
  ])('%j → %s', (selector, everything) => {
    expect(selectorMatchesEveryNode(selector)).toBe(everything)
  })

  it('agrees with selector matching on ids of every length', () => {
    const ids = ['a', 'ab', 'edge-1', 'x'.repeat(200)]
    for (const glob of ['*', '**', '?*', '*?']) {
      for (const id of ids) expect(matchFleet({ id, cluster: 'c' }, { hasFleet: () => false, selectors: [{ fleet: 'all', selector: { nodeIdGlob: glob } }] }), `${glob} ~ ${id}`).toEqual({ fleet: 'all', by: 'selector' })
    }
  })
})

describe('computeSelectorTakeovers', () => {
  const connected: ConnectedNode[] = [
    { id: 'edge-2', cluster: 'edge', fleet: 'edge' },
    { id: 'edge-1', cluster: 'edge', fleet: 'edge' },
    { id: 'api-1', cluster: 'api', fleet: 'api', metadata: { team: 'blue' } },
    { id: 'api-2', cluster: 'api', fleet: 'api', metadata: { team: 'red' } },
    { id: 'canary-edge-1', cluster: 'x', fleet: 'canary' },
    { id: 'mine-1', cluster: 'mine', fleet: 'mine' },
  ]
  const selectors = [{ fleet: 'canary', selector: { nodeIdGlob: 'canary-*' } }]

  it('lists the proxies of other fleets the selector matches, by fleet then node id', () => {
    expect(computeSelectorTakeovers('mine', { nodeIdGlob: 'edge-*' }, connected, selectors)).toEqual([
      { nodeId: 'edge-1', fromFleet: 'edge', outcome: 'moves', alsoSelectedBy: [] },
      { nodeId: 'edge-2', fromFleet: 'edge', outcome: 'moves', alsoSelectedBy: [] },
    ])
  })

  it('evaluates every condition, metadata included', () => {
    expect(computeSelectorTakeovers('mine', { metadata: { team: 'blue' } }, connected, selectors).map((t) => t.nodeId)).toEqual(['api-1'])
    expect(computeSelectorTakeovers('mine', { nodeCluster: 'api', metadata: { team: 'green' } }, connected, selectors)).toEqual([])
  })

  it('never counts the fleet’s own proxies', () => {
    expect(computeSelectorTakeovers('mine', { nodeIdGlob: '*' }, connected, selectors).map((t) => t.nodeId)).toEqual(['api-1', 'api-2', 'canary-edge-1', 'edge-1', 'edge-2'])
  })

  it('marks a proxy another fleet also selects as ambiguous (it would be refused), naming that fleet', () => {
    const takeovers = computeSelectorTakeovers('mine', { nodeIdGlob: '*edge-1' }, connected, selectors)
    expect(takeovers).toEqual([
      { nodeId: 'canary-edge-1', fromFleet: 'canary', outcome: 'ambiguous', alsoSelectedBy: ['canary'] },
      { nodeId: 'edge-1', fromFleet: 'edge', outcome: 'moves', alsoSelectedBy: [] },
    ])
  })

  it('ignores the fleet’s own old selector among the others', () => {
    expect(computeSelectorTakeovers('canary', { nodeIdGlob: 'canary-*' }, connected, selectors)).toEqual([])
  })
})
