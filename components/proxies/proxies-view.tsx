'use client'

import { keepPreviousData, useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'next/navigation'
import { useState } from 'react'
import { fleetQueries } from '../fleets/queries'
import { useLiveStatus } from '../live/live-status-context'
import { useCurrentFleet } from '../shell/use-current-fleet'
import { ErrorNotice } from '../ui/error-notice'
import { parseProxyFilters, proxiesHref } from './filters'
import { ProxiesEmpty } from './proxies-empty'
import { ProxiesTable } from './proxies-table'
import { ProxiesToolbar } from './proxies-toolbar'
import { proxyQueries } from './queries'
import type { ProxyFilters } from './types'

/**
 * The live proxies list. Filters live in the URL (`?fleet=&state=`) and go to the API; changing one
 * replaces the URL in place (no server round trip). The search box narrows what is loaded.
 */
export function ProxiesView() {
  const searchParams = useSearchParams()
  const filters = parseProxyFilters(searchParams)
  const [search, setSearch] = useState('')
  const currentFleet = useCurrentFleet()
  const live = useLiveStatus()
  const { data: fleets } = useQuery(fleetQueries.list())
  const { data: summary } = useQuery(proxyQueries.summary())
  const { data: proxies, error, refetch, isPlaceholderData } = useQuery({ ...proxyQueries.list(filters), placeholderData: keepPreviousData })

  const change = (next: Partial<ProxyFilters>): void => {
    // Next keeps useSearchParams() in step with the History API, without asking the server again.
    window.history.pushState(null, '', proxiesHref(searchParams?.toString() ?? '', next))
  }
  const clear = (): void => {
    setSearch('')
    change({ fleet: null, state: null })
  }
  const fleetExists = !filters.fleet || !fleets || fleets.some((f) => f.name === filters.fleet)
  const shown = proxies?.length ?? 0

  return (
    <section className="overflow-hidden rounded-lg border border-line bg-surface shadow-xs" data-testid="proxies-panel" data-loading={!proxies || isPlaceholderData}>
      <ProxiesToolbar filters={filters} fleets={fleets} summary={summary} search={search} onSearch={setSearch} onChange={change} />
      {error && !proxies ? (
        <ErrorNotice className="m-4" title="Could not load the proxies" error={error} onRetry={() => void refetch()} />
      ) : !proxies ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading proxies…</p>
      ) : (
        <>
          {error ? <ErrorNotice className="m-3" title="Could not refresh the proxies; showing the last answer" error={error} onRetry={() => void refetch()} /> : null}
          <div className={isPlaceholderData ? 'opacity-60 transition-opacity' : undefined}>
            {shown === 0 ? (
              <ProxiesEmpty filters={filters} search="" bootstrapFleet={filters.fleet ?? currentFleet} fleetExists={fleetExists} onClear={clear} />
            ) : (
              <ProxiesTable
                key={filters.fleet ?? ''}
                proxies={proxies}
                showFleet={!filters.fleet}
                search={search}
                empty={<ProxiesEmpty filters={filters} search={search} bootstrapFleet={null} fleetExists onClear={clear} />}
              />
            )}
          </div>
          <footer className="flex items-center justify-between gap-3 border-t border-line px-3 py-1.5 text-[11px] text-fg-subtle">
            <span data-testid="proxies-count">
              {shown.toLocaleString('en')} prox{shown === 1 ? 'y' : 'ies'}
              {filters.state ? ` ${filters.state.replace('_', ' ')}` : ''}
              {filters.fleet ? ` in ${filters.fleet}` : ''}
            </span>
            <span title="The list refreshes itself as proxies connect, ACK, NACK and disconnect">{live === 'live' ? 'Updates live' : live === 'connecting' ? 'Connecting to the event feed…' : 'Event feed lost; reconnecting'}</span>
          </footer>
        </>
      )}
    </section>
  )
}
