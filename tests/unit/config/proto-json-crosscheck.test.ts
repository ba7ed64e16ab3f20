import { readFileSync } from 'node:fs'
import { create, createFileRegistry, equals, fromBinary, fromJson, toBinary, toJson, type DescFile, type DescMessage, type FileRegistry, type JsonValue as BufJsonValue } from '@bufbuild/protobuf'
import {
  DescriptorProtoSchema,
  EnumDescriptorProtoSchema,
  FieldDescriptorProto_Label,
  FieldDescriptorProto_Type,
  FieldDescriptorProtoSchema,
  FileDescriptorProtoSchema,
  FileDescriptorSetSchema,
  file_google_protobuf_any,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_wrappers,
  type DescriptorProto,
  type EnumDescriptorProto,
  type FieldDescriptorProto,
  type FileDescriptorProto,
} from '@bufbuild/protobuf/wkt'
import { protoCamelCase } from '@bufbuild/protobuf/reflect'
import protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { DEMO_RESOURCES } from '../../../server/config/demo'
import { encodeMessage, readProtoJson } from '../../../server/config/proto-json'

/**
 * Independent check of the strict proto-JSON reader. The product reads proto3 JSON with its own
 * code (server/config/proto-json*.ts: readProtoJson → canonical JSON → encodeMessage, protobufjs
 * for the wire). @bufbuild/protobuf is a second, unrelated implementation of the proto3 JSON
 * mapping and the binary encoding. Both are given the same descriptors, built here from the very
 * .proto files the product loads, and the same input: they must agree on the message and, where
 * the encoding is fully determined, on the bytes.
 *
 * What is shared, hence not checked: protobufjs' parse of the .proto files (field numbers, types),
 * which the descriptors below are built from, as there is no protoc on the machine. What is
 * independent: JSON names, the JSON forms of enums, 64-bit integers, bytes and the well-known types,
 * Any packing, and the wire encoding.
 */

// ---- descriptors: protobufjs reflection → FileDescriptorProto per .proto file ------------------

const WKT_FILES: readonly DescFile[] = [
  file_google_protobuf_any,
  file_google_protobuf_descriptor,
  file_google_protobuf_duration,
  file_google_protobuf_empty,
  file_google_protobuf_field_mask,
  file_google_protobuf_struct,
  file_google_protobuf_timestamp,
  file_google_protobuf_wrappers,
]

const SCALAR_TYPES: Readonly<Record<string, FieldDescriptorProto_Type>> = {
  double: FieldDescriptorProto_Type.DOUBLE,
  float: FieldDescriptorProto_Type.FLOAT,
  int64: FieldDescriptorProto_Type.INT64,
  uint64: FieldDescriptorProto_Type.UINT64,
  int32: FieldDescriptorProto_Type.INT32,
  fixed64: FieldDescriptorProto_Type.FIXED64,
  fixed32: FieldDescriptorProto_Type.FIXED32,
  bool: FieldDescriptorProto_Type.BOOL,
  string: FieldDescriptorProto_Type.STRING,
  bytes: FieldDescriptorProto_Type.BYTES,
  uint32: FieldDescriptorProto_Type.UINT32,
  sfixed32: FieldDescriptorProto_Type.SFIXED32,
  sfixed64: FieldDescriptorProto_Type.SFIXED64,
  sint32: FieldDescriptorProto_Type.SINT32,
  sint64: FieldDescriptorProto_Type.SINT64,
}

/** protoc's name for a map field's entry message: `foo_bar` → `FooBarEntry`. */
const mapEntryName = (fieldName: string): string => `${fieldName.replace(/(?:^|_)(.)/g, (_, c: string) => c.toUpperCase())}Entry`

type Top = protobuf.Type | protobuf.Enum

/** The top-level message or enum a nested one belongs to (protobufjs records the file there only). */
function topLevelOf(object: protobuf.ReflectionObject): Top {
  let current = object
  while (current.parent instanceof protobuf.Type) current = current.parent
  return current as Top
}

/**
 * Builds a FileDescriptorSet from the protobufjs root, one FileDescriptorProto per .proto file,
 * in dependency order. Only what the JSON mapping and the wire format need is carried over:
 * packages, messages, nested types, enums, fields (number, type, label, oneof, proto3 optional),
 * map entries. Options (validate rules, annotations) are left out: neither encoder uses them.
 * google/protobuf/* come from @bufbuild/protobuf's own well-known types, not from protobufjs.
 */
