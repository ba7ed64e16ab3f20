'use client'

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { CircleAlert, CircleCheck, CirclePause, Hourglass, Loader, OctagonX } from 'lucide-react'
import { isOpenRollout, type StagedRolloutAction, type StagedRolloutView } from '@/server/contract'
import { ApiError } from '../api'
import { useCan } from '../auth/use-can'
import { fleetQueries } from '../fleets/queries'
import { Button } from '../ui/button'
import { cn } from '../ui/cn'
import { Panel } from '../ui/panel'
import { useToast } from '../ui/toast-context'
import { formatVersion } from '../versions/format-version'
import { versionQueries } from '../versions/queries'
import { actOnStagedRollout, stagedRolloutQueries } from './queries'


/** Which actions each state offers, in the order shown. */
const ACTIONS: Record<StagedRolloutView['state'], readonly StagedRolloutAction[]> = {
  running: ['pause', 'promote', 'abort'],
  paused: ['resume', 'promote', 'abort'],
  waiting: ['promote', 'abort'],
  halted: ['retry', 'promote', 'abort'],
  completed: [],
  aborted: [],
}
const ACTION_LABEL: Record<StagedRolloutAction, string> = { pause: 'Pause', resume: 'Resume', promote: 'Promote', abort: 'Abort', retry: 'Retry' }

const STATE_TEXT: Record<StagedRolloutView['state'], { label: string; icon: typeof Loader; tone: string }> = {
  running: { label: 'Rolling out', icon: Loader, tone: 'text-accent' },
  paused: { label: 'Paused', icon: CirclePause, tone: 'text-fg-muted' },
  waiting: { label: 'Waiting for your promote', icon: Hourglass, tone: 'text-amber-700 dark:text-amber-300' },
  halted: { label: 'Halted: a proxy rejected the version', icon: OctagonX, tone: 'text-red-700 dark:text-red-300' },
  completed: { label: 'Completed: the version is active', icon: CircleCheck, tone: 'text-green-800 dark:text-green-300' },
  aborted: { label: 'Aborted: every proxy has the active version', icon: CircleAlert, tone: 'text-fg-muted' },
}

function stageLabel(s: StagedRolloutView['stages'][number], i: number, last: boolean): string {
  const who = [s.nodeIdGlob ? `node ids ${s.nodeIdGlob}` : null, ...Object.entries(s.metadata).map(([k, v]) => `${k}=${v}`), s.percent !== null && !(s.percent === 100 && !s.nodeIdGlob) ? `${s.percent}%` : null].filter(Boolean).join(', ')
  const everyone = !s.nodeIdGlob && Object.keys(s.metadata).length === 0 && (s.percent === null || s.percent === 100)
  return `Stage ${i + 1}${last ? ' (last)' : ''}: ${everyone ? 'every proxy' : who}`
}

/**
 * A staged rollout (#12 item 3) as its stages: who each takes, how many of them run the new version,
 * the state and why, and the operator's controls. Refreshed by the event feed (rollout.changed) and,
 * while open, every 2 s (the counts follow the proxies' ACKs).
 */
