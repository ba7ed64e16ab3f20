import type { ConnectionInfo, ConnectionStatus, ProxyEventRecord, TypeStatus } from '../contract/proxy-state'
import { createEventGate, DEFAULT_EVENT_GATE, eventRowsOf, splitEventBatch, type EventBatch, type EventGateOptions, type EventOutcome, type EventRepeat } from './event-gate'

export type { EventOutcome, EventRepeat } from './event-gate'

export type StreamEvent = Omit<ProxyEventRecord, 'connectionId' | 'nodeId' | 'fleet' | 'at' | 'repeatCount' | 'lastAt'>

/** Where the registry writes; server/store/proxies.ts implements it against Postgres. */
export type ConnectionStore = Readonly<{
  /** `repeats`: counts to add to event rows written earlier (identical repeats, event-gate.ts). */
  upsert: (rows: readonly ConnectionStatus[], events: readonly ProxyEventRecord[], repeats?: readonly EventRepeat[]) => Promise<void>
  /** Refreshes last_seen_at of this replica's live streams (a dead replica's rows then age out). */
  heartbeat: (replicaId: string, ids: readonly string[], at: Date) => Promise<void>
  /**
   * True when a write failed because of what it carried (a value the database refuses), so writing
   * the same rows again cannot succeed; false for an outage. Without it every failure is an outage.
   */
  isRowError?: (err: unknown) => boolean
}>

/** A stream whose status could not be written because of its own data: it is no longer written (#16 item 7). */
export type DroppedStream = Readonly<{ connectionId: string; nodeId: string; rows: number; events: number; err: unknown }>

export type ConnectionRegistry = Readonly<{
  open: (info: Omit<ConnectionInfo, 'replicaId'>) => void
  setTypes: (id: string, types: Readonly<Record<string, TypeStatus>>) => void
  setFleet: (id: string, fleet: string | null) => void
  /**
   * Adds an entry to the stream's timeline (written with the next flush), unless it repeats the
   * previous one or the proxy is over its event rate (event-gate.ts); says which.
   */
  event: (id: string, event: StreamEvent) => EventOutcome | undefined
  close: (id: string, reason?: string, kind?: 'disconnected' | 'refused') => void
  get: (id: string) => ConnectionStatus | undefined
  live: () => ConnectionStatus[]
  /** Writes pending changes now. */
  flush: () => Promise<void>
  /** Marks every live stream disconnected, writes, and stops the timers. */
  stop: (reason: string) => Promise<void>
}>

const MAX_RETRY_MS = 5000

/**
 * The live view of this replica's streams, kept in memory for the adapter and written behind to
 * Postgres (batched every `flushMs`, so a burst of ACKs from many proxies is one statement) so that
 * other replicas and restarts see it. Writing never blocks a stream.
 */
