import { describe, expect, it } from 'vitest'
import { internNames, selectionOf } from '../../../server/xds/selection'
import { CDS, EDS, req, run, snap, snapshot } from './fixtures'

// Streams with the same subscription share what a push is made of (#13 item 1): the sorted
// resources, their Anys and the `returned` map are one object, built once per snapshot type.
describe('shared SotW selections', () => {
  it('interns equal name sets, whatever their order, and keeps distinct sets apart', () => {
    const a = internNames(new Set(['x', 'y']))
    expect(internNames(new Set(['y', 'x']))).toBe(a)
    expect(internNames(new Set(['x']))).not.toBe(a)
    // A name holding the separator of another pair must not collide with it.
    expect(internNames(new Set(['x\ny']))).not.toBe(a)
  })

  it('gives one selection per snapshot type and name set, sorted, with what a client then holds', () => {
    const s = snapshot(1, { [EDS]: ['e1', 'b', 'a', 'c'] })
    const type = s.types.get(EDS)!
    const names = internNames(new Set(['c', 'a', 'zz']))
    const one = selectionOf(type, { names, wildcard: false })
    expect(one.names).toEqual(['a', 'c'])
    expect(one.anys).toEqual([type.resources.get('a')!.any, type.resources.get('c')!.any])
    expect([...one.returned.keys()]).toEqual(['a', 'c'])
    expect(selectionOf(type, { names, wildcard: false })).toBe(one)
    expect(selectionOf(type, { names: new Set(), wildcard: true }).names).toEqual(['a', 'b', 'c'])
    // Another snapshot type (a new version) gets its own.
    const next = snapshot(2, { [EDS]: ['e2', 'a@2', 'c'] }).types.get(EDS)!
    expect(selectionOf(next, { names, wildcard: false })).not.toBe(one)
    expect(selectionOf(next, { names, wildcard: false }).resources[0]).toBe(next.resources.get('a'))
  })

  it('two streams subscribed to the same names are sent the same resources array and keep the same returned map', () => {
    const s = snapshot(3, { [CDS]: ['c3', 'a', 'b'], [EDS]: ['e3', 'a', 'b'] })
    const streams = [run([snap(s), req(CDS), req(EDS, { names: ['a', 'b'] })]), run([snap(s), req(CDS), req(EDS, { names: ['b', 'a'] })])]
    const edsSends = streams.map((r) => r.effects.flat().flatMap((e) => (e.kind === 'send' && e.typeUrl === EDS ? [e.response] : [])))
    expect(edsSends[0]).toHaveLength(1)
    expect(edsSends[1]![0]!.resources).toBe(edsSends[0]![0]!.resources)
    expect(edsSends[1]![0]!.nonce).toBe(edsSends[0]![0]!.nonce)
    expect(streams[1]!.state.types.get(EDS)!.returned).toBe(streams[0]!.state.types.get(EDS)!.returned)
    expect(streams[1]!.state.types.get(CDS)!.returned).toBe(streams[0]!.state.types.get(CDS)!.returned)
  })
})
