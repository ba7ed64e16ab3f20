import type { Snapshot } from '../snapshot/types'

export type SnapshotListener = (snapshot: Snapshot) => void

/** Who a stream serves: what a staged rollout's stages select on. */
export type ServedNode = Readonly<{ id: string; metadata: Readonly<Record<string, string>> }>

/** A staged rollout's new version, served to the proxies `includes` takes; everyone else keeps the fleet's snapshot. */
export type CanarySnapshot = Readonly<{ snapshot: Snapshot; includes: (node: ServedNode) => boolean }>

/**
 * The latest good snapshot per fleet and the streams watching it (go-control-plane's SnapshotCache,
 * with callbacks in place of channels). In memory, no sockets: streams subscribe through watch().
 * While a staged rollout runs, a fleet has a second snapshot (its canary) for the proxies its
 * current stage takes (#12 item 3): a stream gets whichever its node is due, and is told again
 * whenever that changes (a new snapshot, a stage going on, a rollout halted).
 */
export type SnapshotCache = Readonly<{
  /** The fleet's snapshot, or for `node` the one it is due (the canary when a rollout takes it). */
  get: (fleet: string, node?: ServedNode) => Snapshot | undefined
  /** Publishes a snapshot and notifies every watcher of that fleet. */
  set: (snapshot: Snapshot) => void
  /** Starts, moves or (null) ends a fleet's canary, and tells every watcher what it is due now. */
  setCanary: (fleet: string, canary: CanarySnapshot | null) => void
  canary: (fleet: string) => CanarySnapshot | undefined
  /** The fleet is gone: forgets its snapshot and tells its watchers (their `onRemoved`), which are dropped. */
  delete: (fleet: string) => void
  /** Calls `listener` with what `node` is due on every later change of `fleet`, `onRemoved` if the fleet is deleted; the returned cancel is idempotent. */
  watch: (fleet: string, listener: SnapshotListener, onRemoved?: () => void, node?: ServedNode) => () => void
  fleets: () => string[]
  watcherCount: (fleet: string) => number
}>

export function createSnapshotCache(onListenerError: (err: unknown) => void = () => undefined): SnapshotCache {
  const snapshots = new Map<string, Snapshot>()
  const canaries = new Map<string, CanarySnapshot>()
  const watchers = new Map<string, Map<SnapshotListener, ServedNode | undefined>>()
  const removals = new Map<SnapshotListener, () => void>()
  const due = (fleet: string, node: ServedNode | undefined): Snapshot | undefined => {
    const canary = canaries.get(fleet)
    if (canary && node && canary.includes(node)) return canary.snapshot
    return snapshots.get(fleet)
  }
  /** Calls `call` for each watcher of `fleet` (a copy: a watcher may cancel itself); one failing never stops the others. */
  const eachWatcher = (fleet: string, call: (listener: SnapshotListener, node: ServedNode | undefined) => void): void =>
    [...(watchers.get(fleet) ?? [])].forEach(([listener, node]) => {
      try {
        call(listener, node)
      } catch (err) {
        onListenerError(err)
      }
    })
  const notify = (fleet: string): void =>
    eachWatcher(fleet, (listener, node) => {
      const snapshot = due(fleet, node)
      if (snapshot) listener(snapshot)
    })
  return {
    get: due,
    set(snapshot) {
      snapshots.set(snapshot.fleet, snapshot)
      notify(snapshot.fleet)
    },
    setCanary(fleet, canary) {
      if (canary) canaries.set(fleet, canary)
      else if (!canaries.delete(fleet)) return
      notify(fleet)
    },
    canary: (fleet) => canaries.get(fleet),
    delete(fleet) {
      snapshots.delete(fleet)
      canaries.delete(fleet)
      eachWatcher(fleet, (listener) => {
        const onRemoved = removals.get(listener)
        removals.delete(listener)
        onRemoved?.()
      })
      watchers.delete(fleet)
    },
    watch(fleet, listener, onRemoved, node) {
      const set = watchers.get(fleet) ?? new Map<SnapshotListener, ServedNode | undefined>()
      set.set(listener, node)
      watchers.set(fleet, set)
      if (onRemoved) removals.set(listener, onRemoved)
      return () => {
        set.delete(listener)
        removals.delete(listener)
        if (set.size === 0 && watchers.get(fleet) === set) watchers.delete(fleet)
      }
    },
    fleets: () => [...snapshots.keys()],
    watcherCount: (fleet) => watchers.get(fleet)?.size ?? 0,
  }
}
