import { deriveTypeState, type TypeStatus } from '../contract/proxy-state'

/**
 * What one stream did with a version, as the rollout rows record it (docs/xds-conformance.md "When a
 * proxy runs version N"):
 * - reached: the stream has processed the snapshot of version N and every type it subscribes to is
 *   acknowledged with nothing outstanding and no rejection standing, so the client holds exactly N's
 *   resources restricted to its subscription. A version that changes nothing the proxy subscribes to
 *   is reached as soon as the stream has seen its snapshot.
 * - rejected: the client NACKed a response built from version N.
 */
export type RolloutOutcome =
  | Readonly<{ kind: 'reached'; version: number; at: number }>
  | Readonly<{ kind: 'rejected'; version: number; at: number; typeUrl: string; message: string }>

export type ObservedStream = Readonly<{
  /** The last version this stream reached (reported once). */
  reached: number | null
  /**
   * Versions whose snapshots the stream processed since it last sent anything, newest last: for
   * its subscription they all have the content of what it was sent last, so reaching that content
   * reaches them all (a version superseded before the proxy ACKed, but equal for this proxy, counts).
   */
  candidates: readonly number[]
  snapshotVersion: number | null
  /** The nonces sent, per type: a change means something new was sent. */
  sent: string
  /** Nonces of NACKs already reported, per type URL. */
  nackNonces: Readonly<Record<string, string>>
}>

export const NEW_OBSERVED_STREAM: ObservedStream = { reached: null, candidates: [], snapshotVersion: null, sent: '', nackNonces: {} }

/** Enough for any real commit burst; the oldest equal versions are then simply not credited. */
const MAX_CANDIDATES = 64

/**
 * Compares what the stream's status says now with what was already reported, and returns the new
 * outcomes. `snapshotVersion` is the version of the last snapshot the stream's machine processed
 * (null before the first one).
 */
export function observeStream(
  prev: ObservedStream,
  now: Readonly<{ types: Readonly<Record<string, TypeStatus>>; snapshotVersion: number | null; at: number }>,
): { next: ObservedStream; outcomes: RolloutOutcome[] } {
  const outcomes: RolloutOutcome[] = []
  let nackNonces = prev.nackNonces
  for (const t of Object.values(now.types)) {
    const nack = t.lastNack
    // Only a NACK of the latest response says which version was rejected (sentFromVersion is the latest send's).
    if (!nack || nack.nonce !== t.nonceSent || t.sentFromVersion === undefined || prev.nackNonces[t.typeUrl] === nack.nonce) continue
    nackNonces = { ...nackNonces, [t.typeUrl]: nack.nonce }
    outcomes.push({ kind: 'rejected', version: t.sentFromVersion, at: Date.parse(nack.at), typeUrl: t.typeUrl, message: nack.message })
  }
  const sent = Object.values(now.types).map((t) => `${t.typeUrl}=${t.nonceSent ?? ''}`).sort().join(' ')
  let candidates = prev.candidates
  if (now.snapshotVersion !== null) {
    if (sent !== prev.sent) candidates = [now.snapshotVersion]
    else if (now.snapshotVersion !== prev.snapshotVersion) candidates = [...candidates, now.snapshotVersion].slice(-MAX_CANDIDATES)
  }
  let reached = prev.reached
  if (now.snapshotVersion !== null && candidates.length > 0 && runsSnapshot(now.types)) {
    for (const version of candidates) if (version !== prev.reached) outcomes.push({ kind: 'reached', version, at: now.at })
    reached = now.snapshotVersion
    candidates = []
  }
  return { next: { reached, candidates, snapshotVersion: now.snapshotVersion, sent, nackNonces }, outcomes }
}

/**
 * Every type acknowledged with nothing outstanding (a type never answered, such as a subscription
 * to names that don't exist, holds nothing, which is what the snapshot has for it), and at least one
 * type answered: a stream that has received nothing runs nothing yet.
 */
export function runsSnapshot(types: Readonly<Record<string, TypeStatus>>): boolean {
  const states = Object.values(types).map(deriveTypeState)
  return states.includes('SYNCED') && states.every((s) => s === 'SYNCED' || s === 'NOT_SENT')
}

/**
 * A proxy may hold several streams (per-type xDS: one per type URL). It reaches a version when every
 * one of its live streams has: `streams` maps each live stream to the versions it reached lately.
 */
export function nodeReached(streams: ReadonlyMap<string, ReadonlySet<number>>, version: number): boolean {
  for (const v of streams.values()) if (!v.has(version)) return false
  return streams.size > 0
}
