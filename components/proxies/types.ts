import type { ProxyEventView, ProxyState } from '@/server/contract'

export type { ConfigDumpEntry, ConnectionStatus, FleetProxyCounts, ProxyDetail, ProxyEventKind, ProxyState, ProxySummary } from '@/server/contract'

/** GET /api/v1/proxies/{node}/events: the stream's timeline, newest first. */
export type ProxyEvent = ProxyEventView

export type ProxyFilters = Readonly<{ fleet: string | null; state: ProxyState | null }>
