/**
 * The API contract of /api/v1: request and response schemas (zod) with their inferred types, plus the
 * vocabulary they are written in (resource kinds, type URLs, proxy states). The console, the tests and
 * any client import this module only; the server's route handlers parse their input with it.
 */
export * from './common'
export * from './fleets'
export * from './drafts'
export * from './bundles'
export * from './versions'
export * from './rollout'
export * from './predict'
export * from './proxies'
export { deriveProxyState, deriveTypeState, isOnVersion, lastAckAt, MAX_STATUS_NAMES } from './proxy-state'
export * from './activity'
export * from './events'
export * from './bootstrap'
export * from './variables'
export * from './staged-rollouts'
export * from './schema'
export {
  CLUSTER_LOAD_ASSIGNMENT_TYPE_URL,
  CLUSTER_TYPE_URL,
  LISTENER_TYPE_URL,
  RESOURCE_TYPE_INFO,
  RESOURCE_TYPES,
  ROUTE_CONFIGURATION_TYPE_URL,
  SECRET_TYPE_URL,
  isResourceType,
  resourceTypeFromPlural,
  type JsonValue,
  type ResourceJson,
  type ResourceKey,
  type ResourceType,
  type ResourceTypeInfo,
} from '../config/resource-types'
export { describeSelector } from '../config/fleet-match'
/** The fleet-glob matching of grants (`edge-*`), so the console decides what to offer exactly as the server checks it. */
export { globMatches } from '../config/glob'
export type { ConfigIssue } from '../config/issues'
export * from './auth'
export * from './topology'
export * from './search'
export * from './charts'
