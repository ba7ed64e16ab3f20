import { describe, expect, it } from 'vitest'
import { createSnapshotCache } from '../../../server/cache/snapshot-cache'
import type { Snapshot } from '../../../server/snapshot/types'

const snapshot = (fleet: string, versionNumber: number): Snapshot => ({ fleet, versionNumber, types: new Map() })

/** A listener that records the (fleet, version) of every snapshot it gets. */
function recorder() {
  const seen: string[] = []
  return { seen, listener: (s: Snapshot) => void seen.push(`${s.fleet}@${s.versionNumber}`) }
}

describe('createSnapshotCache', () => {
  describe('set and get', () => {
    it('returns the latest snapshot set for each fleet', () => {
      const cache = createSnapshotCache()
      const demo1 = snapshot('demo', 1)
      const demo2 = snapshot('demo', 2)
      const edge = snapshot('edge', 7)
      cache.set(demo1)
      cache.set(edge)
      cache.set(demo2)
      expect(cache.get('demo')).toBe(demo2)
      expect(cache.get('edge')).toBe(edge)
      expect(cache.get('never-set')).toBeUndefined()
      expect(cache.fleets().sort()).toEqual(['demo', 'edge'])
    })

    it('forgets a deleted fleet without touching the others', () => {
      const cache = createSnapshotCache()
      cache.set(snapshot('demo', 1))
      cache.set(snapshot('edge', 1))
      cache.delete('demo')
      expect(cache.get('demo')).toBeUndefined()
      expect(cache.get('edge')?.versionNumber).toBe(1)
      expect(cache.fleets()).toEqual(['edge'])
    })
  })

  describe('watch', () => {
    it('notifies every watcher of a fleet on set, and not those of other fleets', () => {
      const cache = createSnapshotCache()
      const a = recorder()
      const b = recorder()
      const other = recorder()
      cache.watch('demo', a.listener)
      cache.watch('demo', b.listener)
      cache.watch('edge', other.listener)
      cache.set(snapshot('demo', 1))
      cache.set(snapshot('demo', 2))
      expect(a.seen).toEqual(['demo@1', 'demo@2'])
      expect(b.seen).toEqual(['demo@1', 'demo@2'])
      expect(other.seen).toEqual([])
    })

    it('does not replay the current snapshot to a new watcher', () => {
      const cache = createSnapshotCache()
      cache.set(snapshot('demo', 1))
      const a = recorder()
      cache.watch('demo', a.listener)
      expect(a.seen).toEqual([])
      cache.set(snapshot('demo', 2))
      expect(a.seen).toEqual(['demo@2'])
    })

    it('stores the snapshot before notifying, so a watcher that reads get() sees it', () => {
      const cache = createSnapshotCache()
      const read: Array<number | undefined> = []
      cache.watch('demo', () => read.push(cache.get('demo')?.versionNumber))
      cache.set(snapshot('demo', 3))
      expect(read).toEqual([3])
    })

    it('stops notifying after cancel', () => {
      const cache = createSnapshotCache()
      const a = recorder()
      const cancel = cache.watch('demo', a.listener)
      cache.set(snapshot('demo', 1))
      cancel()
      cache.set(snapshot('demo', 2))
      expect(a.seen).toEqual(['demo@1'])
    })

    // Watcher a is added first; then the steps run. Cancel must be idempotent and never remove
    // another watcher, even one added after the fleet had no watchers left.
    it.each([
      ['has an idempotent cancel that never removes another watcher', ['watch b', 'cancel a', 'cancel a']],
      ['does not drop a later watcher when an old cancel is called again after the fleet had no watchers', ['cancel a', 'watch b', 'cancel a']],
    ] as const)('%s', (_label, steps) => {
      const cache = createSnapshotCache()
      const a = recorder()
      const b = recorder()
      const cancelA = cache.watch('demo', a.listener)
      for (const s of steps) {
        if (s === 'watch b') cache.watch('demo', b.listener)
        else cancelA()
      }
      expect(cache.watcherCount('demo')).toBe(1)
      cache.set(snapshot('demo', 1))
      expect(b.seen).toEqual(['demo@1'])
      expect(a.seen).toEqual([])
    })
  })

  describe('listener errors', () => {
    it('keeps notifying the other watchers and reports the error to onListenerError', () => {
      const errors: unknown[] = []
      const cache = createSnapshotCache((err) => errors.push(err))
      const boom = new Error('stream closed')
      const before = recorder()
      const after = recorder()
      cache.watch('demo', before.listener)
      cache.watch('demo', () => {
        throw boom
      })
      cache.watch('demo', after.listener)
      expect(() => cache.set(snapshot('demo', 1))).not.toThrow()
      expect(before.seen).toEqual(['demo@1'])
      expect(after.seen).toEqual(['demo@1'])
      expect(errors).toEqual([boom])
      expect(cache.get('demo')?.versionNumber).toBe(1)
    })

    it('swallows listener errors when no onListenerError is given', () => {
      const cache = createSnapshotCache()
      const after = recorder()
      cache.watch('demo', () => {
        throw new Error('x')
      })
      cache.watch('demo', after.listener)
      expect(() => cache.set(snapshot('demo', 1))).not.toThrow()
      expect(after.seen).toEqual(['demo@1'])
    })
  })

  describe('watcherCount', () => {
    it('counts the watchers of one fleet as they come and go', () => {
      const cache = createSnapshotCache()
      expect(cache.watcherCount('demo')).toBe(0)
      const cancels = [cache.watch('demo', () => undefined), cache.watch('demo', () => undefined), cache.watch('edge', () => undefined)]
      expect(cache.watcherCount('demo')).toBe(2)
      expect(cache.watcherCount('edge')).toBe(1)
      for (const cancel of cancels) cancel()
      expect(cache.watcherCount('demo')).toBe(0)
      expect(cache.watcherCount('edge')).toBe(0)
    })

    it('counts watchers of a fleet that has no snapshot yet', () => {
      const cache = createSnapshotCache()
      cache.watch('later', () => undefined)
      expect(cache.watcherCount('later')).toBe(1)
      expect(cache.fleets()).toEqual([])
    })
  })
})

