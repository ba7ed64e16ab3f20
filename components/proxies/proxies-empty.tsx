import { CircleCheck, SearchX, ServerOff } from 'lucide-react'
import { describeProxyState } from './type-status'
import { ConnectProxyHelp } from './connect-proxy-help'
import { EmptyState } from '../ui/empty-state'
import { Button } from '../ui/button'
import type { ProxyFilters } from './types'

/** Says why the table is empty and what to do: connect a proxy, or loosen a filter. */
export function ProxiesEmpty({ filters, search, bootstrapFleet, fleetExists, onClear }: { filters: ProxyFilters; search: string; bootstrapFleet: string | null; fleetExists: boolean; onClear: () => void }) {
  if (filters.fleet && !fleetExists) {
    return (
      <EmptyState icon={SearchX} title={`No fleet named “${filters.fleet}”`} data-testid="proxies-empty">
        <p>It may have been deleted or renamed.</p>
        <Button size="sm" className="mt-3" onClick={onClear}>
          Show all proxies
        </Button>
      </EmptyState>
    )
  }
  if (filters.state || filters.onActive !== null || search) {
    const what = [
      filters.state ? describeProxyState(filters.state).label : null,
      filters.onActive === false ? 'not running the active version' : filters.onActive === true ? 'running the active version' : null,
      search ? `matching “${search}”` : null,
    ]
      .filter(Boolean)
      .join(' and ')
    // Only "not running the active version": the good news, said plainly.
    const allOnActive = filters.onActive === false && !filters.state && !search
    const title = allOnActive
      ? `Every connected proxy${filters.fleet ? ` of ${filters.fleet}` : ''} runs its fleet’s active version`
      : `No proxies ${filters.state || filters.onActive !== null ? 'are ' : ''}${what}${filters.fleet ? ` in ${filters.fleet}` : ''}`
    const reassurance = allOnActive
      ? 'What each one ACKed is what the version has for its subscription.'
      : filters.state === 'NACKED' && filters.onActive === null && !search
        ? 'Every proxy accepted its latest config.'
        : 'Nothing to show with these filters.'
    return (
      <EmptyState icon={allOnActive ? CircleCheck : SearchX} title={title} data-testid="proxies-empty">
        <p>{reassurance}</p>
        <Button size="sm" className="mt-3" onClick={onClear}>
          Clear filters
        </Button>
      </EmptyState>
    )
  }
  return (
    <EmptyState icon={ServerOff} title={filters.fleet ? `No proxy of ${filters.fleet} has connected yet` : 'No proxy has connected yet'} data-testid="proxies-empty">
      <ConnectProxyHelp fleet={bootstrapFleet} />
    </EmptyState>
  )
}
