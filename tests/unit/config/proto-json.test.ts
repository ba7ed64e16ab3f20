import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import type { ConfigIssue } from '../../../server/config/issues'
import { decodeMessage, encodeMessage, messageNameOfTypeUrl, readProtoJson, typeUrlOf } from '../../../server/config/proto-json'
import type { JsonValue } from '../../../server/config/resource-types'

const CLUSTER = 'envoy.config.cluster.v3.Cluster'
const LISTENER = 'envoy.config.listener.v3.Listener'
const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration'
const HCM_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const ROUTER_TYPE_URL = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router'
const HCM_PATH = 'filter_chains[0].filters[0].typed_config'

let root: protobuf.Root

beforeAll(() => {
  root = loadEnvoyRoot()
})

function read(messageName: string, input: unknown) {
  return readProtoJson(root, messageName, input)
}

function brief(issues: readonly ConfigIssue[]) {
  return issues.map(({ code, path }) => ({ code, path }))
}

function edsCluster(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  // Keys deliberately not in .proto order.
  return {
    lb_policy: 'ROUND_ROBIN',
    circuit_breakers: { thresholds: [{ priority: 'HIGH', max_connections: 1024, max_requests: '2048' }] },
    connect_timeout: '0.250s',
    name: 'backend',
    type: 'EDS',
    eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } },
    ...overrides,
  }
}

function httpListener(hcmOverrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: 'http',
    address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: {
              '@type': HCM_TYPE_URL,
              stat_prefix: 'ingress_http',
              rds: { route_config_name: 'local_route', config_source: { ads: {}, resource_api_version: 'V3' } },
              http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE_URL } }],
              ...hcmOverrides,
            },
          },
        ],
      },
    ],
  }
}

describe('readProtoJson: valid resources', () => {
  it('accepts an EDS cluster and returns canonical JSON in declaration order', () => {
    const { value, issues } = read(CLUSTER, edsCluster())
    expect(issues).toEqual([])
    expect(value).toEqual({
      name: 'backend',
      type: 'EDS',
      eds_cluster_config: { eds_config: { ads: {}, resource_api_version: 'V3' } },
      connect_timeout: '0.25s',
      lb_policy: 'ROUND_ROBIN',
      circuit_breakers: { thresholds: [{ priority: 'HIGH', max_connections: 1024, max_requests: 2048 }] },
    })
    expect(Object.keys(value as object)).toEqual(['name', 'type', 'eds_cluster_config', 'connect_timeout', 'lb_policy', 'circuit_breakers'])
  })

  it('normalizes lowerCamelCase keys to proto field names', () => {
    const { value, issues } = read(CLUSTER, {
      name: 'static',
      type: 'STATIC',
      connectTimeout: '1s',
      loadAssignment: {
        clusterName: 'static',
        endpoints: [{ lbEndpoints: [{ endpoint: { address: { socketAddress: { address: '10.0.0.1', portValue: '8080' } } } }] }],
      },
    })
    expect(issues).toEqual([])
    expect(value).toEqual({
      name: 'static',
      type: 'STATIC',
      connect_timeout: '1s',
      load_assignment: {
        cluster_name: 'static',
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 8080 } } } }] }],
      },
    })
  })

  it('accepts a listener with an HttpConnectionManager inside typed_config', () => {
    const { value, issues } = read(LISTENER, httpListener())
    expect(issues).toEqual([])
    const hcm = (value as { filter_chains: { filters: { typed_config: Record<string, unknown> }[] }[] }).filter_chains[0]!.filters[0]!.typed_config
    expect(hcm['@type']).toBe(HCM_TYPE_URL)
    expect(hcm.rds).toEqual({ config_source: { ads: {}, resource_api_version: 'V3' }, route_config_name: 'local_route' })
    expect(hcm.http_filters).toEqual([{ name: 'envoy.filters.http.router', typed_config: { '@type': ROUTER_TYPE_URL } }])
  })

  it('keeps explicit zero values and treats null as absent', () => {
    const { value, issues } = read(CLUSTER, { name: 'c', respect_dns_ttl: false, per_connection_buffer_limit_bytes: 0, alt_stat_name: null })
    expect(issues).toEqual([])
    expect(value).toEqual({ name: 'c', per_connection_buffer_limit_bytes: 0, respect_dns_ttl: false })
  })

  it('canonicalizes 64-bit integers, bytes, timestamps and enum numbers', () => {
    const cluster = read(CLUSTER, { name: 'c', lb_policy: 2, ring_hash_lb_config: { minimum_ring_size: 1024, maximum_ring_size: '4096' } })
    expect(cluster.issues).toEqual([])
    expect(cluster.value).toMatchObject({ lb_policy: 'RING_HASH', ring_hash_lb_config: { minimum_ring_size: '1024', maximum_ring_size: '4096' } })

    const secret = read('envoy.extensions.transport_sockets.tls.v3.Secret', { name: 's', generic_secret: { secret: { inline_bytes: 'aGVsbG8_' } } })
    expect(secret.value).toEqual({ name: 's', generic_secret: { secret: { inline_bytes: 'aGVsbG8/' } } })

    const state = read('envoy.admin.v3.UpdateFailureState', { last_update_attempt: '2024-01-31T12:00:00.500+01:00' })
    expect(state.value).toEqual({ last_update_attempt: '2024-01-31T11:00:00.5Z' })
  })

  it('returns null for a non-object at the top', () => {
    const { value, issues } = read(CLUSTER, ['not', 'a', 'cluster'])
    expect(value).toBeNull()
    expect(brief(issues)).toEqual([{ code: 'PROTO.WRONG_TYPE', path: '' }])
  })
})

