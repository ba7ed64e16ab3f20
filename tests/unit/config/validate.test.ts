import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import type { ConfigResource } from '../../../server/config/resource-types'
import { validateConfig, validateResource } from '../../../server/config/validate'

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})

describe('validateResource', () => {
  it('accepts the demo resources and returns canonical JSON', () => {
    for (const r of DEMO_RESOURCES) {
      const result = validateResource(root, r.type, r.name, r.resource)
      expect(result.issues, `${r.type}/${r.name}`).toEqual([])
      expect(result.resource).not.toBeNull()
    }
  })

  it('fills in the name from where the resource is saved, using the type’s own name field', () => {
    expect(validateResource(root, 'Cluster', 'web', { connect_timeout: '1s' }).resource).toMatchObject({ name: 'web' })
    expect(validateResource(root, 'ClusterLoadAssignment', 'web', {}).resource).toMatchObject({ cluster_name: 'web' })
  })

  it.each([
    ['a name that disagrees with where it is saved', 'Cluster', 'web', { name: 'api' }, 'name', 'CONFIG.NAME_MISMATCH'],
    ['an unknown field', 'Cluster', 'web', { conect_timeout: '1s' }, 'conect_timeout', 'PROTO.UNKNOWN_FIELD'],
    ['a wrong type', 'Listener', 'l', { address: { socket_address: { address: '0.0.0.0', port_value: true } } }, 'address.socket_address.port_value', 'PROTO.WRONG_TYPE'],
    ['a bad enum', 'Cluster', 'web', { lb_policy: 'FASTEST' }, 'lb_policy', 'PROTO.BAD_ENUM'],
    ['a bad duration', 'Cluster', 'web', { connect_timeout: '5 minutes' }, 'connect_timeout', 'PROTO.BAD_VALUE'],
    ['a protoc-gen-validate rule', 'RouteConfiguration', 'r', { virtual_hosts: [{ name: 'vh', domains: [] }] }, 'virtual_hosts[0].domains', 'PROTO.CONSTRAINT'],
    ['an unknown @type in typed_config', 'Listener', 'l', { filter_chains: [{ filters: [{ name: 'x', typed_config: { '@type': 'type.googleapis.com/no.such.Type' } }] }] }, 'filter_chains[0].filters[0].typed_config.@type', 'PROTO.UNKNOWN_TYPE'],
  ] as const)('reports %s with its path', (_label, type, name, input, path, code) => {
    const result = validateResource(root, type, name, input)
    expect(result.resource).toBeNull()
    expect(result.issues).toContainEqual(expect.objectContaining({ path, code, resource: { type, name } }))
  })

  it('refuses names that cannot be used in URLs or by Envoy', () => {
    expect(validateResource(root, 'Cluster', 'has space', {}).issues[0]).toMatchObject({ path: 'name', code: 'PROTO.BAD_VALUE' })
    expect(validateResource(root, 'Cluster', 'a/b', {}).issues).toHaveLength(1)
  })

  it('refuses something that is not an object', () => {
    expect(validateResource(root, 'Cluster', 'web', ['x']).issues[0]).toMatchObject({ code: 'PROTO.WRONG_TYPE' })
  })
})

describe('validateConfig', () => {
  it('passes the demo config', () => {
    expect(validateConfig(root, DEMO_RESOURCES)).toEqual([])
  })

  it('combines proto problems, dangling references and address clashes', () => {
    const [listener, route] = DEMO_RESOURCES
    const clash: ConfigResource = { ...listener!, name: 'listener_1', resource: { ...listener!.resource, name: 'listener_1' } }
    const badCluster: ConfigResource = { type: 'Cluster', name: 'other', resource: { name: 'other', lb_policy: 'NOPE' } }
    const issues = validateConfig(root, [listener!, route!, clash, badCluster])
    expect(issues.map((i) => i.code).sort()).toEqual(['CONFIG.ADDRESS_CLASH', 'CONFIG.REFERENCE_MISSING', 'PROTO.BAD_ENUM'])
  })
})
