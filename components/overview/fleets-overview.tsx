'use client'

import { describeSelector } from '@/server/contract'
import { useQuery } from '@tanstack/react-query'
import { Pencil, Plus, Unplug } from 'lucide-react'
import Link from 'next/link'
import { useRouter } from 'next/navigation'
import { useState } from 'react'
import { useCan } from '../auth/use-can'
import { FleetDialog } from '../fleets/fleet-dialog'
import { ActiveVersionCell } from '../fleets/active-version-cell'
import { FleetsEmpty } from '../fleets/fleets-empty'
import { PendingChanges } from '../fleets/pending-changes'
import { fleetQueries } from '../fleets/queries'
import { proxiesHref } from '../proxies/filters'
import { proxyQueries } from '../proxies/queries'
import { sectionHref } from '../shell/fleet-href'
import { cn } from '../ui/cn'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { Table, TableBody, TableHead, Td, Th } from '../ui/table'
import { ProxyCounts } from './proxy-counts'

/** Every fleet at a glance: what it serves, how its proxies are doing, what waits to be committed. */
export function FleetsOverview({ current }: { current: string | null }) {
  const { data: fleets, error, refetch } = useQuery(fleetQueries.list())
  const { data: summary, error: summaryError } = useQuery(proxyQueries.summary())
  const unassigned = summary?.find((s) => s.fleet === null)
  const canCreate = useCan('admin', null)
  const router = useRouter()
  /** The open dialog: 'new', or the name of the fleet being edited. */
  const [dialog, setDialog] = useState<string | null>(null)
  const editing = dialog === null || dialog === 'new' ? null : (fleets?.find((f) => f.name === dialog) ?? null)
  return (
    <Panel
      title="Fleets"
      description={fleets && fleets.length > 0 ? `${fleets.length} fleet${fleets.length === 1 ? '' : 's'} · each is a group of proxies sharing one configuration` : undefined}
      actions={
        canCreate ? (
          <Button size="sm" onClick={() => setDialog('new')} data-testid="new-fleet">
            <Plus aria-hidden className="size-3.5" />
            New fleet
          </Button>
        ) : undefined
      }
      data-testid="fleets-panel"
    >
      {dialog === 'new' ? <FleetDialog fleet={null} onClose={() => setDialog(null)} onCreated={fleets?.length === 0 ? (name) => router.push(sectionHref('resources', name)) : undefined} /> : editing ? <FleetDialog key={editing.name} fleet={editing} onClose={() => setDialog(null)} /> : null}
      {error && !fleets ? (
        <ErrorNotice className="m-4" title="Could not load the fleets" error={error} onRetry={() => void refetch()} />
      ) : !fleets ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading fleets…</p>
      ) : fleets.length === 0 ? (
        <FleetsEmpty onCreate={canCreate ? () => setDialog('new') : undefined} />
      ) : (
        <>
          {summaryError && !summary ? <ErrorNotice className="m-3" title="Could not load the proxy counts" error={summaryError} /> : null}
          <Table>
            <TableHead>
              <tr>
                <Th>Fleet</Th>
                <Th>Active version</Th>
                <Th>Proxies</Th>
                <Th>Pending changes</Th>
                <Th className="text-right">
                  <span className="sr-only">Go to</span>
                </Th>
              </tr>
            </TableHead>
            <TableBody>
              {fleets.map((fleet) => {
                const selected = fleet.name === current
                return (
                  <tr key={fleet.name} data-testid="fleet-row" data-fleet={fleet.name} data-selected={selected} className={cn('align-top', selected && 'bg-accent-soft/50 shadow-[inset_3px_0_0_var(--accent)]')}>
                    <Td className="max-w-64">
                      <Link
                        href={sectionHref('overview', fleet.name)}
                        scroll={false}
                        aria-current={selected ? 'true' : undefined}
                        className="font-mono font-medium hover:text-accent hover:underline focus-visible:underline"
                      >
                        {fleet.name}
                      </Link>
                      <p className="mt-0.5 line-clamp-2 text-xs text-fg-subtle" title={fleet.description}>
                        {fleet.description || <span className="italic">no description</span>}
                      </p>
                      <p className="mt-0.5 text-xs text-fg-muted" data-testid="fleet-match-rule">
                        proxies: <span className="font-mono">{fleet.selector ? describeSelector(fleet.selector) : `node.cluster = '${fleet.name}'`}</span>
                      </p>
                    </Td>
                    <Td className="max-w-80">
                      <ActiveVersionCell version={fleet.activeVersion} />
                    </Td>
                    <Td>
                      <ProxyCounts fleet={fleet.name} counts={summary?.find((s) => s.fleet === fleet.name)} />
                    </Td>
                    <Td>
                      {fleet.pendingChanges > 0 ? (
                        <Link href={sectionHref('changes', fleet.name)} className="rounded-md focus-visible:outline-2 focus-visible:outline-accent">
                          <PendingChanges count={fleet.pendingChanges} />
                        </Link>
                      ) : (
                        <PendingChanges count={0} />
                      )}
                    </Td>
                    <Td className="w-px text-right text-xs whitespace-nowrap">
                      <Link href={sectionHref('resources', fleet.name)} className="text-fg-muted hover:text-accent hover:underline">
                        Resources
                      </Link>
                      <span className="mx-1.5 text-line-strong">·</span>
                      <Link href={sectionHref('versions', fleet.name)} className="text-fg-muted hover:text-accent hover:underline">
                        Versions
                      </Link>
                      <EditFleetButton fleet={fleet.name} onEdit={() => setDialog(fleet.name)} />
                    </Td>
                  </tr>
                )
              })}
            </TableBody>
          </Table>
          {unassigned && unassigned.total > 0 ? (
            <p className="flex items-center gap-2 border-t border-line px-4 py-2 text-xs text-fg-muted" data-testid="unassigned-proxies">
              <Unplug aria-hidden className="size-3.5 text-amber-600" />
              <span>
                {unassigned.total} prox{unassigned.total === 1 ? 'y' : 'ies'} named a <span className="font-mono">node.cluster</span> that matches no fleet and {unassigned.total === 1 ? 'was' : 'were'} refused.{' '}
                <Link href={proxiesHref('', {})} className="text-accent hover:underline">
                  See all proxies
                </Link>
              </span>
            </p>
          ) : null}
        </>
      )}
    </Panel>
  )
}

/** Admin on the fleet: its description and selector (useCan mirrors the server's check). */
function EditFleetButton({ fleet, onEdit }: { fleet: string; onEdit: () => void }) {
  const canEdit = useCan('admin', fleet)
  if (!canEdit) return null
  return (
    <>
      <span className="mx-1.5 text-line-strong">·</span>
      <button type="button" onClick={onEdit} className="inline-flex items-center gap-1 rounded text-fg-muted hover:text-accent hover:underline focus-visible:outline-2 focus-visible:outline-accent" aria-label={`Edit fleet ${fleet}`} data-testid="edit-fleet">
        <Pencil aria-hidden className="size-3" />
        Edit
      </button>
    </>
  )
}
