import type { ChangeKind } from '@/server/contract'
import type { BadgeTone } from '../ui/badge'
import { describeProxyState, shortTypeName, STATUS_TYPES } from './type-status'
import type { ProxyDrift, TypeDrift } from './types'

/**
 * What the "Desired vs actual" section says first: does the proxy run the fleet's active version?
 * - runs-active: every type it subscribes to holds exactly the active version's resources, all ACKed;
 * - differs: K resources differ between what it ACKed and what the active version has for it;
 * - unconfirmed: no resource differs, but a type is not ACKed (STALE, NACKED);
 * - unknown: the stream is closed, so what it runs now cannot be known;
 * - no-fleet, no-version, no-types: nothing to compare against, or nothing subscribed.
 */
export type DriftVerdictKind = 'runs-active' | 'differs' | 'unconfirmed' | 'unknown' | 'no-fleet' | 'no-version' | 'no-types'

export type DriftVerdict = Readonly<{
  kind: DriftVerdictKind
  tone: BadgeTone
  /** The one line. */
  text: string
  /** What follows it, in a lighter voice (may be empty). */
  detail: string
  /** How many resources differ, over every type. */
  differing: number
}>

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en')} ${n === 1 ? one : many}`

/** The types in ADS push order (CDS, EDS, LDS, RDS, SDS), then any other. */
export function orderedDriftTypes(types: readonly TypeDrift[]): TypeDrift[] {
  const order = (url: string): number => {
    const i = STATUS_TYPES.findIndex((t) => t.typeUrl === url)
    return i === -1 ? STATUS_TYPES.length : i
  }
  return [...types].sort((a, b) => order(a.typeUrl) - order(b.typeUrl) || a.typeUrl.localeCompare(b.typeUrl))
}

/** "1 in CDS, 2 in LDS": how the differences spread over the types. */
function spread(types: readonly TypeDrift[]): string {
  return orderedDriftTypes(types)
    .filter((t) => t.changes.length > 0)
    .map((t) => `${t.changes.length.toLocaleString('en')} in ${shortTypeName(t.typeUrl)}`)
    .join(', ')
}

/** The verdict on one proxy's drift. `connected`: its stream is open (a closed one may run anything by now). Pure. */
export function describeDrift(drift: ProxyDrift, connected: boolean): DriftVerdict {
  const differing = drift.types.reduce((n, t) => n + t.changes.length, 0)
  const active = drift.activeVersion === null ? null : `v${drift.activeVersion}`
  const base = { differing }
  if (drift.fleet === null) return { ...base, kind: 'no-fleet', tone: 'danger', text: 'Nothing to compare: its node.cluster names no fleet', detail: 'Legation serves it nothing.' }
  if (!connected) {
    return {
      ...base,
      kind: 'unknown',
      tone: 'neutral',
      text: 'Unknown while disconnected',
      detail: `Below is what it had ACKed when its stream closed${active ? `, against ${active}` : ''}; it may run anything by now.`,
    }
  }
  if (active === null) return { ...base, kind: 'no-version', tone: 'neutral', text: `Nothing to compare: ${drift.fleet} has no active version yet`, detail: '' }
  if (drift.types.length === 0) return { ...base, kind: 'no-types', tone: 'neutral', text: 'Nothing to compare yet: it has not subscribed to any type', detail: '' }
  if (drift.runsActive) return { ...base, kind: 'runs-active', tone: 'success', text: `Runs the active version ${active}`, detail: `On every type it ACKed exactly what ${active} has for its subscription.` }
  if (differing > 0) {
    return { ...base, kind: 'differs', tone: 'danger', text: `Differs from ${active} on ${plural(differing, 'resource')}`, detail: `${spread(drift.types)}. Each diff goes from what the proxy runs (−) to what ${active} wants (+).` }
  }
  const waiting = orderedDriftTypes(drift.types).filter((t) => t.state !== 'SYNCED' && t.state !== 'NOT_SENT')
  return {
    ...base,
    kind: 'unconfirmed',
    tone: 'warning',
    text: `Not confirmed on ${active} yet`,
    detail: `No resource differs, but ${waiting.map((t) => `${shortTypeName(t.typeUrl)} is ${describeProxyState(t.state).label}`).join(', ') || 'a type is not ACKed'}.`,
  }
}

/** "ACKed v3", or why there is no such version. */
export function describeAcked(t: TypeDrift): string {
  return t.ackedFromVersion === null ? 'nothing ACKed yet' : `ACKed v${t.ackedFromVersion}`
}

/** One type's comparison in a few words: "matches v5", "1 resource differs". */
export function describeTypeComparison(t: TypeDrift, activeVersion: number | null): string {
  if (t.changes.length > 0) return `${plural(t.changes.length, 'resource')} ${t.changes.length === 1 ? 'differs' : 'differ'}`
  if (activeVersion === null) return 'nothing to compare'
  return t.state === 'SYNCED' || t.state === 'NOT_SENT' ? `matches v${activeVersion}` : `same resources as v${activeVersion}, not ACKed`
}

/** What a change means here, where the diff goes from what the proxy runs to what the active version wants. */
export function describeDriftChange(change: ChangeKind, activeVersion: number | null): string {
  const v = activeVersion === null ? 'the active version' : `v${activeVersion}`
  switch (change) {
    case 'added':
      return `in ${v}, not on the proxy`
    case 'removed':
      return `on the proxy, not in ${v}`
    case 'modified':
      return `the proxy runs another version of it`
  }
}
