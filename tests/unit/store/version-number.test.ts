import { describe, expect, it } from 'vitest'
import { nextVersionNumber } from '../../../server/store/versions'

describe('nextVersionNumber', () => {
  it('starts at 1 and counts up per fleet', () => {
    expect(nextVersionNumber(null)).toBe(1)
    expect(nextVersionNumber(1)).toBe(2)
    expect(nextVersionNumber(41)).toBe(42)
  })
})
