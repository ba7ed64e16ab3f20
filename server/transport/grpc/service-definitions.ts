import * as grpc from '@grpc/grpc-js'
import * as protoLoader from '@grpc/proto-loader'
import { PROTO_INCLUDE_DIRS } from '../../../proto/loader'
import { getMetrics } from '../../metrics'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL, shortType, type XdsTypeUrl } from '../../xds-types/type-urls'
import type { DeltaDiscoveryResponse, DiscoveryResponse } from '../../xds-types/wire'
import { encodeDeltaDiscoveryResponse } from './encode-delta-response'
import { encodeDiscoveryResponse } from './encode-response'
import { deltaDiscoveryRequestDecoder, discoveryRequestDecoder } from './decode-request'

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

/** One per-type xDS service (LDS, RDS, CDS, EDS, SDS): its SotW and delta method names and type URL. */
export type PerTypeService = Readonly<{ short: string; typeUrl: XdsTypeUrl; definition: grpc.ServiceDefinition; sotw: string; delta: string; fetch: string }>

const PER_TYPE: ReadonlyArray<{ file: string; service: string; short: string; typeUrl: XdsTypeUrl; noun: string }> = [
  { file: 'envoy/service/listener/v3/lds.proto', service: 'envoy.service.listener.v3.ListenerDiscoveryService', short: 'LDS', typeUrl: LISTENER_TYPE_URL, noun: 'Listeners' },
  { file: 'envoy/service/route/v3/rds.proto', service: 'envoy.service.route.v3.RouteDiscoveryService', short: 'RDS', typeUrl: ROUTE_CONFIGURATION_TYPE_URL, noun: 'Routes' },
  { file: 'envoy/service/cluster/v3/cds.proto', service: 'envoy.service.cluster.v3.ClusterDiscoveryService', short: 'CDS', typeUrl: CLUSTER_TYPE_URL, noun: 'Clusters' },
  { file: 'envoy/service/endpoint/v3/eds.proto', service: 'envoy.service.endpoint.v3.EndpointDiscoveryService', short: 'EDS', typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, noun: 'Endpoints' },
  { file: 'envoy/service/secret/v3/sds.proto', service: 'envoy.service.secret.v3.SecretDiscoveryService', short: 'SDS', typeUrl: SECRET_TYPE_URL, noun: 'Secrets' },
]

/** The encoded size of each response, by type (legation_xds_push_bytes_total): counted where the bytes exist. */
function counted(typeUrl: string, bytes: Buffer): Buffer {
  getMetrics().pushBytes.inc({ type: shortType(typeUrl) }, bytes.length)
  return bytes
}

/** Our encoders reuse each resource's encoded Any across streams (encode-response.ts); our decoders read the per-request fields directly (decode-request.ts). */
function withEncoders(definition: grpc.ServiceDefinition, sotw: string, delta: string): grpc.ServiceDefinition {
  const s = definition[sotw]!
  const d = definition[delta]!
  return {
    ...definition,
    [sotw]: { ...s, requestDeserialize: discoveryRequestDecoder(s.requestDeserialize), responseSerialize: (res: DiscoveryResponse) => counted(res.type_url, encodeDiscoveryResponse(res)) },
    [delta]: { ...d, requestDeserialize: deltaDiscoveryRequestDecoder(d.requestDeserialize), responseSerialize: (res: DeltaDiscoveryResponse) => counted(res.type_url, encodeDeltaDiscoveryResponse(res)) },
  }
}

let cached: { ads: grpc.ServiceDefinition; perType: PerTypeService[]; csds: grpc.ServiceDefinition } | undefined

export function loadXdsServices(): { ads: grpc.ServiceDefinition; perType: PerTypeService[]; csds: grpc.ServiceDefinition } {
  if (cached) return cached
  const definition = protoLoader.loadSync(['envoy/service/discovery/v3/ads.proto', 'envoy/service/status/v3/csds.proto', ...PER_TYPE.map((p) => p.file)], LOADER_OPTIONS)
  const pkg = grpc.loadPackageDefinition(definition)
  cached = {
    csds: serviceOf(pkg, 'envoy.service.status.v3.ClientStatusDiscoveryService'),
    ads: withEncoders(serviceOf(pkg, 'envoy.service.discovery.v3.AggregatedDiscoveryService'), 'StreamAggregatedResources', 'DeltaAggregatedResources'),
    perType: PER_TYPE.map((p) => ({
      short: p.short,
      typeUrl: p.typeUrl,
      definition: withEncoders(serviceOf(pkg, p.service), `Stream${p.noun}`, `Delta${p.noun}`),
      sotw: `Stream${p.noun}`,
      delta: `Delta${p.noun}`,
      fetch: `Fetch${p.noun}`,
    })),
  }
  return cached
}
