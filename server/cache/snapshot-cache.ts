import type { Snapshot } from '../snapshot/types'

export type SnapshotListener = (snapshot: Snapshot) => void

/**
 * The latest good snapshot per fleet and the streams watching it (go-control-plane's SnapshotCache,
 * with callbacks in place of channels). In memory, no sockets: streams subscribe through watch().
 */
export type SnapshotCache = Readonly<{
  get: (fleet: string) => Snapshot | undefined
  /** Publishes a snapshot and notifies every watcher of that fleet. */
  set: (snapshot: Snapshot) => void
  /** The fleet is gone: forgets its snapshot and tells its watchers (their `onRemoved`), which are dropped. */
  delete: (fleet: string) => void
  /** Calls `listener` on every later snapshot of `fleet`, `onRemoved` if the fleet is deleted; the returned cancel is idempotent. */
  watch: (fleet: string, listener: SnapshotListener, onRemoved?: () => void) => () => void
  fleets: () => string[]
  watcherCount: (fleet: string) => number
}>

export function createSnapshotCache(onListenerError: (err: unknown) => void = () => undefined): SnapshotCache {
  const snapshots = new Map<string, Snapshot>()
  const watchers = new Map<string, Set<SnapshotListener>>()
  const removals = new Map<SnapshotListener, () => void>()
  /** Calls `call` for each watcher of `fleet` (a copy: a watcher may cancel itself); one failing never stops the others. */
  const eachWatcher = (fleet: string, call: (listener: SnapshotListener) => void): void =>
    [...(watchers.get(fleet) ?? [])].forEach((listener) => {
      try {
        call(listener)
      } catch (err) {
        onListenerError(err)
      }
    })
  return {
    get: (fleet) => snapshots.get(fleet),
    set(snapshot) {
      snapshots.set(snapshot.fleet, snapshot)
      eachWatcher(snapshot.fleet, (listener) => listener(snapshot))
    },
    delete(fleet) {
      snapshots.delete(fleet)
      eachWatcher(fleet, (listener) => {
        const onRemoved = removals.get(listener)
        removals.delete(listener)
        onRemoved?.()
      })
      watchers.delete(fleet)
    },
    watch(fleet, listener, onRemoved) {
      const set = watchers.get(fleet) ?? new Set<SnapshotListener>()
      set.add(listener)
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