export function StagedRolloutPanel({ fleet, id }: { fleet: string; id: string }) {
  const queryClient = useQueryClient()
  const toast = useToast()
  const canEdit = useCan('editor', fleet)
  const query = useQuery({ ...stagedRolloutQueries.one(fleet, id), refetchInterval: (q) => (q.state.data && isOpenRollout(q.state.data.state) ? 2000 : false) })
  const act = useMutation({
    mutationFn: (action: StagedRolloutAction) => actOnStagedRollout(fleet, id, action),
    onSuccess: async (view) => {
      queryClient.setQueryData(stagedRolloutQueries.one(fleet, id).queryKey, view)
      await Promise.all([queryClient.invalidateQueries({ queryKey: stagedRolloutQueries.fleet(fleet) }), queryClient.invalidateQueries({ queryKey: fleetQueries.all() }), queryClient.invalidateQueries({ queryKey: versionQueries.fleet(fleet) })])
    },
    onError: (err) => toast({ tone: 'error', title: 'The rollout did not change', description: err instanceof ApiError ? err.message : String(err) }),
  })
  const r = query.data
  if (!r) return null
  const state = STATE_TEXT[r.state]
  const Icon = state.icon
  return (
    <Panel title={`Staged rollout of ${formatVersion(r.toVersion)}`} description={`The other proxies keep ${formatVersion(r.fromVersion ?? 0)} until the last stage completes.`} data-testid="staged-rollout">
      <div className="space-y-3 p-4 text-sm" data-state={r.state} data-stage={r.stage} data-testid="staged-rollout-body">
        <p className={cn('flex items-center gap-2 font-medium', state.tone)} data-testid="rollout-state">
          <Icon aria-hidden className={cn('size-4', r.state === 'running' && 'animate-spin [animation-duration:3s]')} />
          {state.label}
        </p>
        {r.reason ? (
          <p className={cn('rounded-md border px-3 py-2', r.state === 'halted' ? 'border-red-200 bg-red-50 text-red-900 dark:border-red-900 dark:bg-red-950/60 dark:text-red-200' : 'border-line bg-surface-muted/50')} data-testid="rollout-reason">
            {r.reason}
          </p>
        ) : null}
        <ol className="space-y-2">
          {r.stages.map((s, i) => {
            const current = i === r.stage && isOpenRollout(r.state)
            const done = i < r.stage || r.state === 'completed'
            const share = s.members ? Math.round(((s.reached ?? 0) / s.members) * 100) : 0
            return (
              <li key={i} className={cn('rounded-md border px-3 py-2', current ? 'border-accent' : 'border-line')} data-testid="rollout-stage" data-current={current ? 'true' : undefined}>
                <div className="flex flex-wrap items-baseline justify-between gap-2">
                  <span className="font-medium">{stageLabel(s, i, i === r.stages.length - 1)}</span>
                  <span className="text-xs text-fg-muted">
                    soak {s.soakSeconds} s{s.approval ? ' · waits for a promote' : ''}
                  </span>
                </div>
                {s.members !== null ? (
                  <div className="mt-1 flex items-center gap-2 text-xs text-fg-muted">
                    <div className="h-1.5 w-40 overflow-hidden rounded-full bg-surface-muted" role="progressbar" aria-label={`Stage ${i + 1}: proxies on ${formatVersion(r.toVersion)}`} aria-valuemin={0} aria-valuemax={s.members} aria-valuenow={s.reached ?? 0}>
                      <div className="h-full bg-accent" style={{ width: `${share}%` }} />
                    </div>
                    <span data-testid="stage-progress">
                      {s.reached ?? 0}/{s.members} proxies on {formatVersion(r.toVersion)}
                    </span>
                  </div>
                ) : (
                  <p className="mt-1 text-xs text-fg-subtle">{done ? 'done' : i === r.stage && r.state === 'halted' ? 'halted here: its proxies have the active version again' : i === r.stage && r.state === 'aborted' ? 'aborted here' : 'not reached yet'}</p>
                )}
              </li>
            )
          })}
        </ol>
        {r.rejections.length > 0 ? (
          <ul className="space-y-1 text-xs" aria-label="Rejections" data-testid="rollout-rejections">
            {r.rejections.slice(0, 10).map((x) => (
              <li key={x.nodeId}>
                <code className="font-mono">{x.nodeId}</code>: {x.message}
              </li>
            ))}
          </ul>
        ) : null}
        {canEdit && ACTIONS[r.state].length > 0 ? (
          <div className="flex flex-wrap gap-2">
            {ACTIONS[r.state].map((a) => (
              <Button key={a} size="sm" variant={a === 'abort' ? 'ghost' : a === 'promote' ? 'primary' : 'secondary'} disabled={act.isPending} onClick={() => act.mutate(a)} data-testid={`rollout-action-${a}`}>
                {ACTION_LABEL[a]}
              </Button>
            ))}
          </div>
        ) : null}
      </div>
    </Panel>
  )
}
