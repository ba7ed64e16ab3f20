import { RESOURCE_TYPE_INFO, type ResourceType, resourceTypeFromPlural } from '@/server/contract'

/** The five resource kinds as the console and the API's URLs name them (`/draft/clusters/…`), in tab order. */
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

/** What only the console says about each kind; the type and name field come from the resource model. */
const KIND_TEXT: Readonly<Record<ResourceKind, Pick<ResourceKindInfo, 'label' | 'singular' | 'description'>>> = {
  listeners: { label: 'Listeners', singular: 'listener', description: 'Where Envoy accepts connections (LDS): an address and port, and what its filter chain does with them.' },
  routes: { label: 'Routes', singular: 'route configuration', description: 'Route configurations (RDS): virtual hosts by domain, and routes that send requests to clusters.' },
  clusters: { label: 'Clusters', singular: 'cluster', description: 'Upstream services (CDS): how Envoy finds their hosts, balances load and checks their health.' },
  endpoints: { label: 'Endpoints', singular: 'load assignment', description: 'The hosts of EDS clusters (ClusterLoadAssignment), grouped by locality.' },
  secrets: { label: 'Secrets', singular: 'secret', description: 'TLS certificates and validation contexts served over SDS. Private keys are never shown.' },
}

export const KIND_INFO: Readonly<Record<ResourceKind, ResourceKindInfo>> = Object.fromEntries(
  RESOURCE_KINDS.map((kind) => {
    const type = resourceTypeFromPlural(kind)!
    return [kind, { kind, type, nameField: RESOURCE_TYPE_INFO[type].nameField, ...KIND_TEXT[kind] }]
  }),
) as Record<ResourceKind, ResourceKindInfo>

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
