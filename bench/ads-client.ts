import * as grpc from '@grpc/grpc-js'
import protobuf from 'protobufjs'
import { loadXdsServices } from '../server/transport/grpc/service-definitions'
import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL } from '../server/xds-types/type-urls'
import type { DiscoveryRequest, DiscoveryResponse } from '../server/xds-types/wire'

/**
 * A minimal simulated proxy for the benchmark: one ADS stream that subscribes to every Cluster
 * (wildcard) and then to the load assignment of each cluster it receives, and ACKs every response.
 */
export type SimulatedProxy = Readonly<{
  /** Resolves (with the time) once a response of `typeUrl` whose version_info is not `except` has been ACKed. */
  ackedOtherThan: (typeUrl: string, except: string | null) => Promise<{ at: number; version: string }>
  lastAcked: (typeUrl: string) => string | null
  close: () => void
}>

/**
 * Real proxies decode responses in C++; a JS client decoding a million Any's would measure itself,
 * not the server. So the simulated proxy reads only version_info, type_url, nonce and the resource count.
 */
function decodeResponseHeader(bytes: Buffer): DiscoveryResponse {
  const reader = protobuf.Reader.create(bytes)
  let version_info = ''
  let type_url = ''
  let nonce = ''
  let count = 0
  while (reader.pos < reader.len) {
    const tag = reader.uint32()
    switch (tag >>> 3) {
      case 1: version_info = reader.string(); break
      case 2: count++; reader.skipType(tag & 7); break
      case 4: type_url = reader.string(); break
      case 5: nonce = reader.string(); break
      default: reader.skipType(tag & 7)
    }
  }
  return { version_info, type_url, nonce, resources: Array.from({ length: count }, () => ({ type_url, value: new Uint8Array() })) }
}

const adsService = loadXdsServices().ads
const AdsClient = grpc.makeGenericClientConstructor(
  { ...adsService, StreamAggregatedResources: { ...adsService['StreamAggregatedResources']!, responseDeserialize: decodeResponseHeader } },
  'AggregatedDiscoveryService',
)

export function connectSimulatedProxy(options: { address: string; nodeId: string; fleet: string; channel?: grpc.Channel }): SimulatedProxy {
  const client = new AdsClient(options.address, grpc.credentials.createInsecure(), { 'grpc.max_receive_message_length': 64 * 1024 * 1024 })
  const call = (client as unknown as { StreamAggregatedResources: () => grpc.ClientDuplexStream<DiscoveryRequest, DiscoveryResponse> }).StreamAggregatedResources()
  const lastVersion = new Map<string, { at: number; version: string }>()
  let waiters: Array<{ typeUrl: string; except: string | null; resolve: (r: { at: number; version: string }) => void }> = []
  let edsNames: string[] = []
  const node = { id: options.nodeId, cluster: options.fleet, user_agent_name: 'legation-bench', locality: {} }

  call.on('data', (res: DiscoveryResponse) => {
    call.write({ version_info: res.version_info, node: null, resource_names: res.type_url === CLUSTER_LOAD_ASSIGNMENT_TYPE_URL ? edsNames : [], type_url: res.type_url, response_nonce: res.nonce, error_detail: null })
    if (res.type_url === CLUSTER_TYPE_URL) {
      const names = res.resources.map((_, i) => `cluster-${i}`)
      if (names.length !== edsNames.length) {
        edsNames = names
        call.write({ version_info: '', node: null, resource_names: edsNames, type_url: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, response_nonce: '', error_detail: null })
      }
    }
    const acked = { at: performance.now(), version: res.version_info }
    lastVersion.set(res.type_url, acked)
    const done = waiters.filter((w) => w.typeUrl === res.type_url && w.except !== res.version_info)
    waiters = waiters.filter((w) => !done.includes(w))
    for (const w of done) w.resolve(acked)
  })
  call.on('error', () => undefined)
  call.write({ version_info: '', node, resource_names: [], type_url: CLUSTER_TYPE_URL, response_nonce: '', error_detail: null })

  return {
    ackedOtherThan: (typeUrl, except) => {
      const last = lastVersion.get(typeUrl)
      if (last && last.version !== except) return Promise.resolve(last)
      return new Promise((resolve) => waiters.push({ typeUrl, except, resolve }))
    },
    lastAcked: (typeUrl) => lastVersion.get(typeUrl)?.version ?? null,
    close: () => {
      call.cancel()
      client.close()
    },
  }
}
