import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { loadEnvoyRoot } from '../../../proto/loader'
import { describeMessage, plainDoc, typeUrlsFor, type MessageSchema, type SchemaField } from '../../../server/config/proto-schema'
import { MessageSchemaSchema } from '../../../server/contract'

let root: protobuf.Root

beforeAll(() => {
  root = loadEnvoyRoot()
})

const ROUTER = 'type.googleapis.com/envoy.extensions.filters.http.router.v3.Router'
const UPSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext'
const DOWNSTREAM_TLS = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.DownstreamTlsContext'
const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'

function message(name: string, context: readonly string[] = []): MessageSchema {
  const schema = describeMessage(root, name, context)
  if (!schema) throw new Error(`no ${name}`)
  return schema
}

function field(schema: MessageSchema, name: string): SchemaField {
  const found = schema.fields.find((f) => f.name === name)
  if (!found) throw new Error(`no field ${name} in ${schema.name}`)
  return found
}

function anyTypeUrls(schema: MessageSchema, name: string): readonly string[] {
  const key = field(schema, name).typeUrls
  if (key === null) throw new Error(`${name} is not an Any`)
  return schema.typeUrls[key]!
}

describe('describeMessage: one Envoy message for the editor, from the validator’s descriptors', () => {
  it('an enum field carries its values with their comments', () => {
    const lbPolicy = field(message('envoy.config.cluster.v3.Cluster'), 'lb_policy')
    expect(lbPolicy).toMatchObject({ kind: 'enum', type: 'envoy.config.cluster.v3.Cluster.LbPolicy', label: 'single', jsonName: 'lbPolicy', oneof: null })
    expect(lbPolicy.values?.map((v) => v.name)).toEqual(expect.arrayContaining(['ROUND_ROBIN', 'LEAST_REQUEST', 'RING_HASH', 'RANDOM', 'MAGLEV']))
    expect(lbPolicy.values?.find((v) => v.name === 'LEAST_REQUEST')?.doc).toMatch(/least request/i)
    // The comment of the .proto file, Sphinx roles reduced to their label.
    expect(lbPolicy.doc).toBe('The load balancer type to use when picking a host in the cluster.')
  })

  it('oneofs list their members; a field names its oneof', () => {
    const cluster = message('envoy.config.cluster.v3.Cluster')
    expect(cluster.oneofs).toContainEqual({ name: 'cluster_discovery_type', fields: ['type', 'cluster_type'], required: false })
    expect(field(cluster, 'type').oneof).toBe('cluster_discovery_type')
    expect(field(cluster, 'ring_hash_lb_config').oneof).toBe('lb_config')
    // PGV `(validate.required)` on a oneof: one member must be set.
    const address = message('envoy.config.core.v3.Address')
    expect(address.oneofs).toContainEqual({ name: 'address', fields: ['socket_address', 'pipe', 'envoy_internal_address'], required: true })
  })

  it('well-known types, lists and maps say how they are written', () => {
    const cluster = message('envoy.config.cluster.v3.Cluster')
    expect(field(cluster, 'connect_timeout')).toMatchObject({ kind: 'message', type: 'google.protobuf.Duration', wellKnown: 'duration', label: 'single' })
    expect(field(cluster, 'per_connection_buffer_limit_bytes')).toMatchObject({ type: 'google.protobuf.UInt32Value', wellKnown: 'wrapper' })
    expect(field(message('envoy.config.listener.v3.Listener'), 'filter_chains')).toMatchObject({ kind: 'message', type: 'envoy.config.listener.v3.FilterChain', label: 'repeated', wellKnown: null })
    expect(field(message('envoy.config.core.v3.Metadata'), 'filter_metadata')).toMatchObject({ label: 'map', mapKey: 'string', type: 'google.protobuf.Struct', wellKnown: 'struct' })
    expect(field(cluster, 'name')).toMatchObject({ kind: 'scalar', type: 'string', values: null, typeUrls: null })
    expect(message('google.protobuf.Duration').wellKnown).toBe('duration')
  })

  it('an Any with an extension category offers the type URLs of that category', () => {
    const httpFilter = message('envoy.extensions.filters.network.http_connection_manager.v3.HttpFilter')
    expect(field(httpFilter, 'typed_config')).toMatchObject({ wellKnown: 'any', categories: ['envoy.filters.http'], typeUrls: 'envoy.filters.http' })
    const urls = anyTypeUrls(httpFilter, 'typed_config')
    expect(urls).toContain(ROUTER)
    expect(urls).not.toContain(UPSTREAM_TLS)
    expect(urls).not.toContain(HCM)
    // A network filter's typed_config offers the HTTP connection manager, not the router.
    const networkFilter = message('envoy.config.listener.v3.Filter')
    expect(anyTypeUrls(networkFilter, 'typed_config')).toContain(HCM)
    expect(anyTypeUrls(networkFilter, 'typed_config')).not.toContain(ROUTER)
  })

  it('an Any without a category of its own is narrowed by the field it was reached through', () => {
    // FilterChain.transport_socket names envoy.transport_sockets.downstream; TransportSocket.typed_config names nothing.
    const chainSocket = field(message('envoy.config.listener.v3.FilterChain'), 'transport_socket')
    expect(chainSocket.categories).toEqual(['envoy.transport_sockets.downstream'])
    // Cluster.transport_socket names none either: it takes the categories other TransportSocket fields carry.
    expect(field(message('envoy.config.cluster.v3.Cluster'), 'transport_socket').categories).toEqual(['envoy.transport_sockets.downstream', 'envoy.transport_sockets.upstream'])
    const narrowed = message('envoy.config.core.v3.TransportSocket', chainSocket.categories)
    expect(anyTypeUrls(narrowed, 'typed_config')).toEqual(expect.arrayContaining([DOWNSTREAM_TLS, UPSTREAM_TLS]))
    expect(anyTypeUrls(narrowed, 'typed_config')).not.toContain(ROUTER)
    // Reached from nowhere: every extension.
    const open = message('envoy.config.core.v3.TransportSocket')
    expect(field(open, 'typed_config').typeUrls).toBe('*')
    expect(anyTypeUrls(open, 'typed_config')).toEqual(expect.arrayContaining([ROUTER, UPSTREAM_TLS, HCM]))
  })

  it('a category no extension is named under falls back to its parent', () => {
    const urls = typeUrlsFor(root, ['envoy.access_loggers.extension_filters'])
    expect(urls).toContain('type.googleapis.com/envoy.extensions.access_loggers.file.v3.FileAccessLog')
    expect(urls.every((u) => u.includes('.access_loggers.') || u.includes('TypedStruct'))).toBe(true)
  })

  it('an unknown message is null; the answer fits the API contract', () => {
    expect(describeMessage(root, 'envoy.config.cluster.v3.NoSuchThing')).toBeNull()
    expect(describeMessage(root, 'Cluster')).toBeNull() // exact names only, no suffix match
    const cluster = message('envoy.config.cluster.v3.Cluster')
    expect(MessageSchemaSchema.parse(cluster)).toEqual(cluster)
    expect(cluster.doc).toBe('Configuration for a single upstream cluster.')
  })
})

describe('plainDoc: Envoy’s Sphinx comments as plain text', () => {
  it.each([
    ['The :ref:`load balancer type <arch_overview_load_balancing_types>` to use', 'The load balancer type to use'],
    ['See :ref:`envoy_v3_api_field_config.cluster.v3.Cluster.lb_policy`.', 'See config.cluster.v3.Cluster.lb_policy.'],
    ['Set ``type`` here.\n[#next-free-field: 58]', 'Set `type` here.'],
    ['first line\nwrapped line\n\nsecond paragraph', 'first line wrapped line\n\nsecond paragraph'],
    ['.. note::\n  be careful', 'Note: be careful'],
    ['[#not-implemented-hide:]', null],
    [null, null],
  ])('%j → %j', (comment, expected) => {
    expect(plainDoc(comment)).toBe(expected)
  })
})
