import type { TypeStatus } from '@/server/contract/proxy-state'
import type { ProxySummary } from '../../../../components/proxies/types'

export const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
export const EDS = 'type.googleapis.com/envoy.config.endpoint.v3.ClusterLoadAssignment'
export const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener'
export const RDS = 'type.googleapis.com/envoy.config.route.v3.RouteConfiguration'
export const AT = '2026-01-01T00:00:01.000Z'

/** Sent `from`, ACKed `ackedFrom` (by default the same, i.e. SYNCED). */
export const typeStatus = (typeUrl: string, from: number, ackedFrom: number | null = from, extra: Partial<TypeStatus> = {}): TypeStatus => ({
  typeUrl,
  names: [],
  wildcard: true,
  resourceNames: [],
  nonceSent: `${from * 10}`,
  versionSent: `hash-${from}`,
  sentFromVersion: from,
  lastSendAt: AT,
  ...(ackedFrom === null ? {} : { nonceAcked: `${ackedFrom * 10}`, versionAcked: `hash-${ackedFrom}`, ackedFromVersion: ackedFrom, ackedAt: AT }),
  ...extra,
})

export const nack = (typeUrl: string, from: number, ackedFrom: number, message: string): TypeStatus =>
  typeStatus(typeUrl, from, ackedFrom, { lastNack: { message, code: 3, version: `hash-${from}`, nonce: `${from * 10}`, at: AT } })

export const proxySummary = (nodeId: string, types: TypeStatus[], extra: Partial<ProxySummary> = {}): ProxySummary => ({
  id: `conn-${nodeId}`,
  replicaId: 'r1',
  nodeId,
  nodeCluster: 'edge',
  fleet: 'edge',
  peer: '10.0.0.1:40000',
  userAgentName: 'envoy',
  userAgentVersion: '1.31.0',
  stream: 'ADS',
  connectedAt: AT,
  disconnectedAt: null,
  lastSeenAt: AT,
  closeReason: null,
  types: Object.fromEntries(types.map((t) => [t.typeUrl, t])),
  state: 'SYNCED',
  ...extra,
})
