/**
 * Commit → converged, per proxy (#13 item 2): when a proxy reaches version N, how long after N was
 * committed. Only proxies whose stream was open at the commit count: one that connected later
 * reached N at its connect, which says nothing about how fast a commit spreads (the rollout view
 * leaves them out of its times for the same reason, server/store/rollout.ts).
 *
 * Pure: the caller passes the commit instants it heard of (the `version.created` event, which every
 * replica receives through LISTEN/NOTIFY before it builds N's snapshot) and the reached rows.
 */
export type CommitTimes = Readonly<{
  /** Remembers when `version` of `fleet` was committed (the first report wins; replays are ignored). */
  committed: (fleet: string, version: number, atMs: number) => void
  /** Seconds from the commit to `reachedAtMs`, or null when the commit is unknown here or the proxy joined after it. */
  secondsToReach: (reached: Readonly<{ fleet: string; version: number; atMs: number; connectedAtMs: number }>) => number | null
}>

/** Versions remembered per fleet: far more than a burst of commits can leave in flight. */
const REMEMBERED_PER_FLEET = 32

export function createCommitTimes(): CommitTimes {
  const byFleet = new Map<string, Map<number, number>>()
  return {
    committed(fleet, version, atMs) {
      if (!Number.isFinite(atMs)) return
      const versions = byFleet.get(fleet) ?? new Map<number, number>()
      byFleet.set(fleet, versions)
      if (versions.has(version)) return
      versions.set(version, atMs)
      // Forget the oldest version numbers (not the oldest inserted: replays may arrive out of order).
      while (versions.size > REMEMBERED_PER_FLEET) versions.delete(Math.min(...versions.keys()))
    },
    secondsToReach({ fleet, version, atMs, connectedAtMs }) {
      const committedAt = byFleet.get(fleet)?.get(version)
      if (committedAt === undefined || connectedAtMs > committedAt) return null
      return Math.max(0, atMs - committedAt) / 1000
    },
  }
}
