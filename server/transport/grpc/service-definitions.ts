import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { PROTO_INCLUDE_DIRS } from '../../../proto/loader'
import type { DeltaDiscoveryResponse, DiscoveryResponse } from '../../xds/wire'
import { encodeDeltaDiscoveryResponse } from './encode-delta-response'
import { encodeDiscoveryResponse } from './encode-response'

/**
 * The xDS gRPC services, loaded with proto field names kept (keepCase, as grpc-js-xds does: otherwise
 * a nested Any is silently emptied) and defaults filled in, so handlers see `type_url`, `version_info`.
 */
const LOADER_OPTIONS: protoLoader.Options = { keepCase: true, longs: String, enums: String, defaults: true, oneofs: true, includeDirs: [...PROTO_INCLUDE_DIRS] }

type Nested = { [name: string]: Nested | grpc.ServiceClientConstructor | undefined }

function serviceOf(pkg: grpc.GrpcObject, path: string): grpc.ServiceDefinition {
  let node: Nested | grpc.ServiceClientConstructor | undefined = pkg as unknown as Nested
  for (const part of path.split('.')) node = node && typeof node === 'object' ? (node as Nested)[part] : undefined
  const ctor = node as grpc.ServiceClientConstructor | undefined
  if (!ctor?.service) throw new Error(`xDS service ${path} not found in the protos`)
  return ctor.service
}

let cached: { ads: grpc.ServiceDefinition } | undefined

export function loadXdsServices(): { ads: grpc.ServiceDefinition } {
  if (cached) return cached
  const definition = protoLoader.loadSync(['envoy/service/discovery/v3/ads.proto'], LOADER_OPTIONS)
  const pkg = grpc.loadPackageDefinition(definition)
  const ads = serviceOf(pkg, 'envoy.service.discovery.v3.AggregatedDiscoveryService')
  const sotw = ads['StreamAggregatedResources']!
  const delta = ads['DeltaAggregatedResources']!
  cached = {
    ads: {
      ...ads,
      StreamAggregatedResources: { ...sotw, responseSerialize: (res: DiscoveryResponse) => encodeDiscoveryResponse(res) },
      DeltaAggregatedResources: { ...delta, responseSerialize: (res: DeltaDiscoveryResponse) => encodeDeltaDiscoveryResponse(res) },
    },
  }
  return cached
}
