'use client'

import { useQuery } from '@tanstack/react-query'
import { CircleCheck, CircleSlash, Clock, Info, SquareArrowOutUpRight, TriangleAlert, type LucideIcon } from 'lucide-react'
import Link from 'next/link'
import { DiffViewToggle } from '../diff/diff-view-toggle'
import type { DiffViewFormat } from '../diff/render-patch'
import { ResourceChangeCard } from '../diff/resource-change-card'
import { useDiffViewFormat } from '../diff/use-diff-view-format'
import { KIND_INFO, kindOfType, resourceHrefs } from '../resources/kinds'
import { Badge } from '../ui/badge'
import { cn } from '../ui/cn'
import { ErrorNotice } from '../ui/error-notice'
import { Panel } from '../ui/panel'
import { describeAcked, describeDrift, describeDriftChange, describeTypeComparison, orderedDriftTypes, type DriftVerdictKind } from './drift'
import { proxyQueries } from './queries'
import { STATE_ICON } from './state-badge'
import { describeProxyState, shortTypeName } from './type-status'
import type { ProxyDrift, TypeDrift } from './types'

const VERDICT_ICON: Record<DriftVerdictKind, LucideIcon> = {
  'runs-active': CircleCheck,
  differs: TriangleAlert,
  unconfirmed: Clock,
  unknown: CircleSlash,
  'no-fleet': TriangleAlert,
  'no-version': Info,
  'no-types': Info,
}

const VERDICT_TONE: Record<DriftVerdictKind, string> = {
  'runs-active': 'text-emerald-700 dark:text-emerald-400',
  differs: 'text-red-700 dark:text-red-400',
  unconfirmed: 'text-amber-700 dark:text-amber-400',
  unknown: 'text-fg-muted',
  'no-fleet': 'text-red-700 dark:text-red-400',
  'no-version': 'text-fg-muted',
  'no-types': 'text-fg-muted',
}

function TypeSection({ t, fleet, activeVersion, format }: { t: TypeDrift; fleet: string | null; activeVersion: number | null; format: DiffViewFormat }) {
  const short = shortTypeName(t.typeUrl)
  const look = describeProxyState(t.state)
  const Icon = STATE_ICON[t.state]
  return (
    <li className="px-4 py-3" data-testid="drift-type" data-type={short} data-state={t.state} data-changes={t.changes.length}>
      <div className="flex flex-wrap items-center gap-x-3 gap-y-1 text-[13px]">
        <span className="w-10 font-semibold" title={t.typeUrl}>
          {short}
        </span>
        <span className="font-mono text-xs text-fg-muted" data-testid="drift-acked" title="The version whose content the proxy ACKed last for this type">
          {describeAcked(t)}
        </span>
        <Badge tone={look.tone} className="font-mono text-[11px]" title={look.meaning}>
          <Icon aria-hidden className="size-3" />
          {look.label}
        </Badge>
        <span className={cn('text-xs', t.changes.length > 0 ? 'font-medium text-red-700 dark:text-red-400' : 'text-fg-subtle')} data-testid="drift-comparison">
          {describeTypeComparison(t, activeVersion)}
        </span>
      </div>
      {t.caveat ? (
        <p className="mt-2 flex items-start gap-1.5 rounded-md border border-amber-200 bg-amber-50 px-2.5 py-1.5 text-xs text-amber-900 dark:border-amber-900 dark:bg-amber-950/50 dark:text-amber-200" data-testid="drift-caveat">
          <TriangleAlert aria-hidden className="mt-0.5 size-3.5 shrink-0" />
          <span>
            <span className="font-medium">May not be exact: </span>
            {t.caveat}
          </span>
        </p>
      ) : null}
      {t.changes.length > 0 ? (
        <div className="mt-2 space-y-2">
          {t.changes.map((change) => {
            const kind = kindOfType(change.type)
            return (
              <ResourceChangeCard
                key={`${change.type}/${change.name}`}
                change={change}
                format={format}
                actions={
                  <>
                    <span className="text-fg-subtle max-sm:hidden">{describeDriftChange(change.change, activeVersion)}</span>
                    {/* A resource the active version lacks has no page to open in the resources view. */}
                    {fleet && change.change !== 'removed' ? (
                      <Link
                        href={resourceHrefs.edit(fleet, kind, change.name)}
                        className="inline-flex items-center gap-1 text-accent hover:underline"
                        data-testid="drift-resource-link"
                        aria-label={`Open the ${KIND_INFO[kind].singular} ${change.name} in the resources view`}
                        title={`Open the ${KIND_INFO[kind].singular} ${change.name} in the resources view (the draft of ${fleet})`}
                      >
                        <SquareArrowOutUpRight aria-hidden className="size-3" />
                        Open
                      </Link>
                    ) : null}
                  </>
                }
              />
            )
          })}
        </div>
      ) : null}
    </li>
  )
}

function DriftBody({ drift, connected }: { drift: ProxyDrift; connected: boolean }) {
  const [format] = useDiffViewFormat()
  const verdict = describeDrift(drift, connected)
  const Icon = VERDICT_ICON[verdict.kind]
  const types = orderedDriftTypes(drift.types)
  return (
    <>
      <div className="flex items-start gap-2 border-b border-line px-4 py-3" data-testid="drift-verdict" data-verdict={verdict.kind} data-differing={verdict.differing} data-active-version={drift.activeVersion ?? ''}>
        <Icon aria-hidden className={cn('mt-0.5 size-4 shrink-0', VERDICT_TONE[verdict.kind])} />
        <p className="min-w-0 text-sm">
          <span className={cn('font-semibold', VERDICT_TONE[verdict.kind])} data-testid="drift-verdict-text">
            {verdict.text}
          </span>
          {verdict.detail ? <span className="text-fg-muted"> · {verdict.detail}</span> : null}
        </p>
      </div>
      {types.length > 0 && drift.fleet !== null ? (
        <ul className="divide-y divide-line" aria-label="Desired vs actual per type">
          {types.map((t) => (
            <TypeSection key={t.typeUrl} t={t} fleet={drift.fleet} activeVersion={drift.activeVersion} format={format} />
          ))}
        </ul>
      ) : null}
    </>
  )
}

/**
 * Desired vs actual (#11 item 6): per type, the version the proxy ACKed last, its state, and each
 * resource where that differs from the fleet's active version, as a diff. Refreshed by the live feed
 * (components/live/affected-queries.ts: the node's proxy.changed, a new version of its fleet).
 */
export function ProxyDriftPanel({ nodeId, fleet, connected }: { nodeId: string; fleet: string | null; connected: boolean }) {
  const { data, error, refetch } = useQuery(proxyQueries.drift(nodeId, fleet))
  const [format, setFormat] = useDiffViewFormat()
  const anyChange = data?.types.some((t) => t.changes.length > 0) ?? false
  return (
    <Panel
      title="Desired vs actual"
      // Short: the panel header keeps it to one line, next to the diff toggle on a phone.
      description={data?.activeVersion != null ? `What it ACKed against v${data.activeVersion}` : 'What it ACKed against the active version'}
      actions={anyChange ? <DiffViewToggle value={format} onChange={setFormat} /> : null}
      data-testid="proxy-drift"
    >
      {error ? <ErrorNotice className="m-3" title={data ? 'Could not refresh the comparison; showing the last answer' : 'Could not compare with the active version'} error={error} onRetry={() => void refetch()} /> : null}
      {data ? <DriftBody drift={data} connected={connected} /> : !error ? <p className="px-4 py-6 text-sm text-fg-subtle">Comparing with the active version…</p> : null}
    </Panel>
  )
}
