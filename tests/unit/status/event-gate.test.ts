import { describe, expect, it } from 'vitest'
import type { ProxyEventRecord } from '../../../server/contract/proxy-state'
import { createEventGate, eventRowsOf, type EventGateOptions } from '../../../server/status/event-gate'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const OPTIONS: EventGateOptions = { windowMs: 60_000, burst: 3, ratePerSecond: 1, maxMessageChars: 20 }
const T0 = Date.parse('2026-11-24T10:00:00.000Z')
const iso = (ms: number) => new Date(ms).toISOString()

function nack(at: number, message = 'bad cluster', connectionId = 'c1', nodeId = 'n1'): ProxyEventRecord {
  return { connectionId, nodeId, fleet: 'f', at: iso(at), kind: 'nack', typeUrl: CDS, version: 'v2', nonce: '7', message }
}

describe('event gate (#16 item 9)', () => {
  it('coalesces identical repeats into one row with a count and the time of the latest', () => {
    const gate = createEventGate(OPTIONS)
    const outcomes = [0, 1, 2, 3].map((i) => gate.push(nack(T0 + i), T0 + i))
    expect(outcomes).toEqual(['recorded', 'repeat', 'repeat', 'repeat'])
    const { events, repeats } = eventRowsOf(gate.take())
    expect(events).toEqual([{ ...nack(T0), repeatCount: 4, lastAt: iso(T0 + 3) }])
    expect(repeats).toEqual([])
  })

  it('counts repeats of a row already written as an update of that row, until the window ends', () => {
    const gate = createEventGate(OPTIONS)
    gate.push(nack(T0), T0)
    expect(eventRowsOf(gate.take()).events).toEqual([nack(T0)])
    gate.push(nack(T0 + 10), T0 + 10)
    gate.push(nack(T0 + 20), T0 + 20)
    expect(eventRowsOf(gate.take())).toEqual({ events: [], repeats: [{ connectionId: 'c1', nodeId: 'n1', kind: 'nack', at: iso(T0), repeats: 2, lastAt: iso(T0 + 20) }] })
    expect(gate.pending()).toBe(0)
    // Past the window a repeat is a row of its own again: the timeline shows it still happening.
    expect(gate.push(nack(T0 + 60_001), T0 + 60_001)).toBe('recorded')
  })

  it('keeps events that differ, and each stream its own run', () => {
    const gate = createEventGate({ ...OPTIONS, burst: 10 })
    gate.push(nack(T0, 'a'), T0)
    gate.push(nack(T0, 'b'), T0)
    gate.push(nack(T0, 'a'), T0)
    gate.push(nack(T0, 'a', 'c2'), T0)
    expect(eventRowsOf(gate.take()).events.map((e) => [e.connectionId, e.message])).toEqual([['c1', 'a'], ['c1', 'b'], ['c1', 'a'], ['c2', 'a']])
  })

  it('past the rate limit of a node id, counts events into one suppressed row per window', () => {
    const gate = createEventGate(OPTIONS)
    const outcomes = ['a', 'b', 'c', 'd', 'e', 'f'].map((m) => gate.push(nack(T0, m, m < 'c' ? 'c1' : 'c2'), T0))
    expect(outcomes).toEqual(['recorded', 'recorded', 'recorded', 'suppressed', 'suppressed', 'suppressed'])
    const { events } = eventRowsOf(gate.take())
    expect(events.map((e) => e.kind)).toEqual(['nack', 'nack', 'nack', 'suppressed'])
    expect(events[3]).toMatchObject({ connectionId: 'c2', nodeId: 'n1', repeatCount: 3, lastAt: iso(T0) })
    // A second later the bucket has a token again; later overflow is added to the same suppressed row.
    expect(gate.push(nack(T0 + 1000, 'g', 'c2'), T0 + 1000)).toBe('recorded')
    expect(gate.push(nack(T0 + 1000, 'h', 'c2'), T0 + 1000)).toBe('suppressed')
    expect(eventRowsOf(gate.take())).toMatchObject({ events: [{ message: 'g' }], repeats: [{ connectionId: 'c2', kind: 'suppressed', at: iso(T0), repeats: 1 }] })
    // Identical repeats cost no token.
    expect(gate.push(nack(T0 + 1000, 'g', 'c2'), T0 + 1000)).toBe('repeat')
  })

  it('gives a failed write back: rows pending again, repeats folded into them', () => {
    const gate = createEventGate(OPTIONS)
    gate.push(nack(T0), T0)
    const failed = gate.take()
    gate.push(nack(T0 + 5), T0 + 5)
    gate.restore(failed)
    expect(eventRowsOf(gate.take())).toEqual({ events: [{ ...nack(T0), repeatCount: 2, lastAt: iso(T0 + 5) }], repeats: [] })
  })

  it('drops what is pending of a stream, and cuts long messages', () => {
    const gate = createEventGate(OPTIONS)
    gate.push(nack(T0, 'x'.repeat(25)), T0)
    gate.push(nack(T0, 'y', 'c2', 'n2'), T0)
    gate.drop(new Set(['c2']))
    expect(eventRowsOf(gate.take()).events.map((e) => e.message)).toEqual([`${'x'.repeat(20)}… (5 more characters)`])
  })
})
