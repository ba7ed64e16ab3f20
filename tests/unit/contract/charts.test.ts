import { describe, expect, it } from 'vitest'
import { ACTIVITY_RANGES, planBuckets } from '../../../server/contract'

describe('planBuckets', () => {
  const now = Date.parse('2026-11-25T10:37:42.500Z')

  it('splits the last hour into 60 one-minute buckets, aligned, the last holding now', () => {
    const plan = planBuckets('hour', now)
    expect(plan).toEqual({ from: Date.parse('2026-11-25T09:38:00.000Z'), bucketMs: 60_000, count: 60 })
    const lastStart = plan.from + (plan.count - 1) * plan.bucketMs
    expect(lastStart).toBeLessThanOrEqual(now)
    expect(lastStart + plan.bucketMs).toBeGreaterThan(now)
  })

  it('splits the last day into 96 buckets of 15 minutes', () => {
    const plan = planBuckets('day', now)
    expect(plan.count).toBe(96)
    expect(plan.bucketMs).toBe(15 * 60_000)
    expect(new Date(plan.from + plan.count * plan.bucketMs).toISOString()).toBe('2026-11-25T10:45:00.000Z')
    expect(plan.count * plan.bucketMs).toBe(ACTIVITY_RANGES.day.spanMs)
  })

  it('gives the same buckets to two reads within one bucket (a refetch does not shift the chart)', () => {
    expect(planBuckets('hour', now)).toEqual(planBuckets('hour', now + 17_000))
    expect(planBuckets('hour', now + 60_000).from).toBe(planBuckets('hour', now).from + 60_000)
  })

  it('puts now on a boundary into the bucket it starts', () => {
    const edge = Date.parse('2026-11-25T10:00:00.000Z')
    const plan = planBuckets('hour', edge)
    expect(plan.from + (plan.count - 1) * plan.bucketMs).toBe(edge)
  })
})
