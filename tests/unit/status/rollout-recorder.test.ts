import { afterEach, describe, expect, it } from 'vitest'
import type { TypeStatus } from '../../../server/contract/proxy-state'
import { createRolloutRecorder, type RolloutRecord, type RolloutRecorder } from '../../../server/status/rollout-recorder'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener'
const acked = (typeUrl: string, nonce: string, from: number): TypeStatus => ({ typeUrl, names: [], wildcard: true, resourceNames: [], nonceSent: nonce, nonceAcked: nonce, sentFromVersion: from, ackedFromVersion: from })
const sent = (typeUrl: string, nonce: string, from: number): TypeStatus => ({ typeUrl, names: [], wildcard: true, resourceNames: [], nonceSent: nonce, sentFromVersion: from })

const recorders: RolloutRecorder[] = []
afterEach(async () => {
  for (const r of recorders.splice(0)) await r.stop().catch(() => undefined)
})

function recorder(store: { record: (rows: readonly RolloutRecord[]) => Promise<void> }, errors: unknown[] = [], beforeWrite?: () => Promise<void>) {
  const r = createRolloutRecorder({ store, flushMs: 60_000, onError: (err) => errors.push(err), now: () => 1000, ...(beforeWrite ? { beforeWrite } : {}) })
  recorders.push(r)
  return r
}
const base = { fleet: 'f', connectedAt: new Date(0).toISOString() }

describe('rollout recorder', () => {
  it('a proxy with two open streams (per-type xDS) reaches a version when both have', async () => {
    const written: RolloutRecord[] = []
    const r = recorder({ record: async (rows) => void written.push(...rows) })
    // (A stream the proxy opens only later cannot hold back what its open streams already reached.)
    r.observe({ id: 's2', nodeId: 'n', ...base, types: { [LDS]: sent(LDS, '1', 1) }, snapshotVersion: 1 })
    r.observe({ id: 's1', nodeId: 'n', ...base, types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 1 })
    await r.flush()
    expect(written).toEqual([])
    r.observe({ id: 's2', nodeId: 'n', ...base, types: { [LDS]: acked(LDS, '1', 1) }, snapshotVersion: 1 })
    await r.flush()
    expect(written.map((w) => [w.nodeId, w.version, w.outcome])).toEqual([['n', 1, 'reached']])
  })

  it('a forgotten stream no longer holds its node back', async () => {
    const written: RolloutRecord[] = []
    const r = recorder({ record: async (rows) => void written.push(...rows) })
    r.observe({ id: 'old', nodeId: 'n', ...base, types: { [CDS]: sent(CDS, '1', 1) }, snapshotVersion: 1 })
    r.forget('old')
    r.observe({ id: 'new', nodeId: 'n', ...base, types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 1 })
    await r.flush()
    expect(written.map((w) => w.version)).toEqual([1])
  })

  it('keeps rows while the store fails, reports once, and writes them when it works again; the registry is flushed first', async () => {
    const written: RolloutRecord[] = []
    const order: string[] = []
    let failing = true
    const errors: unknown[] = []
    const r = recorder(
      {
        record: async (rows) => {
          if (failing) throw new Error('database down')
          order.push('rollout')
          written.push(...rows)
        },
      },
      errors,
      async () => void order.push('registry'),
    )
    r.observe({ id: 's', nodeId: 'a', ...base, types: { [CDS]: acked(CDS, '1', 1) }, snapshotVersion: 1 })
    await r.flush()
    await r.flush()
    expect(errors).toHaveLength(1)
    failing = false
    await r.flush()
    expect(written.map((w) => [w.nodeId, w.outcome])).toEqual([['a', 'reached']])
    expect(order.at(-1)).toBe('rollout')
    expect(order.at(-2)).toBe('registry')
  })
})
