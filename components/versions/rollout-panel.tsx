'use client'

import { useQuery } from '@tanstack/react-query'
import { RESOURCE_TYPE_INFO, RESOURCE_TYPES, type VersionOrigin } from '@/server/contract'
import { CircleCheck, CircleSlash, LoaderCircle, TriangleAlert, X } from 'lucide-react'
import Link from 'next/link'
import { useMemo } from 'react'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { RelativeTime } from '../ui/relative-time'
import { formatDuration } from './format-duration'
import { formatVersion } from './format-version'
import { proxyQueries } from '../proxies/queries'
import { versionQueries } from './queries'
import { computeRolloutProgress, type RolloutOutcome, type RolloutProgress } from './rollout-progress'
import { IssueList } from '../ui/issue-list'

/** The version whose rollout the page follows: set by a rollback made here, or by a `version.created` event. */
export type TrackedRollout = Readonly<{
  version: number
  origin: VersionOrigin
  rollbackOf: number | null
  /** The version it replaced; null for a first version, undefined until the history shows it. */
  parent: number | null | undefined
  createdAt: string
}>

const MAX_PENDING_SHOWN = 12

/** "Cluster" for CDS: the words the rest of the console uses for a type URL. */
export function typeLabel(typeUrl: string): string {
  return RESOURCE_TYPES.find((t) => RESOURCE_TYPE_INFO[t].typeUrl === typeUrl) ?? typeUrl.split('.').at(-1) ?? typeUrl
}

function changedTypeUrls(types: ReadonlyArray<{ type: keyof typeof RESOURCE_TYPE_INFO }>): ReadonlySet<string> {
  return new Set(types.map((c) => RESOURCE_TYPE_INFO[c.type].typeUrl))
}

type Outcome = RolloutOutcome | 'refused'

const TONE: Record<Outcome, string> = {
  'in-progress': 'border-indigo-200 dark:border-indigo-900',
  converged: 'border-emerald-200 dark:border-emerald-900',
  nacked: 'border-red-200 dark:border-red-900',
  refused: 'border-red-200 dark:border-red-900',
  superseded: 'border-line',
  'no-proxies': 'border-line',
}

function OutcomeIcon({ outcome }: { outcome: Outcome }) {
  const className = 'size-4 shrink-0'
  switch (outcome) {
    case 'in-progress':
      return <LoaderCircle aria-hidden className={cn(className, 'animate-spin text-indigo-600 dark:text-indigo-400')} />
    case 'converged':
      return <CircleCheck aria-hidden className={cn(className, 'text-emerald-600 dark:text-emerald-400')} />
    case 'nacked':
    case 'refused':
      return <TriangleAlert aria-hidden className={cn(className, 'text-red-600 dark:text-red-400')} />
    default:
      return <CircleSlash aria-hidden className={cn(className, 'text-fg-subtle')} />
  }
}

function headline(outcome: Outcome, v: string, p: RolloutProgress, fleet: string): string {
  switch (outcome) {
    case 'in-progress':
      return `Rolling out ${v}`
    case 'converged':
      return `${v} reached every proxy`
    case 'nacked':
      return `${v} was rejected by ${p.nacked.length === 1 ? 'a proxy' : `${new Set(p.nacked.map((n) => n.nodeId)).size} proxies`}`
    case 'refused':
      return `Legation refused to serve ${v}`
    case 'superseded':
      return `${v} was superseded by a newer version`
    case 'no-proxies':
      return `${v} is active; no proxy of ${fleet} is connected`
  }
}

/** Three segments: on the target, rejected, still on the way. Colour is never the only cue: the counts are written next to it. */
function ProgressBar({ progress }: { progress: RolloutProgress }) {
  if (progress.total === 0) return null
  const nackedProxies = new Set(progress.nacked.map((n) => n.nodeId)).size
  const pct = (n: number) => `${(100 * n) / progress.total}%`
  return (
    <div className="flex h-1.5 w-full overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.onTarget} aria-label="Proxies on the version">
      <div className="bg-emerald-500 transition-[width] duration-500" style={{ width: pct(progress.onTarget) }} />
      <div className="bg-red-500 transition-[width] duration-500" style={{ width: pct(nackedProxies) }} />
    </div>
  )
}

/**
 * The live rollout of one version to the fleet's proxies: "k/N proxies on v7", Envoy's message for
 * every rejection, and a done state. It reads the fleet's proxy list (GET /proxies?fleet=, the
 * query the proxies page uses, refreshed by the event feed on `proxy.changed`) through computeRolloutProgress, with the diff against the parent telling which types the version
 * changed.
 */
