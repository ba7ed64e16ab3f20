import { PROXY_STATES, type ProxyState } from '@/server/contract'
import type { ProxyFilters } from './types'

type Params = Readonly<{ get: (name: string) => string | null }>

/**
 * `?fleet=&state=&onActive=` → filters; an unknown state or onActive value is ignored rather than
 * sent to the API (which would answer 422).
 */
export function parseProxyFilters(params: Params | null | undefined): ProxyFilters {
  const fleet = params?.get('fleet') || null
  const state = params?.get('state') ?? null
  const onActive = params?.get('onActive')
  return {
    fleet,
    state: state && (PROXY_STATES as readonly string[]).includes(state) ? (state as ProxyState) : null,
    onActive: onActive === 'true' ? true : onActive === 'false' ? false : null,
  }
}

/** The same page with one filter changed; other parameters stay. */
export function proxiesHref(current: string, change: Partial<ProxyFilters>): string {
  const params = new URLSearchParams(current)
  for (const [key, value] of Object.entries(change)) {
    // onActive=false is a filter: only null (or leaving the key out) removes it.
    if (typeof value === 'boolean') params.set(key, String(value))
    else if (value) params.set(key, value)
    else params.delete(key)
  }
  const qs = params.toString()
  return qs ? `/proxies?${qs}` : '/proxies'
}

export function proxyHref(nodeId: string): string {
  return `/proxies/${encodeURIComponent(nodeId)}`
}

/** A case-insensitive match on what a row shows as text. */
export function matchesProxySearch(p: Readonly<{ nodeId: string; peer: string; fleet: string | null; userAgentName: string; userAgentVersion: string }>, search: string): boolean {
  const needle = search.trim().toLowerCase()
  if (!needle) return true
  return [p.nodeId, p.peer, p.fleet ?? '', `${p.userAgentName} ${p.userAgentVersion}`].some((s) => s.toLowerCase().includes(needle))
}
