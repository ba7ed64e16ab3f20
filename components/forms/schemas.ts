import { z } from 'zod'

/**
 * What the forms hold. Every field is text or a choice, exactly as typed, so the form values and the
 * validated values have one type; the `toEnvoy…()` functions turn them into numbers and durations.
 * These schemas check the shape (required, whole numbers, duration syntax). Envoy's own limits (a port
 * ≤ 65535, a weight ≥ 1…) are checked by the server against the real protos and come back at the field.
 *
 * `origin` is the index of the element in the loaded resource that a row came from, so that fields
 * the form does not show are merged back into the right element even after rows are removed or moved.
 */
const origin = z.number().int().nonnegative().optional()

const NAME = /^[A-Za-z0-9._:*-]{1,253}$/
export const resourceName = z.string().trim().min(1, 'a name is required').regex(NAME, 'use letters, digits and . _ : - * (no spaces)')

const wholeNumber = z.string().trim().regex(/^\d*$/, 'a whole number')
const requiredWholeNumber = z.string().trim().min(1, 'required').regex(/^\d+$/, 'a whole number')
const port = z.string().trim().min(1, 'a port is required').regex(/^\d+$/, 'a port number, e.g. 8080')
/** google.protobuf.Duration in proto3 JSON: seconds with up to 9 decimals and an `s`. */
const DURATION = /^\d+(\.\d{1,9})?s$/
const duration = z.string().trim().refine((v) => v === '' || DURATION.test(v), 'a duration such as 0.25s or 5s')

// --- Endpoints (a ClusterLoadAssignment, or a cluster's inline load_assignment) -------------------

export const EndpointValues = z.object({
  origin,
  address: z.string().trim().min(1, 'an address is required'),
  port,
  weight: wholeNumber,
})
export type EndpointValues = z.infer<typeof EndpointValues>

export const LocalityValues = z.object({
  origin,
  region: z.string().trim(),
  zone: z.string().trim(),
  endpoints: z.array(EndpointValues),
})
export type LocalityValues = z.infer<typeof LocalityValues>

export const EndpointsFormSchema = z.object({
  clusterName: resourceName,
  localities: z.array(LocalityValues),
})
export type EndpointsFormValues = z.infer<typeof EndpointsFormSchema>

// --- Cluster ---------------------------------------------------------------------------------------

export const CLUSTER_TYPES = ['STATIC', 'STRICT_DNS', 'LOGICAL_DNS', 'EDS'] as const
export const LB_POLICIES = ['ROUND_ROBIN', 'LEAST_REQUEST', 'RING_HASH', 'RANDOM', 'MAGLEV', 'CLUSTER_PROVIDED'] as const

export const HealthCheckValues = z
  .object({
    enabled: z.boolean(),
    path: z.string().trim(),
    interval: duration,
    timeout: duration,
    healthyThreshold: wholeNumber,
    unhealthyThreshold: wholeNumber,
  })
  .superRefine((hc, ctx) => {
    if (!hc.enabled) return
    // Envoy requires all four (HealthCheck's protoc-gen-validate rules); say so before the round trip.
    for (const key of ['interval', 'timeout', 'healthyThreshold', 'unhealthyThreshold'] as const) {
      if (hc[key] === '') ctx.addIssue({ code: 'custom', path: [key], message: 'required for a health check' })
    }
    if (hc.path === '') ctx.addIssue({ code: 'custom', path: ['path'], message: 'the HTTP path to check, e.g. /healthz' })
  })
export type HealthCheckValues = z.infer<typeof HealthCheckValues>

export const CircuitBreakerValues = z.object({
  maxConnections: wholeNumber,
  maxPendingRequests: wholeNumber,
  maxRequests: wholeNumber,
  maxRetries: wholeNumber,
})
export type CircuitBreakerValues = z.infer<typeof CircuitBreakerValues>

export const ClusterFormSchema = z.object({
  name: resourceName,
  type: z.enum(CLUSTER_TYPES),
  lbPolicy: z.enum(LB_POLICIES),
  connectTimeout: duration,
  healthCheck: HealthCheckValues,
  circuitBreaker: CircuitBreakerValues,
  /** The inline load_assignment; not used by EDS clusters, whose endpoints are their own resource. */
  localities: z.array(LocalityValues),
})
export type ClusterFormValues = z.infer<typeof ClusterFormSchema>

