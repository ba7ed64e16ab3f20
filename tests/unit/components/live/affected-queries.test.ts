import { describe, expect, it } from 'vitest'
import type { LegationEvent } from '@/server/contract'
import { affectedByBatch, affectedQueries, lateAffectedByBatch, lateAffectedQueries } from '../../../../components/live/affected-queries'

const proxyChanged = (fleet: string | null, nodeIds: string[]): LegationEvent => ({ kind: 'proxy.changed', fleet, nodeIds, at: '2026-11-22T00:00:00.000Z' })

describe('affectedQueries', () => {
  it('refreshes the proxy lists, the counts, the named nodes and their drifts, the activity and the fleet’s versions on proxy.changed', () => {
    expect(affectedQueries(proxyChanged('edge', ['a', 'b']))).toEqual([
      ['proxies', 'list'],
      ['proxies', 'summary'],
      ['proxies', 'node', 'a'],
      ['proxies', 'node', 'b'],
      ['proxies', 'drift', 'edge', 'a'],
      ['proxies', 'drift', 'edge', 'b'],
      ['activity'],
      ['versions', 'edge', 'list'],
    ])
  })

  it('refreshes what the fleet’s proxies run against its versions when a version is created: their drifts, and who is not on the active one', () => {
    const keys = affectedQueries({ kind: 'version.created', fleet: 'edge', version: 4, origin: 'COMMIT', actor: 'x', at: '2026-11-22T00:00:00.000Z' })
    expect(keys).toContainEqual(['proxies', 'drift', 'edge'])
    expect(keys).toContainEqual(['proxies', 'list', 'on-active'])
    // Not every fleet's drifts, and not the lists without that filter.
    expect(keys).not.toContainEqual(['proxies'])
    expect(keys).not.toContainEqual(['proxies', 'list'])
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
    expect(keys).toContainEqual(['proxies', 'drift', null])
    expect(keys).not.toContainEqual(['proxies', 'drift', null, 'n0'])
  })
})

describe('affectedByBatch', () => {
  it('invalidates each key once for a burst of events', () => {
    const events = Array.from({ length: 500 }, (_, i) => proxyChanged('edge', [`n${i % 3}`]))
    const keys = affectedByBatch(events)
    expect(keys).toHaveLength(new Set(keys.map((k) => JSON.stringify(k))).size)
    expect(keys).toEqual([
      ['proxies', 'list'],
      ['proxies', 'summary'],
      ['proxies', 'node', 'n0'],
      ['proxies', 'drift', 'edge', 'n0'],
      ['activity'],
      ['versions', 'edge', 'list'],
      ['proxies', 'node', 'n1'],
      ['proxies', 'drift', 'edge', 'n1'],
      ['proxies', 'node', 'n2'],
      ['proxies', 'drift', 'edge', 'n2'],
    ])
  })

  it('drops keys a shorter key already covers', () => {
    const ids = Array.from({ length: 20 }, (_, i) => `n${i}`)
    const keys = affectedByBatch([proxyChanged('edge', ['x']), proxyChanged('edge', ids)])
    expect(keys).toContainEqual(['proxies', 'node'])
    expect(keys).not.toContainEqual(['proxies', 'node', 'x'])
  })
})

describe('lateAffectedQueries', () => {
  it('reads the fleet’s versions (convergence, rollouts) and the onActive proxies lists again after proxy.changed: their rows are written behind it', () => {
    expect(lateAffectedQueries(proxyChanged('edge', ['a']))).toEqual([
      ['versions', 'edge', 'list'],
      ['proxies', 'list', 'on-active'],
    ])
    expect(lateAffectedQueries(proxyChanged(null, ['a']))).toEqual([])
    expect(lateAffectedQueries({ kind: 'draft.changed', fleet: 'edge', draftRevision: 2, change: 'put', actor: 'x', at: '2026-11-22T00:00:00.000Z' })).toEqual([])
  })

  it('names each fleet once for a batch', () => {
    expect(lateAffectedByBatch([proxyChanged('edge', ['a']), proxyChanged('demo', ['b']), proxyChanged('edge', ['c'])])).toEqual([
      ['versions', 'edge', 'list'],
      ['proxies', 'list', 'on-active'],
      ['versions', 'demo', 'list'],
    ])
  })
})
