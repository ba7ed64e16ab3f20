'use client'

import { useInfiniteQuery, useQuery } from '@tanstack/react-query'
import type { VersionSummary } from '@/server/contract'
import { ArrowLeft, ArrowRight, GitCompareArrows, RotateCcw } from 'lucide-react'
import { useRouter } from 'next/navigation'
import { useState, type ReactNode } from 'react'
import { useCan } from '../auth/use-can'
import { Badge } from '../ui/badge'
import { Button } from '../ui/button'
import { ErrorNotice } from '../ui/error-notice'
import { formatTimestamp } from '../ui/format-time'
import { Panel } from '../ui/panel'
import { RelativeTime } from '../ui/relative-time'
import { ChangeCounts } from './change-counts'
import { useVersionDiff } from './version-diff-body'
import { versionDiffHref, versionHref, versionsHref } from './compare-selection'
import { ConvergenceCell } from './convergence-cell'
import { FleetPageHeader } from './fleet-page-header'
import { formatVersion } from './format-version'
import { LinkButton } from './link-button'
import { versionQueries } from './queries'
import { RollbackDialog } from './rollback-dialog'
import { RolloutPanel } from './rollout-panel'
import { VersionOrigin } from './version-origin'
import { VersionResources } from './version-resources'

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs text-fg-subtle">{label}</dt>
      <dd className="mt-0.5 text-sm">{children}</dd>
    </div>
  )
}

/** What the version changed compared with the version it replaced. */
function ParentDiff({ fleet, parent, number }: { fleet: string; parent: number; number: number }) {
  const { summary, body } = useVersionDiff(fleet, parent, number, { empty: <p className="px-3 py-6 text-center text-sm text-fg-muted">Same content as {formatVersion(parent)}.</p> })
  return (
    <Panel title={`Changes from ${formatVersion(parent)}`} description={`What ${formatVersion(number)} changed compared with the version it replaced`} actions={summary} data-testid="version-parent-diff">
      <div className="p-3">{body}</div>
    </Panel>
  )
}

/** /fleets/{fleet}/versions/{n}: one version, where its rollout stands, its resources, and its diff against its parent. */
export function VersionDetailView({ fleet, number }: { fleet: string; number: number }) {
  const router = useRouter()
  const detail = useQuery(versionQueries.detail(fleet, number))
  const status = useQuery(versionQueries.fleetStatus(fleet))
  const history = useInfiniteQuery(versionQueries.history(fleet))
  const [rollbackTarget, setRollbackTarget] = useState<VersionSummary | null>(null)
  // Rolling back needs the editor role on the fleet: a viewer gets no button that would be refused.
  const canRollBack = useCan('editor', fleet)
  const versions = history.data?.pages.flat()
  const latest = versions?.[0]?.number ?? status.data?.activeVersion?.number ?? number
  const listed = versions?.find((v) => v.number === number)
  const activeNumber = status.data?.activeVersion?.number
  const activeSummary = versions?.find((v) => v.number === activeNumber)
  const v = detail.data
  // The detail is fetched once; whether it is still active comes from the live fleet status.
  const isActive = activeNumber !== undefined ? activeNumber === number : (v?.active ?? false)
  const title = formatVersion(number)

  const nav = (
    <>
      {number > 1 ? (
        <LinkButton size="sm" href={versionHref(fleet, number - 1)} aria-label={`Previous version, ${formatVersion(number - 1)}`}>
          <ArrowLeft aria-hidden className="size-3.5" />
          {formatVersion(number - 1)}
        </LinkButton>
      ) : null}
      {number < latest ? (
        <LinkButton size="sm" href={versionHref(fleet, number + 1)} aria-label={`Next version, ${formatVersion(number + 1)}`}>
          {formatVersion(number + 1)}
          <ArrowRight aria-hidden className="size-3.5" />
        </LinkButton>
      ) : null}
      {v && !isActive && status.data && canRollBack ? (
        <Button size="sm" variant="primary" onClick={() => setRollbackTarget(v)} data-testid="rollback-button">
          <RotateCcw aria-hidden className="size-3.5" />
          Roll back to {title}
        </Button>
      ) : null}
    </>
  )

  return (
    <>
      <FleetPageHeader
        fleet={fleet}
        crumbs={[{ label: 'Versions', href: versionsHref(fleet) }, { label: title }]}
        title={
          <span className="inline-flex items-center gap-2">
            <span className="font-mono">{title}</span>
            {v ? <span className="font-normal text-fg-muted">· {v.message}</span> : null}
            {isActive ? (
              <Badge tone="success" data-testid="version-active-badge">
                active
              </Badge>
            ) : null}
          </span>
        }
        actions={nav}
      />
      {detail.error ? (
        <ErrorNotice title={`Could not load ${title} of ${fleet}`} error={detail.error} onRetry={() => void detail.refetch()} />
      ) : !v ? (
        <p className="rounded-lg border border-line bg-surface px-4 py-6 text-sm text-fg-subtle">Loading {title}…</p>
      ) : (
        <div className="space-y-4" data-testid="version-detail" data-version={number}>
          <section className="rounded-lg border border-line bg-surface px-4 py-3.5 shadow-xs">
            <dl className="grid grid-cols-2 gap-x-6 gap-y-3 sm:grid-cols-3 lg:grid-cols-6">
              <Field label="Author">{v.author}</Field>
              <Field label="Created">
                <RelativeTime iso={v.createdAt} />
                <span className="block text-xs text-fg-subtle">{formatTimestamp(v.createdAt)}</span>
              </Field>
              <Field label="Origin">
                <VersionOrigin version={v} fleet={fleet} />
              </Field>
              <Field label="Changes">
                <ChangeCounts counts={v.changes} />
              </Field>
              <Field label="Proxies on it">
                <ConvergenceCell convergence={listed?.convergence ?? null} />
              </Field>
              <Field label="Content hash">
                <span className="block truncate font-mono text-xs text-fg-muted" title={v.contentHash}>
                  {v.contentHash.slice(0, 16)}
                </span>
              </Field>
            </dl>
          </section>
          <RolloutPanel fleet={fleet} version={number} summary={v} onFollow={(n) => router.push(versionsHref(fleet, n))} />
          {v.parent !== null ? (
            <ParentDiff fleet={fleet} parent={v.parent} number={number} />
          ) : (
            <p className="rounded-lg border border-dashed border-line bg-surface px-4 py-4 text-sm text-fg-muted">{title} is the first version of this fleet: every resource below is new.</p>
          )}
          {activeNumber !== undefined && activeNumber !== number && activeNumber !== v.parent ? (
            <p className="text-sm">
              <LinkButton size="sm" href={versionDiffHref(fleet, Math.min(number, activeNumber), Math.max(number, activeNumber))}>
                <GitCompareArrows aria-hidden className="size-3.5" />
                Compare with the active version, {formatVersion(activeNumber)}
              </LinkButton>
            </p>
          ) : null}
          <VersionResources resources={v.resources} />
        </div>
      )}
      {rollbackTarget && status.data && canRollBack ? (
        <RollbackDialog
          fleet={status.data}
          target={rollbackTarget}
          active={activeSummary}
          nextNumber={latest + 1}
          onClose={() => setRollbackTarget(null)}
          onRolledBack={(created) => router.push(versionsHref(fleet, created.number))}
        />
      ) : null}
    </>
  )
}
