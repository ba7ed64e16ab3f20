import { describe, expect, it } from 'vitest'
import { activitySeries, activityTotals, convergenceSeries, curveMilestones, laneSeries } from '../../../../components/charts/series'
import type { CurvePoint } from '../../../../server/contract'

describe('convergenceSeries', () => {
  it('has one row per ACK and per NACK, in time order, each drawn on its own side only', () => {
    const s = convergenceSeries({
      reached: { total: 3, points: [[120, 1], [300, 2], [300, 3]] },
      rejected: { total: 1, points: [[200, 1]] },
    })
    expect(s.x).toEqual([120, 200, 300, 300])
    expect(s.reached).toEqual([1, null, 2, 3])
    expect(s.rejected).toEqual([null, 1, null, null])
    expect(s.reached.filter((v) => v !== null)).toHaveLength(3)
  })

  it('is empty for a version no proxy answered', () => {
    expect(convergenceSeries({ reached: { total: 0, points: [] }, rejected: { total: 0, points: [] } })).toEqual({ x: [], reached: [], rejected: [] })
  })
})

describe('curveMilestones', () => {
  it('keeps every point when there are few', () => {
    const points: CurvePoint[] = [[10, 1], [20, 2]]
    expect(curveMilestones(points, 2)).toEqual(points)
  })

  it('keeps the first proxy and each tenth of them when there are many', () => {
    const points: CurvePoint[] = Array.from({ length: 1000 }, (_, i) => [i * 3, i + 1])
    const m = curveMilestones(points, 1000)
    expect(m.map(([, n]) => n)).toEqual([1, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1000])
    expect(m.at(-1)).toEqual([2997, 1000])
  })

  it('reads ranks from thinned points (the first point at or past each tenth)', () => {
    const points: CurvePoint[] = [[0, 1], ...Array.from({ length: 30 }, (_, i): CurvePoint => [i + 1, (i + 1) * 7]), [99, 215]]
    const ranks = curveMilestones(points, 215).map(([, n]) => n)
    expect(ranks[0]).toBe(1)
    expect(ranks.at(-1)).toBe(215)
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b))
  })
})

describe('activitySeries and activityTotals', () => {
  const activity = {
    buckets: [
      { at: '2026-11-25T10:00:00.000Z', pushes: 4, acks: 4, nacks: 0, connected: 1 },
      { at: '2026-11-25T10:01:00.000Z', pushes: 2, acks: 0, nacks: 2, connected: 3 },
      { at: '2026-11-25T10:02:00.000Z', pushes: 0, acks: 0, nacks: 0, connected: 2 },
    ],
  }
  it('gives uPlot seconds on x and one column per measure', () => {
    const s = activitySeries(activity)
    expect(s.x).toEqual([Date.parse('2026-11-25T10:00:00.000Z') / 1000, Date.parse('2026-11-25T10:01:00.000Z') / 1000, Date.parse('2026-11-25T10:02:00.000Z') / 1000])
    expect(s.pushes).toEqual([4, 2, 0])
    expect(s.nacks).toEqual([0, 2, 0])
    expect(s.connected).toEqual([1, 3, 2])
  })
  it('sums the events and reads the connected proxies now and at most', () => {
    expect(activityTotals(activity)).toEqual({ pushes: 6, acks: 4, nacks: 2, connectedNow: 2, connectedMax: 3 })
  })
})

describe('laneSeries', () => {
  const t = (s: number) => new Date(Date.parse('2026-11-25T10:00:00.000Z') + s * 1000).toISOString()
  // Newest first, as GET /proxies/{node}/events answers.
  const events = [
    { at: t(40), kind: 'ack' as const, connectionId: 'b' },
    { at: t(39), kind: 'send' as const, connectionId: 'b' },
    { at: t(38), kind: 'connected' as const, connectionId: 'b' },
    { at: t(20), kind: 'disconnected' as const, connectionId: 'a' },
    { at: t(12), kind: 'nack' as const, connectionId: 'a' },
    { at: t(11), kind: 'send' as const, connectionId: 'a' },
    { at: t(2), kind: 'ack' as const, connectionId: 'a' },
    { at: t(1), kind: 'send' as const, connectionId: 'a' },
    { at: t(0), kind: 'connected' as const, connectionId: 'a' },
  ]
  const now = Date.parse(t(60))

  it('puts each event on its row, oldest first, and counts them', () => {
    const s = laneSeries(events, now)
    expect(s.counts).toEqual({ connects: 2, disconnects: 1, pushes: 3, acks: 2, nacks: 1 })
    expect(s.pushes.filter((v) => v !== null)).toHaveLength(3)
    expect(s.nacks.indexOf(1)).toBe(4)
    expect(s.x).toEqual([0, 1, 2, 11, 12, 20, 38, 39, 40, 60].map((sec) => Date.parse(t(sec)) / 1000))
  })

  it('draws a stream while it is open: a gap between the close and the next connect, open until now', () => {
    const s = laneSeries(events, now)
    expect(s.stream).toEqual([4, 4, 4, 4, 4, 4, 4, 4, 4, 4])
    const withGap = laneSeries([{ at: t(30), kind: 'send' as const, connectionId: 'x' }, ...events.slice(0, 4), { at: t(25), kind: 'refused' as const, connectionId: 'x' }], now)
    // x: 20 (a's close: its first event shown), 25 (x refused), 30 (x's send after its refusal: no stream), 38 (b connects)
    expect(withGap.x.slice(0, 4)).toEqual([20, 25, 30, 38].map((sec) => Date.parse(t(sec)) / 1000))
    expect(withGap.stream.slice(0, 4)).toEqual([4, 4, null, 4])
  })

  it('ends at the last event when every stream is closed', () => {
    const closed = laneSeries(events.slice(3), now)
    expect(closed.x.at(-1)).toBe(Date.parse(t(20)) / 1000)
  })
})
