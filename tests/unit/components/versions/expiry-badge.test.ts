import { describe, expect, it } from 'vitest'
import { formatCountdown } from '../../../../components/versions/expiry-badge'

describe('formatCountdown', () => {
  it('shows hours and minutes, minutes and seconds, or seconds; never below zero', () => {
    expect(formatCountdown(3_600_000)).toBe('1h 00m')
    expect(formatCountdown(3_725_000)).toBe('1h 02m')
    expect(formatCountdown(245_000)).toBe('4m 05s')
    expect(formatCountdown(12_000)).toBe('12s')
    expect(formatCountdown(11_001)).toBe('12s')
    expect(formatCountdown(-5)).toBe('0s')
  })
})
