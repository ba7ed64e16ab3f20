import { describe, expect, it } from 'vitest'
import type { RolloutRejection, VersionRollout } from '@/server/contract'
import {
  formatConvergenceTimes,
  groupRejections,
  knownResourceType,
  rollbackTargets,
  rolloutHeadline,
  rolloutOutcome,
  stallCheckDelayMs,
  typeLabel,
} from '../../../../components/versions/rollout-progress'

const CDS = 'type.googleapis.com/envoy.config.cluster.v3.Cluster'
const LDS = 'type.googleapis.com/envoy.config.listener.v3.Listener'
const AT = '2026-01-01T00:00:00.000Z'

const rejection = (nodeId: string, fields: Partial<RolloutRejection> = {}): RolloutRejection => ({
  nodeId,
  typeUrl: CDS,
  message: 'LB policy MAGLEV is not supported',
  at: AT,
  resources: [{ type: 'Cluster', name: 'echo-backend' }],
  lastAcceptedVersion: 2,
  ...fields,
})

const rollout = (fields: Partial<VersionRollout> = {}): VersionRollout => ({
  fleet: 'echo',
  version: 3,
  active: true,
  committedAt: AT,
  state: 'converging',
  stallAfterMs: 60_000,
  convergence: { version: 3, proxies: 4, onVersion: 1, rejected: 0, convergenceMs: null, p50Ms: 80, p90Ms: 120, maxMs: 130 },
  rejections: [],
  missing: [],
  missingCount: 0,
  listLimit: 100,
  ...fields,
})

describe('rolloutOutcome', () => {
  it('is the API’s state, or refused when this replica would not serve the version', () => {
    expect(rolloutOutcome(rollout({ state: 'converging' }), null)).toBe('converging')
    expect(rolloutOutcome(rollout({ state: 'stalled' }), 3)).toBe('refused')
    expect(rolloutOutcome(rollout({ state: 'stalled' }), 2)).toBe('stalled')
    // A refusal of a version that is no longer active is history: superseded says more.
    expect(rolloutOutcome(rollout({ state: 'superseded' }), 3)).toBe('superseded')
  })
})

describe('rolloutHeadline', () => {
  it.each<[Parameters<typeof rolloutHeadline>[0], Partial<VersionRollout>, string]>([
    ['converging', {}, 'Rolling out v3'],
    ['converged', {}, 'v3 reached every proxy'],
    ['rejected', { convergence: { ...rollout().convergence, rejected: 1 } }, 'v3 was rejected by a proxy'],
    ['rejected', { convergence: { ...rollout().convergence, rejected: 50 } }, 'v3 was rejected by 50 proxies'],
    ['stalled', { missingCount: 1 }, 'v3 stalled: 1 proxy has not acknowledged it'],
    ['stalled', { missingCount: 3 }, 'v3 stalled: 3 proxies have not acknowledged it'],
    ['superseded', {}, 'v3 was superseded by a newer version'],
    ['no-proxies', {}, 'v3 is active; no proxy of echo is connected'],
    ['refused', {}, 'Legation refused to serve v3'],
  ])('%s → %s', (outcome, fields, expected) => {
    expect(rolloutHeadline(outcome, rollout(fields))).toBe(expected)
  })
})

describe('formatConvergenceTimes', () => {
  it('writes p50/p90/max, or only the ones asked for', () => {
    expect(formatConvergenceTimes({ p50Ms: 80, p90Ms: 120, maxMs: 1300 })).toBe('p50 80 ms · p90 120 ms · max 1.3 s')
    expect(formatConvergenceTimes({ p50Ms: 80, p90Ms: 120, maxMs: 1300 }, ['p50', 'max'])).toBe('p50 80 ms · max 1.3 s')
  })

  it('is null when no proxy connected at the commit reached the version (no time to show)', () => {
    expect(formatConvergenceTimes({ p50Ms: null, p90Ms: null, maxMs: null })).toBeNull()
  })
})

describe('groupRejections', () => {
  it('makes one entry of the proxies that rejected the same thing, keeping the earliest time', () => {
    const groups = groupRejections([
      rejection('a', { at: '2026-01-01T00:00:02.000Z' }),
      rejection('b', { at: '2026-01-01T00:00:01.000Z' }),
      rejection('c', { typeUrl: LDS, message: 'bad listener', resources: [{ type: 'Listener', name: 'edge' }] }),
      rejection('d', { lastAcceptedVersion: 1 }),
    ])
    expect(groups.map((g) => [g.nodeIds, g.typeUrl, g.lastAcceptedVersion])).toEqual([
      [['a', 'b'], CDS, 2],
      [['c'], LDS, 2],
      [['d'], CDS, 1],
    ])
    expect(groups[0]!.at).toBe('2026-01-01T00:00:01.000Z')
  })
})

describe('rollbackTargets', () => {
  it('offers each version the rejecting proxies accepted last, newest first, and never the rejected version or a newer one', () => {
    expect(rollbackTargets([rejection('a'), rejection('b', { lastAcceptedVersion: 1 }), rejection('c'), rejection('d', { lastAcceptedVersion: null })], 3)).toEqual([2, 1])
    expect(rollbackTargets([rejection('a', { lastAcceptedVersion: 3 }), rejection('b', { lastAcceptedVersion: 4 })], 3)).toEqual([])
    expect(rollbackTargets([], 3)).toEqual([])
  })
})

describe('stallCheckDelayMs', () => {
  const committed = Date.parse(AT)

  it('asks again just after a converging rollout would turn stalled (no event tells that)', () => {
    expect(stallCheckDelayMs(rollout({ state: 'converging', stallAfterMs: 60_000 }), committed + 10_000)).toBe(50_250)
  })

  it('waits at least a second, and never longer than the stall time (a clock ahead or behind the server’s)', () => {
    expect(stallCheckDelayMs(rollout({ state: 'converging', stallAfterMs: 60_000 }), committed + 120_000)).toBe(1_000)
    expect(stallCheckDelayMs(rollout({ state: 'converging', stallAfterMs: 60_000 }), committed - 3_600_000)).toBe(60_000)
  })

  it.each(['converged', 'rejected', 'stalled', 'superseded', 'no-proxies'] as const)('does not poll a %s rollout: events move it', (state) => {
    expect(stallCheckDelayMs(rollout({ state }), committed)).toBe(false)
  })

  it('does not poll before the first answer', () => {
    expect(stallCheckDelayMs(undefined, committed)).toBe(false)
  })
})

describe('labels', () => {
  it('names types as the console does', () => {
    expect(typeLabel(CDS)).toBe('Cluster')
    expect(typeLabel('type.googleapis.com/envoy.extensions.Other')).toBe('Other')
    expect(typeLabel(null)).toBe('unknown type')
  })

  it('links only resource types the console knows', () => {
    expect(knownResourceType('Cluster')).toBe('Cluster')
    expect(knownResourceType('ScopedRouteConfiguration')).toBeNull()
  })
})
