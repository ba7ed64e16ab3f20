import { describe, expect, it } from 'vitest'
import { lineOfPath, locatePath, parseIssuePath } from '@/components/editor/line-of-path'
import { formatResource } from '@/components/editor/parse-text'
import { DEMO_RESOURCES } from '@/server/config/demo'

const cluster = DEMO_RESOURCES.find((r) => r.type === 'Cluster')!.resource
const listener = DEMO_RESOURCES.find((r) => r.type === 'Listener')!.resource

const YAML_TEXT = `name: service
connect_timeout: 0.25s
type: STRICT_DNS
lb_policy: ROUND_ROBIN
load_assignment:
  cluster_name: service
  endpoints:
    - lb_endpoints:
        - endpoint:
            address:
              socket_address:
                address: service1
                port_value: 70000
        - endpoint:
            address:
              socket_address: { address: service2, port_value: 8080 }
metadata:
  filter_metadata:
    envoy.lb:
      canary: true
`

describe('parseIssuePath', () => {
  it('splits dotted fields, list indexes and quoted map keys', () => {
    expect(parseIssuePath('a.b[0].c')).toEqual(['a', 'b', 0, 'c'])
    expect(parseIssuePath('filter_chains[0].filters[0].typed_config.@type')).toEqual(['filter_chains', 0, 'filters', 0, 'typed_config', '@type'])
    expect(parseIssuePath('typed_per_filter_config["envoy.filters.http.cors"].x')).toEqual(['typed_per_filter_config', 'envoy.filters.http.cors', 'x'])
    expect(parseIssuePath('')).toEqual([])
  })
})

describe('lineOfPath', () => {
  it.each([
    ['name', 1],
    ['connect_timeout', 2],
    ['load_assignment', 5],
    ['load_assignment.endpoints[0]', 8],
    ['load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value', 13],
    ['load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.address', 12],
    // Flow style on one line.
    ['load_assignment.endpoints[0].lb_endpoints[1].endpoint.address.socket_address.port_value', 16],
    // A map key with dots.
    ['metadata.filter_metadata.envoy.lb.canary', 20],
  ])('finds %s on line %i', (path, line) => {
    expect(lineOfPath(YAML_TEXT, path)).toBe(line)
  })

  it('falls back to the nearest parent for a field that is not there', () => {
    expect(locatePath(YAML_TEXT, 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.health_check_config.port_value')).toMatchObject({ line: 9, exact: false })
    expect(locatePath(YAML_TEXT, 'load_assignment.endpoints[5].lb_endpoints')).toMatchObject({ line: 7, exact: false })
    expect(locatePath(YAML_TEXT, 'outlier_detection')).toMatchObject({ line: 1, exact: false })
  })

  it('points at the key, so the editor can underline it', () => {
    const at = locatePath(YAML_TEXT, 'connect_timeout')!
    expect(YAML_TEXT.slice(at.from, at.to)).toBe('connect_timeout')
  })

  it('works on what the console prints, in YAML and in JSON', () => {
    const yaml = formatResource(cluster, 'yaml')
    const json = formatResource(cluster, 'json')
    const path = 'load_assignment.endpoints[0].lb_endpoints[0].endpoint.address.socket_address.port_value'
    expect(yaml.split('\n')[lineOfPath(yaml, path)! - 1]).toMatch(/^\s+port_value: 8080$/)
    expect(json.split('\n')[lineOfPath(json, path)! - 1]).toMatch(/^\s+"port_value": 8080$/)
    const typePath = 'filter_chains[0].filters[0].typed_config.@type'
    const listenerYaml = formatResource(listener, 'yaml')
    expect(listenerYaml.split('\n')[lineOfPath(listenerYaml, typePath)! - 1]).toContain('"@type": type.googleapis.com/envoy.extensions.filters.network.http_connection_manager')
  })

  it('returns null for an empty document', () => {
    expect(lineOfPath('', 'name')).toBeNull()
  })
})
