import { describe, expect, it } from 'vitest'
import { newDeltaWatchedType, withSubscriptionChanges, type DeltaWatchedType } from '../../../server/xds/delta-subscription'
import type { XdsTypeUrl } from '../../../server/xds-types/type-urls'
import type { DeltaDiscoveryRequest } from '../../../server/xds-types/wire'
import { CDS, deltaRequest, EDS, LDS, RDS, resource, SDS } from './fixtures'

const first = (typeUrl: XdsTypeUrl, sub: string[] = [], unsub: string[] = []): DeltaDiscoveryRequest => deltaRequest(typeUrl, { sub, unsub })

const sub = (w: DeltaWatchedType): string => (w.wildcard ? ['*', ...[...w.names].sort()].join(',') : `[${[...w.names].sort().join(',')}]`)

describe('newDeltaWatchedType: the first request of a type', () => {
  it.each([
    ['Cluster, nothing subscribed: legacy wildcard', CDS, [], [], '*'],
    ['Listener, nothing subscribed: legacy wildcard', LDS, [], [], '*'],
    ['Cluster, "*": wildcard', CDS, ['*'], [], '*'],
    ['Cluster, "*" and a name', CDS, ['*', 'A'], [], '*,A'],
    ['Cluster, a name: no wildcard', CDS, ['A'], [], '[A]'],
    ['Cluster, only an unsubscription: no legacy wildcard', CDS, [], ['A'], '[]'],
    ['ClusterLoadAssignment, nothing: no wildcard for this type', EDS, [], [], '[]'],
    ['RouteConfiguration, nothing: no wildcard for this type', RDS, [], [], '[]'],
    ['Secret, "*": an ordinary name', SDS, ['*'], [], '[*]'],
  ] as const)('%s', (_label, typeUrl, subscribe, unsubscribe, expected) => {
    expect(sub(newDeltaWatchedType(typeUrl, first(typeUrl, [...subscribe], [...unsubscribe])))).toBe(expected)
  })

  it('keeps initial_resource_versions until a snapshot settles them', () => {
    const w = newDeltaWatchedType(CDS, { ...first(CDS), initial_resource_versions: { A: 'v1' } })
    expect(w.initialVersions).toEqual(new Map([['A', 'v1']]))
    expect(newDeltaWatchedType(CDS, first(CDS)).initialVersions).toBeUndefined()
  })
})

describe('withSubscriptionChanges', () => {
  const has = (typeUrl: XdsTypeUrl, wildcard: boolean, names: string[], returned: string[]): DeltaWatchedType => ({
    ...newDeltaWatchedType(typeUrl, first(typeUrl, wildcard ? ['*', ...names] : names)),
    returned: new Map(returned.map((n) => [n, resource(typeUrl, n)])),
  })

  it('follows the incremental example of xds_protocol step by step', () => {
    let w = newDeltaWatchedType(CDS, first(CDS))
    expect(sub(w)).toBe('*')
    w = withSubscriptionChanges(w, ['A'], [])
    expect(sub(w)).toBe('*,A')
    w = withSubscriptionChanges(w, [], ['*'])
    expect(sub(w)).toBe('[A]')
    w = withSubscriptionChanges(w, [], ['A'])
    expect(sub(w)).toBe('[]')
  })

  it('a subscribed name is forgotten from returned, so it is provided again', () => {
    const w = withSubscriptionChanges(has(EDS, false, ['a'], ['a']), ['a'], [])
    expect([...w.returned.keys()]).toEqual([])
  })

  it('leaving the wildcard keeps only what is subscribed by name', () => {
    const w = withSubscriptionChanges(has(CDS, true, ['A'], ['A', 'B']), [], ['*'])
    expect([...w.returned.keys()]).toEqual(['A'])
    expect(w.pendingRemovals.size).toBe(0)
  })

  it('unsubscribing a name under the wildcard forgets it and asks for a removal if it is missing', () => {
    const w = withSubscriptionChanges(has(CDS, true, ['A'], ['A', 'B']), [], ['A'])
    expect([...w.returned.keys()]).toEqual(['B'])
    expect([...w.pendingRemovals]).toEqual(['A'])
  })

  it('unsubscribing a name without a wildcard forgets it and asks for nothing', () => {
    const w = withSubscriptionChanges(has(EDS, false, ['a', 'b'], ['a', 'b']), [], ['b'])
    expect(sub(w)).toBe('[a]')
    expect([...w.returned.keys()]).toEqual(['a'])
    expect(w.pendingRemovals.size).toBe(0)
  })

  it('subscribe then unsubscribe "*" in one request ends without the wildcard', () => {
    expect(sub(withSubscriptionChanges(has(CDS, false, ['A'], []), ['*'], ['*']))).toBe('[A]')
  })
})
