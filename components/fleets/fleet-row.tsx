'use client'

import type { FleetSummary } from '@/server/store/fleets'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { cn } from '../ui/cn'
import { Td } from '../ui/table'
import { ActiveVersionCell } from './active-version-cell'
import { PendingChanges } from './pending-changes'
import { fleetHref } from './pick-fleet'

export function FleetRow({ fleet, selected }: { fleet: FleetSummary; selected: boolean }) {
  const router = useRouter()
  const href = fleetHref(fleet.name)
  return (
    <tr
      data-testid="fleet-row"
      data-fleet={fleet.name}
      data-selected={selected}
      // The whole row is a click target; the link in the name cell is the keyboard and screen-reader path.
      onClick={(e) => {
        if ((e.target as HTMLElement).closest('a')) return
        router.push(href, { scroll: false })
      }}
      className={cn('cursor-pointer transition-colors', selected ? 'bg-accent-soft/60 shadow-[inset_3px_0_0_var(--accent)]' : 'hover:bg-surface-muted/70')}
    >
      <Td className="font-medium">
        <Link href={href} scroll={false} aria-current={selected ? 'true' : undefined} className="font-mono hover:underline focus-visible:underline focus-visible:outline-none">
          {fleet.name}
        </Link>
      </Td>
      <Td className="max-w-72 text-fg-muted">
        <span className="line-clamp-2" title={fleet.description}>
          {fleet.description || <span className="text-fg-subtle italic">no description</span>}
        </span>
      </Td>
      <Td className="max-w-80">
        <ActiveVersionCell version={fleet.activeVersion} />
      </Td>
      <Td>
        <PendingChanges count={fleet.pendingChanges} />
      </Td>
      <Td className="text-right font-mono text-fg-muted tabular-nums" data-testid="fleet-draft-revision">
        r{fleet.draftRevision}
      </Td>
    </tr>
  )
}
