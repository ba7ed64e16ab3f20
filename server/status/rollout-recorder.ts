import type { TypeStatus } from '../contract/proxy-state'
import { getMetrics } from '../metrics'
import { NEW_OBSERVED_STREAM, nodeReached, observeStream, type ObservedStream } from './rollout-observer'

/** One row of version_rollout as this replica saw it happen. */
export type RolloutRecord = Readonly<{
  fleet: string
  version: number
  nodeId: string
  outcome: 'reached' | 'rejected'
  at: string
  /** When the stream that saw it opened: whether the proxy was there when the version was committed. */
  connectedAt: string
  typeUrl?: string
  message?: string
}>

export type RolloutStore = Readonly<{ record: (rows: readonly RolloutRecord[]) => Promise<void> }>

export type RolloutRecorder = Readonly<{
  /** After each step of a stream: records what its status now says it reached or rejected. */
  observe: (stream: Readonly<{ id: string; nodeId: string; fleet: string; connectedAt: string; types: Readonly<Record<string, TypeStatus>>; snapshotVersion: number | null }>) => void
  forget: (streamId: string) => void
  flush: () => Promise<void>
  stop: () => Promise<void>
}>

/** Versions a stream remembers having reached, for the per-node check (enough for any burst of commits). */
const REMEMBERED = 64
/** While the database is down rows wait here; beyond this the oldest are dropped (and counted in the log). */
const MAX_PENDING = 50_000

/**
 * Turns stream status into rollout rows (reached / rejected, see rollout-observer.ts) and writes them
 * behind, batched every `flushMs`, like the connection registry: recording never blocks a stream.
 */
export function createRolloutRecorder(options: {
  store: RolloutStore
  /**
   * Runs before each write: the connection registry's flush, so the proxies API is never behind the
   * rollout rows (a version reads converged only when every proxy's status row says what it ACKed).
   */
  beforeWrite?: () => Promise<void>
  flushMs?: number
  onError: (err: unknown, info: { pending: number; dropped: number }) => void
  now?: () => number
}): RolloutRecorder {
  const now = options.now ?? Date.now
  const metrics = getMetrics()
  const observed = new Map<string, ObservedStream>()
  /** node id → its streams here → versions each reached lately. */
  const reachedByNode = new Map<string, Map<string, Set<number>>>()
  const nodeOfStream = new Map<string, string>()
  let pending: RolloutRecord[] = []
  let dropped = 0
  let writing: Promise<void> | null = null
  let failing = false

  const write = async (): Promise<void> => {
    if (pending.length === 0) return
    const batch = pending
    pending = []
    try {
      await options.beforeWrite?.()
      await options.store.record(batch)
      failing = false
    } catch (err) {
      pending = [...batch, ...pending]
      if (pending.length > MAX_PENDING) {
        dropped += pending.length - MAX_PENDING
        pending = pending.slice(-MAX_PENDING)
      }
      if (!failing) options.onError(err, { pending: pending.length, dropped })
      failing = true
    }
  }
  const flush = async (): Promise<void> => {
    while (writing) await writing
    writing = write().finally(() => (writing = null))
    await writing
  }
  const timer = setInterval(() => void (writing ? undefined : flush()), options.flushMs ?? 200)
  timer.unref()

  return {
    observe(stream) {
      const { next, outcomes } = observeStream(observed.get(stream.id) ?? NEW_OBSERVED_STREAM, { types: stream.types, snapshotVersion: stream.snapshotVersion, at: now() })
      observed.set(stream.id, next)
      // Registered from its first step, so a node's other streams wait for this one.
      const streams = reachedByNode.get(stream.nodeId) ?? new Map<string, Set<number>>()
      reachedByNode.set(stream.nodeId, streams)
      nodeOfStream.set(stream.id, stream.nodeId)
      const mine = streams.get(stream.id) ?? new Set<number>()
      streams.set(stream.id, mine)
      if (outcomes.length === 0) return
      for (const o of outcomes) {
        const base = { fleet: stream.fleet, version: o.version, nodeId: stream.nodeId, at: new Date(o.at).toISOString(), connectedAt: stream.connectedAt }
        if (o.kind === 'rejected') {
          pending.push({ ...base, outcome: 'rejected', typeUrl: o.typeUrl, message: o.message })
          continue
        }
        mine.add(o.version)
        if (mine.size > REMEMBERED) mine.delete(Math.min(...mine))
        if (!nodeReached(streams, o.version)) continue
        pending.push({ ...base, outcome: 'reached' })
        // Commit → converged, for proxies that were connected at the commit (legation_rollout_convergence_seconds).
        const seconds = metrics.commitTimes.secondsToReach({ fleet: stream.fleet, version: o.version, atMs: o.at, connectedAtMs: Date.parse(stream.connectedAt) })
        if (seconds !== null) metrics.convergence.observe({ fleet: stream.fleet }, seconds)
      }
    },
    forget(streamId) {
      observed.delete(streamId)
      const nodeId = nodeOfStream.get(streamId)
      nodeOfStream.delete(streamId)
      const streams = nodeId === undefined ? undefined : reachedByNode.get(nodeId)
      streams?.delete(streamId)
      if (nodeId !== undefined && streams?.size === 0) reachedByNode.delete(nodeId)
    },
    flush,
    async stop() {
      clearInterval(timer)
      await flush()
    },
  }
}
