'use client'

import { useQuery } from '@tanstack/react-query'
import type { RolloutMissing, VersionConvergence, VersionRollout, VersionSummary } from '@/server/contract'
import { CircleCheck, CircleSlash, Clock, FileDiff, LoaderCircle, RotateCcw, TriangleAlert, X } from 'lucide-react'
import Link from 'next/link'
import { useState } from 'react'
import { useCan } from '../auth/use-can'
import { ConvergenceChart } from '../charts/convergence-chart'
import { ProxyStateBadge } from '../proxies/state-badge'
import { KIND_INFO, kindOfType, resourceHrefs } from '../resources/kinds'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { IssueList } from '../ui/issue-list'
import { RelativeTime } from '../ui/relative-time'
import { versionDiffHref } from './compare-selection'
import { formatDuration } from './format-duration'
import { formatVersion } from './format-version'
import { versionQueries } from './queries'
import { formatConvergenceTimes, groupRejections, knownResourceType, rollbackTargets, rolloutHeadline, rolloutOutcome, typeLabel, type RejectionGroup, type RolloutOutcome } from './rollout-progress'
import { useVersionRollout } from './use-version-rollout'
import { VersionRollbackDialog } from './version-rollback-dialog'

/** Node ids named per rejection or in the missing list before "and N more". */
const MAX_NODES_SHOWN = 8
const MAX_MISSING_SHOWN = 12

const TONE: Record<RolloutOutcome, string> = {
  converging: 'border-indigo-200 dark:border-indigo-900',
  converged: 'border-emerald-200 dark:border-emerald-900',
  rejected: 'border-red-200 dark:border-red-900',
  refused: 'border-red-200 dark:border-red-900',
  stalled: 'border-amber-300 dark:border-amber-800',
  superseded: 'border-line',
  staged: 'border-accent',
  'no-proxies': 'border-line',
}

function OutcomeIcon({ outcome }: { outcome: RolloutOutcome | 'loading' }) {
  const className = 'size-4 shrink-0'
  switch (outcome) {
    case 'loading':
    case 'converging':
      return <LoaderCircle aria-hidden className={cn(className, 'animate-spin text-indigo-600 dark:text-indigo-400')} />
    case 'converged':
      return <CircleCheck aria-hidden className={cn(className, 'text-emerald-600 dark:text-emerald-400')} />
    case 'rejected':
    case 'refused':
      return <TriangleAlert aria-hidden className={cn(className, 'text-red-600 dark:text-red-400')} />
    case 'stalled':
      return <Clock aria-hidden className={cn(className, 'text-amber-600 dark:text-amber-400')} />
    default:
      return <CircleSlash aria-hidden className={cn(className, 'text-fg-subtle')} />
  }
}

/** On the version, rejected, the rest. Colour is never the only cue: the counts are written next to it. */
function ProgressBar({ convergence }: { convergence: VersionConvergence }) {
  if (convergence.proxies === 0) return null
  const pct = (n: number) => `${(100 * n) / convergence.proxies}%`
  return (
    <div
      className="flex h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
      role="progressbar"
      aria-valuemin={0}
      aria-valuemax={convergence.proxies}
      aria-valuenow={convergence.onVersion}
      aria-label="Proxies on the version"
    >
      <div className="bg-emerald-500 transition-[width] duration-500" style={{ width: pct(convergence.onVersion) }} />
      <div className="bg-red-500 transition-[width] duration-500" style={{ width: pct(convergence.rejected) }} />
    </div>
  )
}

function NodeList({ nodeIds, total }: { nodeIds: readonly string[]; total: number }) {
  const shown = nodeIds.slice(0, MAX_NODES_SHOWN)
  const more = total - shown.length
  return (
    <span>
      {shown.map((id, i) => (
        <span key={id}>
          {i > 0 ? ', ' : ''}
          <Link href={`/proxies/${encodeURIComponent(id)}`} className="font-mono font-medium text-fg hover:underline" data-testid="rollout-node">
            {id}
          </Link>
        </span>
      ))}
      {more > 0 ? <span className="text-fg-subtle"> and {more} more</span> : null}
    </span>
  )
}

