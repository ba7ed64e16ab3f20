import { describe, expect, it } from 'vitest'
import { mergeThreeWay } from '../../../../components/resources/three-way-merge'

const BASE = {
  name: 'service',
  connect_timeout: '0.25s',
  type: 'STRICT_DNS',
  lb_policy: 'ROUND_ROBIN',
  load_assignment: {
    cluster_name: 'service',
    endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'service1', port_value: 8080 } } } }] }],
  },
}

type Json = Record<string, unknown>
const withKey = (o: Json, key: string, value: unknown): Json => ({ ...o, [key]: value })
const without = (o: Json, key: string): Json => Object.fromEntries(Object.entries(o).filter(([k]) => k !== key))
const withAddress = (o: Json, address: string, port = 8080): Json => ({
  ...o,
  load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }] },
})
const endpoint = (address: string) => ({ endpoint: { address: { socket_address: { address, port_value: 8080 } } } })
const withEndpoints = (o: Json, ...addresses: string[]): Json => ({ ...o, load_assignment: { cluster_name: 'service', endpoints: [{ lb_endpoints: addresses.map(endpoint) }] } })

describe('mergeThreeWay: base, mine, theirs', () => {
  it.each([
    ['different top-level fields', withKey(BASE, 'connect_timeout', '2s'), withKey(BASE, 'lb_policy', 'LEAST_REQUEST'), { ...BASE, connect_timeout: '2s', lb_policy: 'LEAST_REQUEST' }],
    ['a field added on each side', withKey(BASE, 'dns_lookup_family', 'V4_ONLY'), withKey(BASE, 'respect_dns_ttl', true), { ...BASE, respect_dns_ttl: true, dns_lookup_family: 'V4_ONLY' }],
    ['a field removed by me, another changed by them', without(BASE, 'lb_policy'), withKey(BASE, 'connect_timeout', '1s'), { ...without(BASE, 'lb_policy'), connect_timeout: '1s' }],
    ['the same change on both sides', withKey(BASE, 'lb_policy', 'MAGLEV'), withKey(BASE, 'lb_policy', 'MAGLEV'), withKey(BASE, 'lb_policy', 'MAGLEV')],
    ['different leaves deep in a list item (same lengths)', withAddress(BASE, 'service2'), withAddress(BASE, 'service1', 9090), withAddress(BASE, 'service2', 9090)],
    ['a list only I changed, to another length, and a field they changed', withEndpoints(BASE, 'service1', 'service2'), withKey(BASE, 'lb_policy', 'RANDOM'), { ...withEndpoints(BASE, 'service1', 'service2'), lb_policy: 'RANDOM' }],
    ['a mapping both added, with different keys', withKey(BASE, 'circuit_breakers', { thresholds: [{ max_connections: 10 }] }), withKey(BASE, 'circuit_breakers', { per_host_thresholds: [{ max_connections: 2 }] }), withKey(BASE, 'circuit_breakers', { per_host_thresholds: [{ max_connections: 2 }], thresholds: [{ max_connections: 10 }] })],
  ])('%s: both kept', (_, mine, theirs, expected) => {
    const result = mergeThreeWay(BASE, mine as never, theirs as never)
    expect(result).toEqual({ ok: true, merged: expected })
  })

  it('lists the paths both changed differently, and gives no merged result', () => {
    const mine = withKey(withKey(BASE, 'lb_policy', 'MAGLEV'), 'connect_timeout', '3s')
    const theirs = withKey(withAddress(BASE, 'service1', 9090), 'lb_policy', 'RANDOM')
    const result = mergeThreeWay(BASE, mine as never, withKey(theirs, 'connect_timeout', '4s') as never)
    expect(result).toEqual({
      ok: false,
      conflicts: [
        { path: 'connect_timeout', reason: 'both-changed', base: '0.25s', mine: '3s', theirs: '4s' },
        { path: 'lb_policy', reason: 'both-changed', base: 'ROUND_ROBIN', mine: 'MAGLEV', theirs: 'RANDOM' },
      ],
    })
  })

  it('a conflict deep in a list item is named by its path', () => {
    const result = mergeThreeWay(BASE, withAddress(BASE, 'mine.example') as never, withAddress(BASE, 'theirs.example') as never)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.conflicts.map((c) => c.path)).toEqual(['load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address'])
  })

  it('a list both changed to different lengths is one conflict at the list', () => {
    const result = mergeThreeWay(BASE, withEndpoints(BASE, 'service1', 'a') as never, withEndpoints(BASE, 'service1', 'b', 'c') as never)
    expect(!result.ok && result.conflicts.map((c) => [c.path, c.reason])).toEqual([['load_assignment.endpoints[0].lb_endpoints', 'list-lengths']])
  })

  it('a removal against a change is a conflict', () => {
    const result = mergeThreeWay(BASE, without(BASE, 'lb_policy') as never, withKey(BASE, 'lb_policy', 'RANDOM') as never)
    expect(result).toMatchObject({ ok: false, conflicts: [{ path: 'lb_policy', mine: undefined, theirs: 'RANDOM' }] })
  })

  it('map keys that are not identifiers are quoted in paths', () => {
    const base = { name: 'r', typed_per_filter_config: { 'envoy.filters.http.cors': { a: 1 } } }
    const result = mergeThreeWay(base, { name: 'r', typed_per_filter_config: { 'envoy.filters.http.cors': { a: 2 } } }, { name: 'r', typed_per_filter_config: { 'envoy.filters.http.cors': { a: 3 } } })
    expect(!result.ok && result.conflicts[0]!.path).toBe('typed_per_filter_config["envoy.filters.http.cors"].a')
  })

  it('keeps their key order, mine’s new keys after: the merge reads as a diff against theirs', () => {
    const theirs = { lb_policy: 'RANDOM', ...without(BASE, 'lb_policy') }
    const result = mergeThreeWay(BASE, withKey(BASE, 'zz_new', 1) as never, theirs as never)
    expect(result.ok && Object.keys(result.merged)).toEqual([...Object.keys(theirs), 'zz_new'])
  })
})
