import type protobuf from 'protobufjs'
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import type { StoredResource } from '../../../server/config/diff'
import { clearResourceMemo } from '../../../server/config/resource-memo'
import type { JsonValue } from '../../../server/config/resource-types'
import { validateConfig } from '../../../server/config/validate'
import { validateStoredConfig } from '../../../server/config/validate-stored'
import { storedFixtures } from '../../support/stored-resources'

// validateStoredConfig (#13) must say exactly what validateConfig says of the parsed bodies, in the
// same order, whether each resource's checks come from the memo or not.

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})
beforeEach(() => {
  clearResourceMemo(root)
})

const ads = { ads: {}, resource_api_version: 'V3' }

const { raw, stored, parsed } = storedFixtures(() => root)

const demo = (): StoredResource[] => DEMO_RESOURCES.map((r) => stored(r.type, r.name, r.resource))
const edsCluster = (name: string) => stored('Cluster', name, { name, type: 'EDS', connect_timeout: '1s', eds_cluster_config: { eds_config: ads } })
const assignment = (name: string, address = '10.0.0.1') =>
  stored('ClusterLoadAssignment', name, { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: 8080 } } } }] }] })
const route = (name: string, cluster: string) =>
  stored('RouteConfiguration', name, { name, virtual_hosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster } }] }] })
