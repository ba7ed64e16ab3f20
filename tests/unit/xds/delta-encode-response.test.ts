// The delta response encoder lives in server/transport/grpc; its test sits with the other delta tests.
import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { describe, expect, it } from 'vitest'
import { PROTO_INCLUDE_DIRS } from '../../../proto/loader'
import { encodeDeltaDiscoveryResponse } from '../../../server/transport/grpc/encode-delta-response'
import { loadXdsServices } from '../../../server/transport/grpc/service-definitions'
import type { DeltaDiscoveryResponse, WireAny } from '../../../server/xds-types/wire'

const TYPE = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'

type Method = { responseSerialize: (res: unknown) => Buffer; responseDeserialize: (bytes: Buffer) => unknown }

/** proto-loader's own (generic protobufjs) codec for DeltaAggregatedResources. */
function genericMethod(): Method {
  const def = protoLoader.loadSync(['envoy/service/discovery/v3/ads.proto'], { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [...PROTO_INCLUDE_DIRS] })
  const pkg = grpc.loadPackageDefinition(def) as unknown as { envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: grpc.ServiceClientConstructor } } } } }
  return pkg.envoy.service.discovery.v3.AggregatedDiscoveryService.service['DeltaAggregatedResources'] as unknown as Method
}

const anyA: WireAny = { type_url: TYPE, value: new Uint8Array([10, 3, 102, 111, 111]) }
const anyB: WireAny = { type_url: TYPE, value: new Uint8Array([10, 3, 98, 97, 114]) }

const response: DeltaDiscoveryResponse = {
  system_version_info: 'abc123',
  resources: [
    { name: 'foo', version: 'v-foo', resource: anyA },
    { name: 'bar', version: 'v-bar', resource: anyB },
  ],
  type_url: TYPE,
  removed_resources: ['gone-1', 'gone-2'],
  nonce: '7',
  control_plane: { identifier: 'legation/test' },
}

describe('encodeDeltaDiscoveryResponse', () => {
  it('produces the same bytes as the generic protobufjs encoder', () => {
    expect(encodeDeltaDiscoveryResponse(response).equals(genericMethod().responseSerialize(response))).toBe(true)
  })

  it('is the serializer of the DeltaAggregatedResources service definition, and round-trips', () => {
    const method = loadXdsServices().ads['DeltaAggregatedResources']!
    const decoded = genericMethod().responseDeserialize(method.responseSerialize(response)) as DeltaDiscoveryResponse
    expect(decoded).toMatchObject({ system_version_info: 'abc123', type_url: TYPE, nonce: '7', removed_resources: ['gone-1', 'gone-2'], control_plane: { identifier: 'legation/test' } })
    expect(decoded.resources.map((r) => [r.name, r.version, r.resource.type_url, [...r.resource.value]])).toEqual([
      ['foo', 'v-foo', TYPE, [...anyA.value]],
      ['bar', 'v-bar', TYPE, [...anyB.value]],
    ])
  })

  it('decodes like the generic encoding when fields are empty (removal-only response)', () => {
    const removalOnly: DeltaDiscoveryResponse = { system_version_info: '', resources: [], type_url: TYPE, removed_resources: ['x'], nonce: '9' }
    const generic = genericMethod()
    expect(generic.responseDeserialize(encodeDeltaDiscoveryResponse(removalOnly))).toEqual(generic.responseDeserialize(generic.responseSerialize(removalOnly)))
  })

  it('re-encodes when the same Any comes with another name or version', () => {
    const first = encodeDeltaDiscoveryResponse({ ...response, resources: [{ name: 'foo', version: 'v1', resource: anyA }] })
    const second = encodeDeltaDiscoveryResponse({ ...response, resources: [{ name: 'foo', version: 'v2', resource: anyA }] })
    expect(first.equals(second)).toBe(false)
    const decoded = genericMethod().responseDeserialize(second) as DeltaDiscoveryResponse
    expect(decoded.resources[0]?.version).toBe('v2')
  })
})
