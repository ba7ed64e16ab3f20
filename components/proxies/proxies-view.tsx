'use client'

import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query'
import { useSearchParams } from 'next/navigation'
import { useCallback, useDeferredValue, useMemo, useState } from 'react'
import { fleetQueries } from '../fleets/queries'
import { useLiveStatus } from '../live/live-status-context'
import { useCurrentFleet } from '../shell/use-current-fleet'
import { ErrorNotice } from '../ui/error-notice'
import { parseProxyFilters, proxiesHref } from './filters'
import { ProxiesEmpty } from './proxies-empty'
import { ProxiesTable } from './proxies-table'
import { ProxiesToolbar } from './proxies-toolbar'
import { proxyQueries } from './queries'
import type { ProxyFilters, ProxySortColumn } from './types'

/**
 * The live proxies list. Filters live in the URL (`?fleet=&state=&onActive=`) and go to the API; changing one
 * replaces the URL in place (no server round trip). The search box (node id) and the sort go to the API
 * too: the list is paged (#13 item 5), the next page loaded as the table scrolls near the end.
 */
export function ProxiesView() {
  const searchParams = useSearchParams()
  const filters = parseProxyFilters(searchParams)
  const [search, setSearch] = useState('')
  const currentFleet = useCurrentFleet()
  const live = useLiveStatus()
  const { data: fleets } = useQuery(fleetQueries.list())
  const { data: summary } = useQuery(proxyQueries.summary())
  const [sort, setSort] = useState<Readonly<{ column: ProxySortColumn; desc: boolean }>>({ column: 'nodeId', desc: false })
  // Typing does not ask the server on every key: the search follows once rendering catches up.
  const q = useDeferredValue(search.trim())
  const { data, error, refetch, isPlaceholderData, hasNextPage, isFetching, fetchNextPage } = useInfiniteQuery({
    ...proxyQueries.list({ ...filters, q, sort: sort.column, desc: sort.desc }),
    placeholderData: keepPreviousData,
  })
  const proxies = useMemo(() => data?.pages.flatMap((p) => p.proxies), [data])
  const total = data?.pages[0]?.total ?? 0
  // Not while any fetch runs: a live refresh of the loaded pages (proxy.changed) would cancel the next
  // page's request, and the table would stay at its end without asking again. When the refresh ends,
  // this callback changes and the table calls it again if it is still near the end.
  const onNearEnd = useCallback(() => {
    if (hasNextPage && !isFetching) void fetchNextPage()
  }, [hasNextPage, isFetching, fetchNextPage])

  const change = (next: Partial<ProxyFilters>): void => {
    // Next keeps useSearchParams() in step with the History API, without asking the server again.
    window.history.pushState(null, '', proxiesHref(searchParams?.toString() ?? '', next))
  }
  const clear = (): void => {
    setSearch('')
    change({ fleet: null, state: null, onActive: null })
  }
  const fleetExists = !filters.fleet || !fleets || fleets.some((f) => f.name === filters.fleet)
  const shown = total

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
            {shown === 0 && !q ? (
              <ProxiesEmpty filters={filters} search="" bootstrapFleet={filters.fleet ?? currentFleet} fleetExists={fleetExists} onClear={clear} />
            ) : (
              <ProxiesTable
                key={filters.fleet ?? ''}
                proxies={proxies}
                showFleet={!filters.fleet}
                search={search}
                sort={sort}
                onSortChange={setSort}
                onNearEnd={onNearEnd}
                empty={<ProxiesEmpty filters={filters} search={search} bootstrapFleet={null} fleetExists onClear={clear} />}
              />
            )}
          </div>
          <footer className="flex items-center justify-between gap-3 border-t border-line px-3 py-1.5 text-[11px] text-fg-subtle">
            <span data-testid="proxies-count" data-loaded={proxies.length}>
              {shown.toLocaleString('en')} prox{shown === 1 ? 'y' : 'ies'}
              {filters.state ? ` ${filters.state.replace('_', ' ')}` : ''}
              {filters.onActive === false ? ' not running the active version' : filters.onActive === true ? ' running the active version' : ''}
              {filters.fleet ? ` in ${filters.fleet}` : ''}
            </span>
            <span title="The list refreshes itself as proxies connect, ACK, NACK and disconnect">{live === 'live' ? 'Updates live' : live === 'connecting' ? 'Connecting to the event feed…' : 'Event feed lost; reconnecting'}</span>
          </footer>
        </>
      )}
    </section>
  )
}
