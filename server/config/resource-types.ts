// The five Envoy v3 resource kinds a fleet's config is made of. Type URLs are the
// protocol's own words (grpc-js-xds src/resources.ts does the same).
export const LISTENER_TYPE_URL = 'type.googleapis.com/envoy.config.listener.v3.Listener'
export const ROUTE_CONFIGURATION_TYPE_URL = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration'
export const CLUSTER_TYPE_URL = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
export const CLUSTER_LOAD_ASSIGNMENT_TYPE_URL = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'
export const SECRET_TYPE_URL = 'type.googleapis.com/envoy.extensions.transport_sockets.tls.v3.Secret'

export const RESOURCE_TYPES = ['Cluster', 'ClusterLoadAssignment', 'Listener', 'RouteConfiguration', 'Secret'] as const
export type ResourceType = (typeof RESOURCE_TYPES)[number]

export type ResourceTypeInfo = Readonly<{
  type: ResourceType
  typeUrl: string
  /** Fully qualified proto message name. */
  messageName: string
  /** Path segment used by the HTTP API (`/draft/clusters/...`). */
  plural: string
  /** The proto field that holds the resource's name. */
  nameField: 'name' | 'cluster_name'
  /** Short name used only in logs and metrics (Istio's GetShortType). */
  short: string
}>

export const RESOURCE_TYPE_INFO: Readonly<Record<ResourceType, ResourceTypeInfo>> = {
  Listener: { type: 'Listener', typeUrl: LISTENER_TYPE_URL, messageName: 'envoy.config.listener.v3.Listener', plural: 'listeners', nameField: 'name', short: 'lds' },
  RouteConfiguration: { type: 'RouteConfiguration', typeUrl: ROUTE_CONFIGURATION_TYPE_URL, messageName: 'envoy.config.route.v3.RouteConfiguration', plural: 'routes', nameField: 'name', short: 'rds' },
  Cluster: { type: 'Cluster', typeUrl: CLUSTER_TYPE_URL, messageName: 'envoy.config.cluster.v3.Cluster', plural: 'clusters', nameField: 'name', short: 'cds' },
  ClusterLoadAssignment: { type: 'ClusterLoadAssignment', typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, messageName: 'envoy.config.endpoint.v3.ClusterLoadAssignment', plural: 'endpoints', nameField: 'cluster_name', short: 'eds' },
  Secret: { type: 'Secret', typeUrl: SECRET_TYPE_URL, messageName: 'envoy.extensions.transport_sockets.tls.v3.Secret', plural: 'secrets', nameField: 'name', short: 'sds' },
}

export function isResourceType(value: string): value is ResourceType {
  return (RESOURCE_TYPES as readonly string[]).includes(value)
}

export function resourceTypeFromPlural(plural: string): ResourceType | null {
  return RESOURCE_TYPES.find((t) => RESOURCE_TYPE_INFO[t].plural === plural) ?? null
}

/** Canonical proto3 JSON of one Envoy resource (snake_case field names, as Envoy's own config dumps print them). */
export type ResourceJson = { readonly [key: string]: JsonValue }
export type JsonValue = string | number | boolean | null | readonly JsonValue[] | { readonly [key: string]: JsonValue }

/** One resource of a fleet's config: the unit that drafts and versions are made of. */
export type ConfigResource = Readonly<{ type: ResourceType; name: string; resource: ResourceJson }>

export type ResourceKey = Readonly<{ type: ResourceType; name: string }>

export function resourceKey(r: ResourceKey): string {
  return `${r.type}/${r.name}`
}

/** Stable order used everywhere a resource set is listed or hashed: by type, then name. */
export function compareResources(a: ResourceKey, b: ResourceKey): number {
  if (a.type !== b.type) return a.type < b.type ? -1 : 1
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0
}
