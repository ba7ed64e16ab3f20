'use client'

import { useQueries, useQuery } from '@tanstack/react-query'
import type { ColumnDef } from '@tanstack/react-table'
import { Eye, FileDiff, FileUp, Plus, Search, SearchX } from 'lucide-react'
import Link from 'next/link'
import { useMemo, useState } from 'react'
import type { DraftResourceView } from '@/server/contract'
import { ApiError } from '../api'
import { useCan } from '../auth/use-can'
import { fleetQueries } from '../fleets/queries'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { EmptyState } from '../ui/empty-state'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { FleetPageHeader } from '../versions/fleet-page-header'
import { LinkButton } from '../versions/link-button'
import { clusterColumns, endpointColumns, listenerColumns, routeColumns, secretColumns, summarize, type ColumnContext } from './columns'
import { DeleteResourceDialog } from './delete-resource-dialog'
import { FleetStarter } from './fleet-starter'
import { ImportDialog } from './import-dialog'
import { KindTabs } from './kind-tabs'
import { KIND_INFO, RESOURCE_KINDS, resourceHrefs, type ResourceKind } from './kinds'
import { draftQueries } from './queries'
import { ResourceTable, type ResourceRow } from './resource-table'
import { listUnsaved } from './unsaved-edits'
import { useDraftSync } from './use-draft-sync'
import { useIsClient } from './use-is-client'

function columnsFor(kind: ResourceKind, ctx: ColumnContext): Array<ColumnDef<ResourceRow<unknown>, unknown>> {
  const columns = { listeners: listenerColumns, routes: routeColumns, clusters: clusterColumns, endpoints: endpointColumns, secrets: secretColumns }[kind](ctx)
  return columns as Array<ColumnDef<ResourceRow<unknown>, unknown>>
}

