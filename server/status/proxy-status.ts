/**
 * What the dashboard shows per proxy: the protocol's own per-type state (Istio's WatchedResource
 * shape, STYLE §5.4), as stored in proxy_connection.types and returned by the API. Pure.
 */
export type NackView = Readonly<{ message: string; code: number; version: string; nonce: string; at: string }>

export type TypeStatus = Readonly<{
  typeUrl: string
  names: readonly string[]
  wildcard: boolean
  nonceSent?: string
  versionSent?: string
  sentFromVersion?: number
  lastSendAt?: string
  nonceAcked?: string
  versionAcked?: string
  ackedFromVersion?: number
  ackedAt?: string
  lastNack?: NackView
  /** Names of the resources in the last response sent (for the config dump), at most MAX_STATUS_NAMES. */
  resourceNames: readonly string[]
  /** How many resources the last response carried (resourceNames may be cut short). */
  resourceCount?: number
  /** How many names the subscription has (names may be cut short). */
  nameCount?: number
}>

/** Status rows are rewritten on every ACK: keep them small even for proxies that know 10,000 clusters. */
export const MAX_STATUS_NAMES = 100

export type ConnectionInfo = Readonly<{
  id: string
  replicaId: string
  nodeId: string
  nodeCluster: string
  fleet: string | null
  peer: string
  userAgentName: string
  userAgentVersion: string
  stream: string
  connectedAt: string
}>

export type ConnectionStatus = ConnectionInfo &
  Readonly<{
    disconnectedAt: string | null
    lastSeenAt: string
    closeReason: string | null
    types: Readonly<Record<string, TypeStatus>>
  }>

export type ProxyEventKind = 'connected' | 'disconnected' | 'refused' | 'send' | 'ack' | 'nack' | 'subscription'

/** One entry of a proxy's stream timeline. */
export type ProxyEventRecord = Readonly<{
  connectionId: string
  nodeId: string
  fleet: string | null
  at: string
  kind: ProxyEventKind
  typeUrl?: string
  version?: string
  nonce?: string
  fromVersion?: number
  message?: string
}>

/** Per type, as `istioctl proxy-status` reports it. */
export type TypeState = 'SYNCED' | 'STALE' | 'NOT_SENT' | 'NACKED'
export type ProxyState = TypeState | 'DISCONNECTED'

export const TYPE_STATES: readonly TypeState[] = ['SYNCED', 'STALE', 'NOT_SENT', 'NACKED']
export const PROXY_STATES: readonly ProxyState[] = [...TYPE_STATES, 'DISCONNECTED']

export function deriveTypeState(t: TypeStatus | undefined): TypeState {
  if (!t || t.nonceSent === undefined) return 'NOT_SENT'
  // The latest response was rejected: the proxy runs its last good config.
  if (t.lastNack && t.lastNack.nonce === t.nonceSent) return 'NACKED'
  if (t.nonceAcked === t.nonceSent) return 'SYNCED'
  return 'STALE'
}

/**
 * NACKED if any type is, else STALE if any type is, else SYNCED; NOT_SENT only when nothing was sent
 * at all (a type with nothing to send, e.g. an empty subscription, must not hold the proxy back), or
 * DISCONNECTED.
 */
export function deriveProxyState(c: Pick<ConnectionStatus, 'disconnectedAt' | 'types'>): ProxyState {
  if (c.disconnectedAt) return 'DISCONNECTED'
  const states = Object.values(c.types).map(deriveTypeState)
  if (states.includes('NACKED')) return 'NACKED'
  if (states.includes('STALE')) return 'STALE'
  if (states.length === 0 || states.every((s) => s === 'NOT_SENT')) return 'NOT_SENT'
  return 'SYNCED'
}

/**
 * Whether a proxy runs version `typeVersions` (type URL → version_info of that version's snapshot):
 * every type it subscribes to has that version acknowledged.
 */
export function isOnVersion(c: Pick<ConnectionStatus, 'types'>, typeVersions: Readonly<Record<string, string>>): boolean {
  const subscribed = Object.values(c.types).filter((t) => typeVersions[t.typeUrl] !== undefined)
  return subscribed.length > 0 && subscribed.every((t) => t.versionAcked === typeVersions[t.typeUrl])
}

/** When the proxy finished acknowledging what it runs: the latest ACK among its types. */
export function lastAckAt(c: Pick<ConnectionStatus, 'types'>): string | null {
  const times = Object.values(c.types).flatMap((t) => (t.ackedAt ? [t.ackedAt] : []))
  return times.length === 0 ? null : times.sort().at(-1)!
}
