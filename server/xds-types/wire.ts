/**
 * The xDS wire messages as @grpc/proto-loader hands them to us (keepCase: true, defaults: true, so
 * proto field names are kept and absent scalars are '' / [] ). Only the fields Legation reads.
 */
export type WireNode = Readonly<{
  id: string
  cluster: string
  metadata?: unknown
  locality?: Readonly<{ region?: string; zone?: string; sub_zone?: string }> | null
  user_agent_name: string
  user_agent_version?: string
  user_agent_build_version?: unknown
  client_features?: readonly string[]
}>

/**
 * The client's version: `user_agent_version` (gRPC clients), else Envoy's `user_agent_build_version`
 * (a SemanticVersion, `major_number.minor_number.patch`); '' when neither is given.
 */
export function userAgentVersionOf(node: Pick<WireNode, 'user_agent_version' | 'user_agent_build_version'>): string {
  if (typeof node.user_agent_version === 'string' && node.user_agent_version !== '') return node.user_agent_version
  const v = (node.user_agent_build_version as { version?: { major_number?: unknown; minor_number?: unknown; patch?: unknown } | null } | null | undefined)?.version
  const parts = [v?.major_number, v?.minor_number, v?.patch]
  return parts.every((n) => typeof n === 'number' && Number.isInteger(n) && n >= 0) ? parts.join('.') : ''
}

export type WireStatus = Readonly<{ code: number; message: string }>

export type DiscoveryRequest = Readonly<{
  version_info: string
  node?: WireNode | null
  resource_names: readonly string[]
  type_url: string
  response_nonce: string
  error_detail?: WireStatus | null
}>

export type WireAny = Readonly<{ type_url: string; value: Uint8Array }>

export type DiscoveryResponse = Readonly<{
  version_info: string
  resources: readonly WireAny[]
  type_url: string
  nonce: string
  control_plane?: Readonly<{ identifier: string }>
}>

/** Incremental (delta) xDS: envoy.service.discovery.v3.DeltaDiscoveryRequest, the fields Legation reads. */
export type DeltaDiscoveryRequest = Readonly<{
  node?: WireNode | null
  type_url: string
  resource_names_subscribe: readonly string[]
  resource_names_unsubscribe: readonly string[]
  /** map<string, string>: what a reconnecting client already has (name → version); a Map from our own decoder (decode-request.ts). */
  initial_resource_versions: Readonly<Record<string, string>> | ReadonlyMap<string, string>
  response_nonce: string
  error_detail?: WireStatus | null
}>

/** envoy.service.discovery.v3.Resource: one named, versioned resource of a delta response. */
export type WireResource = Readonly<{ name: string; version: string; resource: WireAny }>

export type DeltaDiscoveryResponse = Readonly<{
  /** The type's version, "for debugging purposes only" in delta (xds_protocol "Incremental xDS"). */
  system_version_info: string
  resources: readonly WireResource[]
  type_url: string
  removed_resources: readonly string[]
  nonce: string
  control_plane?: Readonly<{ identifier: string }>
}>
