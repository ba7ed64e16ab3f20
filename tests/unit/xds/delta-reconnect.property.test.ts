// The reconnect fast path of settleInitialVersions (#13 item 1): when a delta stream's first request
// carries initial_resource_versions and its subscription covers the whole snapshot type, and it holds
// nothing yet, `returned` is the type's resources minus those whose initial version differs (the
// type's own map when none differs), and `pendingRemovals` the wanted initial names the type lacks.
// This property checks it against the original per-name algorithm (`slowSettle` below, as it was
// before the fast path): the same response, the same (name, version) pairs returned, the same
// pending removals, and no initial versions left.
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { Snapshot, SnapshotType } from '../../../server/snapshot/types'
import { computeDeltaResponse, settleInitialVersions } from '../../../server/xds/delta-compute-response'
import { coversType, isWanted, newDeltaWatchedType, type DeltaWatchedType } from '../../../server/xds/delta-subscription'
import type { XdsTypeUrl } from '../../../server/xds-types/type-urls'
import { CDS, deltaRequest, EDS, LDS, resource } from './fixtures'

const SEED = 20_240_213
const RUNS = 1000
/** Listener and Cluster have a wildcard; for EDS '*' is an ordinary name. */
const TYPE_URLS = [CDS, LDS, EDS] as const
const NAMES = ['A', 'B', 'C', 'D', 'E'] as const
const TAGS = ['1', '2', '3'] as const

/** The original settleInitialVersions (HEAD before the fast path), resource by resource. */
function slowSettle(w: DeltaWatchedType, type: SnapshotType): DeltaWatchedType {
  if (!w.initialVersions) return w
  const returned = new Map(w.returned)
  const pendingRemovals = new Set(w.pendingRemovals)
  for (const [name, version] of w.initialVersions) {
    if (!isWanted(w, name)) continue
    const current = type.resources.get(name)
    if (!current) pendingRemovals.add(name)
    else if (current.version === version) returned.set(name, current)
  }
  const { initialVersions: _settled, ...rest } = w
  return { ...rest, returned, pendingRemovals }
}

function snapshotWith(typeUrl: XdsTypeUrl, type: SnapshotType): Snapshot {
  return { fleet: 'default', versionNumber: 7, types: new Map([[typeUrl, type]]) }
}

function buildType(typeUrl: XdsTypeUrl, content: readonly (readonly [string, string])[]): SnapshotType {
  const resources = content.map(([name, tag]) => resource(typeUrl, name, tag))
  return { version: 'v7', resources: new Map(resources.map((r) => [r.name, r])) }
}

// ---- what is generated, resolved against the type in the property

type Subscribe =
  /** Every name of the type (shuffled by the order of `extra`), plus a few others. */
  | Readonly<{ mode: 'all'; extra: readonly string[] }>
  /** No subscribe and no unsubscribe: the legacy wildcard for CDS/LDS, nothing for EDS. */
  | Readonly<{ mode: 'legacy' }>
  /** '*' among names (the wildcard for CDS/LDS, a name for EDS); unsubscribing one of them leaves a pending removal. */
  | Readonly<{ mode: 'star'; names: readonly string[]; unsub: readonly string[] }>
  /** Any few names, maybe all of the type's by chance. */
  | Readonly<{ mode: 'partial'; names: readonly string[] }>

/** An initial version: the type's current one (or a made-up one when the type lacks the name), another content, or one never built. */
type InitialChoice = 'current' | (typeof TAGS)[number] | 'never'

type Case = Readonly<{
  typeUrl: XdsTypeUrl
  content: readonly (readonly [string, string])[]
  subscribe: Subscribe
  initial: readonly (readonly [string, InitialChoice])[]
}>

const name = fc.constantFrom(...NAMES)
const nameOrStar = fc.constantFrom(...NAMES, '*')

const subscribe: fc.Arbitrary<Subscribe> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ mode: fc.constant('all' as const), extra: fc.array(nameOrStar, { maxLength: 2 }) }) },
  { weight: 2, arbitrary: fc.constant({ mode: 'legacy' } as const) },
  {
    weight: 2,
    arbitrary: fc.record({ mode: fc.constant('star' as const), names: fc.array(name, { maxLength: 3 }), unsub: fc.oneof(fc.constant([] as string[]), fc.array(name, { minLength: 1, maxLength: 2 })) }),
  },
  { weight: 3, arbitrary: fc.record({ mode: fc.constant('partial' as const), names: fc.array(nameOrStar, { minLength: 1, maxLength: 4 }) }) },
)

const initialChoice: fc.Arbitrary<InitialChoice> = fc.oneof({ weight: 5, arbitrary: fc.constant('current' as const) }, { weight: 3, arbitrary: fc.constantFrom(...TAGS) }, { weight: 1, arbitrary: fc.constant('never' as const) })