function buildDescriptorRegistry(root: protobuf.Root): FileRegistry {
  const wktFileOf = new Map<string, string>()
  for (const file of WKT_FILES) {
    for (const m of file.messages) wktFileOf.set(m.typeName, file.proto.name)
    for (const e of file.enums) wktFileOf.set(e.typeName, file.proto.name)
  }
  const fileOf = (object: protobuf.ReflectionObject): string => {
    const top = topLevelOf(object)
    const fullName = top.fullName.slice(1)
    const wkt = wktFileOf.get(fullName)
    if (wkt) return wkt
    if (!top.filename) throw new Error(`no file known for ${fullName}`)
    return top.filename
  }

  const files = new Map<string, { proto: FileDescriptorProto; deps: Set<string>; source: string }>()
  const fileFor = (object: Top): { proto: FileDescriptorProto; deps: Set<string>; source: string } => {
    const name = fileOf(object)
    let entry = files.get(name)
    if (!entry) {
      const source = readFileSync(name, 'utf8')
      const pkg = object.parent!.fullName.slice(1)
      entry = { proto: create(FileDescriptorProtoSchema, { name, package: pkg, syntax: /syntax\s*=\s*"proto2"/.test(source) ? 'proto2' : 'proto3' }), deps: new Set(), source }
      files.set(name, entry)
    }
    return entry
  }

  const enumProto = (e: protobuf.Enum): EnumDescriptorProto => {
    const numbers = Object.values(e.values)
    return create(EnumDescriptorProtoSchema, {
      name: e.name,
      value: Object.entries(e.values).map(([name, number]) => ({ name, number })),
      ...(new Set(numbers).size < numbers.length ? { options: { allowAlias: true } } : {}),
    })
  }

  const fieldProto = (field: protobuf.Field, owner: protobuf.Type, deps: Set<string>, ownFile: string): FieldDescriptorProto => {
    const resolved = field.resolvedType
    const typeRef = (t: Top): string => {
      const file = fileOf(t)
      if (file !== ownFile) deps.add(file)
      return t.fullName
    }
    // protoc always fills json_name; @bufbuild/protobuf's own protoCamelCase does what protoc does.
    const explicitJsonName = field.options?.json_name as unknown
    const base = { name: field.name, number: field.id, jsonName: typeof explicitJsonName === 'string' ? explicitJsonName : protoCamelCase(field.name) }
    const type =
      resolved instanceof protobuf.Type ? { type: FieldDescriptorProto_Type.MESSAGE, typeName: typeRef(resolved) }
      : resolved instanceof protobuf.Enum ? { type: FieldDescriptorProto_Type.ENUM, typeName: typeRef(resolved) }
      : { type: SCALAR_TYPES[field.type] ?? (() => { throw new Error(`unknown scalar ${field.type}`) })() }
    const oneofIndex = field.partOf ? owner.oneofsArray.indexOf(field.partOf) : -1
    return create(FieldDescriptorProtoSchema, {
      ...base,
      ...type,
      label: field.repeated ? FieldDescriptorProto_Label.REPEATED : FieldDescriptorProto_Label.OPTIONAL,
      ...(oneofIndex >= 0 ? { oneofIndex } : {}),
      ...(field.options?.proto3_optional ? { proto3Optional: true } : {}),
    })
  }

  const messageProto = (type: protobuf.Type, deps: Set<string>, ownFile: string): DescriptorProto => {
    const nestedType: DescriptorProto[] = []
    const enumType: EnumDescriptorProto[] = []
    for (const nested of type.nestedArray) {
      if (nested instanceof protobuf.Type) nestedType.push(messageProto(nested, deps, ownFile))
      else if (nested instanceof protobuf.Enum) enumType.push(enumProto(nested))
    }
    const field: FieldDescriptorProto[] = []
    for (const f of type.fieldsArray) {
      if (f instanceof protobuf.MapField) {
        const entry = mapEntryName(f.name)
        // The field's own type is the map's value type.
        const valueField = fieldProto(f, type, deps, ownFile)
        nestedType.push(
          create(DescriptorProtoSchema, {
            name: entry,
            options: { mapEntry: true },
            field: [
              create(FieldDescriptorProtoSchema, { name: 'key', number: 1, label: FieldDescriptorProto_Label.OPTIONAL, type: SCALAR_TYPES[f.keyType] }),
              create(FieldDescriptorProtoSchema, { name: 'value', number: 2, label: FieldDescriptorProto_Label.OPTIONAL, type: valueField.type, typeName: valueField.typeName }),
            ],
          }),
        )
        field.push(create(FieldDescriptorProtoSchema, { name: f.name, number: f.id, jsonName: protoCamelCase(f.name), label: FieldDescriptorProto_Label.REPEATED, type: FieldDescriptorProto_Type.MESSAGE, typeName: `${type.fullName}.${entry}` }))
      } else {
        field.push(fieldProto(f, type, deps, ownFile))
      }
    }
    return create(DescriptorProtoSchema, { name: type.name, field, nestedType, enumType, oneofDecl: type.oneofsArray.map((o) => ({ name: o.name })) })
  }

  const visit = (ns: protobuf.NamespaceBase): void => {
    for (const nested of ns.nestedArray) {
      if (nested instanceof protobuf.Type || nested instanceof protobuf.Enum) {
        if (wktFileOf.has(nested.fullName.slice(1))) continue
        if (!nested.filename) continue // protobufjs' own bundled descriptor types outside the WKT list
        const entry = fileFor(nested)
        if (nested instanceof protobuf.Type) entry.proto.messageType.push(messageProto(nested, entry.deps, fileOf(nested)))
        else entry.proto.enumType.push(enumProto(nested))
      } else if (nested instanceof protobuf.Namespace && !(nested instanceof protobuf.Service)) {
        visit(nested)
      }
    }
  }
  visit(root)

  // Dependency order (the import graph of .proto files has no cycles).
  const ordered: FileDescriptorProto[] = WKT_FILES.map((f) => f.proto)
  const done = new Set<string>(WKT_FILES.map((f) => f.proto.name))
  const place = (name: string): void => {
    if (done.has(name)) return
    done.add(name)
    const entry = files.get(name)
    if (!entry) throw new Error(`missing file ${name}`)
    for (const dep of entry.deps) place(dep)
    entry.proto.dependency = [...entry.deps]
    ordered.push(entry.proto)
  }
  for (const name of [...files.keys()].sort()) place(name)
  return createFileRegistry(create(FileDescriptorSetSchema, { file: ordered }))
}

