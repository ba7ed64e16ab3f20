import type { ConvergenceCurve, CurvePoint, ProxyEventView, XdsActivity } from '@/server/contract'

/**
 * What the charts draw, as uPlot's aligned columns (one x column, one y column per series, `null`
 * where a series has no value at that x). Pure: the components only hand these to uPlot.
 */

export type Column = Array<number | null>

/**
 * The convergence curve: one row per proxy that reached or rejected the version, in time order.
 * `reached` climbs 1…n (the n-th ACK); `rejected` marks each NACK at its own rank. Rows of one side
 * are null on the other, so every point is drawn exactly once.
 */
export function convergenceSeries(curve: Pick<ConvergenceCurve, 'reached' | 'rejected'>): { x: number[]; reached: Column; rejected: Column } {
  const rows: Array<{ ms: number; side: 'reached' | 'rejected'; n: number }> = [
    ...curve.reached.points.map(([ms, n]) => ({ ms, side: 'reached' as const, n })),
    ...curve.rejected.points.map(([ms, n]) => ({ ms, side: 'rejected' as const, n })),
  ]
  // uPlot needs x in ascending order; ties keep ACKs before NACKs and ranks in order.
  rows.sort((a, b) => a.ms - b.ms || (a.side === b.side ? a.n - b.n : a.side === 'reached' ? -1 : 1))
  return {
    x: rows.map((r) => r.ms),
    reached: rows.map((r) => (r.side === 'reached' ? r.n : null)),
    rejected: rows.map((r) => (r.side === 'rejected' ? r.n : null)),
  }
}

/**
 * The rows of the curve's table alternative: every point when there are few, else the first proxy,
 * each tenth of them and the last (the milestones an operator reads: "half were on it after …").
 */
export function curveMilestones(points: readonly CurvePoint[], total: number, max = 20): CurvePoint[] {
  if (points.length <= max) return [...points]
  const picked = new Map<number, CurvePoint>()
  const at = (rank: number): CurvePoint => points.find(([, n]) => n >= rank) ?? points.at(-1)!
  picked.set(points[0]![1], points[0]!)
  for (let decile = 1; decile <= 10; decile++) {
    const p = at(Math.ceil((decile * total) / 10))
    picked.set(p[1], p)
  }
  return [...picked.values()].sort((a, b) => a[1] - b[1])
}

/** The activity chart's columns: x in seconds (uPlot's time unit), one column per measure. */
export function activitySeries(activity: Pick<XdsActivity, 'buckets'>): { x: number[]; pushes: number[]; acks: number[]; nacks: number[]; connected: number[] } {
  const b = activity.buckets
  return {
    x: b.map((r) => Date.parse(r.at) / 1000),
    pushes: b.map((r) => r.pushes),
    acks: b.map((r) => r.acks),
    nacks: b.map((r) => r.nacks),
    connected: b.map((r) => r.connected),
  }
}

export type ActivityTotals = Readonly<{ pushes: number; acks: number; nacks: number; connectedNow: number; connectedMax: number }>

export function activityTotals(activity: Pick<XdsActivity, 'buckets'>): ActivityTotals {
  const b = activity.buckets
  return {
    pushes: b.reduce((n, r) => n + r.pushes, 0),
    acks: b.reduce((n, r) => n + r.acks, 0),
    nacks: b.reduce((n, r) => n + r.nacks, 0),
    connectedNow: b.at(-1)?.connected ?? 0,
    connectedMax: b.reduce((n, r) => Math.max(n, r.connected), 0),
  }
}

/** The lane's rows, bottom to top. */
export const LANE_ROWS = ['NACK', 'ACK', 'push', 'stream'] as const
const ROW = { nack: 1, ack: 2, send: 3, stream: 4 } as const

export type LaneSeries = Readonly<{
  /** Seconds. */
  x: number[]
  /** The stream row: a line while a stream is open (from its connect to its close, or now), null between streams. */
  stream: Column
  /** Connects, closes and refusals, as points on the stream row. */
  marks: Column
  pushes: Column
  acks: Column
  nacks: Column
  counts: Readonly<{ connects: number; disconnects: number; pushes: number; acks: number; nacks: number }>
}>

/**
 * A proxy's stream timeline as a lane: each event a point on its row (push, ACK, NACK; connects and
 * closes on the stream row), each stream a line from its first event to its close (or `now` while it
 * is open). An event that stands for repeats is one point. Events come newest first, as the API sends them.
 */
export function laneSeries(events: readonly Pick<ProxyEventView, 'at' | 'kind' | 'connectionId'>[], now: number): LaneSeries {
  const ordered = [...events].map((e) => ({ ...e, t: Date.parse(e.at) })).sort((a, b) => a.t - b.t)
  // Each stream's span: from its first event shown to its close, else open until now.
  const spans = new Map<string, { from: number; to: number }>()
  for (const e of ordered) {
    const span = spans.get(e.connectionId) ?? { from: e.t, to: Infinity }
    if (e.kind === 'disconnected' || e.kind === 'refused') span.to = e.t
    spans.set(e.connectionId, span)
  }
  const open = [...spans.values()].some((s) => s.to === Infinity)
  const xs = ordered.map((e) => e.t)
  if (open && ordered.length > 0 && now > xs.at(-1)!) xs.push(now)
  const live = (t: number) => [...spans.values()].some((s) => s.from <= t && t <= Math.min(s.to, now))
  const on = (e: (typeof ordered)[number] | undefined, kinds: readonly string[], row: number) => (e && kinds.includes(e.kind) ? row : null)
  const count = (kinds: readonly string[]) => ordered.filter((e) => kinds.includes(e.kind)).length
  return {
    x: xs.map((t) => t / 1000),
    stream: xs.map((t) => (live(t) ? ROW.stream : null)),
    marks: xs.map((_, i) => on(ordered[i], ['connected', 'disconnected', 'refused'], ROW.stream)),
    pushes: xs.map((_, i) => on(ordered[i], ['send'], ROW.send)),
    acks: xs.map((_, i) => on(ordered[i], ['ack'], ROW.ack)),
    nacks: xs.map((_, i) => on(ordered[i], ['nack'], ROW.nack)),
    counts: { connects: count(['connected']), disconnects: count(['disconnected', 'refused']), pushes: count(['send']), acks: count(['ack']), nacks: count(['nack']) },
  }
}
