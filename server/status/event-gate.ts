import type { ProxyEventRecord } from '../contract/proxy-state'

/**
 * What is written of each proxy's stream timeline (proxy_event), so that one client cannot fill
 * the table (#16 item 9: 100,000 NACKs in 3.4 s had become 50,000 rows, 74 MB):
 * - coalescing: an event identical to the stream's previous one (same kind, type, version, nonce,
 *   message) within `windowMs` of the first of the run is not a new row; the run's row counts it
 *   (`repeatCount`) and carries the time of the latest (`lastAt`). A NACK repeated for the same
 *   nonce is one row, however often it comes.
 * - rate limit: new rows of one node id (all its streams) come from a token bucket (`burst`, then
 *   `ratePerSecond`); past it, events are counted into one `suppressed` row per window instead.
 * - messages are cut to `maxMessageChars`.
 * Pure bookkeeping with the time passed in: the registry owns the clock and the writes.
 */
export type EventGateOptions = Readonly<{ windowMs: number; burst: number; ratePerSecond: number; maxMessageChars: number }>

export const DEFAULT_EVENT_GATE: EventGateOptions = {
  // A minute of repeats is one row: a proxy that keeps NACKing shows one line per minute.
  windowMs: 60_000,
  // A connect is ~13 events (connected, subscription + send + ACK per type); a commit ~2 per changed
  // type. The burst covers a connect and a dozen quick commits; the rate, a commit every few seconds.
  burst: 200,
  ratePerSecond: 2,
  maxMessageChars: 2048,
}

/** Repeats of a row written earlier: added to the row of that stream, kind and time. */
export type EventRepeat = Readonly<{ connectionId: string; nodeId: string; kind: ProxyEventRecord['kind']; at: string; repeats: number; lastAt: string }>

export type EventOutcome = 'recorded' | 'repeat' | 'suppressed'

type Run = { key: string; firstAt: number; record: Queued; pendingRepeats: number; lastAt: string }
/** A row waiting to be written; its count grows while it waits. `taken` once a write carries it. */
type Queued = { record: ProxyEventRecord; repeatCount: number; lastAt: string | null; taken: boolean }

/** What one write carries; give it back with `restore` when the write fails. */
export type EventBatch = Readonly<{ queued: readonly Queued[]; repeats: ReadonlyArray<{ run: Run; repeats: number; lastAt: string }> }>

export type EventGate = Readonly<{
  /** Records one event of a stream (its node id from the record). */
  push: (record: ProxyEventRecord, now: number) => EventOutcome
  /** Everything pending, for one write. */
  take: () => EventBatch
  /** A write failed: its events are pending again, before newer ones. */
  restore: (batch: EventBatch) => void
  /** The stream closed: its runs end (repeats already counted are still written). */
  forget: (connectionId: string) => void
  /** Drops what is pending of these streams (a write of theirs can never succeed); their runs still absorb repeats. */
  drop: (connectionIds: ReadonlySet<string>) => void
  pending: () => number
  /** Forgets rate-limit state that is back to full (so the map holds only busy node ids). */
  sweep: (now: number) => void
}>

/** The rows and repeat counts of a batch, as the store writes them. */
export function eventRowsOf(batch: EventBatch): { events: ProxyEventRecord[]; repeats: EventRepeat[] } {
  return {
    events: batch.queued.map((q) => (q.repeatCount > 1 ? { ...q.record, repeatCount: q.repeatCount, lastAt: q.lastAt ?? q.record.at } : q.record)),
    repeats: batch.repeats.map(({ run, repeats, lastAt }) => ({ connectionId: run.record.record.connectionId, nodeId: run.record.record.nodeId, kind: run.record.record.kind, at: run.record.record.at, repeats, lastAt })),
  }
}

/** Splits a batch by stream, so each stream's part can be written on its own. */
export function splitEventBatch(batch: EventBatch): Map<string, EventBatch> {
  const parts = new Map<string, { queued: Queued[]; repeats: Array<EventBatch['repeats'][number]> }>()
  const part = (id: string) => parts.get(id) ?? parts.set(id, { queued: [], repeats: [] }).get(id)!
  for (const q of batch.queued) part(q.record.connectionId).queued.push(q)
  for (const r of batch.repeats) part(r.run.record.record.connectionId).repeats.push(r)
  return parts
}

const keyOf = (e: ProxyEventRecord): string => JSON.stringify([e.kind, e.typeUrl ?? null, e.version ?? null, e.nonce ?? null, e.fromVersion ?? null, e.message ?? null])