let root: protobuf.Root
let registry: FileRegistry

beforeAll(() => {
  root = loadEnvoyRoot()
  registry = buildDescriptorRegistry(root)
})

const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex')

/** The product's path: strict read to canonical JSON (no issues allowed: the corpus is valid), then encode. */
function ours(messageName: string, input: unknown): Uint8Array {
  const { value, issues } = readProtoJson(root, messageName, input)
  expect(issues).toEqual([])
  return encodeMessage(root, messageName, value!)
}

function schemaOf(messageName: string): DescMessage {
  const schema = registry.getMessage(messageName)
  if (!schema) throw new Error(`the @bufbuild/protobuf registry has no ${messageName}`)
  return schema
}

/** The independent path: @bufbuild/protobuf's proto3 JSON parser (unknown fields are errors there too). */
const theirs = (messageName: string, input: unknown) => fromJson(schemaOf(messageName), input as BufJsonValue, { registry })

// ---- the corpus: valid resources of every kind ---------------------------------------------------
//
// Map keys (map fields and Struct fields) are written in sorted order. The wire format leaves the
// order of map entries to the encoder: ours sorts them (as protoc's deterministic mode does),
// @bufbuild/protobuf keeps insertion order. 'unsorted map keys' below shows the difference is
// order only.

const LISTENER = 'envoy.config.listener.v3.Listener'
const ROUTE_CONFIGURATION = 'envoy.config.route.v3.RouteConfiguration'
const CLUSTER = 'envoy.config.cluster.v3.Cluster'
const CLUSTER_LOAD_ASSIGNMENT = 'envoy.config.endpoint.v3.ClusterLoadAssignment'
const SECRET = 'envoy.extensions.transport_sockets.tls.v3.Secret'
const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const ADS = { ads: {}, resource_api_version: 'V3' }

/**
 * A resource of the corpus. `zeroInWellKnownType` names what makes our bytes differ from
 * protoc-style bytes (see 'known deviation' below): a Duration with 0 seconds or 0 nanos, a wrapper
 * holding its default, or an Any with no content. Such cases are still compared as messages.
 */
