'use client'

import { useQuery } from '@tanstack/react-query'
import { ChevronsUpDown, Layers } from 'lucide-react'
import { usePathname, useRouter, useSearchParams } from 'next/navigation'
import { fleetQueries } from '../fleets/queries'
import { cn } from '../ui/cn'
import { DropdownMenu, DropdownMenuContent, DropdownMenuLabel, DropdownMenuRadioGroup, DropdownMenuRadioItem, DropdownMenuTrigger } from '../ui/dropdown-menu'
import { formatVersion } from '../versions/format-version'
import { switchFleetHref } from './fleet-href'
import { writeLastFleet } from './last-fleet'

/** Lists the fleets; picking one shows the same section of that fleet. */
export function FleetSwitcher({ current }: { current: string | null }) {
  const { data: fleets, error } = useQuery(fleetQueries.list())
  const router = useRouter()
  const pathname = usePathname()
  const searchParams = useSearchParams()
  const known = fleets?.some((f) => f.name === current) ?? true

  const label = current ?? (error ? 'Fleets unavailable' : fleets ? 'No fleets yet' : 'Loading…')
  return (
    <DropdownMenu>
      <DropdownMenuTrigger
        data-testid="fleet-switcher"
        data-fleet={current ?? ''}
        disabled={!fleets || fleets.length === 0}
        className={cn(
          'group flex w-full min-w-0 items-center gap-2 rounded-md border border-line bg-surface px-2 py-1.5 text-left shadow-xs transition-colors',
          'hover:bg-surface-muted focus-visible:outline-2 focus-visible:outline-accent disabled:cursor-default disabled:opacity-70',
        )}
      >
        <Layers aria-hidden className="size-4 shrink-0 text-fg-subtle" />
        <span className="min-w-0 flex-1 leading-tight">
          <span className="block text-[10px] font-medium tracking-wide text-fg-subtle uppercase">Fleet</span>
          <span className={cn('block truncate font-mono text-[13px] font-medium', !known && 'text-red-600 line-through dark:text-red-400')} title={known ? undefined : 'No fleet has this name'}>
            {label}
          </span>
        </span>
        <ChevronsUpDown aria-hidden className="size-3.5 shrink-0 text-fg-subtle" />
      </DropdownMenuTrigger>
      <DropdownMenuContent align="start" className="w-64" data-testid="fleet-switcher-menu">
        <DropdownMenuLabel>Switch fleet</DropdownMenuLabel>
        <DropdownMenuRadioGroup
          value={current ?? ''}
          onValueChange={(fleet) => {
            writeLastFleet(fleet)
            router.push(switchFleetHref(pathname, searchParams?.toString() ?? '', fleet))
          }}
        >
          {fleets?.map((f) => (
            <DropdownMenuRadioItem key={f.name} value={f.name} data-testid="fleet-option" data-fleet={f.name}>
              <span className="min-w-0 flex-1">
                <span className="block truncate font-mono text-[13px]">{f.name}</span>
                <span className="block truncate text-xs text-fg-subtle">
                  {f.activeVersion ? `${formatVersion(f.activeVersion.number)} · ${f.activeVersion.message}` : 'nothing committed yet'}
                </span>
              </span>
              {f.pendingChanges > 0 ? (
                <span className="shrink-0 text-[11px] font-medium text-amber-700 dark:text-amber-400" title="Resources changed in the draft and not committed yet">
                  {f.pendingChanges} pending
                </span>
              ) : null}
            </DropdownMenuRadioItem>
          ))}
        </DropdownMenuRadioGroup>
      </DropdownMenuContent>
    </DropdownMenu>
  )
}
