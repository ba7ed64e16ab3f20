import { describe, expect, it } from 'vitest'
import { matchFleet, type FleetMatch } from '../../../server/config/fleet-match'

const FLEETS = new Set(['demo', 'edge', 'fallback'])
const hasFleet = (name: string): boolean => FLEETS.has(name)

const match = (cluster: string, defaultFleet?: string, id = 'envoy-1'): FleetMatch => matchFleet({ id, cluster }, { hasFleet, defaultFleet })

describe('matchFleet', () => {
  it.each([
    ['names a fleet: that fleet', 'edge', undefined, 'edge'],
    ['names a fleet: that fleet, even with a default configured', 'edge', 'fallback', 'edge'],
    ['names no fleet: the default fleet', 'unknown', 'fallback', 'fallback'],
    ['is empty: the default fleet', '', 'fallback', 'fallback'],
  ])('when node.cluster %s', (_label, cluster, defaultFleet, fleet) => {
    expect(match(cluster, defaultFleet)).toEqual({ fleet })
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