type Case = Readonly<{ name: string; messageName: string; input: Record<string, unknown>; zeroInWellKnownType?: string }>

const CORPUS: readonly Case[] = [
  {
    name: 'listener: HTTP connection manager (Any) with RDS over ADS, access log (Any), downstream TLS from SDS (Any)',
    messageName: LISTENER,
    input: {
      name: 'https',
      address: { socket_address: { address: '0.0.0.0', port_value: 10443, protocol: 'TCP' } },
      traffic_direction: 'INBOUND',
      per_connection_buffer_limit_bytes: 32768,
      listener_filters_timeout: '1.500s',
      filter_chains: [
        {
          filter_chain_match: { server_names: ['*.example.com', 'example.com'], transport_protocol: 'tls' },
          filters: [
            {
              name: 'envoy.filters.network.http_connection_manager',
              typed_config: {
                '@type': HCM,
                codec_type: 'AUTO',
                stat_prefix: 'ingress_https',
                use_remote_address: true,
                xff_num_trusted_hops: 1,
                stream_idle_timeout: '300.500s',
                common_http_protocol_options: { idle_timeout: '3600.250s', max_headers_count: 100, headers_with_underscores_action: 'REJECT_REQUEST' },
                rds: { route_config_name: 'main', config_source: { ...ADS, initial_fetch_timeout: '15.100s' } },
                access_log: [
                  {
                    name: 'envoy.access_loggers.file',
                    typed_config: { '@type': 'type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog', path: '/dev/stdout', log_format: { text_format_source: { inline_string: '%START_TIME% %RESPONSE_CODE%\n' } } },
                  },
                ],
                http_filters: [{ name: 'envoy.filters.http.router', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router', suppress_envoy_headers: true } }],
              },
            },
          ],
          transport_socket: {
            name: 'envoy.transport_sockets.tls',
            typed_config: {
              '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext',
              require_client_certificate: true,
              common_tls_context: {
                tls_params: { tls_minimum_protocol_version: 'TLSv1_2', cipher_suites: ['ECDHE-ECDSA-AES128-GCM-SHA256'] },
                alpn_protocols: ['h2', 'http/1.1'],
                tls_certificate_sds_secret_configs: [{ name: 'server-cert', sds_config: ADS }],
              },
            },
          },
        },
      ],
    },
  },
  {
    name: 'listener: lowerCamelCase JSON names, TCP proxy (Any), an enum given by number, a oneof of address',
    messageName: LISTENER,
    input: {
      name: 'tcp',
      address: { pipe: { path: '/run/envoy.sock', mode: 432 } },
      enableReusePort: true,
      connectionBalanceConfig: { exactBalance: {} },
      drainType: 1,
      filterChains: [
        {
          filters: [
            {
              name: 'envoy.filters.network.tcp_proxy',
              typedConfig: { '@type': 'type.googleapis.com/envoy.extensions.filters.network.tcp_proxy.v3.TcpProxy', statPrefix: 'tcp', cluster: 'db', idleTimeout: '1800.001s', maxConnectAttempts: 3 },
            },
          ],
        },
      ],
    },
  },
  {
    name: 'route configuration: regex and header matchers, weighted clusters (wrappers), retries, header options, typed_per_filter_config (map of Any)',
    messageName: ROUTE_CONFIGURATION,
    input: {
      name: 'main',
      validate_clusters: true,
      request_headers_to_add: [{ header: { key: 'x-legation', value: 'yes' }, append_action: 'OVERWRITE_IF_EXISTS_OR_ADD' }],
      virtual_hosts: [
        {
          name: 'api',
          domains: ['api.example.com', 'api.example.com:*'],
          require_tls: 'ALL',
          typed_per_filter_config: {
            'envoy.filters.http.buffer': { '@type': 'type.googleapis.com/envoy.extensions.filters.http.buffer.v3.BufferPerRoute', disabled: true },
            'envoy.filters.http.cors': { '@type': 'type.googleapis.com/envoy.extensions.filters.http.cors.v3.CorsPolicy', allow_methods: 'GET', max_age: '600', allow_credentials: true },
          },
          routes: [
            {
              name: 'users',
              match: { safe_regex: { regex: '^/users/[0-9]+$' }, headers: [{ name: ':method', string_match: { exact: 'GET' } }], runtime_fraction: { default_value: { numerator: 50, denominator: 'HUNDRED' } } },
              route: {
                weighted_clusters: { clusters: [{ name: 'users-v1', weight: 90 }, { name: 'users-v2', weight: 10 }] },
                timeout: '2.500s',
                retry_policy: { retry_on: '5xx,reset', num_retries: 3, per_try_timeout: '1.500s', retry_back_off: { base_interval: '1.025s', max_interval: '2.250s' } },
                hash_policy: [{ header: { header_name: 'x-user' }, terminal: true }],
              },
            },
            { match: { path: '/old' }, redirect: { path_redirect: '/new', response_code: 'PERMANENT_REDIRECT' } },
            { match: { prefix: '/health', case_sensitive: true }, direct_response: { status: 200, body: { inline_string: 'ok' } } },
            { match: { prefix: '/' }, route: { cluster: 'web', prefix_rewrite: '/' } },
          ],
        },
      ],
    },
  },
  {
    name: 'cluster: STRICT_DNS with inline endpoints, circuit breakers (double in Percent), outlier detection, HTTP health check, metadata (Struct)',
    messageName: CLUSTER,
    input: {
      name: 'web',
      type: 'STRICT_DNS',
      connect_timeout: '1.250s',
      dns_lookup_family: 'V4_ONLY',
      dns_refresh_rate: '5.500s',
      lb_policy: 'LEAST_REQUEST',
      least_request_lb_config: { choice_count: 3 },
      per_connection_buffer_limit_bytes: 1048576,
      circuit_breakers: {
        thresholds: [
          { priority: 'DEFAULT', max_connections: 1000, max_pending_requests: 100, max_retries: 3, retry_budget: { budget_percent: { value: 25.5 }, min_retry_concurrency: 5 } },
          { priority: 'HIGH', max_connections: 2000 },
        ],
      },
      outlier_detection: { consecutive_5xx: 5, interval: '10.100s', base_ejection_time: '30.300s', max_ejection_percent: 50, enforcing_success_rate: 10 },
      health_checks: [{ timeout: '1.100s', interval: '5.500s', unhealthy_threshold: 3, healthy_threshold: 2, http_health_check: { path: '/healthz', expected_statuses: [{ start: 200, end: 300 }] } }],
      metadata: { filter_metadata: { 'envoy.lb': { canary: true, nested: { team: 'web' }, owner: null, tags: ['a', 'b'], weight: 1.5 } } },
      load_assignment: {
        cluster_name: 'web',
        endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'web.internal', port_value: 8080 } } } }] }],
      },
    },
  },
  {
    name: 'cluster: EDS over ADS, HTTP/2 protocol options (map of Any), upstream TLS (Any), ring hash with 64-bit wrappers as string and number',
    messageName: CLUSTER,
    input: {
      name: 'api',
      type: 'EDS',
      eds_cluster_config: { service_name: 'api', eds_config: ADS },
      connect_timeout: '1.001s',
      lb_policy: 'RING_HASH',
      ring_hash_lb_config: { minimum_ring_size: '1024', maximum_ring_size: 8388608, hash_function: 'MURMUR_HASH_2' },
      typed_extension_protocol_options: {
        'envoy.extensions.upstreams.http.v3.HttpProtocolOptions': {
          '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions',
          explicit_http_config: { http2_protocol_options: { max_concurrent_streams: 100, initial_stream_window_size: 65536 } },
          common_http_protocol_options: { idle_timeout: '60.500s' },
        },
      },
      transport_socket: {
        name: 'envoy.transport_sockets.tls',
        typed_config: {
          '@type': 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext',
          sni: 'api.internal',
          common_tls_context: { validation_context_sds_secret_config: { name: 'ca', sds_config: ADS } },
        },
      },
      common_lb_config: { healthy_panic_threshold: { value: 40 }, locality_weighted_lb_config: {} },
      ignore_health_on_host_removal: true,
    },
  },
  {
    name: 'cluster: aggregate cluster type (Any)',
    messageName: CLUSTER,
    input: {
      name: 'aggregate',
      connect_timeout: '1.250s',
      lb_policy: 'CLUSTER_PROVIDED',
      cluster_type: { name: 'envoy.clusters.aggregate', typed_config: { '@type': 'type.googleapis.com/envoy.extensions.clusters.aggregate.v3.ClusterConfig', clusters: ['api', 'web'] } },
    },
  },
  {
    name: 'cluster: ORIGINAL_DST with its lb config and TCP keepalive (wrappers)',
    messageName: CLUSTER,
    input: {
      name: 'passthrough',
      type: 'ORIGINAL_DST',
      lb_policy: 'CLUSTER_PROVIDED',
      connect_timeout: '5.005s',
      original_dst_lb_config: { use_http_header: true, http_header_name: 'x-envoy-original-dst-host' },
      cleanup_interval: '5.500s',
      upstream_connection_options: { tcp_keepalive: { keepalive_probes: 3, keepalive_time: 7200, keepalive_interval: 75 } },
    },
  },
  {
    name: 'cluster: LOGICAL_DNS with a DNS resolver (Any)',
    messageName: CLUSTER,
    input: {
      name: 'external',
      type: 'LOGICAL_DNS',
      connect_timeout: '3.300s',
      dns_lookup_family: 'V4_PREFERRED',
      respect_dns_ttl: true,
      typed_dns_resolver_config: {
        name: 'envoy.network.dns_resolver.cares',
        typed_config: { '@type': 'type.googleapis.com/envoy.extensions.network.dns_resolver.cares.v3.CaresDnsResolverConfig', resolvers: [{ socket_address: { address: '8.8.8.8', port_value: 53 } }], use_resolvers_as_fallback: true },
      },
      load_assignment: { cluster_name: 'external', endpoints: [{ lb_endpoints: [{ endpoint: { address: { socket_address: { address: 'example.org', port_value: 443 } }, hostname: 'example.org' } }] }] },
    },
  },
  {
    name: 'cluster load assignment: localities, priorities, weights, health status, policy, endpoint metadata',
    messageName: CLUSTER_LOAD_ASSIGNMENT,
    input: {
      cluster_name: 'api',
      endpoints: [
        {
          locality: { region: 'eu-west-1', zone: 'eu-west-1a', sub_zone: 'rack1' },
          load_balancing_weight: 3,
          lb_endpoints: [
            { endpoint: { address: { socket_address: { address: '10.0.0.1', port_value: 8080 } }, health_check_config: { port_value: 9901 } }, health_status: 'HEALTHY', load_balancing_weight: 10 },
            { endpoint: { address: { socket_address: { address: '10.0.0.2', port_value: 8080 } } }, health_status: 'DRAINING', metadata: { filter_metadata: { 'envoy.lb': { version: 'v2' } } } },
          ],
        },
        { locality: { region: 'eu-west-1', zone: 'eu-west-1b' }, load_balancing_weight: 1, priority: 1, lb_endpoints: [{ endpoint: { address: { pipe: { path: '/run/api.sock', mode: 384 } } } }] },
      ],
      policy: { overprovisioning_factor: 140, endpoint_stale_after: '30.500s', weighted_priority_health: true },
    },
  },
  {
    name: 'secret: TLS certificate (inline string, base64 bytes, file)',
    messageName: SECRET,
    input: {
      name: 'server-cert',
      tls_certificate: {
        certificate_chain: { inline_string: '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n' },
        private_key: { inline_bytes: 'LS0tLS1CRUdJTiBQUklWQVRFIEtFWS0tLS0tCk1JSUUKLS0tLS1FTkQgUFJJVkFURSBLRVktLS0tLQo=' },
        ocsp_staple: { filename: '/etc/envoy/ocsp.der' },
      },
    },
  },
  {
    name: 'secret: validation context with typed SAN matchers and a CRL',
    messageName: SECRET,
    input: {
      name: 'ca',
      validation_context: {
        trusted_ca: { filename: '/etc/envoy/ca.pem' },
        match_typed_subject_alt_names: [
          { san_type: 'DNS', matcher: { exact: 'api.internal' } },
          { san_type: 'URI', matcher: { prefix: 'spiffe://example.org/' } },
        ],
        crl: { inline_string: '-----BEGIN X509 CRL-----\nMIIB\n-----END X509 CRL-----\n' },
        trust_chain_verification: 'ACCEPT_UNTRUSTED',
      },
    },
  },
  {
    name: 'secret: session ticket keys (URL-safe base64 without padding)',
    messageName: SECRET,
    input: { name: 'tickets', session_ticket_keys: { keys: [{ inline_bytes: 'AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7PD0-P0BBQkNERUZHSElKS0xNTk9Q' }] } },
  },
  { name: 'secret: generic secret', messageName: SECRET, input: { name: 'token', generic_secret: { secret: { inline_string: 's3cr3t' } } } },
  // What a typical configuration looks like, with the constructs whose bytes differ (known deviation).
  {
    name: 'cluster: whole-second and sub-second durations ("1s", "0.25s", "0s")',
    messageName: CLUSTER,
    input: { name: 'durations', connect_timeout: '0.25s', dns_refresh_rate: '1s', type: 'STRICT_DNS', common_lb_config: { update_merge_window: '0s' } },
    zeroInWellKnownType: 'Duration with 0 seconds or 0 nanos',
  },
  {
    name: 'listener: wrappers holding their default (false, 0)',
    messageName: LISTENER,
    input: { name: 'wrappers', address: { socket_address: { address: '0.0.0.0', port_value: 1 } }, enable_reuse_port: false, per_connection_buffer_limit_bytes: 0 },
    zeroInWellKnownType: 'BoolValue false, UInt32Value 0',
  },
  {
    name: 'listener: HTTP connection manager whose router filter has an empty typed_config (the demo listener)',
    messageName: LISTENER,
    input: DEMO_RESOURCES.find((r) => r.type === 'Listener')!.resource,
    zeroInWellKnownType: 'an Any with no content (Router {})',
  },
]

