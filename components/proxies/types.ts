import type { ProxyEventView, ProxyState } from '@/server/contract'

export type { ConfigDumpEntry, ConnectionStatus, FleetProxyCounts, ProxyDetail, ProxyDrift, ProxyEventKind, ProxyState, ProxySummary, TypeDrift } from '@/server/contract'

/** GET /api/v1/proxies/{node}/events: the stream's timeline, newest first. */
export type ProxyEvent = ProxyEventView

/**
 * `?fleet=&state=&onActive=`. `onActive: false` keeps only the connected proxies not running their
 * fleet's active version, `true` only those that do; null: no such filter.
 */
export type ProxyFilters = Readonly<{ fleet: string | null; state: ProxyState | null; onActive: boolean | null }>

/** The columns the server sorts the list by. */
export type ProxySortColumn = 'nodeId' | 'state' | 'connectedAt'

/** What one loaded list asks the server for: the URL's filters, the search box and the table's sort. */
export type ProxyListFilters = ProxyFilters & Readonly<{ q: string; sort: ProxySortColumn; desc: boolean }>
