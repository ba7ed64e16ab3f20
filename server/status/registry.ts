import type { ConnectionInfo, ConnectionStatus, ProxyEventRecord, TypeStatus } from '../contract/proxy-state'

export type StreamEvent = Omit<ProxyEventRecord, 'connectionId' | 'nodeId' | 'fleet' | 'at'>

/** Where the registry writes; server/store/proxies.ts implements it against Postgres. */
export type ConnectionStore = Readonly<{
  upsert: (rows: readonly ConnectionStatus[], events: readonly ProxyEventRecord[]) => Promise<void>
  /** Refreshes last_seen_at of this replica's live streams (a dead replica's rows then age out). */
  heartbeat: (replicaId: string, ids: readonly string[], at: Date) => Promise<void>
}>

export type ConnectionRegistry = Readonly<{
  open: (info: Omit<ConnectionInfo, 'replicaId'>) => void
  setTypes: (id: string, types: Readonly<Record<string, TypeStatus>>) => void
  setFleet: (id: string, fleet: string | null) => void
  /** Adds an entry to the stream's timeline (written with the next flush). */
  event: (id: string, event: StreamEvent) => void
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
  now?: () => Date
}): ConnectionRegistry {
  const now = options.now ?? (() => new Date())
  const connections = new Map<string, ConnectionStatus>()
  const dirty = new Set<string>()
  let events: ProxyEventRecord[] = []
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

  const writeDirty = async (): Promise<void> => {
    if (dirty.size === 0 && events.length === 0) return
    const batch = events
    events = []
    const rows = [...dirty].flatMap((id) => {
      const row = connections.get(id)
      return row ? [row] : []
    })
    dirty.clear()
    // Closed streams are written one last time, then forgotten.
    for (const row of rows) if (row.disconnectedAt) connections.delete(row.id)
    try {
      await options.store.upsert(rows, batch)
      noteSuccess()
      options.onWritten?.(rows)
    } catch (err) {
      events = [...batch, ...events]
      // Keep the newest state for the next attempt.
      for (const row of rows) if (!connections.has(row.id) || !row.disconnectedAt) dirty.add(row.id)
      for (const row of rows) if (row.disconnectedAt && !connections.has(row.id)) connections.set(row.id, row)
      reportFailure(err)
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
    const ids = [...connections.values()].filter((c) => !c.disconnectedAt).map((c) => c.id)
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
      if (!c) return
      events.push({ ...event, connectionId: id, nodeId: c.nodeId, fleet: c.fleet, at: now().toISOString() })
    },
    close(id, reason, kind = 'disconnected') {
      const c = connections.get(id)
      if (!c || c.disconnectedAt) return
      const at = now().toISOString()
      events.push({ connectionId: id, nodeId: c.nodeId, fleet: c.fleet, at, kind, ...(reason ? { message: reason } : {}) })
      update(id, { disconnectedAt: at, lastSeenAt: at, ...(reason ? { closeReason: reason } : {}) })
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
        events.push({ connectionId: c.id, nodeId: c.nodeId, fleet: c.fleet, at, kind: 'disconnected', message: reason })
        update(c.id, { disconnectedAt: at, closeReason: c.closeReason ?? reason })
      }
      await flush()
    },
  }
}