// ---- the checks ----------------------------------------------------------------------------------

describe('the strict proto-JSON reader and @bufbuild/protobuf read the same message', () => {
  // Message equality after a decode round trip: our bytes decoded by @bufbuild/protobuf equal what
  // it parsed from the same JSON, field by field, Any unpacked, unknown fields counted (a field
  // written under a wrong number would be one). Holds for every case, map order included.
  it.each(CORPUS)('$name', ({ messageName, input }) => {
    const schema = schemaOf(messageName)
    const decoded = fromBinary(schema, ours(messageName, input))
    const parsed = theirs(messageName, input)
    expect(toJson(schema, decoded, { registry })).toEqual(toJson(schema, parsed, { registry }))
    expect(equals(schema, decoded, parsed, { registry, unpackAny: true, unknown: true })).toBe(true)
  })

  it('unsorted map keys: the same message, entries in another order', () => {
    const input = {
      name: 'maps',
      metadata: { filter_metadata: { zz: { b: 1, a: 2 }, aa: { y: true, x: false } } },
      typed_extension_protocol_options: {
        'z.options': { '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions', use_downstream_protocol_config: {} },
        'a.options': { '@type': 'type.googleapis.com/envoy.extensions.upstreams.http.v3.HttpProtocolOptions', auto_config: {} },
      },
    }
    const schema = schemaOf(CLUSTER)
    const bytes = ours(CLUSTER, input)
    expect(equals(schema, fromBinary(schema, bytes), theirs(CLUSTER, input), { registry, unpackAny: true, unknown: true })).toBe(true)
    // Ours sorts map entries; @bufbuild/protobuf keeps the order it was given.
    expect(hex(bytes)).not.toBe(hex(toBinary(schema, theirs(CLUSTER, input))))
  })
})

