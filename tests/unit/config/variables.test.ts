import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import type { StoredResource } from '../../../server/config/diff'
import { serializeResource, sha256Hex } from '../../../server/config/hash'
import { renderConfig, renderForDisplay, renderStored } from '../../../server/config/render'
import type { ConfigResource, ResourceJson } from '../../../server/config/resource-types'
import { validateResource } from '../../../server/config/validate'
import { diffVariables, hasPlaceholder, mergeWithTemplate, placeholdersIn, substituteResource } from '../../../server/config/variables'

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})

const cluster = (name: string, address: string, port: string | number): ConfigResource => ({
  type: 'Cluster',
  name,
  resource: {
    name,
    type: 'STATIC',
    connect_timeout: '1s',
    load_assignment: { cluster_name: name, endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address, port_value: port } } } }] }] },
  } as ResourceJson,
})
const stored = (r: ConfigResource): StoredResource => {
  const body = serializeResource(r.resource)
  return { type: r.type, name: r.name, body, hash: sha256Hex(body) }
}
const PORT_PATH = 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value'

describe('placeholders', () => {
  it('are found in strings, and $${…} is a literal', () => {
    expect(hasPlaceholder('${SERVICE_NAME}')).toBe(true)
    expect(hasPlaceholder('svc-${SERVICE_NAME}.local')).toBe(true)
    expect(hasPlaceholder('$${NOT_ONE}')).toBe(false)
    expect(hasPlaceholder('${1BAD}')).toBe(false)
    expect(placeholdersIn(cluster('c', '${HOST}', '${PORT}').resource)).toEqual(['HOST', 'PORT'])
  })

  it('are substituted with the values; an unknown one is an issue at its field and stays', () => {
    const out = substituteResource(cluster('c', '${HOST}', '${PORT}'), new Map([['HOST', 'service1']]))
    expect(out.issues).toEqual([expect.objectContaining({ code: 'CONFIG.UNKNOWN_VARIABLE', resource: { type: 'Cluster', name: 'c' }, path: PORT_PATH })])
    expect(out.issues[0]!.message).toContain('${PORT}')
    expect(JSON.stringify(out.resource.resource)).toContain('"address":"service1"')
    expect(JSON.stringify(out.resource.resource)).toContain('"port_value":"${PORT}"')
    expect([...out.used]).toEqual(['HOST'])
    const escaped = substituteResource({ type: 'Cluster', name: 'c', resource: { name: 'c', alt_stat_name: 'a$${B}' } }, new Map())
    expect(escaped.issues).toEqual([])
    expect(escaped.resource.resource['alt_stat_name']).toBe('a${B}')
  })

  it('are accepted in a numeric field given as a string when saving, and refused without the option', () => {
    const input = cluster('c', '${HOST}', '${PORT}').resource
    expect(validateResource(root, 'Cluster', 'c', input, { placeholders: true }).issues).toEqual([])
    expect(validateResource(root, 'Cluster', 'c', input).issues.map((i) => i.path)).toEqual([PORT_PATH])
  })
})

describe('renderConfig', () => {
  it('turns a port given as "${PORT}" into the number it names, canonical as any resource', () => {
    const out = renderConfig(root, [cluster('c', '${HOST}', '${PORT}')], new Map([['HOST', '10.0.0.7'], ['PORT', '8081']]))
    expect(out.issues).toEqual([])
    const plain = validateResource(root, 'Cluster', 'c', cluster('c', '10.0.0.7', 8081).resource).resource
    expect(out.resources[0]!.resource).toEqual(plain)
  })

  it('reports a value that does not fit its field, at the field, and leaves the resource out', () => {
    const out = renderConfig(root, [cluster('c', 'h', '${PORT}')], new Map([['PORT', 'eighty']]))
    expect(out.resources).toEqual([])
    expect(out.issues).toHaveLength(1)
    expect(out.issues[0]!.path).toBe(PORT_PATH)
    expect(out.issues[0]!.message).toContain('${PORT}')
  })
})

describe('templates', () => {
  it('merge: own resources and variables win over the template', () => {
    const merged = mergeWithTemplate(
      { resources: [stored(cluster('b', 'own', 1))], variables: { NAME: { value: 'own', secret: false } } },
      { resources: [stored(cluster('a', 't', 1)), stored(cluster('b', 't', 1))], variables: { NAME: { value: 't', secret: false }, OTHER: { value: 'x', secret: false } } },
    )
    expect(merged.resources.map((r) => `${r.name}:${JSON.parse(r.body).load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address}`)).toEqual(['a:t', 'b:own'])
    expect(merged.variables).toEqual({ NAME: { value: 'own', secret: false }, OTHER: { value: 'x', secret: false } })
  })

  it('render per fleet: two fleets on one template each get their own value', () => {
    const template = { ref: 'base@1', resources: [stored(cluster('svc', '${SERVICE_NAME}', '${SERVICE_PORT}'))], variables: { SERVICE_PORT: { value: '8080', secret: false } } }
    const address = (name: string) => {
      const out = renderStored(root, { resources: [], variables: { SERVICE_NAME: { value: name, secret: false } }, template }, { reveal: (v) => v.value })
      expect(out.issues).toEqual([])
      return JSON.parse(out.resources[0]!.body).load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address
    }
    expect(address('staging.internal')).toEqual({ address: 'staging.internal', port_value: 8080 })
    expect(address('prod.internal')).toEqual({ address: 'prod.internal', port_value: 8080 })
  })

  it('display rendering shows a secret variable as its marker, never its value', () => {
    const sealed = 'legation:sealed:v1:0123abcd:Q2lwaGVy'
    const out = renderForDisplay(root, { resources: [stored(cluster('c', '${HOST}', 80))], variables: { HOST: { value: sealed, secret: true } }, template: null })
    expect(out[0]!.body).toContain('<set:0123abcd>')
    expect(out[0]!.body).not.toContain('Q2lwaGVy')
  })
})

describe('diffVariables', () => {
  it('lists added, changed and removed variables, without a secret value', () => {
    const changes = diffVariables(
      { A: { value: '1', secret: false }, B: { value: 'x', secret: false }, S: { value: 'sealed-1', secret: true } },
      { A: { value: '2', secret: false }, C: { value: 'new', secret: false }, S: { value: 'sealed-2', secret: true } },
    )
    expect(changes).toEqual([
      { name: 'A', change: 'modified', secret: false, before: '1', after: '2' },
      { name: 'B', change: 'removed', secret: false, before: 'x', after: null },
      { name: 'C', change: 'added', secret: false, before: null, after: 'new' },
      { name: 'S', change: 'modified', secret: true, before: null, after: null },
    ])
    expect(diffVariables({ A: { value: '1', secret: false } }, { A: { value: '1', secret: false } })).toEqual([])
  })
})
