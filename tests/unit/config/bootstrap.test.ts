import type protobuf from 'protobufjs'
import { parse } from 'yaml'
import { beforeAll, describe, expect, it } from 'vitest'
import { ZodError } from 'zod'
import { loadEnvoyRoot } from '../../../proto/loader'
import {
  bootstrapDefaults,
  bootstrapToYaml,
  buildEnvoyBootstrap,
  hostnameOfHostHeader,
  parseBootstrapQuery,
  type BootstrapDefaults,
} from '../../../server/config/bootstrap'
import { readProtoJson } from '../../../server/config/proto-json'

const BOOTSTRAP = 'envoy.config.bootstrap.v3.Bootstrap'
const HTTP_OPTIONS_KEY = 'envoy.extensions.upstreams.http.v3.HttpProtocolOptions'
const DEMO = { fleet: 'demo', nodeId: 'envoy-1', xdsHost: 'legation', xdsPort: 18000, adminPort: 19000 } as const

let root: protobuf.Root

beforeAll(() => {
  root = loadEnvoyRoot()
})

type Json = Record<string | number, unknown>

/** A copy of the demo bootstrap with each `[path, value]` set, to break it on purpose. */
function demoWith(...changes: Array<[path: Array<string | number>, value: unknown]>): Json {
  const copy = structuredClone(buildEnvoyBootstrap(DEMO)) as Json
  for (const [path, value] of changes) {
    const parent = path.slice(0, -1).reduce<Json>((at, key) => at[key] as Json, copy)
    parent[path.at(-1)!] = value
  }
  return copy
}

describe('buildEnvoyBootstrap', () => {
  it('parses against the Envoy Bootstrap proto with no issues', () => {
    expect(readProtoJson(root, BOOTSTRAP, buildEnvoyBootstrap(DEMO)).issues).toEqual([])
  })

  it('names the node after the fleet and subscribes LDS and CDS over ADS', () => {
    const b = buildEnvoyBootstrap(DEMO)
    expect(b['node']).toEqual({ id: 'envoy-1', cluster: 'demo' })
    expect(b['dynamic_resources']).toEqual({
      ads_config: {
        api_type: 'GRPC',
        transport_api_version: 'V3',
        grpc_services: [{ envoy_grpc: { cluster_name: 'xds_cluster' } }],
        set_node_on_first_message_only: true,
      },
      lds_config: { ads: {}, resource_api_version: 'V3' },
      cds_config: { ads: {}, resource_api_version: 'V3' },
    })
  })

  it('reaches the control plane through one static HTTP/2 cluster with TCP keepalive', () => {
    const b = buildEnvoyBootstrap(DEMO)
    expect(b['static_resources']).toEqual({
      clusters: [
        {
          name: 'xds_cluster',
          type: 'STRICT_DNS',
          connect_timeout: '1s',
          typed_extension_protocol_options: {
            [HTTP_OPTIONS_KEY]: { '@type': `type.googleapis.com/${HTTP_OPTIONS_KEY}`, explicit_http_config: { http2_protocol_options: {} } },
          },
          upstream_connection_options: { tcp_keepalive: expect.any(Object) },
          load_assignment: {
            cluster_name: 'xds_cluster',
            endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'legation', port_value: 18000 } } } }] }],
          },
        },
      ],
    })
  })

  it('listens for admin on every interface at the given port', () => {
    expect(buildEnvoyBootstrap({ ...DEMO, adminPort: 9901 })['admin']).toEqual({ address: { socket_address: { address: '0.0.0.0', port_value: 9901 } } })
  })

  it('would catch a wrong field: the proto check is not vacuous', () => {
    const xds = ['static_resources', 'clusters', 0]
    const broken = demoWith(
      [[...xds, 'conect_timeout'], '1s'],
      [[...xds, 'typed_extension_protocol_options', HTTP_OPTIONS_KEY, 'explicit_http_config', 'http2_protocol_option'], {}],
      [['admin', 'address', 'socket_address', 'port_value'], 70000],
    )
    const issues = readProtoJson(root, BOOTSTRAP, broken).issues.map(({ code, path }) => ({ code, path }))
    expect(issues).toEqual([
      { code: 'PROTO.UNKNOWN_FIELD', path: 'static_resources.clusters[0].conect_timeout' },
      // Inside the Any: the typed extension options are checked against their own message.
      { code: 'PROTO.UNKNOWN_FIELD', path: `static_resources.clusters[0].typed_extension_protocol_options["${HTTP_OPTIONS_KEY}"].explicit_http_config.http2_protocol_option` },
      { code: 'PROTO.CONSTRAINT', path: 'admin.address.socket_address.port_value' },
    ])
  })
})