function cut(message: string | undefined, max: number): string | undefined {
  if (message === undefined || message.length <= max) return message
  return `${message.slice(0, max)}… (${message.length - max} more characters)`
}

export function createEventGate(options: EventGateOptions = DEFAULT_EVENT_GATE): EventGate {
  let queue: Queued[] = []
  /** Runs whose row was taken by a write and that have repeats since. */
  let repeatRuns = new Set<Run>()
  const runs = new Map<string, { last: Run | null; suppressed: Run | null }>()
  const buckets = new Map<string, { tokens: number; at: number }>()

  const refill = (b: { tokens: number; at: number }, now: number): number => Math.min(options.burst, b.tokens + (Math.max(0, now - b.at) / 1000) * options.ratePerSecond)
  const takeToken = (nodeId: string, now: number): boolean => {
    const b = buckets.get(nodeId) ?? { tokens: options.burst, at: now }
    b.tokens = refill(b, now)
    b.at = now
    buckets.set(nodeId, b)
    if (b.tokens < 1) return false
    b.tokens -= 1
    return true
  }

  const startRun = (record: ProxyEventRecord, now: number): Run => {
    const queued: Queued = { record, repeatCount: 1, lastAt: null, taken: false }
    queue.push(queued)
    return { key: keyOf(record), firstAt: now, record: queued, pendingRepeats: 0, lastAt: record.at }
  }
  const repeat = (run: Run, at: string): void => {
    if (!run.record.taken) {
      run.record.repeatCount++
      run.record.lastAt = at
    } else {
      run.pendingRepeats++
      run.lastAt = at
      repeatRuns.add(run)
    }
  }

  return {
    push(input, now) {
      const record = input.message === undefined ? input : { ...input, message: cut(input.message, options.maxMessageChars)! }
      const r = runs.get(record.connectionId) ?? runs.set(record.connectionId, { last: null, suppressed: null }).get(record.connectionId)!
      const key = keyOf(record)
      if (r.last && r.last.key === key && now - r.last.firstAt <= options.windowMs) {
        repeat(r.last, record.at)
        return 'repeat'
      }
      if (takeToken(record.nodeId, now)) {
        r.last = startRun(record, now)
        return 'recorded'
      }
      if (r.suppressed && now - r.suppressed.firstAt <= options.windowMs) repeat(r.suppressed, record.at)
      else {
        r.suppressed = startRun(
          {
            connectionId: record.connectionId,
            nodeId: record.nodeId,
            fleet: record.fleet,
            at: record.at,
            kind: 'suppressed',
            message: `events over this proxy's limit (${options.burst}, then ${options.ratePerSecond} a second) were counted, not recorded; the first was a ${record.kind}`,
          },
          now,
        )
      }
      return 'suppressed'
    },
    take() {
      const batch: EventBatch = { queued: queue, repeats: [...repeatRuns].map((run) => ({ run, repeats: run.pendingRepeats, lastAt: run.lastAt })) }
      for (const q of queue) q.taken = true
      for (const run of repeatRuns) run.pendingRepeats = 0
      queue = []
      repeatRuns = new Set()
      return batch
    },
    restore(batch) {
      for (const q of batch.queued) q.taken = false
      queue = [...batch.queued, ...queue]
      for (const { run, repeats, lastAt } of batch.repeats) {
        if (!run.record.taken) {
          // Its row is pending again too: count the repeats into it.
          run.record.repeatCount += repeats
          run.record.lastAt = run.record.lastAt && run.record.lastAt > lastAt ? run.record.lastAt : lastAt
        } else {
          run.pendingRepeats += repeats
          if (lastAt > run.lastAt) run.lastAt = lastAt
          repeatRuns.add(run)
        }
      }
      // Repeats counted while the failed write was under way belong to rows that are pending again.
      for (const run of repeatRuns) {
        if (run.record.taken) continue
        run.record.repeatCount += run.pendingRepeats
        if (!run.record.lastAt || run.lastAt > run.record.lastAt) run.record.lastAt = run.lastAt
        run.pendingRepeats = 0
        repeatRuns.delete(run)
      }
    },
    forget: (connectionId) => void runs.delete(connectionId),
    drop(ids) {
      queue = queue.filter((q) => !ids.has(q.record.connectionId))
      repeatRuns = new Set([...repeatRuns].filter((run) => !ids.has(run.record.record.connectionId)))
    },
    pending: () => queue.length + repeatRuns.size,
    sweep(now) {
      for (const [nodeId, b] of buckets) if (refill(b, now) >= options.burst) buckets.delete(nodeId)
    },
  }
}