export function createConnectionRegistry(options: {
  replicaId: string
  store: ConnectionStore
  flushMs?: number
  heartbeatMs?: number
  /**
   * Called when writing starts to fail, then at most every `errorReportMs` while it keeps failing,
   * with the count: a database outage is a few log lines, not ten a second (#16 item 14).
   */
  onError: (err: unknown, info: { failures: number }) => void
  /** Called once when a write succeeds again after failures. */
  onRecovered?: (info: { failures: number; downMs: number }) => void
  errorReportMs?: number
  /** Called after each successful write with the rows written (for events). */
  onWritten?: (rows: readonly ConnectionStatus[]) => void
  /**
   * Called once for a stream whose rows the database refuses (store.isRowError): its pending rows
   * and events are dropped and it is not written again, so it cannot hold back the other streams.
   */
  onDropped?: (info: DroppedStream) => void
  /** Coalescing and rate limit of the stream timeline (event-gate.ts). */
  events?: EventGateOptions
  now?: () => Date
}): ConnectionRegistry {
  const now = options.now ?? (() => new Date())
  const connections = new Map<string, ConnectionStatus>()
  const dirty = new Set<string>()
  const gate = createEventGate(options.events ?? DEFAULT_EVENT_GATE)
  /** Streams whose rows the database refused: never written again (forgotten when they close). */
  const dropped = new Set<string>()
  let flushing: Promise<void> | null = null
  let stopped = false

  // While writes fail, the timer retries with exponential backoff (flushMs doubling up to
  // MAX_RETRY_MS) instead of every flushMs; an explicit flush() always tries.
  const flushMs = options.flushMs ?? 100
  const errorReportMs = options.errorReportMs ?? 60_000
  let failures = 0
  let failingSince = 0
  let lastReportAt = 0
  let retryAt = 0
  const reportFailure = (err: unknown): void => {
    const at = now().getTime()
    failures += 1
    if (failures === 1) failingSince = at
    retryAt = at + Math.min(MAX_RETRY_MS, flushMs * 2 ** failures)
    if (failures === 1 || at - lastReportAt >= errorReportMs) {
      lastReportAt = at
      options.onError(err, { failures })
    }
  }
  const noteSuccess = (): void => {
    if (failures === 0) return
    options.onRecovered?.({ failures, downMs: now().getTime() - failingSince })
    failures = 0
    retryAt = 0
  }

  const update = (id: string, patch: Partial<ConnectionStatus>): void => {
    const current = connections.get(id)
    if (!current) return
    connections.set(id, { ...current, ...patch })
    dirty.add(id)
  }

  const write = (rows: readonly ConnectionStatus[], batch: EventBatch): Promise<void> => {
    const { events, repeats } = eventRowsOf(batch)
    return options.store.upsert(rows, events, repeats)
  }

  /** A write failed: its rows and events are pending again (the newest state of each row wins). */
  const giveBack = (rows: readonly ConnectionStatus[], batch: EventBatch): void => {
    gate.restore(batch)
    for (const row of rows) if (!connections.has(row.id) || !row.disconnectedAt) dirty.add(row.id)
    for (const row of rows) if (row.disconnectedAt && !connections.has(row.id)) connections.set(row.id, row)
  }

  const dropStream = (id: string, rows: readonly ConnectionStatus[], batch: EventBatch, err: unknown): void => {
    dropped.add(id)
    const nodeId = rows[0]?.nodeId ?? batch.queued[0]?.record.nodeId ?? connections.get(id)?.nodeId ?? ''
    if (!connections.has(id)) dropped.delete(id)
    options.onDropped?.({ connectionId: id, nodeId, rows: rows.length, events: batch.queued.length, err })
  }

  /**
   * The batch was refused for what it carries: it is split in halves by stream until the parts are
   * written or a single stream is left, which is dropped (#16 item 7: one proxy's row had blocked
   * every other's). A few statements for a few bad streams, whatever the size of the batch.
   */
  const writeByStream = async (ids: readonly string[], rows: readonly ConnectionStatus[], parts: ReadonlyMap<string, EventBatch>, round: { outage: boolean }): Promise<boolean> => {
    const wanted = new Set(ids)
    const mine = rows.filter((r) => wanted.has(r.id))
    const batch: EventBatch = { queued: ids.flatMap((id) => parts.get(id)?.queued ?? []), repeats: ids.flatMap((id) => parts.get(id)?.repeats ?? []) }
    // Once the database is unreachable, the rest waits for the next attempt.
    if (round.outage) return (giveBack(mine, batch), false)
    try {
      await write(mine, batch)
      options.onWritten?.(mine)
      return true
    } catch (err) {
      if (!options.store.isRowError?.(err)) {
        round.outage = true
        giveBack(mine, batch)
        reportFailure(err)
        return false
      }
      return splitRefused(ids, mine, parts, round, err)
    }
  }

  const splitRefused = async (ids: readonly string[], rows: readonly ConnectionStatus[], parts: ReadonlyMap<string, EventBatch>, round: { outage: boolean }, err: unknown): Promise<boolean> => {
    if (ids.length === 1) {
      dropStream(ids[0]!, rows, parts.get(ids[0]!) ?? { queued: [], repeats: [] }, err)
      return false
    }
    const half = Math.ceil(ids.length / 2)
    const first = await writeByStream(ids.slice(0, half), rows, parts, round)
    const second = await writeByStream(ids.slice(half), rows, parts, round)
    return first || second
  }

  const writeDirty = async (): Promise<void> => {
    if (dirty.size === 0 && gate.pending() === 0) return
    if (dropped.size > 0) gate.drop(dropped)
    const batch = gate.take()
    const rows: ConnectionStatus[] = []
    for (const id of dirty) {
      const row = connections.get(id)
      if (!row) continue
      // Closed streams are written one last time, then forgotten (a dropped one only forgotten).
      if (row.disconnectedAt) connections.delete(id)
      if (!dropped.has(id)) rows.push(row)
      else if (row.disconnectedAt) dropped.delete(id)
    }
    dirty.clear()
    gate.sweep(now().getTime())
    if (rows.length === 0 && batch.queued.length === 0 && batch.repeats.length === 0) return
    try {
      await write(rows, batch)
      noteSuccess()
      options.onWritten?.(rows)
    } catch (err) {
      if (!options.store.isRowError?.(err)) {
        giveBack(rows, batch)
        reportFailure(err)
        return
      }
      const parts = splitEventBatch(batch)
      if (await splitRefused([...new Set([...rows.map((r) => r.id), ...parts.keys()])], rows, parts, { outage: false }, err)) noteSuccess()
    }
  }

  const flush = async (): Promise<void> => {
    while (flushing) await flushing
    flushing = writeDirty().finally(() => (flushing = null))
    await flushing
  }

  const flushTimer = setInterval(() => {
    if (!flushing && (failures === 0 || now().getTime() >= retryAt)) void flush()
  }, flushMs)
  flushTimer.unref()
  const heartbeatTimer = setInterval(() => {
    const ids = [...connections.values()].filter((c) => !c.disconnectedAt && !dropped.has(c.id)).map((c) => c.id)
    if (ids.length > 0) options.store.heartbeat(options.replicaId, ids, now()).then(noteSuccess, reportFailure)
  }, options.heartbeatMs ?? 10_000)
  heartbeatTimer.unref()

  return {
    open(info) {
      const at = now().toISOString()
      connections.set(info.id, { ...info, replicaId: options.replicaId, disconnectedAt: null, lastSeenAt: at, closeReason: null, types: {} })
      dirty.add(info.id)
    },
    setTypes: (id, types) => update(id, { types, lastSeenAt: now().toISOString() }),
    setFleet: (id, fleet) => update(id, { fleet }),
    event(id, event) {
      const c = connections.get(id)
      if (!c) return undefined
      // A dropped stream's events still go through the gate (its outcome says whether to log), and are dropped before each write.
      const at = now()
      return gate.push({ ...event, connectionId: id, nodeId: c.nodeId, fleet: c.fleet, at: at.toISOString() }, at.getTime())
    },
    close(id, reason, kind = 'disconnected') {
      const c = connections.get(id)
      if (!c || c.disconnectedAt) return
      const at = now()
      gate.push({ connectionId: id, nodeId: c.nodeId, fleet: c.fleet, at: at.toISOString(), kind, ...(reason ? { message: reason } : {}) }, at.getTime())
      gate.forget(id)
      update(id, { disconnectedAt: at.toISOString(), lastSeenAt: at.toISOString(), ...(reason ? { closeReason: reason } : {}) })
    },
    get: (id) => connections.get(id),
    live: () => [...connections.values()].filter((c) => !c.disconnectedAt),
    flush,
    async stop(reason) {
      if (stopped) return
      stopped = true
      clearInterval(flushTimer)
      clearInterval(heartbeatTimer)
      const at = now().toISOString()
      for (const c of connections.values()) {
        if (c.disconnectedAt) continue
        gate.push({ connectionId: c.id, nodeId: c.nodeId, fleet: c.fleet, at, kind: 'disconnected', message: reason }, Date.parse(at))
        update(c.id, { disconnectedAt: at, closeReason: c.closeReason ?? reason })
      }
      await flush()
    },
  }
}
