import type { ProxyState, TypeStatus } from '@/server/contract'

/** What the rollout needs of a proxy: the shape GET /api/v1/proxies returns (ProxySummary). */
export type RolloutProxy = Readonly<{ nodeId: string; state: ProxyState; types: Readonly<Record<string, TypeStatus>> }>

/** A type the proxy rejected in its latest response (xds_protocol "ACK/NACK"): Envoy's own message. */
export type RolloutNack = Readonly<{ nodeId: string; typeUrl: string; message: string; fromVersion: number | null; at: string }>

export type RolloutOutcome =
  /** Some connected proxies are not on the target yet, and none rejected anything. */
  | 'in-progress'
  /** Every connected proxy runs the target. */
  | 'converged'
  /** At least one proxy rejected its latest response; it keeps running its last good config. */
  | 'nacked'
  /** A proxy was already sent a newer version: the target is no longer what the fleet is heading to. */
  | 'superseded'
  /** No proxy of the fleet is connected: there is nobody to roll out to. */
  | 'no-proxies'

export type RolloutProgress = Readonly<{
  target: number
  /** Connected proxies (DISCONNECTED ones run nothing the control plane can see, so they do not count). */
  total: number
  onTarget: number
  /** Connected proxies not on the target yet, with their state, in node id order. */
  pending: ReadonlyArray<Readonly<{ nodeId: string; state: ProxyState }>>
  nacked: readonly RolloutNack[]
  done: boolean
  outcome: RolloutOutcome
  /** The latest ACK of a response built from the target among the proxies on it (ISO time), for "converged in …". */
  lastAckAt: string | null
}>

export type RolloutOptions = Readonly<{
  /**
   * Type URLs whose content the target changed compared with its parent (from the diff parent → target).
   * Unknown (undefined or null) while that diff loads, or for a first version.
   */
  changedTypeUrls?: ReadonlySet<string> | null
}>

/** The types the proxy was sent something of: a type with nothing sent (an empty subscription) carries no config. */
function sentTypes(types: Readonly<Record<string, TypeStatus>>): TypeStatus[] {
  return Object.values(types).filter((t) => t.nonceSent !== undefined)
}

function maxOf(values: ReadonlyArray<number | undefined>): number {
  return values.reduce<number>((max, v) => (v !== undefined && v > max ? v : max), 0)
}

/**
 * Whether a proxy runs version `target`. The API has no per-version type versions (version_info per
 * type URL), only, per type, the Legation version a response was built from (`sentFromVersion`,
 * `ackedFromVersion`), so the rule works from those:
 *
 * 1. The proxy is SYNCED: every type it was sent is ACKed, nothing is rejected or in flight.
 * 2. No type was sent from a version newer than `target` (otherwise it has moved past the target).
 * 3. And either
 *    a. some type was ACKed from `target` itself. A new snapshot reaches a stream as one step that
 *       pushes every type whose version_info differs from what the proxy holds, all marked with the
 *       target (server/xds/stream-machine.ts onSnapshot), so once one of them is ACKed and the proxy
 *       is SYNCED, all of them are; types whose content did not change are not re-pushed (their
 *       version_info is a content hash, server/snapshot/build-snapshot.ts), and keep an older
 *       `ackedFromVersion`, which is fine: that content is the target's too; or
 *    b. the target changed nothing the proxy subscribes to (`changedTypeUrls`, from the diff against
 *       the parent): no push will come, and the proxy already holds the target's content of its types.
 *
 * Why not "SYNCED and nothing sent from a newer version" alone: right after a commit every proxy
 * still shows its previous, fully ACKed state until the push reaches it and its status is written,
 * and that rule would report the rollout as done before anything was sent. Rule 3 needs evidence.
 */
export function isProxyOnVersion(proxy: RolloutProxy, target: number, options: RolloutOptions = {}): boolean {
  if (proxy.state !== 'SYNCED') return false
  const sent = sentTypes(proxy.types)
  if (maxOf(sent.map((t) => t.sentFromVersion)) > target) return false
  if (maxOf(sent.map((t) => t.ackedFromVersion)) === target) return true
  const changed = options.changedTypeUrls
  return changed != null && sent.length > 0 && sent.every((t) => !changed.has(t.typeUrl))
}

/** The types a proxy rejected in its latest response of that type (deriveTypeState's NACKED). */
function currentNacks(proxy: RolloutProxy): RolloutNack[] {
  return sentTypes(proxy.types)
    .filter((t) => t.lastNack !== undefined && t.lastNack.nonce === t.nonceSent)
    .map((t) => ({ nodeId: proxy.nodeId, typeUrl: t.typeUrl, message: t.lastNack!.message, fromVersion: t.sentFromVersion ?? null, at: t.lastNack!.at }))
}

/**
 * How far version `target` has reached the fleet's connected proxies (input: GET /api/v1/proxies?fleet=).
 * Done when every connected proxy runs it (see isProxyOnVersion for the rule), when one rejects
 * what it was sent (a NACK is final until the config changes: the server does not re-send a
 * rejected version), when a newer version overtakes it, or at once when no proxy is connected.
 */
export function computeRolloutProgress(proxies: readonly RolloutProxy[], target: number, options: RolloutOptions = {}): RolloutProgress {
  const connected = proxies.filter((p) => p.state !== 'DISCONNECTED').toSorted((a, b) => (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0))
  const on = connected.filter((p) => isProxyOnVersion(p, target, options))
  const onIds = new Set(on.map((p) => p.nodeId))
  const pending = connected.filter((p) => !onIds.has(p.nodeId)).map((p) => ({ nodeId: p.nodeId, state: p.state }))
  const nacked = connected.flatMap(currentNacks)
  const superseded = connected.some((p) => maxOf(sentTypes(p.types).map((t) => t.sentFromVersion)) > target)
  const ackTimes = on.flatMap((p) => sentTypes(p.types).flatMap((t) => (t.ackedFromVersion === target && t.ackedAt ? [t.ackedAt] : [])))
  const outcome: RolloutOutcome =
    connected.length === 0 ? 'no-proxies' : superseded ? 'superseded' : nacked.length > 0 ? 'nacked' : on.length === connected.length ? 'converged' : 'in-progress'
  return {
    target,
    total: connected.length,
    onTarget: on.length,
    pending,
    nacked,
    done: outcome !== 'in-progress',
    outcome,
    lastAckAt: ackTimes.length === 0 ? null : ackTimes.toSorted().at(-1)!,
  }
}
