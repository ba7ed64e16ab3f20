'use client'

import { useQuery } from '@tanstack/react-query'
import type { FleetSummary } from '@/server/store/fleets'
import type { VersionSummary } from '@/server/store/versions'
import { useState } from 'react'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { Table, TableBody, TableHead, Th } from '../ui/table'
import { versionQueries } from './queries'
import { RollbackDialog } from './rollback-dialog'
import { VersionRow } from './version-row'
import { VersionsEmpty } from './versions-empty'

/** The list endpoint answers the newest 50 by default. */
const PAGE_SIZE = 50

export function VersionsTable({ fleet }: { fleet: FleetSummary }) {
  const { data: versions, error, refetch } = useQuery(versionQueries.list(fleet.name))
  const [rollbackTarget, setRollbackTarget] = useState<VersionSummary | null>(null)
  const active = versions?.find((v) => v.active)
  const latest = versions?.[0]?.number ?? 0

  const description = !versions || versions.length === 0 ? undefined : `${versions.length === PAGE_SIZE ? `latest ${PAGE_SIZE}` : `${versions.length} version${versions.length === 1 ? '' : 's'}`}, newest first · rolling back adds a new version with older content`

  return (
    <Panel
      title={
        <>
          Versions of <span className="font-mono">{fleet.name}</span>
        </>
      }
      description={description}
      data-testid="versions-panel"
    >
      {error && !versions ? (
        <ErrorNotice className="m-4" title={`Could not load the versions of ${fleet.name}`} error={error} onRetry={() => void refetch()} />
      ) : !versions ? (
        <p className="px-4 py-6 text-sm text-fg-subtle">Loading versions…</p>
      ) : versions.length === 0 ? (
        <VersionsEmpty fleet={fleet.name} />
      ) : (
        <Table>
          <TableHead>
            <tr>
              <Th>Version</Th>
              <Th>Message</Th>
              <Th>Author</Th>
              <Th>Created</Th>
              <Th>Origin</Th>
              <Th>Changes</Th>
              <Th className="text-right">Resources</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </TableHead>
          <TableBody>
            {versions.map((version) => (
              <VersionRow key={version.number} version={version} onRollback={setRollbackTarget} />
            ))}
          </TableBody>
        </Table>
      )}
      {rollbackTarget ? <RollbackDialog fleet={fleet} target={rollbackTarget} active={active} nextNumber={latest + 1} onClose={() => setRollbackTarget(null)} /> : null}
    </Panel>
  )
}