/** One kind of rejection: who, which resource (linked to the resources view), the client's own text. */
function Rejection({ fleet, version, group, total, past }: { fleet: string; version: number; group: RejectionGroup; total: number; past: boolean }) {
  const one = group.nodeIds.length === 1
  return (
    <li className="bg-red-50/60 px-3 py-2 text-sm dark:bg-red-950/30" data-testid="rollout-rejection" data-nodes={group.nodeIds.join(' ')} data-type-url={group.typeUrl ?? ''}>
      <div className="flex flex-wrap items-baseline gap-x-2 gap-y-0.5 text-xs">
        <NodeList nodeIds={group.nodeIds} total={total} />
        <span className="text-fg-muted">rejected {group.resources.length === 0 ? `the ${typeLabel(group.typeUrl)} update` : ''}</span>
        {group.resources.map((r) => {
          const type = knownResourceType(r.type)
          const label = `${r.type}/${r.name}`
          return type === null ? (
            <span key={label} className="font-mono font-medium" data-testid="rollout-rejection-resource" data-type={r.type} data-name={r.name}>
              {label}
            </span>
          ) : (
            <Link
              key={label}
              href={resourceHrefs.edit(fleet, kindOfType(type), r.name)}
              className="font-mono font-medium text-accent hover:underline"
              title={`Open the ${KIND_INFO[kindOfType(type)].singular} ${r.name} in the resources view`}
              data-testid="rollout-rejection-resource"
              data-type={r.type}
              data-name={r.name}
            >
              {label}
            </Link>
          )
        })}
        <span className="ml-auto text-fg-subtle">
          <RelativeTime iso={group.at} />
        </span>
      </div>
      <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-red-800 dark:text-red-200" data-testid="rollout-rejection-message">
        {group.message || '(the proxy sent no message)'}
      </p>
      <p className="mt-1 text-xs text-fg-muted">
        {group.lastAcceptedVersion !== null ? (
          <>
            {past
              ? `The last version ${one ? 'it' : 'they'} had accepted was ${formatVersion(group.lastAcceptedVersion)}`
              : `${one ? 'It keeps' : 'They keep'} running ${formatVersion(group.lastAcceptedVersion)}, the last version ${one ? 'it' : 'they'} accepted`}{' '}
            ·{' '}
            <Link href={versionDiffHref(fleet, group.lastAcceptedVersion, version)} className="inline-flex items-center gap-1 text-accent hover:underline" data-testid="rollout-rejection-diff">
              <FileDiff aria-hidden className="size-3" />
              what {formatVersion(version)} changed since
            </Link>
          </>
        ) : (
          `No earlier version of this fleet reached ${one ? 'it' : 'them'}.`
        )}
      </p>
    </li>
  )
}

function reasonText(m: RolloutMissing): string {
  return m.reason === 'pending' ? 'connected, has not acknowledged it' : 'was connected at the commit, disconnected before reaching it'
}

/** Who has not reached the version: their state now, why, and since when. */
function MissingList({ rollout }: { rollout: VersionRollout }) {
  const shown = rollout.missing.slice(0, MAX_MISSING_SHOWN)
  const more = rollout.missingCount - shown.length
  return (
    <div>
      <h3 className="mb-1.5 text-xs font-medium text-fg-muted">
        {rollout.state === 'stalled' ? `Not acknowledged yet (a rollout stalls when proxies are still missing ${formatDuration(rollout.stallAfterMs)} after the commit)` : 'Waiting for'}
      </h3>
      <ul className="divide-y divide-line overflow-hidden rounded-md border border-line" data-testid="rollout-missing">
        {shown.map((m) => (
          <li key={m.nodeId} className="flex flex-wrap items-center gap-x-2 gap-y-0.5 px-3 py-1.5 text-xs" data-testid="rollout-missing-proxy" data-node={m.nodeId} data-reason={m.reason} data-state={m.state}>
            <Link href={`/proxies/${encodeURIComponent(m.nodeId)}`} className="font-mono font-medium text-fg hover:underline">
              {m.nodeId}
            </Link>
            <ProxyStateBadge state={m.state} />
            <span className="text-fg-muted">{reasonText(m)}</span>
            <span className="ml-auto text-fg-subtle">
              since <RelativeTime iso={m.since} />
            </span>
          </li>
        ))}
      </ul>
      {more > 0 ? <p className="mt-1 text-xs text-fg-subtle">and {more} more</p> : null}
    </div>
  )
}

