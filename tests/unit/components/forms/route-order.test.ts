import { describe, expect, it } from 'vitest'
import { dropIndex, isCatchAllRoute, reorder, routeFindings, routeInsertIndex } from '../../../../components/forms/route-order'
import type { Finding } from '../../../../server/contract'

const to = (match: Record<string, unknown>) => ({ match, route: { cluster: 'c' } })

describe('isCatchAllRoute', () => {
  it.each([
    ['prefix /', to({ prefix: '/' }), true],
    ["prefix ''", to({ prefix: '' }), true],
    ['prefix / case-insensitive', to({ prefix: '/', case_sensitive: false }), true],
    ['prefix /api', to({ prefix: '/api' }), false],
    ['prefix / with a header', to({ prefix: '/', headers: [{ name: 'x-canary', present_match: true }] }), false],
    ['prefix / with a query parameter', to({ prefix: '/', query_parameters: [{ name: 'debug' }] }), false],
    ['prefix / for gRPC only', to({ prefix: '/', grpc: {} }), false],
    ['a regex .*', to({ safe_regex: { regex: '.*' } }), false],
    ['no match', { route: { cluster: 'c' } }, false],
  ])('%s → %s', (_name, route, expected) => {
    expect(isCatchAllRoute(route as never)).toBe(expected)
  })
})

describe('routeInsertIndex', () => {
  it('is before the catch-all', () => {
    expect(routeInsertIndex([to({ prefix: '/' })] as never)).toBe(0)
    expect(routeInsertIndex([to({ prefix: '/api' }), to({ prefix: '/' })] as never)).toBe(1)
  })
  it('is before the first of several catch-alls', () => {
    expect(routeInsertIndex([to({ prefix: '/a' }), to({ prefix: '' }), to({ prefix: '/' })] as never)).toBe(1)
  })
  it('is at the end when nothing catches everything', () => {
    expect(routeInsertIndex([to({ prefix: '/a' }), to({ prefix: '/', headers: [{ name: 'h', present_match: true }] })] as never)).toBe(2)
    expect(routeInsertIndex([])).toBe(0)
  })
})

describe('reorder and dropIndex', () => {
  const list = ['a', 'b', 'c', 'd']
  it('moves one item, like react-hook-form move()', () => {
    expect(reorder(list, 0, 2)).toEqual(['b', 'c', 'a', 'd'])
    expect(reorder(list, 3, 0)).toEqual(['d', 'a', 'b', 'c'])
    expect(reorder(list, 1, 1)).toEqual(list)
    expect(reorder(list, 9, 0)).toEqual(list)
  })
  it.each([
    // [from, over, after, result]
    [0, 2, false, ['b', 'a', 'c', 'd']],
    [0, 2, true, ['b', 'c', 'a', 'd']],
    [3, 0, false, ['d', 'a', 'b', 'c']],
    [3, 0, true, ['a', 'd', 'b', 'c']],
    [1, 1, true, ['a', 'b', 'c', 'd']],
    [2, 3, true, ['a', 'b', 'd', 'c']],
  ])('dragging item %i onto %i (after: %s)', (from, over, after, expected) => {
    expect(reorder(list, from, dropIndex(from, over, after))).toEqual(expected)
  })
})

describe('routeFindings', () => {
  const f = (path: string): Finding => ({ severity: 'warning', code: 'ROUTE.SHADOWED', resource: { type: 'RouteConfiguration', name: 'r' }, path, message: 'never matches' })
  it('picks the findings at or under one route of one virtual host', () => {
    const all = [f('virtual_hosts[0].routes[1].match.prefix'), f('virtual_hosts[0].routes[10].match.prefix'), f('virtual_hosts[1].routes[1].match.prefix'), f('virtual_hosts[0].routes[1]')]
    expect(routeFindings(all, 0, 1).map((x) => x.path)).toEqual(['virtual_hosts[0].routes[1].match.prefix', 'virtual_hosts[0].routes[1]'])
    expect(routeFindings(all, 0, 2)).toEqual([])
  })
})
