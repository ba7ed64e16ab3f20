import {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  RESOURCE_TYPE_INFO,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  type ResourceType,
} from '../config/resource-types'

export type ListenerTypeUrl = typeof LISTENER_TYPE_URL
export type RouteConfigurationTypeUrl = typeof ROUTE_CONFIGURATION_TYPE_URL
export type ClusterTypeUrl = typeof CLUSTER_TYPE_URL
export type ClusterLoadAssignmentTypeUrl = typeof CLUSTER_LOAD_ASSIGNMENT_TYPE_URL
export type SecretTypeUrl = typeof SECRET_TYPE_URL
export type XdsTypeUrl = ListenerTypeUrl | RouteConfigurationTypeUrl | ClusterTypeUrl | ClusterLoadAssignmentTypeUrl | SecretTypeUrl

export { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL }

/**
 * ADS push order: Cluster, ClusterLoadAssignment, Listener, RouteConfiguration, Secret — the order of
 * go-control-plane's ResponseType enum and Istio's PushOrder, so that a proxy never receives a
 * listener whose route configuration or clusters it doesn't have yet (xds_protocol "eventual consistency").
 * NOTE: the order of this list MATTERS.
 */
export const PUSH_ORDER: readonly XdsTypeUrl[] = [CLUSTER_TYPE_URL, CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, LISTENER_TYPE_URL, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL]

/** Listener and Cluster subscriptions may be wildcard (xds_protocol "How the client specifies what resources to return"). */
export const WILDCARD_TYPES: ReadonlySet<XdsTypeUrl> = new Set([LISTENER_TYPE_URL, CLUSTER_TYPE_URL])

const BY_URL: ReadonlyMap<string, ResourceType> = new Map(Object.values(RESOURCE_TYPE_INFO).map((i) => [i.typeUrl, i.type]))

export function isXdsTypeUrl(value: string): value is XdsTypeUrl {
  return BY_URL.has(value)
}

const CANONICAL: ReadonlyMap<string, XdsTypeUrl> = new Map(PUSH_ORDER.map((url) => [url, url]))

/**
 * The type URL as the one shared string constant, or undefined if unknown: a request's type_url is a
 * new string each time it is decoded, and a stream that kept it would hold its own copy per type.
 */
export function canonicalTypeUrl(value: string): XdsTypeUrl | undefined {
  return CANONICAL.get(value)
}

export function resourceTypeOf(typeUrl: XdsTypeUrl): ResourceType {
  return BY_URL.get(typeUrl)!
}

export function typeUrlOf(type: ResourceType): XdsTypeUrl {
  return RESOURCE_TYPE_INFO[type].typeUrl as XdsTypeUrl
}

/** Short names (cds, eds, lds, rds, sds) appear only in logs and metrics, like Istio's GetShortType. */
export function shortType(typeUrl: string): string {
  const type = BY_URL.get(typeUrl)
  return type ? RESOURCE_TYPE_INFO[type].short : typeUrl
}