/** "Roll back to v2", one per version the rejecting proxies accepted last; opens the rollback dialog. */
function RollbackOffer({ fleet, targets, onRolledBack }: { fleet: string; targets: readonly number[]; onRolledBack: (created: VersionSummary) => void }) {
  const [target, setTarget] = useState<number | null>(null)
  return (
    <div className="flex flex-wrap items-center gap-2">
      {targets.map((n) => (
        <Button key={n} size="sm" variant="primary" onClick={() => setTarget(n)} data-testid="rollout-rollback" data-version={n}>
          <RotateCcw aria-hidden className="size-3.5" />
          Roll back to {formatVersion(n)}
        </Button>
      ))}
      {target !== null ? <VersionRollbackDialog fleet={fleet} number={target} onClose={() => setTarget(null)} onRolledBack={onRolledBack} /> : null}
    </div>
  )
}

function Subtitle({ rollout, summary }: { rollout: VersionRollout; summary: Pick<VersionSummary, 'origin' | 'rollbackOf' | 'parent'> | undefined }) {
  const origin = summary
    ? summary.origin === 'ROLLBACK' && summary.rollbackOf !== null
      ? `Rollback to the content of ${formatVersion(summary.rollbackOf)}`
      : summary.origin === 'IMPORT'
        ? 'Import'
        : 'Commit'
    : 'Committed'
  return (
    <p className="mt-0.5 text-xs text-fg-subtle">
      {origin}
      {summary && summary.parent !== null ? ` · replaces ${formatVersion(summary.parent)}` : ''} · {summary ? 'created ' : ''}
      <RelativeTime iso={rollout.committedAt} />
      {rollout.convergence.convergenceMs !== null && rollout.state === 'converged' ? ` · converged in ${formatDuration(rollout.convergence.convergenceMs)}` : ''}
    </p>
  )
}

type Props = Readonly<{
  fleet: string
  version: number
  /** What the host knows of the version (origin, parent), for the line under the headline. */
  summary?: Pick<VersionSummary, 'origin' | 'rollbackOf' | 'parent'> | undefined
  /** Follow another version from now on: the rollback made from this panel, or the version that superseded this one. */
  onFollow?: (version: number, summary?: VersionSummary) => void
  /** Unset: the panel cannot be closed (a version's own page). */
  onDismiss?: () => void
}>

/**
 * Where the rollout of one version stands, from GET …/versions/{n}/rollout (the rows recorded when
 * each proxy reached or rejected it, so only this version's NACKs, right after disconnects and
 * rollbacks): n/N on the way, then all converged (with p50/p90/max), rejected (who, which resource,
 * the client's text, and a rollback to the version they accepted last), stalled (who has not
 * acknowledged it, in which state, since when) or superseded.
 */
