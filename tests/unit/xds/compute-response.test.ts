import { describe, expect, it } from 'vitest'
import { computeResponse } from '../../../server/xds/compute-response'
import type { WatchedType } from '../../../server/xds/subscription'
import type { XdsTypeUrl } from '../../../server/xds-types/type-urls'
import { CDS, EDS, resource, RDS, SDS, snapshot } from './fixtures'

const SNAP = snapshot(4, { [CDS]: ['c2', 'B', 'A'], [EDS]: ['e2', 'a', 'b'], [RDS]: ['r2', 'r1'] })

type WatchSpec = { names?: string[]; wildcard?: boolean; versionSent?: string; rejectedVersion?: string; returned?: string[] }
const watch = (typeUrl: XdsTypeUrl, w: WatchSpec): WatchedType => ({
  typeUrl,
  names: new Set(w.names ?? []),
  wildcard: w.wildcard ?? false,
  versionSent: w.versionSent,
  rejectedVersion: w.rejectedVersion,
  returned: new Map((w.returned ?? []).map((n) => [n, resource(typeUrl, n)])),
})

// [label, typeUrl, watch, init, expected: null or `version [names]`]
type Row = [string, XdsTypeUrl, WatchSpec, boolean, string | null]
const rows: Row[] = [
  ['init is always answered, even at the current version', CDS, { wildcard: true, versionSent: 'c2', returned: ['A', 'B'] }, true, 'c2 [A,B]'],
  ['wildcard: every resource of the type, sorted', CDS, { wildcard: true }, false, 'c2 [A,B]'],
  ['up to date: nothing to send', CDS, { wildcard: true, versionSent: 'c2', returned: ['A', 'B'] }, false, null],
  ['new version: full subscribed set', EDS, { names: ['a'], versionSent: 'e1', returned: ['a'] }, false, 'e2 [a]'],
  ['resource not found: absent from the response', EDS, { names: ['a', 'zz'], versionSent: 'e1', returned: ['a'] }, false, 'e2 [a]'],
  ['same version, newly subscribed name that exists', EDS, { names: ['a', 'b'], versionSent: 'e2', returned: ['a'] }, false, 'e2 [a,b]'],
  ['same version, newly subscribed name that does not exist', EDS, { names: ['a', 'zz'], versionSent: 'e2', returned: ['a'] }, false, null],
  ['rejected version: not re-sent', RDS, { names: ['r1'], versionSent: 'r2', rejectedVersion: 'r2', returned: ['r1'] }, false, null],
  ['rejected version even if versionSent moved on', RDS, { names: ['r1'], versionSent: 'r1x', rejectedVersion: 'r2', returned: ['r1'] }, false, null],
  ['rejected version, but the subscription grew', EDS, { names: ['a', 'b'], versionSent: 'e2', rejectedVersion: 'e2', returned: ['a'] }, false, 'e2 [a,b]'],
  ['another version than the rejected one', RDS, { names: ['r1'], versionSent: 'r1x', rejectedVersion: 'r1x', returned: ['r1'] }, false, 'r2 [r1]'],
  ['unsubscribed (no names, not wildcard)', EDS, { names: [], versionSent: 'e1' }, false, null],
  ['unsubscribed, even on init', EDS, { names: [] }, true, null],
  ['named type missing from the snapshot: nothing until a name exists', SDS, { names: ['cert'] }, true, null],
]

describe('computeResponse', () => {
  it.each(rows)('%s', (_label, typeUrl, w, init, expected) => {
    const r = computeResponse(SNAP, watch(typeUrl, w), { init })
    expect(r && `${r.version} [${r.resources.map((x) => x.name).join(',')}]`).toBe(expected)
    if (r) expect(r.fromVersion).toBe(4)
  })
})
