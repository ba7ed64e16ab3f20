import type protobuf from 'protobufjs'
import { beforeAll, describe, expect, it } from 'vitest'
import { findField, resolveMapping, typeSummary, valueChoices, type SchemaLoader } from '../../../../components/editor/envoy-schema'
import { loadEnvoyRoot } from '../../../../proto/loader'
import { describeMessage } from '../../../../server/config/proto-schema'
import type { MessageSchemaView } from '../../../../server/contract'

/**
 * The editor's walk through the schema, with the server's own extraction as the loader (what
 * GET /schema/{message} answers): each message fetched once the path gets into it.
 */
let root: protobuf.Root
let loaded: string[]
const load: SchemaLoader = async (message, categories) => {
  loaded.push(categories.length > 0 ? `${message}?${categories.join(',')}` : message)
  const schema = describeMessage(root, message, categories)
  if (!schema) throw new Error(`404 ${message}`)
  return schema
}

beforeAll(() => {
  root = loadEnvoyRoot()
})

const LISTENER = 'envoy.config.listener.v3.Listener'
const CLUSTER = 'envoy.config.cluster.v3.Cluster'
const HCM = 'type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager'
const noType = () => null

function messageOf(resolved: Awaited<ReturnType<typeof resolveMapping>>): MessageSchemaView {
  if (resolved?.kind !== 'message') throw new Error(`not a message: ${resolved?.kind}`)
  return resolved.schema
}

describe('resolveMapping: the message the cursor’s mapping is', () => {
  it('walks fields, list indexes and nested messages, fetching each message once it is reached', async () => {
    loaded = []
    expect(messageOf(await resolveMapping(load, CLUSTER, ['load_assignment', 'endpoints', 0], noType)).name).toBe('envoy.config.endpoint.v3.LocalityLbEndpoints')
    expect(loaded).toEqual([CLUSTER, 'envoy.config.endpoint.v3.ClusterLoadAssignment', 'envoy.config.endpoint.v3.LocalityLbEndpoints'])
    // lowerCamelCase keys are proto3 JSON too.
    expect(messageOf(await resolveMapping(load, CLUSTER, ['loadAssignment'], noType)).name).toBe('envoy.config.endpoint.v3.ClusterLoadAssignment')
  })

  it('enters an Any through the @type written in it, and passes a field’s categories on', async () => {
    loaded = []
    const path = ['filter_chains', 0, 'filters', 0, 'typed_config']
    const resolved = await resolveMapping(load, LISTENER, path, (p) => (p.join('/') === path.join('/') ? HCM : null))
    expect(resolved?.kind).toBe('any')
    if (resolved?.kind !== 'any') return
    expect(resolved.inner?.name).toBe('envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager')
    expect(resolved.typeUrls).toContain(HCM)
    // Inside it, the HTTP filters' typed_config offers HTTP filters.
    const filter = messageOf(await resolveMapping(load, LISTENER, [...path, 'http_filters', 0], (p) => (p.length === path.length ? HCM : null)))
    expect(filter.typeUrls[findField(filter, 'typed_config')!.typeUrls!]).toContain('type.googleapis.com/envoy.extensions.filters.http.router.v3.Router')
    // A transport socket reached from a filter chain is asked for with that field's category.
    await resolveMapping(load, LISTENER, ['filter_chains', 0, 'transport_socket'], noType)
    expect(loaded).toContain('envoy.config.core.v3.TransportSocket?envoy.transport_sockets.downstream')
  })

  it('does not look up a @type that is still being typed or is not offered there', async () => {
    loaded = []
    const resolved = await resolveMapping(load, LISTENER, ['filter_chains', 0, 'filters', 0, 'typed_config'], () => 'type.googleapis.com/envoy.extensions.filters.network.http_conn')
    expect(resolved).toMatchObject({ kind: 'any', inner: null })
    expect(loaded.some((m) => m.includes('http_conn'))).toBe(false)
  })

  it('has nothing to say past a well-known type, an unknown field or a scalar; a list of enums is an element', async () => {
    expect(await resolveMapping(load, CLUSTER, ['connect_timeout'], noType)).toBeNull()
    expect(await resolveMapping(load, CLUSTER, ['no_such_field'], noType)).toBeNull()
    expect(await resolveMapping(load, CLUSTER, ['name', 'x'], noType)).toBeNull()
    const element = await resolveMapping(load, CLUSTER, ['common_lb_config', 'override_host_status', 'statuses', 0], noType)
    expect(element).toMatchObject({ kind: 'element', field: { name: 'statuses', kind: 'enum' } })
    if (element?.kind === 'element') expect(valueChoices(element.field).map((v) => v.name)).toContain('HEALTHY')
  })
})

describe('typeSummary and valueChoices', () => {
  it('say a field’s type in a few words and list its choices', async () => {
    const cluster = await load(CLUSTER, [])
    const summary = (name: string) => typeSummary(findField(cluster, name)!)
    expect(summary('lb_policy')).toBe('enum LbPolicy')
    expect(summary('connect_timeout')).toBe('Duration, e.g. "5s"')
    expect(summary('per_connection_buffer_limit_bytes')).toBe('UInt32Value (the bare value)')
    expect(summary('transport_socket_matches')).toBe('list of TransportSocketMatch')
    expect(summary('typed_extension_protocol_options')).toBe('map of string to Any: "@type" and its fields')
    expect(summary('name')).toBe('string')
    expect(valueChoices(findField(cluster, 'respect_dns_ttl')!).map((v) => v.name)).toEqual(['true', 'false'])
    expect(valueChoices(findField(cluster, 'name')!)).toEqual([])
  })
})
