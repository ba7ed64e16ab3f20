import { describe, expect, it } from 'vitest'
import { globMatches } from '../../../server/config/glob'

describe('globMatches', () => {
  it.each([
    ['edge-*', 'edge-1', true],
    ['edge-*', 'edge-', true],
    ['edge-*', 'core-1', false],
    ['*', '', true],
    ['', '', true],
    ['', 'x', false],
    ['node-?', 'node-1', true],
    ['node-?', 'node-12', false],
    ['a.b*', 'a.bc', true],
    ['a.b*', 'axbc', false],
    ['*-eu-*', 'svc-eu-1', true],
    ['*-eu-*', 'svc-us-1', false],
    ['a*b*c', 'aXbYc', true],
    ['a*b*c', 'aXbY', false],
    ['**x', 'abcx', true],
    ['[a]', '[a]', true],
    ['(x|y)+', '(x|y)+', true],
  ])('%j against %j is %s', (glob, text, expected) => {
    expect(globMatches(glob, text)).toBe(expected)
  })

  it('answers a pathological pattern without backtracking blow-up (the RegExp took seconds)', () => {
    // Asserts the answer, not the time: a RegExp engine would also answer false, only much later.
    const glob = `${'*a'.repeat(40)}*b`
    expect(globMatches(glob, 'a'.repeat(40))).toBe(false)
    expect(globMatches(glob, `${'a'.repeat(40)}b`)).toBe(true)
  })
})
