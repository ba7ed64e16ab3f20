'use client'

import { GitCompareArrows, Search } from 'lucide-react'
import { useEffect, useRef } from 'react'
import { type FleetSummary, PROXY_STATES, type ProxyState } from '@/server/contract'
import { cn } from '../ui/cn'
import { STATE_ICON } from './state-badge'
import { describeProxyState } from './type-status'
import type { FleetProxyCounts, ProxyFilters } from './types'

const CHIP_TONE: Record<ProxyState, string> = {
  SYNCED: 'text-emerald-700 dark:text-emerald-400',
  STALE: 'text-amber-700 dark:text-amber-400',
  NOT_SENT: 'text-fg-muted',
  NACKED: 'text-red-700 dark:text-red-400',
  DISCONNECTED: 'text-fg-muted',
}

/** Sums the summary rows the filter covers (one fleet, or all of them). */
export function countsFor(summary: readonly FleetProxyCounts[] | undefined, fleet: string | null): (Record<ProxyState, number> & { total: number }) | null {
  if (!summary) return null
  const rows = fleet ? summary.filter((s) => s.fleet === fleet) : summary
  const total = { total: 0, SYNCED: 0, STALE: 0, NOT_SENT: 0, NACKED: 0, DISCONNECTED: 0 }
  for (const r of rows) {
    total.total += r.total
    for (const s of PROXY_STATES) total[s] += r[s]
  }
  return total
}

export function ProxiesToolbar({
  filters,
  fleets,
  summary,
  search,
  onSearch,
  onChange,
}: {
  filters: ProxyFilters
  fleets: readonly FleetSummary[] | undefined
  summary: readonly FleetProxyCounts[] | undefined
  search: string
  onSearch: (value: string) => void
  onChange: (change: Partial<ProxyFilters>) => void
}) {
  const counts = countsFor(summary, filters.fleet)
  const searchRef = useRef<HTMLInputElement>(null)

  // "/" focuses the search, as in GitHub and Grafana.
  useEffect(() => {
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null
      if (e.key !== '/' || e.metaKey || e.ctrlKey || e.altKey || target?.closest('input,textarea,select,[contenteditable="true"]')) return
      e.preventDefault()
      searchRef.current?.focus()
    }
    window.addEventListener('keydown', onKey)
    return () => window.removeEventListener('keydown', onKey)
  }, [])

  const chip = (state: ProxyState | null, label: string, count: number | undefined) => {
    const pressed = filters.state === state
    const Icon = state ? STATE_ICON[state] : null
    return (
      <button
        key={state ?? 'all'}
        type="button"
        aria-pressed={pressed}
        data-testid={`state-filter-${state ?? 'ALL'}`}
        onClick={() => onChange({ state })}
        className={cn(
          'inline-flex h-7 items-center gap-1.5 rounded-md px-2 text-xs font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-accent',
          pressed ? 'bg-surface text-fg shadow-xs ring-1 ring-line-strong' : 'text-fg-muted hover:bg-surface hover:text-fg',
        )}
      >
        {Icon ? <Icon aria-hidden className={cn('size-3.5', state && CHIP_TONE[state])} /> : null}
        {label}
        {count !== undefined ? <span className={cn('tabular-nums', count > 0 && state === 'NACKED' ? 'font-semibold text-red-700 dark:text-red-400' : 'text-fg-subtle')}>{count}</span> : null}
      </button>
    )
  }

  return (
    <div className="flex flex-wrap items-center gap-2 border-b border-line px-3 py-2">
      <label className="flex items-center gap-1.5 text-xs text-fg-muted">
        <span className="font-medium">Fleet</span>
        <select
          data-testid="fleet-filter"
          value={filters.fleet ?? ''}
          onChange={(e) => onChange({ fleet: e.target.value || null })}
          className="h-7 rounded-md border border-line-strong bg-surface px-1.5 font-mono text-xs text-fg focus-visible:outline-2 focus-visible:outline-accent"
        >
          <option value="">All fleets</option>
          {fleets?.map((f) => (
            <option key={f.name} value={f.name}>
              {f.name}
            </option>
          ))}
          {filters.fleet && fleets && !fleets.some((f) => f.name === filters.fleet) ? <option value={filters.fleet}>{filters.fleet} (unknown)</option> : null}
        </select>
      </label>
      <div role="group" aria-label="Filter by state" className="flex flex-wrap items-center gap-0.5 rounded-lg bg-surface-muted p-0.5">
        {chip(null, 'All', counts?.total)}
        {PROXY_STATES.map((s) => chip(s, describeProxyState(s).label, counts?.[s]))}
      </div>
      <OnActiveToggle value={filters.onActive} onChange={(onActive) => onChange({ onActive })} />
      <label className="relative ml-auto flex items-center">
        <span className="sr-only">Search proxies</span>
        <Search aria-hidden className="pointer-events-none absolute left-2 size-3.5 text-fg-subtle" />
        <input
          ref={searchRef}
          type="search"
          data-testid="proxy-search"
          value={search}
          onChange={(e) => onSearch(e.target.value)}
          placeholder="Node ID…"
          className="h-7 w-56 rounded-md border border-line-strong bg-surface pr-7 pl-7 text-xs text-fg placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-accent"
        />
        <kbd aria-hidden className="pointer-events-none absolute right-2 rounded border border-line px-1 font-mono text-[10px] text-fg-subtle">
          /
        </kbd>
      </label>
    </div>
  )
}

/**
 * "Not running the active version" (`?onActive=false`): only the connected proxies whose ACKed
 * resources are not their fleet's active version. A link may carry `?onActive=true` (those that
 * do); the button then says so, and a click clears it.
 */
export function OnActiveToggle({ value, onChange }: { value: boolean | null; onChange: (value: boolean | null) => void }) {
  const pressed = value !== null
  return (
    <button
      type="button"
      aria-pressed={pressed}
      data-testid="on-active-filter"
      data-value={value === null ? '' : String(value)}
      onClick={() => onChange(pressed ? null : false)}
      title={
        value === true
          ? 'Only the connected proxies running their fleet’s active version; click to show all'
          : 'Only the connected proxies whose ACKed resources are not their fleet’s active version'
      }
      className={cn(
        'inline-flex h-7 items-center gap-1.5 rounded-md border px-2 text-xs font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-accent',
        pressed ? 'border-line-strong bg-surface text-fg shadow-xs ring-1 ring-line-strong' : 'border-dashed border-line-strong text-fg-muted hover:bg-surface-muted hover:text-fg',
      )}
    >
      <GitCompareArrows aria-hidden className={cn('size-3.5', pressed && value === false && 'text-amber-700 dark:text-amber-400')} />
      {value === true ? 'Running the active version' : 'Not running the active version'}
    </button>
  )
}
