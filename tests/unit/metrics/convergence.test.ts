import { describe, expect, it } from 'vitest'
import { createCommitTimes } from '@/server/metrics/convergence'

const T0 = Date.parse('2026-01-01T00:00:00.000Z')

describe('commit → converged per proxy', () => {
  it('is the time from the commit to the reach, for a proxy connected at the commit', () => {
    const times = createCommitTimes()
    times.committed('edge', 2, T0)
    expect(times.secondsToReach({ fleet: 'edge', version: 2, atMs: T0 + 1500, connectedAtMs: T0 - 60_000 })).toBe(1.5)
    // Connected in the same millisecond as the commit: it was there.
    expect(times.secondsToReach({ fleet: 'edge', version: 2, atMs: T0 + 20, connectedAtMs: T0 })).toBe(0.02)
  })

  it('is null for a proxy that connected after the commit, an unknown version or another fleet', () => {
    const times = createCommitTimes()
    times.committed('edge', 2, T0)
    expect(times.secondsToReach({ fleet: 'edge', version: 2, atMs: T0 + 500, connectedAtMs: T0 + 1 })).toBeNull()
    expect(times.secondsToReach({ fleet: 'edge', version: 3, atMs: T0 + 500, connectedAtMs: T0 - 1 })).toBeNull()
    expect(times.secondsToReach({ fleet: 'core', version: 2, atMs: T0 + 500, connectedAtMs: T0 - 1 })).toBeNull()
  })

  it('keeps the first commit time of a version (a replayed event changes nothing) and never goes below 0 (clock skew between replicas)', () => {
    const times = createCommitTimes()
    times.committed('edge', 2, T0)
    times.committed('edge', 2, T0 + 10_000)
    expect(times.secondsToReach({ fleet: 'edge', version: 2, atMs: T0 + 1000, connectedAtMs: T0 - 1 })).toBe(1)
    times.committed('edge', 3, T0 + 5000)
    expect(times.secondsToReach({ fleet: 'edge', version: 3, atMs: T0 + 4000, connectedAtMs: T0 - 1 })).toBe(0)
  })

  it('ignores an unparseable commit time', () => {
    const times = createCommitTimes()
    times.committed('edge', 2, Date.parse('not a date'))
    expect(times.secondsToReach({ fleet: 'edge', version: 2, atMs: T0, connectedAtMs: T0 - 1 })).toBeNull()
  })

  it('remembers the newest 32 versions of a fleet, forgetting the oldest numbers first', () => {
    const times = createCommitTimes()
    // Out of order: version 1 arrives last but is the oldest number, so it is the one forgotten.
    for (let v = 2; v <= 33; v++) times.committed('edge', v, T0 + v)
    times.committed('edge', 1, T0 + 1)
    const reach = (version: number) => times.secondsToReach({ fleet: 'edge', version, atMs: T0 + 1000, connectedAtMs: T0 - 1 })
    expect(reach(1)).toBeNull()
    expect(reach(2)).not.toBeNull()
    expect(reach(33)).not.toBeNull()
    // Other fleets have their own 32.
    times.committed('core', 1, T0)
    expect(times.secondsToReach({ fleet: 'core', version: 1, atMs: T0 + 1000, connectedAtMs: T0 - 1 })).toBe(1)
  })
})