const tcpListener = (name: string, address: string, port: number, cluster = 'service') =>
  stored('Listener', name, {
    name,
    address: { socket_address: { address, port_value: port } },
    filter_chains: [{ filters: [{ name: 'tcp', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', stat_prefix: 'tcp', cluster } }] }],
  })
function nestedObject(levels: number): JsonValue {
  let value: JsonValue = { leaf: true }
  for (let i = 1; i < levels; i++) value = { a: value }
  return value
}
const deepCluster = (name: string) => stored('Cluster', name, { name, type: 'STATIC', connect_timeout: '1s', metadata: { filter_metadata: { x: nestedObject(40) } } })

const CONFIGS: ReadonlyArray<readonly [string, () => StoredResource[], readonly string[]]> = [
  ['a valid fleet', () => [...demo(), edsCluster('api'), assignment('api'), route('api_route', 'api')], []],
  ['a missing reference', () => [...demo(), route('api_route', 'api'), edsCluster('orders')], ['CONFIG.REFERENCE_MISSING', 'CONFIG.REFERENCE_MISSING']],
  [
    'a body with an unknown field, and a missing reference',
    () => [...demo(), raw('Cluster', 'web', { name: 'web', conect_timeout: '1s' }), route('api_route', 'api')],
    ['PROTO.UNKNOWN_FIELD', 'CONFIG.REFERENCE_MISSING'],
  ],
  [
    'a body with a value of the wrong type, a bad enum and an address clash',
    () => [...demo(), raw('Listener', 'l', { name: 'l', address: { socket_address: { address: '0.0.0.0', port_value: true } } }), raw('Cluster', 'c', { name: 'c', lb_policy: 'FASTEST' }), tcpListener('clash', '127.0.0.1', 10000)],
    ['PROTO.WRONG_TYPE', 'PROTO.BAD_ENUM', 'CONFIG.ADDRESS_CLASH'],
  ],
  ['a body whose name disagrees with where it is stored', () => [...demo(), raw('Cluster', 'web', { name: 'api', connect_timeout: '1s' })], ['CONFIG.NAME_MISMATCH']],
  ['a listener address clash', () => [...demo(), tcpListener('tcp_a', '0.0.0.0', 9000), tcpListener('tcp_b', '10.0.0.5', 9000), tcpListener('tcp_c', '10.0.0.6', 9001)], ['CONFIG.ADDRESS_CLASH']],
  ['a resource nested too deep, and a missing reference', () => [...demo(), deepCluster('deep'), route('api_route', 'api')], ['PROTO.TOO_DEEP', 'CONFIG.REFERENCE_MISSING']],
  [
    'a resource nested too deep and an address clash',
    () => [deepCluster('deep'), ...demo(), tcpListener('clash', '0.0.0.0', 10000)],
    ['PROTO.TOO_DEEP', 'CONFIG.ADDRESS_CLASH'],
  ],
  // Not canonical as stored: readResource fills in the name; both functions must check the read copy.
  ['bodies stored without their name field', () => [...demo(), raw('Cluster', 'api', { type: 'EDS', eds_cluster_config: { eds_config: ads } }), raw('ClusterLoadAssignment', 'api', {})], []],
  ['a missing reference from a body stored without its name field', () => [...demo(), raw('Cluster', 'api', { type: 'EDS', eds_cluster_config: { eds_config: ads } })], ['CONFIG.REFERENCE_MISSING']],
  // proto3 JSON names (camelCase) read as canonical field names: only the read copy shows the references.
  [
    'missing references written with proto3 JSON (camelCase) names',
    () => [...demo(), raw('Cluster', 'api', { name: 'api', type: 'EDS', edsClusterConfig: { edsConfig: { ads: {} } } }), raw('RouteConfiguration', 'r', { name: 'r', virtualHosts: [{ name: 'vh', domains: ['*'], routes: [{ match: { prefix: '/' }, route: { cluster: 'nowhere' } }] }] })],
    ['CONFIG.REFERENCE_MISSING', 'CONFIG.REFERENCE_MISSING'],
  ],
]

describe('validateStoredConfig', () => {
  it.each(CONFIGS)('gives the issues of validateConfig, in the same order, for %s', (_label, make, codes) => {
    const config = make()
    const expected = validateConfig(root, parsed(config))
    expect(expected.map((i) => i.code)).toEqual(codes)
    const result = validateStoredConfig(root, config)
    expect(result.issues).toEqual(expected)
    expect(result.resources).toEqual(parsed(config))
  })

  it.each(CONFIGS)('gives the same result a second time, from the memo, for %s', (_label, make) => {
    const config = make()
    const first = validateStoredConfig(root, config)
    const second = validateStoredConfig(root, make())
    expect(second.issues).toEqual(first.issues)
    expect(second.issues).toEqual(validateConfig(root, parsed(config)))
    // The memo hit: the same parsed objects (what the analysis memo keys on).
    second.resources.forEach((r, i) => expect(r).toBe(first.resources[i]))
  })

  it.each(CONFIGS)('gives the same issues when nothing may be remembered, for %s', (_label, make) => {
    const config = make()
    const warm = validateStoredConfig(root, config)
    const cold = validateStoredConfig(root, config, () => false)
    expect(cold.issues).toEqual(warm.issues)
    // Nothing handed out from the memo: fresh objects.
    cold.resources.forEach((r, i) => expect(r).not.toBe(warm.resources[i]))
  })

  it('checks all configs again after the memo saw them in another order', () => {
    for (const [, make] of CONFIGS) validateStoredConfig(root, make())
    for (const [, make] of [...CONFIGS].reverse()) expect(validateStoredConfig(root, make()).issues).toEqual(validateConfig(root, parsed(make())))
  })

  it('follows a change: the reference check runs over the whole config, not from the memo', () => {
    const valid = [...demo(), edsCluster('api'), assignment('api')]
    expect(validateStoredConfig(root, valid).issues).toEqual([])
    // Same resources (memo hits), one removed: its referrer's reference is now missing.
    const withoutAssignment = valid.filter((r) => r.type !== 'ClusterLoadAssignment')
    const issues = validateStoredConfig(root, withoutAssignment).issues
    expect(issues).toEqual(validateConfig(root, parsed(withoutAssignment)))
    expect(issues).toEqual([expect.objectContaining({ code: 'CONFIG.REFERENCE_MISSING', resource: { type: 'Cluster', name: 'api' } })])
    // A changed body of the same name is read again.
    const broken = [...valid.filter((r) => !(r.type === 'Cluster' && r.name === 'api')), raw('Cluster', 'api', { name: 'api', type: 'EDS', eds_cluster_config: { eds_config: ads }, lb_policy: 'NOPE' })]
    expect(validateStoredConfig(root, broken).issues).toEqual(validateConfig(root, parsed(broken)))
    expect(validateStoredConfig(root, broken).issues.map((i) => i.code)).toEqual(['PROTO.BAD_ENUM'])
    expect(validateStoredConfig(root, valid).issues).toEqual([])
  })

  it('mixes remembered and not remembered resources without changing the issues', () => {
    const config = [...demo(), raw('Cluster', 'web', { name: 'web', conect_timeout: '1s' }), route('api_route', 'api')]
    const expected = validateConfig(root, parsed(config))
    const secretKeys = new Set(['Cluster/web', 'Listener/listener_0'])
    const result = validateStoredConfig(root, config, (r) => !secretKeys.has(`${r.type}/${r.name}`))
    expect(result.issues).toEqual(expected)
    const again = validateStoredConfig(root, config, (r) => !secretKeys.has(`${r.type}/${r.name}`))
    expect(again.issues).toEqual(expected)
    config.forEach((r, i) => {
      if (secretKeys.has(`${r.type}/${r.name}`)) expect(again.resources[i]).not.toBe(result.resources[i])
      else expect(again.resources[i]).toBe(result.resources[i])
    })
  })
})
