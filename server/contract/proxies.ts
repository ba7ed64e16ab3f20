import { z } from 'zod'
import { ResourceJsonSchema, ResourceTypeSchema } from './common'

export const NackViewSchema = z.object({ message: z.string(), code: z.number().int(), version: z.string(), nonce: z.string(), at: z.string() }).readonly()
export type NackView = z.infer<typeof NackViewSchema>

/** Per type, the protocol's own state (Istio's WatchedResource shape, STYLE §5.4). */
export const TypeStatusSchema = z
  .object({
    typeUrl: z.string(),
    names: z.array(z.string()).readonly(),
    wildcard: z.boolean(),
    nonceSent: z.string().optional(),
    versionSent: z.string().optional(),
    sentFromVersion: z.number().int().optional(),
    lastSendAt: z.string().optional(),
    nonceAcked: z.string().optional(),
    versionAcked: z.string().optional(),
    ackedFromVersion: z.number().int().optional(),
    ackedAt: z.string().optional(),
    lastNack: NackViewSchema.optional(),
    /** Delta: resources whose NACKed content the fleet still wants (the proxy does not run what was committed). */
    rejectedCount: z.number().int().optional(),
    /** Names of the resources in the last response sent (for the config dump), at most MAX_STATUS_NAMES. */
    resourceNames: z.array(z.string()).readonly(),
    /** How many resources the last response carried (resourceNames may be cut short). */
    resourceCount: z.number().int().optional(),
    /** How many names the subscription has (names may be cut short). */
    nameCount: z.number().int().optional(),
  })
  .readonly()
export type TypeStatus = z.infer<typeof TypeStatusSchema>

export const TYPE_STATES = ['SYNCED', 'STALE', 'NOT_SENT', 'NACKED'] as const
export const PROXY_STATES = [...TYPE_STATES, 'DISCONNECTED'] as const
/** Per type, as `istioctl proxy-status` reports it. */
export const TypeStateSchema = z.enum(TYPE_STATES)
export type TypeState = z.infer<typeof TypeStateSchema>
export const ProxyStateSchema = z.enum(PROXY_STATES)
export type ProxyState = z.infer<typeof ProxyStateSchema>

const connectionInfoShape = {
  id: z.string(),
  replicaId: z.string(),
  nodeId: z.string(),
  nodeCluster: z.string(),
  /** node.metadata's string values, what fleet selectors match on (absent on rows written before they were recorded). */
  nodeMetadata: z.record(z.string(), z.string()).readonly().optional(),
  fleet: z.string().nullable(),
  peer: z.string(),
  userAgentName: z.string(),
  userAgentVersion: z.string(),
  stream: z.string(),
  connectedAt: z.string(),
}
export const ConnectionInfoSchema = z.object(connectionInfoShape).readonly()
export type ConnectionInfo = z.infer<typeof ConnectionInfoSchema>

const connectionStatusShape = {
  ...connectionInfoShape,
  disconnectedAt: z.string().nullable(),
  lastSeenAt: z.string(),
  closeReason: z.string().nullable(),
  types: z.record(z.string(), TypeStatusSchema).readonly(),
}
export const ConnectionStatusSchema = z.object(connectionStatusShape).readonly()
export type ConnectionStatus = z.infer<typeof ConnectionStatusSchema>

export const ProxySummarySchema = z.object({ ...connectionStatusShape, state: ProxyStateSchema }).readonly()
export type ProxySummary = z.infer<typeof ProxySummarySchema>

/**
 * GET /proxies?fleet=&state=&q=&sort=&order=&limit=&after=: one page (keyset), filtered, searched
 * (node id substring, any case) and sorted on the server; `after` is the previous page's nextCursor.
 */
export const ProxyListQuery = z.object({
  fleet: z.string().min(1).optional(),
  state: ProxyStateSchema.optional(),
  q: z.string().min(1).max(256).optional(),
  sort: z.enum(['nodeId', 'state', 'connectedAt']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  after: z.string().min(1).max(2048).optional(),
})
export type ProxyListQuery = z.infer<typeof ProxyListQuery>
export const ProxyListResponse = z.object({
  proxies: z.array(ProxySummarySchema),
  /** Pass as `after` for the next page; null on the last one. */
  nextCursor: z.string().nullable(),
  /** How many proxies match the filters, over all pages. */
  total: z.number().int(),
})

/** One type of what Legation last sent a proxy (a config-dump equivalent). */
export const ConfigDumpEntrySchema = z
  .object({
    typeUrl: z.string(),
    type: ResourceTypeSchema,
    /** The Legation version the last response of this type came from, and its version_info. */
    fromVersion: z.number().int(),
    versionInfo: z.string(),
    /** True when the status kept only some names and the dump shows every resource of the type in that version. */
    approximate: z.boolean(),
    resources: z.array(z.object({ name: z.string(), resource: ResourceJsonSchema })),
  })
  .readonly()
export type ConfigDumpEntry = z.infer<typeof ConfigDumpEntrySchema>

/** GET /proxies/{node} */
export const ProxyDetailSchema = z.object({ proxy: ProxySummarySchema, history: z.array(ConnectionStatusSchema), configDump: z.array(ConfigDumpEntrySchema) }).readonly()
export type ProxyDetail = z.infer<typeof ProxyDetailSchema>

/** `suppressed`: events over the proxy's rate limit, counted (repeatCount) rather than recorded (server/status/event-gate.ts). */
export const PROXY_EVENT_KINDS = ['connected', 'disconnected', 'refused', 'send', 'ack', 'nack', 'subscription', 'suppressed'] as const
export const ProxyEventKindSchema = z.enum(PROXY_EVENT_KINDS)
export type ProxyEventKind = z.infer<typeof ProxyEventKindSchema>

const proxyEventShape = {
  connectionId: z.string(),
  nodeId: z.string(),
  fleet: z.string().nullable(),
  at: z.string(),
  kind: ProxyEventKindSchema,
  typeUrl: z.string().optional(),
  version: z.string().optional(),
  nonce: z.string().optional(),
  fromVersion: z.number().int().optional(),
  message: z.string().optional(),
  /** How many identical events this entry stands for (absent: one); `lastAt` is the latest of them. */
  repeatCount: z.number().int().min(2).optional(),
  lastAt: z.string().optional(),
}
/** One entry of a proxy's stream timeline. */
export const ProxyEventRecordSchema = z.object(proxyEventShape).readonly()
export type ProxyEventRecord = z.infer<typeof ProxyEventRecordSchema>
export const ProxyEventViewSchema = z.object({ ...proxyEventShape, id: z.string() }).readonly()
export type ProxyEventView = z.infer<typeof ProxyEventViewSchema>

/** GET /proxies/{node}/events: the stream's timeline, newest first. */
export const ProxyEventsResponse = z.object({ events: z.array(ProxyEventViewSchema) })
export const ProxyEventsQuery = z.object({ limit: z.coerce.number().int().min(1).max(1000).optional() })

/** GET /proxies/summary: one row per fleet (null: proxies whose node.cluster names no fleet). */
export const FleetProxyCountsSchema = z
  .object({ fleet: z.string().nullable(), total: z.number().int(), ...Object.fromEntries(PROXY_STATES.map((s) => [s, z.number().int()])) } as {
    fleet: z.ZodNullable<z.ZodString>
    total: z.ZodNumber
  } & Record<ProxyState, z.ZodNumber>)
  .readonly()
export type FleetProxyCounts = z.infer<typeof FleetProxyCountsSchema>
export const ProxySummaryResponse = z.object({ fleets: z.array(FleetProxyCountsSchema) })