export function RolloutPanel({ fleet, rollout, onDismiss }: { fleet: string; rollout: TrackedRollout; onDismiss: () => void }) {
  const proxies = useQuery(proxyQueries.list({ fleet, state: null }))
  const { version, parent } = rollout
  const diff = useQuery({ ...versionQueries.diff(fleet, parent ?? 0, version), enabled: typeof parent === 'number' })
  const status = useQuery(versionQueries.fleetStatus(fleet))
  const changed = useMemo(() => (diff.data ? changedTypeUrls(diff.data.changes) : null), [diff.data])
  const progress = useMemo(() => computeRolloutProgress(proxies.data ?? [], version, { changedTypeUrls: changed }), [proxies.data, version, changed])
  const refused = status.data?.serving.rejected?.version === version ? status.data.serving.rejected : null
  const outcome: Outcome = refused ? 'refused' : progress.outcome
  const v = formatVersion(version)
  const convergedIn = outcome === 'converged' && progress.lastAckAt ? Date.parse(progress.lastAckAt) - Date.parse(rollout.createdAt) : null
  const ready = proxies.data !== undefined

  return (
    <section
      aria-label={`Rollout of ${v}`}
      aria-live="polite"
      data-testid="rollout-panel"
      data-version={version}
      data-outcome={ready ? outcome : 'loading'}
      data-on-target={progress.onTarget}
      data-total={progress.total}
      className={cn('overflow-hidden rounded-lg border bg-surface shadow-xs', TONE[outcome])}
    >
      <header className="flex items-start gap-3 px-4 pt-3 pb-2.5">
        <div className="mt-0.5">
          <OutcomeIcon outcome={ready ? outcome : 'in-progress'} />
        </div>
        <div className="min-w-0 flex-1">
          <h2 className="text-sm font-semibold" data-testid="rollout-headline">
            {ready ? headline(outcome, v, progress, fleet) : `Rolling out ${v}`}
          </h2>
          <p className="mt-0.5 text-xs text-fg-subtle">
            {rollout.origin === 'ROLLBACK' && rollout.rollbackOf !== null ? `Rollback to the content of ${formatVersion(rollout.rollbackOf)}` : rollout.origin === 'IMPORT' ? 'Import' : 'Commit'}
            {typeof parent === 'number' ? ` · replaces ${formatVersion(parent)}` : ''} · created <RelativeTime iso={rollout.createdAt} />
            {convergedIn !== null ? ` · converged in ${formatDuration(Math.max(0, convergedIn))}` : ''}
          </p>
        </div>
        {ready && progress.total > 0 ? (
          <p className="shrink-0 text-sm tabular-nums" data-testid="rollout-count">
            <span className="font-semibold">
              {progress.onTarget}/{progress.total}
            </span>{' '}
            <span className="text-fg-muted">
              {progress.total === 1 ? 'proxy' : 'proxies'} on {v}
            </span>
          </p>
        ) : null}
        <button type="button" onClick={onDismiss} className="-mt-0.5 -mr-1 rounded p-1 text-fg-subtle hover:bg-surface-muted hover:text-fg" aria-label="Dismiss the rollout progress" data-testid="rollout-dismiss">
          <X aria-hidden className="size-4" />
        </button>
      </header>

      <div className="space-y-3 px-4 pb-3.5">
        <ProgressBar progress={progress} />
        {proxies.error && !proxies.data ? <ErrorNotice title="Could not load the proxies of this fleet" error={proxies.error} onRetry={() => void proxies.refetch()} /> : null}
        {refused ? (
          <div className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200" data-testid="rollout-refused">
            <p>The xDS snapshot of {v} failed its consistency check; this replica keeps serving {status.data?.serving.servingVersion ? formatVersion(status.data.serving.servingVersion) : 'its last good snapshot'}.</p>
            <IssueList issues={refused.issues} className="mt-1" />
          </div>
        ) : null}
        {progress.nacked.length > 0 ? (
          <div>
            <h3 className="mb-1.5 text-xs font-medium text-red-700 dark:text-red-300">Rejected (NACK): these proxies keep running their last accepted config</h3>
            <ul className="divide-y divide-red-100 overflow-hidden rounded-md border border-red-200 dark:divide-red-950 dark:border-red-900" data-testid="rollout-nacks">
              {progress.nacked.map((nack) => (
                <li key={`${nack.nodeId}/${nack.typeUrl}`} className="bg-red-50/60 px-3 py-2 text-sm dark:bg-red-950/30" data-testid="rollout-nack" data-node={nack.nodeId}>
                  <div className="flex flex-wrap items-baseline gap-x-2 text-xs">
                    <Link href={`/proxies/${encodeURIComponent(nack.nodeId)}`} className="font-mono font-medium text-fg hover:underline">
                      {nack.nodeId}
                    </Link>
                    <span className="text-fg-muted">{typeLabel(nack.typeUrl)}</span>
                    {nack.fromVersion !== null ? <span className="text-fg-subtle">from {formatVersion(nack.fromVersion)}</span> : null}
                    <span className="ml-auto text-fg-subtle">
                      <RelativeTime iso={nack.at} />
                    </span>
                  </div>
                  <p className="mt-1 font-mono text-xs break-words whitespace-pre-wrap text-red-800 dark:text-red-200">{nack.message || '(no message)'}</p>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {ready && outcome === 'in-progress' && progress.pending.length > 0 ? (
          <p className="text-xs text-fg-muted" data-testid="rollout-pending">
            Waiting for{' '}
            {progress.pending.slice(0, MAX_PENDING_SHOWN).map((p, i) => (
              <span key={p.nodeId}>
                {i > 0 ? ', ' : ''}
                <span className="font-mono text-fg">{p.nodeId}</span> <span className="text-fg-subtle">({p.state === 'SYNCED' ? 'on an older version' : p.state.toLowerCase().replace('_', ' ')})</span>
              </span>
            ))}
            {progress.pending.length > MAX_PENDING_SHOWN ? ` and ${progress.pending.length - MAX_PENDING_SHOWN} more` : ''}
          </p>
        ) : null}
        {ready && outcome === 'no-proxies' ? (
          <p className="text-xs text-fg-muted">Proxies whose node.cluster is {fleet} receive it as soon as they connect.</p>
        ) : null}
      </div>
    </section>
  )
}
