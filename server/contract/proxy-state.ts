import { PROXY_STATES, TYPE_STATES, type ConnectionStatus, type ProxyState, type TypeState, type TypeStatus } from './proxies'

/**
 * How the console and the API derive a proxy's state from the protocol's per-type status (STYLE
 * §5.4). Pure, shared by the server (filters, summaries) and the console (badges).
 */
export { PROXY_STATES, TYPE_STATES }
export type { ConnectionInfo, ConnectionStatus, NackView, ProxyEventKind, ProxyEventRecord, ProxyState, TypeState, TypeStatus } from './proxies'

/** Status rows are rewritten on every ACK: keep them small even for proxies that know 10,000 clusters. */
export const MAX_STATUS_NAMES = 100

export function deriveTypeState(t: TypeStatus | undefined): TypeState {
  if (!t || t.nonceSent === undefined) return 'NOT_SENT'
  // The latest response was rejected: the proxy runs its last good config. In delta, a later response
  // may be ACKed while the rejected content is still what the fleet wants: still NACKED.
  if (t.lastNack && (t.lastNack.nonce === t.nonceSent || (t.rejectedCount ?? 0) > 0)) return 'NACKED'
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
