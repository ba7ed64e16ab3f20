import { describe, expect, it } from 'vitest'
import { computeDeltaResponse, pruneRejected, settleInitialVersions, snapshotTypeOf } from '../../../server/xds/delta-compute-response'
import type { DeltaWatchedType } from '../../../server/xds/delta-subscription'
import type { XdsTypeUrl } from '../../../server/xds-types/type-urls'
import { CDS, EDS, resource, snapshot } from './fixtures'

// Versions are `name@content`; A is at content 2, B and C at 1.
const SNAP = snapshot(4, { [CDS]: ['c4', 'B', 'A@2', 'C'], [EDS]: ['e4', 'a', 'b'] })

type WatchSpec = {
  names?: string[]
  wildcard?: boolean
  /** `name` or `name@content` the client has */
  returned?: string[]
  rejected?: Record<string, string | null>
  pendingRemovals?: string[]
  initial?: Record<string, string>
}

const watch = (typeUrl: XdsTypeUrl, w: WatchSpec): DeltaWatchedType => ({
  typeUrl,
  names: new Set(w.names ?? []),
  wildcard: w.wildcard ?? false,
  returned: new Map(
    (w.returned ?? []).map((spec) => {
      const [name = spec, content] = spec.split('@')
      return [name, resource(typeUrl, name, content)]
    }),
  ),
  rejected: new Map(Object.entries(w.rejected ?? {})),
  pendingRemovals: new Set(w.pendingRemovals ?? []),
  inFlight: new Map(),
  ...(w.initial ? { initialVersions: new Map(Object.entries(w.initial)) } : {}),
})

/** `c4 [A,B] -[X]`, or null. */
function compute(typeUrl: XdsTypeUrl, spec: WatchSpec): string | null {
  const type = snapshotTypeOf(SNAP, typeUrl)
  const r = computeDeltaResponse(SNAP, pruneRejected(settleInitialVersions(watch(typeUrl, spec), type), type))
  if (!r) return null
  return `${r.version} [${r.resources.map((x) => x.name).join(',')}]${r.removed.length > 0 ? ` -[${r.removed.join(',')}]` : ''}`
}

type Row = [label: string, typeUrl: XdsTypeUrl, spec: WatchSpec, expected: string | null]

const rows: Row[] = [
  ['wildcard, nothing returned: every resource, sorted', CDS, { wildcard: true }, 'c4 [A,B,C]'],
  ['wildcard, up to date: nothing', CDS, { wildcard: true, returned: ['A@2', 'B', 'C'] }, null],
  ['wildcard, one changed: only that one', CDS, { wildcard: true, returned: ['A', 'B', 'C'] }, 'c4 [A]'],
  ['wildcard, one the client has is gone: removed', CDS, { wildcard: true, returned: ['A@2', 'B', 'C', 'Z'] }, 'c4 [] -[Z]'],
  ['by name: only the subscribed names', EDS, { names: ['b'] }, 'e4 [b]'],
  ['by name, missing and never had: neither sent nor removed', EDS, { names: ['a', 'zz'], returned: ['a'] }, null],
  ['by name, had and gone: removed', EDS, { names: ['a', 'zz'], returned: ['a', 'zz'] }, 'e4 [] -[zz]'],
  ['rejected version still current: not re-sent', CDS, { wildcard: true, returned: ['A', 'B', 'C'], rejected: { A: 'A@2' } }, null],
  ['rejected version superseded: the current one is sent', CDS, { wildcard: true, returned: ['A', 'B', 'C'], rejected: { A: 'A@9' } }, 'c4 [A]'],
  ['rejected removal of a name still gone: not re-sent', CDS, { wildcard: true, returned: ['A@2', 'B', 'C', 'Z'], rejected: { Z: null } }, null],
  ['pending removal of a missing name: removed', CDS, { wildcard: true, returned: ['A@2', 'B', 'C'], pendingRemovals: ['X'] }, 'c4 [] -[X]'],
  ['pending removal of a name that exists: nothing to remove', CDS, { wildcard: true, returned: ['A@2', 'B', 'C'], pendingRemovals: ['B'] }, null],
  ['initial versions all current: nothing', CDS, { wildcard: true, initial: { A: 'A@2', B: 'B@1', C: 'C@1' } }, null],
  ['initial versions: the stale and the unknown are sent, the gone removed', CDS, { wildcard: true, initial: { A: 'A@1', B: 'B@1', gone: 'gone@1' } }, 'c4 [A,C] -[gone]'],
  ['initial versions of names not subscribed are ignored', EDS, { names: ['a'], initial: { a: 'a@1', b: 'b@0', gone: 'x' } }, null],
]

describe('computeDeltaResponse', () => {
  it.each(rows)('%s', (_label, typeUrl, spec, expected) => {
    expect(compute(typeUrl, spec)).toBe(expected)
  })

  it('carries the snapshot version number and the very resource objects of the snapshot', () => {
    const r = computeDeltaResponse(SNAP, watch(CDS, { wildcard: true }))
    expect(r?.fromVersion).toBe(4)
    expect(r?.resources[0]).toBe(SNAP.types.get(CDS)?.resources.get('A'))
  })

  it('a type the snapshot lacks is empty: nothing to send for a named subscription', () => {
    const bare = snapshot(1, {})
    expect(computeDeltaResponse(bare, watch(EDS, { names: ['a'] }))).toBeNull()
  })
})

describe('settleInitialVersions', () => {
  it('moves current versions into returned as the snapshot objects, and missing names into pendingRemovals', () => {
    const type = snapshotTypeOf(SNAP, CDS)
    const settled = settleInitialVersions(watch(CDS, { wildcard: true, initial: { A: 'A@2', B: 'old', gone: 'g' } }), type)
    expect(settled.initialVersions).toBeUndefined()
    expect([...settled.returned.keys()]).toEqual(['A'])
    expect(settled.returned.get('A')).toBe(type.resources.get('A'))
    expect([...settled.pendingRemovals]).toEqual(['gone'])
  })
})
