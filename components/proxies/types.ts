import type { ConfigDumpEntry } from '@/server/store/config-dump'
import type { ProxySummary } from '@/server/store/proxies'
import type { ConnectionStatus, ProxyState } from '@/server/status/proxy-status'

export type { ConfigDumpEntry, ConnectionStatus, ProxyState, ProxySummary }

/** GET /api/v1/proxies/{node} */
export type ProxyDetail = Readonly<{ proxy: ProxySummary; history: ConnectionStatus[]; configDump: ConfigDumpEntry[] }>

/** GET /api/v1/proxies/summary: one row per fleet (null: proxies whose node.cluster names no fleet). */
export type FleetProxyCounts = Readonly<{ fleet: string | null; total: number } & Record<ProxyState, number>>

export type ProxyEventKind = 'connected' | 'disconnected' | 'refused' | 'send' | 'ack' | 'nack' | 'subscription'

/** GET /api/v1/proxies/{node}/events: the stream's timeline, newest first. */
export type ProxyEvent = Readonly<{
  id: string
  at: string
  connectionId: string
  kind: ProxyEventKind
  typeUrl?: string
  version?: string
  nonce?: string
  fromVersion?: number
  message?: string
}>

export type ProxyFilters = Readonly<{ fleet: string | null; state: ProxyState | null }>