describe('bootstrapToYaml', () => {
  it('round-trips to the same JSON, without anchors or aliases', () => {
    const text = bootstrapToYaml(buildEnvoyBootstrap(DEMO))
    expect(parse(text)).toEqual(buildEnvoyBootstrap(DEMO))
    expect(text).not.toMatch(/[&*]a\d/)
  })

  it('quotes strings that Envoy (yaml-cpp, YAML 1.1) would read as booleans or numbers', () => {
    const text = bootstrapToYaml(buildEnvoyBootstrap({ ...DEMO, fleet: 'on', nodeId: 'yes' }))
    expect(text).toContain('id: "yes"')
    expect(text).toContain('cluster: "on"')
    expect(parse(text).node).toEqual({ id: 'yes', cluster: 'on' })
  })

  it('quotes an IPv6 xds_host', () => {
    const text = bootstrapToYaml(buildEnvoyBootstrap({ ...DEMO, xdsHost: '::1' }))
    expect(text).toContain('address: "::1"')
    expect(parse(text)).toEqual(buildEnvoyBootstrap({ ...DEMO, xdsHost: '::1' }))
  })
})

describe('bootstrapDefaults', () => {
  it('prefers the public settings', () => {
    expect(bootstrapDefaults({ publicHost: 'legation', publicPort: 443, xdsPort: 18000 })).toEqual({ xdsHost: 'legation', xdsPort: 443 })
  })

  it('falls back to XDS_PORT, then 18000; an XDS_PORT of 0 (any free port) is no use to a proxy', () => {
    expect(bootstrapDefaults({ xdsPort: 18001 })).toEqual({ xdsHost: undefined, xdsPort: 18001 })
    expect(bootstrapDefaults({ xdsPort: 0 })).toEqual({ xdsHost: undefined, xdsPort: 18000 })
  })
})

describe('hostnameOfHostHeader', () => {
  it.each([
    ['legation:3000', 'legation'],
    ['127.0.0.1:3000', '127.0.0.1'],
    ['[::1]:3000', '::1'],
    ['Example.COM', 'example.com'],
    ['', undefined],
    [null, undefined],
    ['bad host:1', undefined],
  ])('%j → %j', (header, expected) => {
    expect(hostnameOfHostHeader(header)).toBe(expected)
  })
})

describe('parseBootstrapQuery', () => {
  const defaults: BootstrapDefaults = { xdsHost: undefined, xdsPort: 18000 }
  const parseQuery = (query: string, overrides: { defaults?: BootstrapDefaults; requestHost?: string } = {}) =>
    parseBootstrapQuery({ fleet: 'demo', search: new URLSearchParams(query), defaults: overrides.defaults ?? defaults, requestHost: overrides.requestHost })
  const pathsOf = (fn: () => unknown): string[] => {
    try {
      fn()
    } catch (err) {
      if (err instanceof ZodError) return err.issues.map((i) => i.path.join('.'))
      throw err
    }
    throw new Error('expected a ZodError')
  }

  it('applies the defaults: YAML, envoy-<fleet>, the Host name, XDS port and admin 19000', () => {
    expect(parseQuery('', { requestHost: 'cp.example' })).toEqual({ format: 'yaml', node_id: 'envoy-demo', xds_host: 'cp.example', xds_port: 18000, admin_port: 19000 })
  })

  it('takes the configured public host over the Host header, and the query over both', () => {
    const configured = { xdsHost: 'legation', xdsPort: 18000 }
    expect(parseQuery('', { defaults: configured, requestHost: 'cp.example' }).xds_host).toBe('legation')
    expect(parseQuery('xds_host=10.0.0.5', { defaults: configured, requestHost: 'cp.example' }).xds_host).toBe('10.0.0.5')
  })

  it('reads every parameter', () => {
    expect(parseQuery('format=json&node_id=envoy-1&xds_host=legation&xds_port=18001&admin_port=9901')).toEqual({ format: 'json', node_id: 'envoy-1', xds_host: 'legation', xds_port: 18001, admin_port: 9901 })
    expect(parseQuery('xds_host=fd00::1').xds_host).toBe('fd00::1')
  })

  it('names each bad parameter', () => {
    expect(pathsOf(() => parseQuery('xds_host=h&xds_port=abc'))).toEqual(['xds_port'])
    expect(pathsOf(() => parseQuery('xds_host=h&xds_port=0&admin_port=65536'))).toEqual(['xds_port', 'admin_port'])
    expect(pathsOf(() => parseQuery('xds_host=h&xds_port=1.5'))).toEqual(['xds_port'])
    expect(pathsOf(() => parseQuery('xds_host=h&format=xml'))).toEqual(['format'])
    expect(pathsOf(() => parseQuery('xds_host=h&node_id=has%20space'))).toEqual(['node_id'])
    expect(pathsOf(() => parseQuery('xds_host=http://x'))).toEqual(['xds_host'])
    expect(pathsOf(() => parseQuery('xds_host='))).toEqual(['xds_host'])
  })

  it('asks for xds_host when neither the settings nor the request give one', () => {
    expect(pathsOf(() => parseQuery(''))).toEqual(['xds_host'])
  })
})
