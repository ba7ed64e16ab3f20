import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { findMessageType } from '../../../server/config/proto-json-codec'
import type { ConfigResource, JsonValue, ResourceJson, ResourceType } from '../../../server/config/resource-types'
import { validateResource } from '../../../server/config/validate'
import { envoyFindings, parseEnvoyVersion, type EnvoyVersion } from '../../../server/predict/envoy'
import { ENVOY_FEATURES } from '../../../server/predict/envoy-features'

let root: protobuf.Root
beforeAll(() => {
  root = loadEnvoyRoot()
})

const TYPE = 'type.googleapis.com/'
const v = (text: string): EnvoyVersion => parseEnvoyVersion(text)!

/** A resource as the draft holds it: canonical JSON, checked by Legation's own validator first. */
function resource(type: ResourceType, name: string, input: JsonValue): ConfigResource {
  const read = validateResource(root, type, name, input)
  expect(read.issues, JSON.stringify(read.issues)).toEqual([])
  return { type, name, resource: read.resource as ResourceJson }
}

const router = { name: 'envoy.filters.http.router', typed_config: { '@type': `${TYPE}envoy.extensions.filters.http.router.v3.Router` } }
const basicAuth = { '@type': `${TYPE}envoy.extensions.filters.http.basic_auth.v3.BasicAuth`, users: { inline_string: 'user1:{SHA}tESsBmE/yNY3lb6a0L6vVQEZNqw=' } }
function listener(httpFilters: JsonValue[]): ConfigResource {
  return resource('Listener', 'l', {
    name: 'l',
    address: { socket_address: { address: '0.0.0.0', port_value: 10000 } },
    filter_chains: [
      {
        filters: [
          {
            name: 'envoy.filters.network.http_connection_manager',
            typed_config: { '@type': `${TYPE}envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager`, stat_prefix: 'in', rds: { route_config_name: 'r', config_source: { ads: {} } }, http_filters: [...httpFilters, router] },
          },
        ],
      },
    ],
  })
}
const policy = (message: string, config: Record<string, JsonValue> = {}) => ({ typed_extension_config: { name: message, typed_config: { '@type': `${TYPE}${message}`, ...config } } })
const cluster = (policies: JsonValue[]) => resource('Cluster', 'c', { name: 'c', type: 'EDS', eds_cluster_config: { eds_config: { ads: {} } }, load_balancing_policy: { policies } })
const CSWRR = 'envoy.extensions.load_balancing_policies.client_side_weighted_round_robin.v3.ClientSideWeightedRoundRobin'
const ROUND_ROBIN = 'envoy.extensions.load_balancing_policies.round_robin.v3.RoundRobin'
const MAGLEV = 'envoy.extensions.load_balancing_policies.maglev.v3.Maglev'

describe('the Envoy feature table (server/predict/envoy-features.ts)', () => {
  it('has 30–60 entries, each with a release version, its changelog file, an area and a quote, and no entry twice', () => {
    expect(ENVOY_FEATURES.length).toBeGreaterThanOrEqual(30)
    expect(ENVOY_FEATURES.length).toBeLessThanOrEqual(60)
    const keys = new Set<string>()
    for (const f of ENVOY_FEATURES) {
      expect(f.since, JSON.stringify(f)).toMatch(/^1\.\d+\.\d+$/)
      expect(parseEnvoyVersion(f.since)).not.toBeNull()
      expect(f.source.file).toBe(`changelogs/${f.since}.yaml`)
      expect(f.source.area.length).toBeGreaterThan(0)
      expect(f.source.quote.length, JSON.stringify(f)).toBeGreaterThan(10)
      expect(f.source.quote).not.toContain('\n') // one line, so grep finds it
      const key = f.kind === 'enum-value' ? `${f.enum}.${f.value}` : f.kind === 'field' ? `${f.message}.${f.field}` : f.message
      expect(keys.has(key), key).toBe(false)
      keys.add(key)
    }
  })

  it('names only messages, fields and enum values of the protos Legation ships (a typo would never match)', () => {
    for (const f of ENVOY_FEATURES) {
      if (f.kind === 'enum-value') {
        const e = root.lookupEnum(f.enum)
        expect(e.fullName).toBe(`.${f.enum}`)
        expect(e.values[f.value], `${f.enum}.${f.value}`).toBeTypeOf('number')
      } else {
        const type = findMessageType(root, f.message)
        expect(type, f.message).not.toBeNull()
        if (f.kind === 'field') expect(type!.fields[f.field], `${f.message}.${f.field}`).toBeDefined()
      }
    }
  })
})