describe('deleting a fleet', () => {
  it('tells that fleet’s watchers (and only them) once, and forgets them', () => {
    const cache = createSnapshotCache()
    const removed: string[] = []
    const seen: string[] = []
    cache.watch('a', () => seen.push('a'), () => removed.push('a1'))
    cache.watch('a', () => seen.push('a'), () => removed.push('a2'))
    cache.watch('b', () => seen.push('b'), () => removed.push('b'))
    cache.delete('a')
    cache.delete('a')
    expect(removed.sort()).toEqual(['a1', 'a2'])
    expect(cache.watcherCount('a')).toBe(0)
    expect(cache.watcherCount('b')).toBe(1)
  })

  describe('a staged rollout\'s canary', () => {
    const canaryNode = { id: 'canary-1', metadata: {} }
    const otherNode = { id: 'prod-1', metadata: {} }
    it('is what the nodes it takes get; everyone else keeps the fleet\'s snapshot; each watcher is told when that changes', () => {
      const cache = createSnapshotCache()
      const v1 = snapshot('demo', 1)
      const v2 = snapshot('demo', 2)
      cache.set(v1)
      const canary = recorder()
      const other = recorder()
      cache.watch('demo', canary.listener, undefined, canaryNode)
      cache.watch('demo', other.listener, undefined, otherNode)
      cache.setCanary('demo', { snapshot: v2, includes: (n) => n.id.startsWith('canary-') })
      expect(cache.get('demo', canaryNode)).toBe(v2)
      expect(cache.get('demo', otherNode)).toBe(v1)
      expect(cache.get('demo')).toBe(v1)
      expect(canary.seen).toEqual(['demo@2'])
      expect(other.seen).toEqual(['demo@1'])
      // The next stage takes every node; a halt ends the canary and every node gets the fleet's snapshot again.
      cache.setCanary('demo', { snapshot: v2, includes: () => true })
      expect(other.seen).toEqual(['demo@1', 'demo@2'])
      cache.setCanary('demo', null)
      expect(canary.seen).toEqual(['demo@2', 'demo@2', 'demo@1'])
      expect(other.seen).toEqual(['demo@1', 'demo@2', 'demo@1'])
      expect(cache.get('demo', canaryNode)).toBe(v1)
    })
  })
})
