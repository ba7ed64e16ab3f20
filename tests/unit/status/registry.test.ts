import { afterEach, describe, expect, it } from 'vitest'
import type { ConnectionStatus, ProxyEventRecord } from '../../../server/contract/proxy-state'
import { createConnectionRegistry, type ConnectionRegistry, type ConnectionStore, type DroppedStream, type EventRepeat } from '../../../server/status/registry'

/**
 * The status writer's failure handling (#16 item 7): a write the database refuses for one stream's
 * data must not hold back the others, and an outage must lose nothing. The store is a fake that
 * refuses any batch carrying a poisoned node id, like Postgres refusing a value.
 */
class RowError extends Error {}

function fakeStore(options: { poison?: string } = {}) {
  const rows = new Map<string, ConnectionStatus>()
  const events: ProxyEventRecord[] = []
  const repeats: EventRepeat[] = []
  const calls: Array<{ nodeIds: string[] }> = []
  let outage = false
  const store: ConnectionStore = {
    async upsert(r, e, rep = []) {
      const nodeIds = [...new Set([...r.map((x) => x.nodeId), ...e.map((x) => x.nodeId)])]
      calls.push({ nodeIds })
      if (outage) throw new Error('connection refused')
      if (options.poison && nodeIds.includes(options.poison)) throw new RowError('22023 payload string too long')
      for (const row of r) rows.set(row.id, row)
      events.push(...e)
      repeats.push(...rep)
    },
    heartbeat: async () => {},
    isRowError: (err) => err instanceof RowError,
  }
  return { store, rows, events, repeats, calls, setOutage: (on: boolean) => (outage = on) }
}

const open = (registry: ConnectionRegistry, id: string, nodeId: string) =>
  registry.open({ id, nodeId, nodeCluster: 'f', fleet: 'f', peer: 'p', userAgentName: 'ua', userAgentVersion: '1', stream: 'ADS', connectedAt: new Date(0).toISOString() })

let registry: ConnectionRegistry | undefined
afterEach(async () => {
  await registry?.stop('test over')
  registry = undefined
})

describe('connection registry writes', () => {
  it('drops a stream whose rows the database refuses, once, and keeps writing the others', async () => {
    const fake = fakeStore({ poison: 'poison' })
    const dropped: DroppedStream[] = []
    const errors: unknown[] = []
    registry = createConnectionRegistry({ replicaId: 'r', store: fake.store, flushMs: 3_600_000, heartbeatMs: 3_600_000, onError: (err) => errors.push(err), onDropped: (d) => dropped.push(d) })
    for (let i = 0; i < 7; i++) open(registry, `good-${i}`, `good-${i}`)
    open(registry, 'bad', 'poison')
    registry.event('bad', { kind: 'connected' })
    registry.event('good-3', { kind: 'connected' })
    await registry.flush()

    expect([...fake.rows.keys()].sort()).toEqual(['good-0', 'good-1', 'good-2', 'good-3', 'good-4', 'good-5', 'good-6'])
    expect(fake.events.map((e) => e.nodeId)).toEqual(['good-3'])
    expect(dropped).toMatchObject([{ connectionId: 'bad', nodeId: 'poison', rows: 1, events: 1 }])
    expect(errors).toEqual([])
    // Split in halves: a few statements, not one per stream.
    expect(fake.calls.length).toBeLessThanOrEqual(1 + 2 * Math.ceil(Math.log2(8)))

    // Later updates: the others are written at once; the refused stream is not tried again.
    const before = fake.calls.length
    registry.setTypes('bad', {})
    registry.event('bad', { kind: 'ack' })
    // Its events are still coalesced (the shell logs a NACK only when it is not a repeat), then dropped.
    expect(registry.event('bad', { kind: 'ack' })).toBe('repeat')
    registry.setTypes('good-1', {})
    await registry.flush()
    expect(fake.calls.slice(before)).toEqual([{ nodeIds: ['good-1'] }])
    expect(dropped).toHaveLength(1)
    registry.close('bad')
    await registry.flush()
    expect(fake.calls.slice(before)).toEqual([{ nodeIds: ['good-1'] }])
  })

  it('loses nothing in an outage: everything is written when the database is back, none of it dropped', async () => {
    const fake = fakeStore()
    const dropped: DroppedStream[] = []
    const errors: unknown[] = []
    registry = createConnectionRegistry({ replicaId: 'r', store: fake.store, flushMs: 3_600_000, heartbeatMs: 3_600_000, onError: (err) => errors.push(err), onDropped: (d) => dropped.push(d) })
    fake.setOutage(true)
    open(registry, 'a', 'node-a')
    open(registry, 'b', 'node-b')
    registry.event('a', { kind: 'connected' })
    await registry.flush()
    // One attempt, not one per stream: an outage is not split.
    expect(fake.calls).toHaveLength(1)
    expect(errors).toHaveLength(1)
    registry.event('a', { kind: 'connected' })
    fake.setOutage(false)
    await registry.flush()
    expect([...fake.rows.keys()].sort()).toEqual(['a', 'b'])
    expect(fake.events).toMatchObject([{ nodeId: 'node-a', kind: 'connected', repeatCount: 2 }])
    expect(dropped).toEqual([])
  })

  it('writes identical repeats of a written event as a count on its row', async () => {
    const fake = fakeStore()
    registry = createConnectionRegistry({ replicaId: 'r', store: fake.store, flushMs: 3_600_000, heartbeatMs: 3_600_000, onError: () => {} })
    open(registry, 'a', 'node-a')
    const nack = { kind: 'nack', typeUrl: 'cds', version: 'v2', nonce: '3', message: 'no' } as const
    expect(registry.event('a', nack)).toBe('recorded')
    await registry.flush()
    expect(Array.from({ length: 1000 }, () => registry!.event('a', nack)).every((o) => o === 'repeat')).toBe(true)
    await registry.flush()
    expect(fake.events).toHaveLength(1)
    expect(fake.repeats).toMatchObject([{ connectionId: 'a', kind: 'nack', repeats: 1000 }])
  })
})