describe('parseEnvoyVersion', () => {
  it.each([
    ['1.28.0', { major: 1, minor: 28, patch: 0 }],
    ['v1.30.2', { major: 1, minor: 30, patch: 2 }],
    ['1.29.0-dev', { major: 1, minor: 29, patch: 0 }],
    ['1.27', { major: 1, minor: 27, patch: 0 }],
    ['', null],
    ['envoy', null],
    ['abc/1.28.0', null],
  ])('%j → %j', (text, expected) => {
    expect(parseEnvoyVersion(text)).toEqual(expected)
  })
})

describe('envoyFindings', () => {
  it('an HTTP filter newer than the Envoy: rejected, with the path, the minimum version and the changelog; the release that added it is fine', () => {
    const l = listener([{ name: 'envoy.filters.http.basic_auth', typed_config: basicAuth }])
    const findings = envoyFindings(root, [l], v('1.28.0'))
    expect(findings).toHaveLength(1)
    expect(findings[0]).toMatchObject({ type: 'Listener', name: 'l', effect: 'reject', path: 'filter_chains[0].filters[0].typed_config.http_filters[0].typed_config' })
    expect(findings[0]!.message).toBe(
      'envoy 1.28.0 would reject: typed_config envoy.extensions.filters.http.basic_auth.v3.BasicAuth needs Envoy ≥ 1.29.0 (changelogs/1.29.0.yaml, filters) at filter_chains[0].filters[0].typed_config.http_filters[0].typed_config',
    )
    expect(envoyFindings(root, [l], v('1.29.0'))).toEqual([])
    expect(envoyFindings(root, [l], v('1.36.1'))).toEqual([])
  })

  it('the same filter marked is_optional: the Envoy skips it (ignored, not rejected)', () => {
    const findings = envoyFindings(root, [listener([{ name: 'envoy.filters.http.basic_auth', typed_config: basicAuth, is_optional: true }])], v('1.28.0'))
    expect(findings.map((f) => f.effect)).toEqual(['ignore'])
    expect(findings[0]!.message).toMatch(/would ignore: .*BasicAuth.*is_optional/)
  })

  it('load_balancing_policy: the first supported policy is used; rejected only when none is supported', () => {
    // 1.30 lacks client-side WRR (1.32.0) but has round robin (1.25.0): it falls back.
    expect(envoyFindings(root, [cluster([policy(CSWRR), policy(ROUND_ROBIN)])], v('1.30.0'))).toEqual([])
    const none = envoyFindings(root, [cluster([policy(CSWRR), policy(ROUND_ROBIN)])], v('1.24.0'))
    expect(none).toHaveLength(1)
    expect(none[0]).toMatchObject({ effect: 'reject', path: 'load_balancing_policy.policies[0].typed_extension_config.typed_config' })
    expect(none[0]!.message).toMatch(/ClientSideWeightedRoundRobin needs Envoy ≥ 1\.32\.0 .*none of the 2 policies/)
    const maglev = envoyFindings(root, [cluster([policy(MAGLEV)])], v('1.25.3'))
    expect(maglev.map((f) => [f.effect, f.feature.since])).toEqual([['reject', '1.26.0']])
    expect(envoyFindings(root, [cluster([policy(MAGLEV)])], v('1.26.0'))).toEqual([])
  })

  it('route configuration: an enum value checked defined_only is rejected, a newer field ignored, per-route configs by their wrapper', () => {
    const perRoute = (isOptional: boolean) => ({
      '@type': `${TYPE}envoy.config.route.v3.FilterConfig`,
      config: { '@type': `${TYPE}envoy.extensions.filters.http.basic_auth.v3.BasicAuthPerRoute`, users: { inline_string: 'u:{SHA}x' } },
      is_optional: isOptional,
    })
    const routes = (isOptional: boolean) =>
      resource('RouteConfiguration', 'r', {
        name: 'r',
        virtual_hosts: [
          {
            name: 'vh',
            domains: ['*'],
            metadata: { filter_metadata: { team: { owner: 'a' } } },
            request_headers_to_add: [{ header: { key: 'x-a', value: '1' }, append_action: 'OVERWRITE_IF_EXISTS' }],
            routes: [{ match: { prefix: '/' }, route: { cluster: 'c' }, typed_per_filter_config: { 'envoy.filters.http.basic_auth': perRoute(isOptional) } }],
          },
        ],
      })
    const at = (version: string, isOptional: boolean) =>
      envoyFindings(root, [routes(isOptional)], v(version))
        .map((f) => [f.effect, f.path, f.feature.since])
        .sort((a, b) => a[1]!.localeCompare(b[1]!))
    expect(at('1.26.0', true)).toEqual([
      ['ignore', 'virtual_hosts[0].metadata', '1.28.0'],
      ['reject', 'virtual_hosts[0].request_headers_to_add[0].append_action', '1.27.0'],
      // FilterConfig.is_optional is itself unknown before 1.27.0: ignored, so the unknown config is rejected.
      ['reject', 'virtual_hosts[0].routes[0].typed_per_filter_config["envoy.filters.http.basic_auth"].config', '1.30.0'],
      ['ignore', 'virtual_hosts[0].routes[0].typed_per_filter_config["envoy.filters.http.basic_auth"].is_optional', '1.27.0'],
    ])
    expect(at('1.29.0', true)).toEqual([['ignore', 'virtual_hosts[0].routes[0].typed_per_filter_config["envoy.filters.http.basic_auth"].config', '1.30.0']])
    expect(at('1.29.0', false)).toEqual([['reject', 'virtual_hosts[0].routes[0].typed_per_filter_config["envoy.filters.http.basic_auth"].config', '1.30.0']])
    expect(at('1.30.0', false)).toEqual([])
  })

  it('a field in a required oneof is rejected (the oneof looks empty); typed metadata is not looked at', () => {
    const c = resource('Cluster', 'c', {
      name: 'c',
      type: 'STATIC',
      metadata: { typed_filter_metadata: { x: basicAuth } },
      load_assignment: { cluster_name: 'c', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: '127.0.0.1', port_value: 80 } } } }] }] },
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: {
          '@type': `${TYPE}envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext`,
          common_tls_context: { validation_context: { match_typed_subject_alt_names: [{ san_type: 'DNS', matcher: { custom: { name: 'lua', typed_config: { '@type': `${TYPE}envoy.extensions.string_matcher.lua.v3.Lua`, source_code: { inline_string: 'function envoy_match(s) return true end' } } } } }] } },
        },
      },
    })
    const findings = envoyFindings(root, [c], v('1.29.0'))
    expect(findings.map((f) => [f.effect, f.path])).toEqual([['reject', 'transport_socket.typed_config.common_tls_context.validation_context.match_typed_subject_alt_names[0].matcher.custom']])
    expect(findings[0]!.message).toMatch(/field envoy\.type\.matcher\.v3\.StringMatcher\.custom needs Envoy ≥ 1\.30\.0 .*required oneof match_pattern/)
    expect(envoyFindings(root, [c], v('1.30.0'))).toEqual([])
  })
})