describe('readProtoJson: problems', () => {
  it('reports an unknown field deep inside an Any with its full path', () => {
    const { issues } = read(LISTENER, httpListener({ rds: { route_config_name: 'r', config_source: { ads: {} }, route_config_nam: 'x' } }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.UNKNOWN_FIELD', path: `${HCM_PATH}.rds.route_config_nam` }])
    expect(issues[0]!.message).toContain('did you mean "route_config_name"')
  })

  it('reports a wrong scalar type at its path', () => {
    const listener = httpListener()
    listener.address = { socket_address: { address: '0.0.0.0', port_value: 'http' } }
    const { issues } = read(LISTENER, listener)
    expect(brief(issues)).toEqual([{ code: 'PROTO.WRONG_TYPE', path: 'address.socket_address.port_value' }])
    expect(issues[0]!.message).toContain('port_value')
  })

  it('rejects out-of-range integers and wrong JSON types', () => {
    const { issues } = read(CLUSTER, edsCluster({ per_connection_buffer_limit_bytes: 2 ** 32, respect_dns_ttl: 'yes', name: 7 }))
    expect(brief(issues)).toEqual([
      { code: 'PROTO.WRONG_TYPE', path: 'name' },
      { code: 'PROTO.BAD_VALUE', path: 'per_connection_buffer_limit_bytes' },
      { code: 'PROTO.WRONG_TYPE', path: 'respect_dns_ttl' },
    ])
  })

  it('lists the valid values of an enum', () => {
    const { issues } = read(CLUSTER, edsCluster({ lb_policy: 'ROUND_ROBBIN' }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.BAD_ENUM', path: 'lb_policy' }])
    expect(issues[0]!.message).toContain('ROUND_ROBIN')
    expect(issues[0]!.message).toContain('LEAST_REQUEST')
  })

  it.each(['5 seconds', '1.5', '0.1234567891s', '315576000001s'])('rejects the duration %j', (text) => {
    const { issues } = read(CLUSTER, edsCluster({ connect_timeout: text }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.BAD_VALUE', path: 'connect_timeout' }])
  })

  it('rejects a duration given as a number', () => {
    const { issues } = read(CLUSTER, edsCluster({ connect_timeout: 5 }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.WRONG_TYPE', path: 'connect_timeout' }])
  })

  it('reports two members of one oneof', () => {
    const { issues } = read(CLUSTER, edsCluster({ cluster_type: { name: 'envoy.clusters.custom' } }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.ONEOF_CONFLICT', path: 'cluster_type' }])
    expect(issues[0]!.message).toMatch(/type.*cluster_type/)
  })

  it('reports a field given under both of its names', () => {
    const { issues } = read(CLUSTER, edsCluster({ connectTimeout: '1s' }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.BAD_VALUE', path: 'connect_timeout' }])
  })

  it('reports an unknown and a missing @type', () => {
    const unknown = read(LISTENER, httpListener({ '@type': 'type.googleapis.com/envoy.nope.v3.Missing' }))
    expect(brief(unknown.issues)).toEqual([{ code: 'PROTO.UNKNOWN_TYPE', path: `${HCM_PATH}.@type` }])

    const listener = httpListener()
    ;(listener.filter_chains as { filters: { typed_config: unknown }[] }[])[0]!.filters[0]!.typed_config = { stat_prefix: 'x' }
    expect(brief(read(LISTENER, listener).issues)).toEqual([{ code: 'PROTO.UNKNOWN_TYPE', path: `${HCM_PATH}.@type` }])
  })

  it('reports every problem, not just the first', () => {
    const { issues } = read(CLUSTER, { nmae: 'x', lb_policy: 'NOPE', connect_timeout: 'soon', dns_lookup_family: 42 })
    expect(issues.map((i) => i.code).sort()).toEqual(
      ['PROTO.BAD_ENUM', 'PROTO.BAD_VALUE', 'PROTO.CONSTRAINT', 'PROTO.CONSTRAINT', 'PROTO.UNKNOWN_FIELD'].sort(),
    )
  })

  it('stops collecting at 100 issues', () => {
    const input = Object.fromEntries(Array.from({ length: 150 }, (_, i) => [`unknown_${i}`, 1]))
    const { issues } = read(CLUSTER, { name: 'c', ...input })
    expect(issues).toHaveLength(100)
    expect(issues.every((i) => i.code === 'PROTO.UNKNOWN_FIELD')).toBe(true)
  })

  it('starts paths at basePath', () => {
    const { issues } = readProtoJson(root, CLUSTER, edsCluster({ lb_policy: 'NOPE' }), 'resources[3]')
    expect(brief(issues)).toEqual([{ code: 'PROTO.BAD_ENUM', path: 'resources[3].lb_policy' }])
  })
})

describe('readProtoJson: protoc-gen-validate rules', () => {
  it('applies string min_len to an absent name (proto3 default "")', () => {
    const { name: _name, ...noName } = edsCluster()
    const { issues } = read(CLUSTER, noName)
    expect(issues).toEqual([{ code: 'PROTO.CONSTRAINT', path: 'name', message: 'name: value length must be at least 1 characters' }])
  })

  it('applies numeric rules to the value inside a wrapper', () => {
    const { issues } = read(CLUSTER, edsCluster({ outlier_detection: { max_ejection_percent: 150 } }))
    expect(issues).toEqual([
      {
        code: 'PROTO.CONSTRAINT',
        path: 'outlier_detection.max_ejection_percent',
        message: 'max_ejection_percent: value must be less than or equal to 100',
      },
    ])
    expect(read(CLUSTER, edsCluster({ outlier_detection: { max_ejection_percent: 100 } })).issues).toEqual([])
  })

  it('applies duration bounds only when set', () => {
    expect(brief(read(CLUSTER, edsCluster({ dns_refresh_rate: '0s' })).issues)).toEqual([{ code: 'PROTO.CONSTRAINT', path: 'dns_refresh_rate' }])
    expect(read(CLUSTER, edsCluster({ dns_refresh_rate: '5s' })).issues).toEqual([])
  })

  it('checks string `in` with every listed value (protobufjs flattened options keep only the last)', () => {
    const { issues } = read('envoy.extensions.filters.http.ratelimit.v3.RateLimit', {
      domain: 'd',
      request_type: 'bogus',
      rate_limit_service: { grpc_service: { envoy_grpc: { cluster_name: 'rl' } }, transport_api_version: 'V3' },
    })
    expect(issues).toEqual([
      { code: 'PROTO.CONSTRAINT', path: 'request_type', message: 'request_type: value must be in list ["internal", "external", "both", ""]' },
    ])
  })

  it('enforces message.required and a required oneof', () => {
    const { issues } = read(ROUTE_CONFIGURATION, { name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [{}] }] })
    expect(brief(issues)).toEqual([
      { code: 'PROTO.CONSTRAINT', path: 'virtual_hosts[0].routes[0].match' },
      { code: 'PROTO.CONSTRAINT', path: 'virtual_hosts[0].routes[0].action' },
    ])
  })

  it('does not apply `required` to an unset oneof member', () => {
    // RouteMatch.safe_regex is message.required inside oneof path_specifier, and
    // RouteAction.cluster_header has min_len 1 inside oneof cluster_specifier.
    const route = { match: { prefix: '/api/' }, route: { cluster: 'backend' } }
    const { issues } = read(ROUTE_CONFIGURATION, { name: 'r', virtual_hosts: [{ name: 'v', domains: ['*'], routes: [route] }] })
    expect(issues).toEqual([])
  })

  it('enforces enum defined_only and repeated min_items', () => {
    const { issues } = read(CLUSTER, edsCluster({ dns_lookup_family: 42 }))
    expect(brief(issues)).toEqual([{ code: 'PROTO.CONSTRAINT', path: 'dns_lookup_family' }])
    const emptyDomains = read(ROUTE_CONFIGURATION, { name: 'r', virtual_hosts: [{ name: 'v', domains: [] }] })
    expect(brief(emptyDomains.issues)).toEqual([{ code: 'PROTO.CONSTRAINT', path: 'virtual_hosts[0].domains' }])
  })
})

describe('encodeMessage / decodeMessage', () => {
  const metadataA = { filter_metadata: { 'envoy.lb': { zone: 'a', canary: true, weights: [1, 2], nested: { y: 1, x: null } }, acme: { b: 1, a: 2 } } }
  const metadataB = { filter_metadata: { acme: { a: 2, b: 1 }, 'envoy.lb': { nested: { x: null, y: 1 }, weights: [1, 2], canary: true, zone: 'a' } } }

  it('encodes deterministically regardless of map and Struct key order', () => {
    const a = encodeMessage(root, CLUSTER, { name: 'c', metadata: metadataA, connect_timeout: '1s' })
    const b = encodeMessage(root, CLUSTER, { connect_timeout: '1s', metadata: metadataB, name: 'c' })
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true)
    // Same bytes because the content is the same, not because something was dropped.
    expect(decodeMessage(root, CLUSTER, a)).toEqual({ name: 'c', connect_timeout: '1s', metadata: metadataA })
    // Without the sorting, protobufjs writes map entries in insertion order and the bytes differ.
    const type = root.lookupType(CLUSTER)
    const raw = (order: string[]) => {
      const filterMetadata = Object.fromEntries(order.map((key) => [key, {}]))
      return Buffer.from(type.encode(type.fromObject({ metadata: { filter_metadata: filterMetadata } })).finish())
    }
    expect(raw(['acme', 'envoy.lb']).equals(raw(['envoy.lb', 'acme']))).toBe(false)
  })

  it('round-trips a listener with nested Any', () => {
    const { value, issues } = read(LISTENER, httpListener({ codec_type: 'HTTP2', common_http_protocol_options: { idle_timeout: '3600.000s' } }))
    expect(issues).toEqual([])
    const decoded = decodeMessage(root, LISTENER, encodeMessage(root, LISTENER, value!))
    expect(decoded).toEqual(value)
  })

  it('round-trips maps of Any, Struct, wrappers, 64-bit integers and Any holding a well-known type', () => {
    const input = {
      name: 'c',
      type: 'STRICT_DNS',
      lb_policy: 'RING_HASH',
      ring_hash_lb_config: { minimum_ring_size: 1024 },
      health_checks: [
        {
          timeout: '1s',
          interval: '5s',
          unhealthy_threshold: 3,
          healthy_threshold: 2,
          http_health_check: { path: '/healthz', response_buffer_size: '18446744073709551615' },
        },
      ],
      per_connection_buffer_limit_bytes: 32768,
      metadata: metadataA,
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          explicit_http_config: { http2_protocol_options: { max_concurrent_streams: 100 } },
        },
        'acme.timeout': { '@type': 'type.googleapis.com/google.protobuf.Duration', value: '2.5s' },
      },
      preconnect_policy: { per_upstream_preconnect_ratio: 1.5 },
    }
    const { value, issues } = read(CLUSTER, input)
    expect(issues).toEqual([])
    expect(decodeMessage(root, CLUSTER, encodeMessage(root, CLUSTER, value!))).toEqual(value)
  })

  it('drops explicit proto3 default values after a round trip (they are not on the wire)', () => {
    const { value } = read(CLUSTER, edsCluster({ lb_policy: 'ROUND_ROBIN', respect_dns_ttl: false }))
    const decoded = decodeMessage(root, CLUSTER, encodeMessage(root, CLUSTER, value!)) as Record<string, JsonValue>
    expect(value).toMatchObject({ lb_policy: 'ROUND_ROBIN', respect_dns_ttl: false })
    expect(decoded).not.toHaveProperty('lb_policy')
    expect(decoded).not.toHaveProperty('respect_dns_ttl')
    const { lb_policy: _lb, respect_dns_ttl: _ttl, ...rest } = value as Record<string, JsonValue>
    expect(decoded).toEqual(rest)
  })

  it('keeps a oneof member set to its default value (it has presence)', () => {
    const decoded = decodeMessage(root, CLUSTER, encodeMessage(root, CLUSTER, { name: 'c', type: 'STATIC' }))
    expect(decoded).toEqual({ name: 'c', type: 'STATIC' })
  })

  it('decodes a message encoded by protobufjs directly', () => {
    const type = root.lookupType(CLUSTER)
    const inner = root.lookupType('envoy.extensions.upstreams.http.v3.HttpProtocolOptions')
    const bytes = type
      .encode(
        type.fromObject({
          name: 'direct',
          type: 1,
          connect_timeout: { seconds: 5, nanos: 500_000_000 },
          lb_policy: 1,
          per_connection_buffer_limit_bytes: { value: 32768 },
          typed_extension_protocol_options: {
            h: {
              type_url: typeUrlOf('envoy.extensions.upstreams.http.v3.HttpProtocolOptions'),
              value: inner.encode(inner.fromObject({ auto_config: {} })).finish(),
            },
          },
        }),
      )
      .finish()
    expect(decodeMessage(root, CLUSTER, bytes)).toEqual({
      name: 'direct',
      type: 'STRICT_DNS',
      connect_timeout: '5.5s',
      per_connection_buffer_limit_bytes: 32768,
      lb_policy: 'LEAST_REQUEST',
      typed_extension_protocol_options: {
        h: { '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions', auto_config: {} },
      },
    })
  })

  it('decodes negative durations and float wrappers to their canonical text', () => {
    const encode = (name: string, object: Record<string, unknown>) => root.lookupType(name).encode(object).finish()
    expect(decodeMessage(root, 'google.protobuf.Duration', encode('google.protobuf.Duration', { seconds: -1, nanos: -500_000_000 }))).toBe('-1.5s')
    // 0.1 stored as float32 is 0.10000000149011612; canonical JSON prints the shortest equivalent.
    expect(decodeMessage(root, 'google.protobuf.FloatValue', encode('google.protobuf.FloatValue', { value: 0.1 }))).toBe(0.1)
    expect(decodeMessage(root, 'google.protobuf.DoubleValue', encode('google.protobuf.DoubleValue', { value: NaN }))).toBe('NaN')
  })
})

describe('type URLs', () => {
  it('converts between message names and type URLs', () => {
    expect(typeUrlOf(CLUSTER)).toBe('type.googleapis.com/envoy.config.cluster.v3.Cluster')
    expect(messageNameOfTypeUrl('type.googleapis.com/envoy.config.cluster.v3.Cluster')).toBe(CLUSTER)
    expect(messageNameOfTypeUrl('example.com/x/y.Z')).toBe('y.Z')
    expect(messageNameOfTypeUrl('envoy.config.cluster.v3.Cluster')).toBeNull()
  })
})
