import type { JsonValue, ResourceKey } from '../resource-types'

/**
 * One thing the config analysis found: the resource, the field path inside it (the same path style
 * as validation issues, server/config/issues.ts), a stable code and a message. An `error` is
 * something Envoy (or a gRPC client) would reject or that cannot work: a commit is refused. A
 * `warning` is config Envoy accepts that most likely does not do what was meant (a route that can
 * never match): a commit asks for confirmation (`acceptWarnings`).
 */
export type FindingSeverity = 'error' | 'warning'

export const FINDING_CODES = [
  'ROUTE.SHADOWED',
  'ROUTE.TIMEOUT_OVER_IDLE_TIMEOUT',
  'ROUTE.PER_TRY_TIMEOUT_OVER_TIMEOUT',
  'ROUTE.WEIGHTS_MISMATCH',
  'DOMAIN.DUPLICATE',
  'DOMAIN.WILDCARD_OVERLAP',
  'DOMAIN.NEVER_MATCHES',
  'VIRTUAL_HOST.UNREACHABLE',
  'REGEX.INVALID',
  'CLUSTER.UNUSED',
  'CLUSTER.LOGICAL_DNS_ENDPOINTS',
  'ENDPOINTS.ORPHANED',
  'ENDPOINT.CONTROL_PLANE_PORT',
  'ENDPOINT.NOT_AN_IP',
  'ROUTE_CONFIGURATION.UNUSED',
  'LISTENER.FILTER_CHAIN_DUPLICATE_MATCH',
  'LISTENER.FILTER_CHAIN_UNREACHABLE',
  'HTTP_FILTERS.NO_ROUTER',
  'HTTP_FILTERS.ROUTER_NOT_LAST',
] as const
export type FindingCode = (typeof FINDING_CODES)[number]

export type Finding = Readonly<{
  severity: FindingSeverity
  code: FindingCode
  resource: ResourceKey
  path: string
  message: string
}>

/** A port of this control plane (xDS gRPC, HTTP): an endpoint pointing at one is most likely a mistake. */
export type ControlPlanePort = Readonly<{ port: number; what: string }>

// ---- reading canonical proto3 JSON ----------------------------------------------------------------

export type Json = JsonValue
export type JsonObject = { readonly [key: string]: Json }

export function isObject(v: Json | undefined): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}
export function asArray(v: Json | undefined): readonly Json[] {
  return Array.isArray(v) ? v : []
}
export function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined
}
export function num(v: Json | undefined): number | undefined {
  return typeof v === 'number' ? v : undefined
}

/** A google.protobuf.Duration as canonical JSON writes it (`"15s"`, `"0.250s"`), in milliseconds. */
export function durationMs(v: Json | undefined): number | undefined {
  if (typeof v !== 'string') return undefined
  const m = /^(-?\d+)(?:\.(\d{1,9}))?s$/.exec(v)
  if (!m) return undefined
  return Number(m[1]) * 1000 + (m[2] ? Number(`0.${m[2]}`) * 1000 : 0)
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`
  if (ms % 60_000 === 0) return `${ms / 60_000}m`
  return `${ms / 1000}s`
}

/** Order of findings everywhere: errors first, then by resource and path. */
export function compareFindings(a: Finding, b: Finding): number {
  if (a.severity !== b.severity) return a.severity === 'error' ? -1 : 1
  const ka = `${a.resource.type}/${a.resource.name}`
  const kb = `${b.resource.type}/${b.resource.name}`
  if (ka !== kb) return ka < kb ? -1 : 1
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0
}
