'use client'

import { useQuery } from '@tanstack/react-query'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { Table, TableBody, TableHead, Th } from '../ui/table'
import { FleetRow } from './fleet-row'
import { FleetsEmpty } from './fleets-empty'
import { pickFleet } from './pick-fleet'
import { fleetQueries } from './queries'

export function FleetsTable({ requestedFleet }: { requestedFleet: string | undefined }) {
  const { data: fleets, error, refetch } = useQuery(fleetQueries.list())
  const selected = fleets ? pickFleet(fleets, requestedFleet) : null
  return (
    <Panel title="Fleets" description={fleets && fleets.length > 0 ? `${fleets.length} fleet${fleets.length === 1 ? '' : 's'} · select one to see its versions` : undefined} data-testid="fleets-panel">
      {error && !fleets ? (
        <ErrorNotice className="m-4" title="Could not load the fleets" error={error} onRetry={() => void refetch()} />
      ) : !fleets ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading fleets…</p>
      ) : fleets.length === 0 ? (
        <FleetsEmpty />
      ) : (
        <Table>
          <TableHead>
            <tr>
              <Th>Fleet</Th>
              <Th>Description</Th>
              <Th>Active version</Th>
              <Th>Pending changes</Th>
              <Th className="text-right">Draft</Th>
            </tr>
          </TableHead>
          <TableBody>
            {fleets.map((fleet) => (
              <FleetRow key={fleet.name} fleet={fleet} selected={fleet.name === selected?.name} />
            ))}
          </TableBody>
        </Table>
      )}
    </Panel>
  )
}
