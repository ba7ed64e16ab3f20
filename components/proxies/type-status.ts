import { CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, CLUSTER_TYPE_URL, deriveTypeState, LISTENER_TYPE_URL, type NackView, type ProxyState, ROUTE_CONFIGURATION_TYPE_URL, SECRET_TYPE_URL, type TypeState, type TypeStatus } from '@/server/contract'
import type { BadgeTone } from '../ui/badge'

/**
 * The columns of the proxies table, in ADS push order. Short names are for people (the columns of
 * `istioctl proxy-status`); the API and the protocol speak type URLs.
 */
export const STATUS_TYPES = [
  { typeUrl: CLUSTER_TYPE_URL, short: 'CDS', resource: 'Cluster' },
  { typeUrl: CLUSTER_LOAD_ASSIGNMENT_TYPE_URL, short: 'EDS', resource: 'ClusterLoadAssignment' },
  { typeUrl: LISTENER_TYPE_URL, short: 'LDS', resource: 'Listener' },
  { typeUrl: ROUTE_CONFIGURATION_TYPE_URL, short: 'RDS', resource: 'RouteConfiguration' },
  { typeUrl: SECRET_TYPE_URL, short: 'SDS', resource: 'Secret' },
] as const

export type StatusType = (typeof STATUS_TYPES)[number]

/** "CDS" for the Cluster type URL; the last name segment for a type URL we do not serve. */
export function shortTypeName(typeUrl: string): string {
  return STATUS_TYPES.find((t) => t.typeUrl === typeUrl)?.short ?? typeUrl.split('.').at(-1) ?? typeUrl
}

const LABEL: Record<ProxyState, string> = { SYNCED: 'SYNCED', STALE: 'STALE', NOT_SENT: 'NOT SENT', NACKED: 'NACKED', DISCONNECTED: 'DISCONNECTED' }
const TONE: Record<ProxyState, BadgeTone> = { SYNCED: 'success', STALE: 'warning', NOT_SENT: 'neutral', NACKED: 'danger', DISCONNECTED: 'neutral' }
const MEANING: Record<ProxyState, string> = {
  SYNCED: 'acknowledged the latest response',
  STALE: 'has not acknowledged the latest response yet',
  NOT_SENT: 'nothing sent yet',
  NACKED: 'rejected the latest response and runs its last good config',
  DISCONNECTED: 'the stream is closed',
}
/** Most urgent first: the order a "state" sort uses. */
const SEVERITY: Record<ProxyState, number> = { NACKED: 0, STALE: 1, NOT_SENT: 2, DISCONNECTED: 3, SYNCED: 4 }

export type StateLook = Readonly<{ state: ProxyState; label: string; tone: BadgeTone; meaning: string }>

export function describeProxyState(state: ProxyState): StateLook {
  return { state, label: LABEL[state], tone: TONE[state], meaning: MEANING[state] }
}

export function stateSeverity(state: ProxyState): number {
  return SEVERITY[state]
}

export type TypeBadge = StateLook &
  Readonly<{
    state: TypeState
    /** False when the proxy never asked for this type: nothing to show but a dash. */
    subscribed: boolean
    /** The Legation version the badge is about: what was ACKed (SYNCED), sent and not ACKed yet (STALE), or rejected (NACKED). */
    version: number | null
    /** The Legation version the proxy runs for this type (its last ACK), when that differs from `version`. */
    runningVersion: number | null
    /** Label and version, as shown: "SYNCED v3", "NACKED v4", "NOT SENT". */
    text: string
    /** One line for a tooltip or a screen reader: what the state means for this type. */
    detail: string
    nack: NackView | null
  }>

const v = (n: number | undefined | null): string => (n === undefined || n === null ? '' : `v${n}`)

/** Badge for one type of one proxy, from the protocol's own per-type state (deriveTypeState). Pure. */
export function describeTypeStatus(t: TypeStatus | undefined): TypeBadge {
  const state = deriveTypeState(t)
  const look = describeProxyState(state)
  if (!t) return { ...look, state, subscribed: false, version: null, runningVersion: null, text: '—', detail: 'not subscribed', nack: null }

  const sent = t.sentFromVersion ?? null
  const acked = t.ackedFromVersion ?? null
  const version = state === 'SYNCED' ? (acked ?? sent) : state === 'NOT_SENT' ? null : sent
  const runningVersion = state === 'SYNCED' || acked === version ? null : acked
  const text = version === null ? look.label : `${look.label} ${v(version)}`
  const runs = acked === null ? 'nothing ACKed yet' : `runs ${v(acked)}`
  let detail: string
  switch (state) {
    case 'SYNCED':
      detail = `ACKed ${v(version)}` + (t.versionAcked ? ` (version_info ${t.versionAcked})` : '')
      break
    case 'STALE':
      detail = `sent ${v(sent)}, waiting for the ACK; ${runs}`
      break
    case 'NACKED':
      detail = `rejected ${v(sent)}; ${runs}`
      break
    case 'NOT_SENT':
      detail = t.wildcard || t.names.length > 0 ? 'subscribed; nothing to send yet' : 'nothing sent yet'
      break
  }
  return { ...look, state, subscribed: true, version, runningVersion, text, detail, nack: state === 'NACKED' ? (t.lastNack ?? null) : null }
}
