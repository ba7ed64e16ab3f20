import type { AuditFilter } from '@/server/contract'

/** The time ranges the page offers; `custom` reads `from` and `to`. */
export const AUDIT_RANGES = ['all', '1h', '24h', '7d', '30d', 'custom'] as const
export type AuditRange = (typeof AUDIT_RANGES)[number]

export const RANGE_LABEL: Readonly<Record<AuditRange, string>> = { all: 'Any time', '1h': 'Last hour', '24h': 'Last 24 hours', '7d': 'Last 7 days', '30d': 'Last 30 days', custom: 'Between…' }
const RANGE_MS: Readonly<Record<Exclude<AuditRange, 'all' | 'custom'>, number>> = { '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000, '30d': 30 * 86_400_000 }

/** What the page filters by, as its URL says it (`/audit?fleet=&actor=&action=&range=&from=&to=`). */
export type AuditFilters = Readonly<{ fleet: string | null; actor: string | null; action: string | null; range: AuditRange; from: string | null; to: string | null }>

export const NO_AUDIT_FILTERS: AuditFilters = { fleet: null, actor: null, action: null, range: 'all', from: null, to: null }

/** How many entries the page asks for first, and at most (the API's limit). */
export const AUDIT_PAGE = 100
export const AUDIT_MAX = 1000

type Params = Readonly<{ get: (name: string) => string | null }>

function isoOrNull(value: string | null): string | null {
  if (!value) return null
  const t = Date.parse(value)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

/** URL → filters; what the API would refuse (an unknown range, a date that is none) is dropped, not sent. */
export function parseAuditFilters(params: Params | null | undefined): AuditFilters {
  const get = (name: string) => params?.get(name)?.trim() || null
  const range = get('range')
  const action = get('action')
  return {
    fleet: get('fleet'),
    actor: get('actor'),
    action: action && /^[a-z][a-z0-9-]*(\.([a-z0-9-]+|\*))?$/.test(action) ? action : null,
    range: range && (AUDIT_RANGES as readonly string[]).includes(range) ? (range as AuditRange) : 'all',
    from: isoOrNull(get('from')),
    to: isoOrNull(get('to')),
  }
}

/** Filters → the page's URL; other parameters are not kept (the page has none). */
export function auditHref(filters: AuditFilters): string {
  const params = new URLSearchParams()
  for (const key of ['fleet', 'actor', 'action'] as const) if (filters[key]) params.set(key, filters[key])
  if (filters.range !== 'all') params.set('range', filters.range)
  if (filters.range === 'custom') {
    if (filters.from) params.set('from', filters.from)
    if (filters.to) params.set('to', filters.to)
  }
  const qs = params.toString()
  return qs ? `/audit?${qs}` : '/audit'
}

/** Filters → the API's query, at `now` (a relative range ends now). */
export function toAuditQuery(filters: AuditFilters, limit: number, now: number): AuditFilter & { limit: number } {
  const since = filters.range === 'custom' ? filters.from : filters.range === 'all' ? null : new Date(now - RANGE_MS[filters.range]).toISOString()
  const until = filters.range === 'custom' ? filters.to : null
  return {
    ...(filters.fleet ? { fleet: filters.fleet } : {}),
    ...(filters.actor ? { actor: filters.actor } : {}),
    ...(filters.action ? { action: filters.action } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    limit,
  }
}

export function isFiltered(filters: AuditFilters): boolean {
  return filters.fleet !== null || filters.actor !== null || filters.action !== null || filters.range !== 'all'
}

/** The query as of now: what a fetch sends (the server's prefetch and the browser alike). */
export function auditQueryNow(filters: AuditFilters, limit: number): AuditFilter & { limit: number } {
  return toAuditQuery(filters, limit, Date.now())
}