// --- Listener --------------------------------------------------------------------------------------

export const ListenerFormSchema = z
  .object({
    name: resourceName,
    address: z.string().trim().min(1, 'an address is required, e.g. 0.0.0.0'),
    port,
    mode: z.enum(['http', 'tcp']),
    statPrefix: z.string().trim().min(1, 'a stat prefix is required, e.g. ingress_http'),
    routeConfigName: z.string().trim(),
    cluster: z.string().trim(),
    /** An SDS secret (over ADS) with the TLS certificate; empty for plain text. */
    tlsSecret: z.string().trim(),
  })
  .superRefine((l, ctx) => {
    if (l.mode === 'http' && l.routeConfigName === '') ctx.addIssue({ code: 'custom', path: ['routeConfigName'], message: 'pick the route configuration' })
    if (l.mode === 'tcp' && l.cluster === '') ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'pick the cluster to proxy to' })
  })
export type ListenerFormValues = z.infer<typeof ListenerFormSchema>

// --- Route configuration: virtual hosts and their routes -----------------------------------------

export const MATCH_KINDS = ['prefix', 'path', 'safe_regex'] as const
export const HEADER_MATCH_KINDS = ['exact', 'prefix', 'regex', 'present'] as const

export const HeaderMatchValues = z
  .object({
    origin,
    name: z.string().trim().min(1, 'a header name'),
    kind: z.enum(HEADER_MATCH_KINDS),
    value: z.string(),
  })
  .superRefine((h, ctx) => {
    if (h.kind !== 'present' && h.value === '') ctx.addIssue({ code: 'custom', path: ['value'], message: 'a value to match' })
  })
export type HeaderMatchValues = z.infer<typeof HeaderMatchValues>

export const WeightedClusterValues = z.object({
  origin,
  name: z.string().trim().min(1, 'pick a cluster'),
  weight: requiredWholeNumber,
})
export type WeightedClusterValues = z.infer<typeof WeightedClusterValues>

export const RouteValues = z
  .object({
    origin,
    /**
     * A route the form cannot show faithfully (a redirect, a direct response, a header matcher it has
     * no control for…). It is kept exactly as loaded and edited in YAML; `lockedReason` says why.
     */
    locked: z.boolean(),
    lockedReason: z.string(),
    matchKind: z.enum(MATCH_KINDS),
    matchValue: z.string(),
    headers: z.array(HeaderMatchValues),
    target: z.enum(['cluster', 'weighted']),
    cluster: z.string().trim(),
    weightedClusters: z.array(WeightedClusterValues),
    timeout: duration,
    retryOn: z.string().trim(),
    numRetries: wholeNumber,
    prefixRewrite: z.string(),
  })
  .superRefine((r, ctx) => {
    if (r.locked) return
    if (r.matchKind !== 'prefix' && r.matchValue === '') ctx.addIssue({ code: 'custom', path: ['matchValue'], message: r.matchKind === 'path' ? 'the exact path, e.g. /healthz' : 'a regular expression (RE2)' })
    if (r.target === 'cluster' && r.cluster === '') ctx.addIssue({ code: 'custom', path: ['cluster'], message: 'pick a cluster' })
    if (r.target === 'weighted' && r.weightedClusters.length === 0) ctx.addIssue({ code: 'custom', path: ['target'], message: 'add at least one weighted cluster' })
  })
export type RouteValues = z.infer<typeof RouteValues>

export const VirtualHostValues = z.object({
  origin,
  name: z.string().trim().min(1, 'a name is required'),
  /** Comma-separated, as typed: `example.com, *.example.com`. */
  domains: z.string().trim().min(1, 'at least one domain, e.g. *'),
  routes: z.array(RouteValues),
})
export type VirtualHostValues = z.infer<typeof VirtualHostValues>

export const RouteConfigFormSchema = z.object({
  name: resourceName,
  virtualHosts: z.array(VirtualHostValues),
})
export type RouteConfigFormValues = z.infer<typeof RouteConfigFormSchema>
