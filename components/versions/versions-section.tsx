'use client'

import { useQuery } from '@tanstack/react-query'
import { SearchX } from 'lucide-react'
import Link from 'next/link'
import { pickFleet } from '../fleets/pick-fleet'
import { fleetQueries } from '../fleets/queries'
import { EmptyState } from '../ui/empty-state'
import { Panel } from '../ui/panel'
import { VersionsTable } from './versions-table'

/** The history of the selected fleet; the selection is re-derived from the live fleet list. */
export function VersionsSection({ requestedFleet }: { requestedFleet: string | undefined }) {
  const { data: fleets } = useQuery(fleetQueries.list())
  if (!fleets || fleets.length === 0) return null
  const fleet = pickFleet(fleets, requestedFleet)
  if (!fleet) {
    return (
      <Panel title="Versions" data-testid="versions-panel">
        <EmptyState icon={SearchX} title={`No fleet named “${requestedFleet ?? ''}”`} data-testid="fleet-not-found">
          <p>
            It may have been deleted or renamed. Pick a fleet above, or{' '}
            <Link href="/" className="text-accent underline-offset-2 hover:underline">
              show the first one
            </Link>
            .
          </p>
        </EmptyState>
      </Panel>
    )
  }
  return <VersionsTable key={fleet.name} fleet={fleet} />
}
