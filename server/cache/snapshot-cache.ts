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
  delete: (fleet: string) => void
  /** Calls `listener` on every later snapshot of `fleet`; the returned cancel is idempotent. */
  watch: (fleet: string, listener: SnapshotListener) => () => void
  fleets: () => string[]
  watcherCount: (fleet: string) => number
}>

export function createSnapshotCache(onListenerError: (err: unknown) => void = () => undefined): SnapshotCache {
  const snapshots = new Map<string, Snapshot>()
  const watchers = new Map<string, Set<SnapshotListener>>()
  return {
    get: (fleet) => snapshots.get(fleet),
    set(snapshot) {
      snapshots.set(snapshot.fleet, snapshot)
      for (const listener of [...(watchers.get(snapshot.fleet) ?? [])]) {
        try {
          listener(snapshot)
        } catch (err) {
          onListenerError(err)
        }
      }
    },
    delete: (fleet) => void snapshots.delete(fleet),
    watch(fleet, listener) {
      const set = watchers.get(fleet) ?? new Set<SnapshotListener>()
      set.add(listener)
      watchers.set(fleet, set)
      return () => {
        set.delete(listener)
        if (set.size === 0 && watchers.get(fleet) === set) watchers.delete(fleet)
      }
    },
    fleets: () => [...snapshots.keys()],
    watcherCount: (fleet) => watchers.get(fleet)?.size ?? 0,
  }
}