const cases: fc.Arbitrary<Case> = fc.record({
  typeUrl: fc.constantFrom(...TYPE_URLS),
  content: fc.uniqueArray(fc.tuple(name, fc.constantFrom(...TAGS)), { selector: ([n]) => n, maxLength: NAMES.length }),
  subscribe,
  initial: fc.oneof(
    { weight: 1, arbitrary: fc.constant([] as [string, InitialChoice][]) },
    { weight: 8, arbitrary: fc.uniqueArray(fc.tuple(nameOrStar, initialChoice), { selector: ([n]) => n, minLength: 1, maxLength: 6 }) },
  ),
})

function watchedType(c: Case, type: SnapshotType): DeltaWatchedType {
  const typeNames = [...type.resources.keys()]
  const s = c.subscribe
  const sub = s.mode === 'all' ? [...s.extra, ...typeNames.reverse()] : s.mode === 'legacy' ? [] : s.mode === 'star' ? ['*', ...s.names] : [...s.names]
  const unsub = s.mode === 'star' ? [...s.unsub] : []
  const initial = Object.fromEntries(
    c.initial.map(([n, choice]) => [n, choice === 'current' ? (type.resources.get(n)?.version ?? `${n}@1`) : choice === 'never' ? `${n}@never` : `${n}@${choice}`]),
  )
  return newDeltaWatchedType(c.typeUrl, deltaRequest(c.typeUrl, { sub, unsub, initial }))
}

const pairs = (m: ReadonlyMap<string, { version: string }>): string[] => [...m].map(([n, r]) => `${n}=${r.version}`).sort()

/** What settling must leave alike besides `returned`, `pendingRemovals` (compared as sets) and `syncedWith` (never set on a first request). */
function others(w: DeltaWatchedType): Record<string, unknown> {
  const { returned: _r, pendingRemovals: _p, syncedWith: _s, ...rest } = w
  return { ...rest, names: [...w.names].sort(), rejected: [...w.rejected].sort() }
}

type Coverage = { runs: number; fast: number; fastAllCurrent: number; slow: number; slowCovering: number; withInitial: number }

function check(c: Case, coverage: Coverage): void {
  const type = buildType(c.typeUrl, c.content)
  const snap = snapshotWith(c.typeUrl, type)
  const w = watchedType(c, type)
  coverage.runs++
  if (w.initialVersions) coverage.withInitial++
  const fastEligible = w.initialVersions !== undefined && coversType(w, type) && w.returned.size === 0 && w.rejected.size === 0 && w.pendingRemovals.size === 0
  if (fastEligible) coverage.fast++
  else if (w.initialVersions) {
    coverage.slow++
    if (coversType(w, type)) coverage.slowCovering++
  }

  const fast = settleInitialVersions(w, type)
  const slow = slowSettle(w, type)
  if (fastEligible && fast.returned === type.resources) coverage.fastAllCurrent++

  expect(computeDeltaResponse(snap, fast)).toStrictEqual(computeDeltaResponse(snap, slow))
  expect(pairs(fast.returned)).toStrictEqual(pairs(slow.returned))
  expect([...fast.pendingRemovals].sort()).toStrictEqual([...slow.pendingRemovals].sort())
  expect(fast.initialVersions).toBeUndefined()
  expect(slow.initialVersions).toBeUndefined()
  expect(others(fast)).toStrictEqual(others(slow))
}

describe('settleInitialVersions: the reconnect fast path', () => {
  it(`settles like the per-name algorithm (${RUNS} random first requests, seed ${SEED})`, () => {
    const coverage: Coverage = { runs: 0, fast: 0, fastAllCurrent: 0, slow: 0, slowCovering: 0, withInitial: 0 }
    fc.assert(
      fc.property(cases, (c) => check(c, coverage)),
      { seed: SEED, numRuns: RUNS },
    )
    // Counted over every run fast-check made (shrinking included, none when it passes).
    expect(coverage.fast / coverage.runs).toBeGreaterThan(0.2)
    expect(coverage.fastAllCurrent).toBeGreaterThan(0)
    expect(coverage.slow / coverage.runs).toBeGreaterThan(0.1)
    // The guard on what the stream holds, not only coverage, sends some to the slow path.
    expect(coverage.slowCovering).toBeGreaterThan(0)
    expect(coverage.withInitial).toBeLessThan(coverage.runs)
  })

  it('a wildcard CDS reconnect with every version current: nothing to send, and `returned` is the type itself', () => {
    const type = buildType(CDS, [
      ['A', '1'],
      ['B', '2'],
      ['C', '3'],
    ])
    const w = newDeltaWatchedType(CDS, deltaRequest(CDS, { initial: { A: 'A@1', B: 'B@2', C: 'C@3' } }))
    expect(w.wildcard).toBe(true)
    const settled = settleInitialVersions(w, type)
    expect(computeDeltaResponse(snapshotWith(CDS, type), settled)).toBeNull()
    expect(settled.returned).toBe(type.resources)
    expect(settled.pendingRemovals.size).toBe(0)
    expect(settled.initialVersions).toBeUndefined()
  })
})
