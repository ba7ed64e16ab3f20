import type { ResourceType } from '@/server/config/resource-types'

/** The five resource kinds as the console and the API's URLs name them (`/draft/clusters/…`). */
export const RESOURCE_KINDS = ['listeners', 'routes', 'clusters', 'endpoints', 'secrets'] as const
export type ResourceKind = (typeof RESOURCE_KINDS)[number]

export type ResourceKindInfo = Readonly<{
  kind: ResourceKind
  type: ResourceType
  /** Tab label. */
  label: string
  /** "route configuration": used in sentences. */
  singular: string
  /** The proto field that holds the resource's name. */
  nameField: 'name' | 'cluster_name'
  /** One line for the tab's description. */
  description: string
}>

export const KIND_INFO: Readonly<Record<ResourceKind, ResourceKindInfo>> = {
  listeners: { kind: 'listeners', type: 'Listener', label: 'Listeners', singular: 'listener', nameField: 'name', description: 'Where Envoy accepts connections (LDS): an address and port, and what its filter chain does with them.' },
  routes: { kind: 'routes', type: 'RouteConfiguration', label: 'Routes', singular: 'route configuration', nameField: 'name', description: 'Route configurations (RDS): virtual hosts by domain, and routes that send requests to clusters.' },
  clusters: { kind: 'clusters', type: 'Cluster', label: 'Clusters', singular: 'cluster', nameField: 'name', description: 'Upstream services (CDS): how Envoy finds their hosts, balances load and checks their health.' },
  endpoints: { kind: 'endpoints', type: 'ClusterLoadAssignment', label: 'Endpoints', singular: 'load assignment', nameField: 'cluster_name', description: 'The hosts of EDS clusters (ClusterLoadAssignment), grouped by locality.' },
  secrets: { kind: 'secrets', type: 'Secret', label: 'Secrets', singular: 'secret', nameField: 'name', description: 'TLS certificates and validation contexts served over SDS. Private keys are never shown.' },
}

export function isResourceKind(value: string): value is ResourceKind {
  return (RESOURCE_KINDS as readonly string[]).includes(value)
}

export function kindOfType(type: ResourceType): ResourceKind {
  return RESOURCE_KINDS.find((k) => KIND_INFO[k].type === type) ?? 'clusters'
}

/** Console URLs. Names are user-chosen: encode them once, here. */
export const resourceHrefs = {
  list: (fleet: string, kind: ResourceKind) => `/fleets/${encodeURIComponent(fleet)}/resources/${kind}`,
  edit: (fleet: string, kind: ResourceKind, name: string, view?: 'form' | 'yaml' | 'json') =>
    `/fleets/${encodeURIComponent(fleet)}/resources/${kind}/${encodeURIComponent(name)}${view ? `?view=${view}` : ''}`,
  /** `new` is not a kind, so this static segment never shadows a resource's own page. */
  create: (fleet: string, kind: ResourceKind) => `/fleets/${encodeURIComponent(fleet)}/resources/new/${kind}`,
  changes: (fleet: string) => `/fleets/${encodeURIComponent(fleet)}/changes`,
}
