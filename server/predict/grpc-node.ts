import { ClusterResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/cluster-resource-type'
import { EndpointResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/endpoint-resource-type'
import { ListenerResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/listener-resource-type'
import { RouteConfigurationResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/route-config-resource-type'
import type { XdsDecodeContext, XdsResourceType } from '@grpc/grpc-js-xds/build/src/xds-resource-type/xds-resource-type'
import { register as registerGrpcXds } from '@grpc/grpc-js-xds'
import type { ConfigResource, ResourceType } from '../config/resource-types'
import { RESOURCE_TYPE_INFO } from '../config/resource-types'

/** The user_agent_name @grpc/grpc-js-xds sends in its Node (xds-client.ts). */
export const GRPC_NODE_USER_AGENT = 'gRPC Node Pure JS'

const DECODERS: Partial<Record<ResourceType, () => XdsResourceType>> = {
  Listener: () => ListenerResourceType.get(),
  RouteConfiguration: () => RouteConfigurationResourceType.get(),
  Cluster: () => ClusterResourceType.get(),
  ClusterLoadAssignment: () => EndpointResourceType.get(),
}

/**
 * What a grpc-js-xds client can know when it decodes a resource: no certificate providers (a
 * bootstrap without them; a cluster naming one is rejected, as that client would) and one server.
 */
const CONTEXT = {
  server: { serverUri: 'legation', channelCreds: [], serverFeatures: ['xds_v3'] },
  bootstrap: { certificateProviders: {} },
} as unknown as XdsDecodeContext

let registered = false
/**
 * The validators consult grpc-js-xds's registries of HTTP filters and load-balancing policies, which
 * its register() fills (a client calls it at start). It also adds the xds: resolver to this process's
 * grpc-js, which the server never uses as a client.
 */
function ensureRegistered(): void {
  if (registered) return
  registerGrpcXds()
  registered = true
}

export type ClientVerdict = Readonly<{ type: ResourceType; name: string; message: string }>

/**
 * Runs @grpc/grpc-js-xds's own resource decoders and validators (the code that decides its ACK or
 * NACK) over encoded resources; returns those it would reject, with its message. Secrets are not
 * served to gRPC proxyless clients, so they are not checked.
 */
export function grpcNodeRejections(encoded: ReadonlyArray<{ resource: ConfigResource; bytes: Uint8Array }>): ClientVerdict[] {
  ensureRegistered()
  const out: ClientVerdict[] = []
  for (const { resource, bytes } of encoded) {
    const decoder = DECODERS[resource.type]?.()
    if (!decoder) continue
    let message: string | undefined
    try {
      const result = decoder.decode(CONTEXT, { type_url: RESOURCE_TYPE_INFO[resource.type].typeUrl, value: Buffer.from(bytes) } as Parameters<XdsResourceType['decode']>[1])
      message = 'error' in result ? result.error : undefined
    } catch (err) {
      message = err instanceof Error ? err.message : String(err)
    }
    if (message !== undefined) out.push({ type: resource.type, name: resource.name, message })
  }
  return out
}
