import { RESOURCE_TYPE_INFO, RESOURCE_TYPES, type ResourceType, type RolloutRejection, type RolloutState, type VersionConvergence, type VersionRollout } from '@/server/contract'
import { formatDuration } from './format-duration'

/**
 * What the rollout panel shows: the API's state (GET …/versions/{n}/rollout), or `refused` when
 * this replica would not serve the version at all (its snapshot failed the checks, so no proxy can
 * reach it; serving.rejected of the fleet status).
 */
export type RolloutOutcome = RolloutState | 'refused'

export function rolloutOutcome(rollout: Pick<VersionRollout, 'state' | 'version'>, refusedVersion: number | null | undefined): RolloutOutcome {
  return refusedVersion === rollout.version && rollout.state !== 'superseded' ? 'refused' : rollout.state
}

/** Converged, rejected, stalled, superseded and refused end a rollout; it can still leave them (a proxy connects, a retry succeeds). */
export function isRolloutSettled(outcome: RolloutOutcome): boolean {
  return outcome !== 'converging'
}

/** "Cluster" for CDS: the words the rest of the console uses for a type URL. */
export function typeLabel(typeUrl: string | null): string {
  if (typeUrl === null) return 'unknown type'
  return RESOURCE_TYPES.find((t) => RESOURCE_TYPE_INFO[t].typeUrl === typeUrl) ?? typeUrl.split('.').at(-1) ?? typeUrl
}

/** A rejection names resources as `{ type: 'Cluster', name }`; the console links only types it knows. */
export function knownResourceType(type: string): ResourceType | null {
  return (RESOURCE_TYPES as readonly string[]).includes(type) ? (type as ResourceType) : null
}

const proxies = (n: number): string => (n === 1 ? 'proxy' : 'proxies')

export function rolloutHeadline(outcome: RolloutOutcome, r: Pick<VersionRollout, 'version' | 'fleet' | 'convergence' | 'missingCount'>): string {
  const v = `v${r.version}`
  const c = r.convergence
  switch (outcome) {
    case 'converging':
      return `Rolling out ${v}`
    case 'converged':
      return `${v} reached every proxy`
    case 'rejected':
      return `${v} was rejected by ${c.rejected === 1 ? 'a proxy' : `${c.rejected} proxies`}`
    case 'stalled':
      return `${v} stalled: ${r.missingCount} ${proxies(r.missingCount)} ${r.missingCount === 1 ? 'has' : 'have'} not acknowledged it`
    case 'superseded':
      return `${v} was superseded by a newer version`
    case 'staged':
      return `${v} is rolling out in stages: its stage's proxies have it, the others keep the active version (see Changes)`
    case 'no-proxies':
      return `${v} is active; no proxy of ${r.fleet} is connected`
    case 'refused':
      return `Legation refused to serve ${v}`
  }
}

/** "p50 80 ms · p90 120 ms · max 130 ms", or null when no proxy that was connected at the commit reached it. */
export function formatConvergenceTimes(c: Pick<VersionConvergence, 'p50Ms' | 'p90Ms' | 'maxMs'>, which: ReadonlyArray<'p50' | 'p90' | 'max'> = ['p50', 'p90', 'max']): string | null {
  if (c.p50Ms === null || c.maxMs === null) return null
  const values = { p50: c.p50Ms, p90: c.p90Ms ?? c.maxMs, max: c.maxMs }
  return which.map((k) => `${k} ${formatDuration(values[k])}`).join(' · ')
}

/**
 * Rejections that say the same thing (same type, text, resources and last accepted version): a
 * fleet of 50 proxies rejecting one Cluster is one entry naming 50 proxies, not 50 copies of the text.
 */
export type RejectionGroup = Readonly<{
  typeUrl: string | null
  message: string
  resources: RolloutRejection['resources']
  lastAcceptedVersion: number | null
  nodeIds: readonly string[]
  /** The first of these rejections (ISO time). */
  at: string
}>

export function groupRejections(rejections: readonly RolloutRejection[]): RejectionGroup[] {
  const groups = new Map<string, { typeUrl: string | null; message: string; resources: RolloutRejection['resources']; lastAcceptedVersion: number | null; nodeIds: string[]; at: string }>()
  for (const r of rejections) {
    const key = JSON.stringify([r.typeUrl, r.message, r.resources.map((x) => `${x.type}/${x.name}`), r.lastAcceptedVersion])
    const group = groups.get(key)
    if (group) {
      group.nodeIds.push(r.nodeId)
      if (r.at < group.at) group.at = r.at
    } else {
      groups.set(key, { typeUrl: r.typeUrl, message: r.message, resources: r.resources, lastAcceptedVersion: r.lastAcceptedVersion, nodeIds: [r.nodeId], at: r.at })
    }
  }
  return [...groups.values()]
}

/**
 * The versions the rejecting proxies accepted last, newest first: what "Roll back to v{n}" offers.
 * A version newer than or equal to the rejected one is never offered (it cannot be "last accepted").
 */
export function rollbackTargets(rejections: readonly RolloutRejection[], version: number): number[] {
  const targets = new Set(rejections.flatMap((r) => (r.lastAcceptedVersion !== null && r.lastAcceptedVersion < version ? [r.lastAcceptedVersion] : [])))
  return [...targets].sort((a, b) => b - a)
}

/**
 * When to ask again without an event: a converging rollout turns stalled `stallAfterMs` after the
 * commit while nothing happens, so no event would tell. Refetch shortly after that moment (at least
 * a second from now; `now` from the browser's clock, so a skewed clock costs one extra request).
 * False for every other state: events move those.
 */
export function stallCheckDelayMs(rollout: Pick<VersionRollout, 'state' | 'committedAt' | 'stallAfterMs'> | undefined, now: number): number | false {
  if (rollout?.state !== 'converging') return false
  const due = Date.parse(rollout.committedAt) + rollout.stallAfterMs + 250 - now
  return Math.min(Math.max(1_000, due), Math.max(1_000, rollout.stallAfterMs))
}