export function RolloutPanel({ fleet, version, summary, onFollow, onDismiss }: Props) {
  const query = useVersionRollout(fleet, version)
  const status = useQuery(versionQueries.fleetStatus(fleet))
  const canRollBack = useCan('editor', fleet)
  const rollout = query.data
  const refused = status.data?.serving.rejected?.version === version ? status.data.serving.rejected : null
  const outcome = rollout ? rolloutOutcome(rollout, refused?.version) : null
  const v = formatVersion(version)
  const c = rollout?.convergence
  const times = c ? formatConvergenceTimes(c) : null
  const groups = rollout ? groupRejections(rollout.rejections) : []
  const targets = rollout && outcome === 'rejected' ? rollbackTargets(rollout.rejections, version) : []
  const activeNumber = status.data?.activeVersion?.number
  const followed = (created: VersionSummary) => onFollow?.(created.number, created)

  return (
    <section
      aria-label={`Rollout of ${v}`}
      aria-live="polite"
      data-testid="rollout-panel"
      data-version={version}
      data-state={outcome ?? 'loading'}
      data-on-target={c?.onVersion}
      data-total={c?.proxies}
      data-rejected={c?.rejected}
      className={cn('overflow-hidden rounded-lg border bg-surface shadow-xs', outcome ? TONE[outcome] : 'border-line')}
    >
      {/* On a phone the counts go on a line of their own under the headline; the close button stays top right. */}
      <header className="flex flex-wrap items-start gap-x-3 gap-y-1 px-4 pt-3 pb-2.5">
        <div className="mt-0.5">
          <OutcomeIcon outcome={outcome ?? 'loading'} />
        </div>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm font-semibold" data-testid="rollout-headline">
            {rollout && outcome ? rolloutHeadline(outcome, rollout) : `Rollout of ${v}`}
          </h2>
          {rollout ? <Subtitle rollout={rollout} summary={summary} /> : null}
        </div>
        {c && c.proxies > 0 ? (
          <div className="order-last w-full pl-7 text-sm tabular-nums sm:order-none sm:w-auto sm:pl-0 sm:text-right">
            <p data-testid="rollout-count">
              <span className="font-semibold">
                {c.onVersion}/{c.proxies}
              </span>{' '}
              <span className="text-fg-muted">
                {c.proxies === 1 ? 'proxy' : 'proxies'} on {v}
              </span>
            </p>
            {times ? (
              <p className="text-xs text-fg-subtle" data-testid="rollout-times" title="Time from the commit to each proxy's ACK, for the proxies connected at the commit">
                {times}
              </p>
            ) : null}
          </div>
        ) : null}
        {onDismiss ? (
          <button
            type="button"
            onClick={onDismiss}
            className="-mt-0.5 -mr-1 rounded p-1 text-fg-subtle hover:bg-surface-muted hover:text-fg"
            aria-label="Dismiss the rollout progress"
            data-testid="rollout-dismiss"
          >
            <X aria-hidden className="size-4" />
          </button>
        ) : null}
      </header>

      <div className="space-y-3 px-4 pb-3.5 empty:hidden">
        {c ? <ProgressBar convergence={c} /> : null}
        {query.error && !rollout ? <ErrorNotice title={`Could not load the rollout of ${v}`} error={query.error} onRetry={() => void query.refetch()} /> : null}
        {refused && outcome === 'refused' ? (
          <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200" data-testid="rollout-refused">
            <p>The xDS snapshot of {v} failed the snapshot checks; this replica keeps serving {status.data?.serving.servingVersion ? formatVersion(status.data.serving.servingVersion) : 'its last good snapshot'}.</p>
            <IssueList issues={refused.issues} className="mt-1" />
          </div>
        ) : null}
        {rollout && outcome === 'superseded' ? (
          <p className="flex flex-wrap items-center gap-2 text-xs text-fg-muted" data-testid="rollout-superseded">
            <span>
              {activeNumber !== undefined ? `${formatVersion(activeNumber)} is the active version of ${fleet} now` : `A newer version of ${fleet} is active now`}
              {c && c.proxies > 0 ? `; while ${v} was active, ${c.onVersion} of ${c.proxies} ${c.proxies === 1 ? 'proxy' : 'proxies'} reached it` : ''}.
            </span>
            {onFollow && activeNumber !== undefined && activeNumber !== version ? (
              <Button size="sm" onClick={() => onFollow(activeNumber)} data-testid="rollout-follow-active">
                Follow {formatVersion(activeNumber)}
              </Button>
            ) : null}
          </p>
        ) : null}
        {rollout && groups.length > 0 ? (
          <div>
            <h3 className="mb-1.5 text-xs font-medium text-red-700 dark:text-red-300">
              {outcome === 'superseded' ? `Rejected (NACK) while ${v} was active` : 'Rejected (NACK): these proxies keep running the last config they accepted'}
            </h3>
            <ul className="divide-y divide-red-100 overflow-hidden rounded-md border border-red-200 dark:divide-red-950 dark:border-red-900" data-testid="rollout-rejections">
              {groups.map((g) => (
                <Rejection key={`${g.typeUrl}/${g.message}/${g.nodeIds[0]}`} fleet={fleet} version={version} group={g} total={groups.length === 1 ? rollout.convergence.rejected : g.nodeIds.length} past={outcome === 'superseded'} />
              ))}
            </ul>
            {rollout.convergence.rejected > rollout.rejections.length && groups.length > 1 ? (
              <p className="mt-1 text-xs text-fg-subtle">The first {rollout.rejections.length} of {rollout.convergence.rejected} rejections are shown.</p>
            ) : null}
          </div>
        ) : null}
        {targets.length > 0 && canRollBack ? <RollbackOffer fleet={fleet} targets={targets} onRolledBack={followed} /> : null}
        {rollout && (outcome === 'stalled' || outcome === 'converging') && rollout.missing.length > 0 ? <MissingList rollout={rollout} /> : null}
        {rollout && outcome === 'converged' && !times ? (
          <p className="text-xs text-fg-muted" data-testid="rollout-no-times">
            Every proxy on it connected after the commit, so there is no time to converge to show.
          </p>
        ) : null}
        {outcome === 'no-proxies' ? <p className="text-xs text-fg-muted">Proxies whose node.cluster is {fleet} receive it as soon as they connect.</p> : null}
      </div>
      <ConvergenceChart fleet={fleet} version={version} />
    </section>
  )
}
