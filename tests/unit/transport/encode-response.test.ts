import * as grpc from '@grpc/grpc-js'
import { describe, expect, it } from 'vitest'
import { encodeDiscoveryResponse } from '../../../server/transport/grpc/encode-response'
import { loadXdsServices } from '../../../server/transport/grpc/service-definitions'
import type { DiscoveryResponse } from '../../../server/xds-types/wire'
import * as protoLoader from '@grpc/proto-loader'
import { PROTO_INCLUDE_DIRS } from '../../../proto/loader'

const TYPE = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'

function genericSerializer(): (res: DiscoveryResponse) => Buffer {
  const def = protoLoader.loadSync(['envoy/service/discovery/v3/ads.proto'], { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [...PROTO_INCLUDE_DIRS] })
  const pkg = grpc.loadPackageDefinition(def) as unknown as { envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: grpc.ServiceClientConstructor } } } } }
  return pkg.envoy.service.discovery.v3.AggregatedDiscoveryService.service['StreamAggregatedResources']!.responseSerialize as (res: DiscoveryResponse) => Buffer
}

describe('encodeDiscoveryResponse', () => {
  const response: DiscoveryResponse = {
    version_info: 'abc123',
    resources: [
      { type_url: TYPE, value: new Uint8Array([10, 3, 102, 111, 111]) },
      { type_url: TYPE, value: new Uint8Array([10, 3, 98, 97, 114]) },
    ],
    type_url: TYPE,
    nonce: '7',
    control_plane: { identifier: 'legation/test' },
  }

  it('produces the same bytes as the generic protobufjs encoder', () => {
    expect(encodeDiscoveryResponse(response).equals(genericSerializer()(response))).toBe(true)
  })

  it('round-trips through the service definition’s own deserializer', () => {
    const service = loadXdsServices().ads['StreamAggregatedResources']!
    const decoded = genericDeserialize(service.responseSerialize(response))
    expect(decoded).toMatchObject({ version_info: 'abc123', type_url: TYPE, nonce: '7', control_plane: { identifier: 'legation/test' } })
    expect((decoded as { resources: unknown[] }).resources).toHaveLength(2)
  })

  it('shares the encoded body between responses with the same resources array, each with its own nonce', () => {
    // The second and third calls hit the body encoded for the first (same array object).
    const second = { ...response, nonce: '8', control_plane: { identifier: 'other' } }
    const third = { ...response, version_info: 'def456', nonce: '9' }
    for (const r of [response, second, third]) expect(encodeDiscoveryResponse(r).equals(genericSerializer()(r))).toBe(true)
  })

  it('encodes an empty response (no resources) like protobufjs', () => {
    const empty: DiscoveryResponse = { version_info: 'v', resources: [], type_url: TYPE, nonce: '1' }
    expect(encodeDiscoveryResponse(empty).equals(genericSerializer()(empty))).toBe(true)
  })
})

function genericDeserialize(bytes: Buffer): unknown {
  const def = protoLoader.loadSync(['envoy/service/discovery/v3/ads.proto'], { keepCase: true, defaults: true, includeDirs: [...PROTO_INCLUDE_DIRS] })
  const pkg = grpc.loadPackageDefinition(def) as unknown as { envoy: { service: { discovery: { v3: { AggregatedDiscoveryService: grpc.ServiceClientConstructor } } } } }
  return pkg.envoy.service.discovery.v3.AggregatedDiscoveryService.service['StreamAggregatedResources']!.responseDeserialize(bytes)
}