/** The draft of one fleet, one kind per tab: a sortable, filterable table with row actions. */
export function ResourcesPage({ fleet, kind }: { fleet: string; kind: ResourceKind }) {
  useDraftSync(fleet)
  const isClient = useIsClient()
  const [filter, setFilter] = useState('')
  const [deleting, setDeleting] = useState<DraftResourceView | null>(null)
  const [importing, setImporting] = useState(false)
  const lists = useQueries({ queries: RESOURCE_KINDS.map((k) => draftQueries.list(fleet, k)) })
  const current = lists[RESOURCE_KINDS.indexOf(kind)]!
  const assignmentsList = lists[RESOURCE_KINDS.indexOf('endpoints')]!.data
  const { data: fleets } = useQuery(fleetQueries.list())
  const summary = fleets?.find((f) => f.name === fleet)
  const info = KIND_INFO[kind]
  // A viewer of the fleet reads the draft; nothing here offers an edit the server would refuse.
  const canEdit = useCan('editor', fleet)

  const counts = Object.fromEntries(RESOURCE_KINDS.map((k, i) => [k, lists[i]!.data?.resources.length])) as Partial<Record<ResourceKind, number>>
  const assignments = useMemo(() => new Map((assignmentsList?.resources ?? []).map((r) => [r.name, r])), [assignmentsList])
  // localStorage is only read in the browser, after hydration.
  const unsaved = useMemo(() => (isClient ? listUnsaved(fleet, kind) : new Set<string>()), [isClient, fleet, kind])
  const ctx: ColumnContext = useMemo(() => ({ fleet, assignments, unsaved, onDelete: setDeleting, readOnly: !canEdit }), [fleet, assignments, unsaved, canEdit])
  const columns = useMemo(() => columnsFor(kind, ctx), [kind, ctx])
  const rows = useMemo(
    () => (current.data?.resources ?? []).map((view): ResourceRow<unknown> => ({ view, ...summarize(kind, view), unsaved: unsaved.has(view.name) })),
    [current.data, kind, unsaved],
  )

  const notFound = current.error instanceof ApiError && current.error.code === 'FLEET.NOT_FOUND'
  // Every kind loaded and none has a resource: the fleet is new (or emptied), so teach and offer a start.
  const emptyFleet = lists.every((l) => l.data !== undefined && l.data.resources.length === 0)
  return (
    <>
      <FleetPageHeader
        fleet={fleet}
        crumbs={[{ label: 'Resources' }]}
        title="Resources"
        description={
          <span className="inline-flex flex-wrap items-center gap-x-2 gap-y-1">
            The fleet&apos;s draft: edits here reach the proxies once the draft is committed.
            {summary && summary.pendingChanges > 0 ? (
              <Link href={resourceHrefs.changes(fleet)} className="inline-flex items-center gap-1 text-accent underline-offset-2 hover:underline" data-testid="pending-link">
                <FileDiff aria-hidden className="size-3.5" />
                {summary.pendingChanges} pending change{summary.pendingChanges === 1 ? '' : 's'} to review
              </Link>
            ) : summary ? (
              <Badge>in sync with the active version</Badge>
            ) : null}
          </span>
        }
      />
      <KindTabs fleet={fleet} current={kind} counts={counts} />
      {notFound ? null : emptyFleet ? <FleetStarter fleet={fleet} canEdit={canEdit} draftRevision={current.data?.draftRevision} onImport={() => setImporting(true)} /> : null}
      {notFound ? (
        <Panel title="Resources">
          <EmptyState icon={SearchX} title={`No fleet named “${fleet}”`} data-testid="fleet-not-found">
            <Link href="/" className="text-accent underline-offset-2 hover:underline">
              See all fleets
            </Link>
          </EmptyState>
        </Panel>
      ) : emptyFleet ? null : (
        <Panel
          title={info.label}
          description={info.description}
          data-testid="resources-panel"
          actions={
            <>
              <label className="relative">
                <span className="sr-only">Filter {info.label.toLowerCase()}</span>
                <Search aria-hidden className="pointer-events-none absolute top-1/2 left-2 size-3.5 -translate-y-1/2 text-fg-subtle" />
                <input
                  type="search"
                  value={filter}
                  onChange={(e) => setFilter(e.target.value)}
                  placeholder="Filter…"
                  className="h-7 w-48 rounded-md border border-line-strong bg-surface pr-2 pl-7 text-xs placeholder:text-fg-subtle focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-accent"
                  data-testid="resource-filter"
                />
              </label>
              {canEdit ? (
                <Button size="sm" onClick={() => setImporting(true)} title="Import an envoy.yaml, a config dump or a bundle into the draft" data-testid="import-button">
                  <FileUp aria-hidden className="size-3.5" />
                  Import
                </Button>
              ) : null}
              {canEdit ? (
                <LinkButton size="sm" href={resourceHrefs.create(fleet, kind)} data-testid="new-resource">
                  <Plus aria-hidden className="size-3.5" />
                  New {info.singular}
                </LinkButton>
              ) : (
                <Badge title={`You have the viewer role on ${fleet}`} data-testid="read-only-badge">
                  <Eye aria-hidden className="size-3" />
                  read-only
                </Badge>
              )}
            </>
          }
        >
          {current.error && !current.data ? (
            <ErrorNotice className="m-4" title={`Could not load the ${info.label.toLowerCase()}`} error={current.error} onRetry={() => void current.refetch()} />
          ) : !current.data ? (
            <p className="px-4 py-6 text-sm text-fg-subtle">Loading {info.label.toLowerCase()}…</p>
          ) : (
            <ResourceTable
              rows={rows}
              columns={columns}
              filter={filter}
              empty={
                rows.length === 0 ? (
                  <EmptyState icon={Plus} title={`No ${info.label.toLowerCase()} in the draft`}>
                    {canEdit ? (
                      <>
                        <Link href={resourceHrefs.create(fleet, kind)} className="text-accent underline-offset-2 hover:underline">
                          Create a {info.singular}
                        </Link>{' '}
                        or{' '}
                        <button type="button" onClick={() => setImporting(true)} className="text-accent underline-offset-2 hover:underline">
                          import an existing envoy.yaml
                        </button>
                      </>
                    ) : (
                      'An editor of this fleet can create one.'
                    )}
                  </EmptyState>
                ) : (
                  <p className="px-4 py-6 text-center text-sm text-fg-subtle">Nothing matches “{filter}”.</p>
                )
              }
            />
          )}
        </Panel>
      )}
      {importing && canEdit ? <ImportDialog fleet={fleet} open onOpenChange={setImporting} /> : null}
      {deleting && canEdit ? <DeleteResourceDialog fleet={fleet} kind={kind} resource={deleting} onClose={() => setDeleting(null)} /> : null}
    </>
  )
}