describe('the strict proto-JSON reader encodes the same bytes as @bufbuild/protobuf', () => {
  // Both write fields in field-number order, packed repeated scalars, and (with sorted map keys
  // in the corpus) maps in the same order; so for these the bytes are equal, not just the message.
  it.each(CORPUS.filter((c) => !c.zeroInWellKnownType))('$name', ({ messageName, input }) => {
    expect(hex(ours(messageName, input))).toBe(hex(toBinary(schemaOf(messageName), theirs(messageName, input))))
  })

  // Known deviation (reported, not fixed here): encodeMessage hands protobufjs the inner fields of
  // a Duration (`{seconds, nanos}`), a wrapper (`{value}`) and an Any (`{type_url, value}`) as own
  // properties even when they hold the proto3 default, and protobufjs writes every own property,
  // so "1s" becomes 08 01 10 00 where protoc and @bufbuild/protobuf write 08 01. The message is
  // the same (checked above). When encodeMessage leaves those defaults out, these start passing:
  // then move them to the list above.
  it.fails.each(CORPUS.filter((c) => c.zeroInWellKnownType))('$name: differs ($zeroInWellKnownType)', ({ messageName, input }) => {
    expect(hex(ours(messageName, input))).toBe(hex(toBinary(schemaOf(messageName), theirs(messageName, input))))
  })
})
