import { describe, expect, it } from 'vitest'
import type { LegationEvent } from '@/server/contract'
import { affectedByBatch, affectedQueries } from '../../../../components/live/affected-queries'

const proxyChanged = (fleet: string | null, nodeIds: string[]): LegationEvent => ({ kind: 'proxy.changed', fleet, nodeIds, at: '2026-11-22T00:00:00.000Z' })

describe('affectedQueries', () => {
  it('refreshes the proxy lists, the counts, the named nodes, the activity and the fleet’s versions on proxy.changed', () => {
    expect(affectedQueries(proxyChanged('edge', ['a', 'b']))).toEqual([
      ['proxies', 'list'],
      ['proxies', 'summary'],
      ['proxies', 'node', 'a'],
      ['proxies', 'node', 'b'],
      ['activity'],
      ['versions', 'edge', 'list'],
    ])
  })

  it.each(['snapshot.published', 'snapshot.rejected'] as const)('refreshes only that fleet’s status (what xDS serves) on %s', (kind) => {
    const event: LegationEvent =
      kind === 'snapshot.published' ? { kind, fleet: 'edge', version: 3, at: '2026-11-22T00:00:00.000Z' } : { kind, fleet: 'edge', version: 3, issues: [], at: '2026-11-22T00:00:00.000Z' }
    expect(affectedQueries(event)).toEqual([['fleets', 'status', 'edge']])
  })

  it('refreshes every node when the event may have been cut short (20 names)', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `n${i}`)
    const keys = affectedQueries(proxyChanged(null, ids))
    expect(keys).toContainEqual(['proxies', 'node'])
    expect(keys).not.toContainEqual(['proxies', 'node', 'n0'])
  })
})

describe('affectedByBatch', () => {
  it('invalidates each key once for a burst of events', () => {
    const events = Array.from({ length: 500 }, (_, i) => proxyChanged('edge', [`n${i % 3}`]))
    const keys = affectedByBatch(events)
    expect(keys).toHaveLength(new Set(keys.map((k) => JSON.stringify(k))).size)
    expect(keys).toEqual([['proxies', 'list'], ['proxies', 'summary'], ['proxies', 'node', 'n0'], ['activity'], ['versions', 'edge', 'list'], ['proxies', 'node', 'n1'], ['proxies', 'node', 'n2']])
  })

  it('drops keys a shorter key already covers', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `n${i}`)
    const keys = affectedByBatch([proxyChanged('edge', ['x']), proxyChanged('edge', ids)])
    expect(keys).toContainEqual(['proxies', 'node'])
    expect(keys).not.toContainEqual(['proxies', 'node', 'x'])
  })
})
