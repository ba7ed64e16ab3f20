import { SearchX, ServerOff } from 'lucide-react'
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
  if (filters.state || search) {
    const what = [filters.state ? describeProxyState(filters.state).label : null, search ? `matching “${search}”` : null].filter(Boolean).join(' and ')
    return (
      <EmptyState icon={SearchX} title={`No proxies ${filters.state ? 'are ' : ''}${what}${filters.fleet ? ` in ${filters.fleet}` : ''}`} data-testid="proxies-empty">
        <p>{filters.state === 'NACKED' ? 'Every proxy accepted its latest config.' : 'Nothing to show with these filters.'}</p>
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
