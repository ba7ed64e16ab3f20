import { describe, expect, it } from 'vitest'
import { createFailureLog } from '../../server/log'

describe('createFailureLog', () => {
  it('reports the first failure, stays quiet until the reminder is due, and reports the recovery once', () => {
    let clock = 1_000
    const failures = createFailureLog({ reportEveryMs: 60_000, now: () => clock })
    expect(failures.succeeded()).toBeNull()
    expect(failures.failed()).toBe('first')
    const quiet = Array.from({ length: 59 }, () => ((clock += 1_000), failures.failed()))
    expect(quiet.every((r) => r === null)).toBe(true)
    clock += 1_000
    expect(failures.failed()).toBe('still')
    expect(failures.failed()).toBeNull()
    clock += 500
    expect(failures.succeeded()).toEqual({ failures: 62, downMs: 60_500 })
    expect(failures.succeeded()).toBeNull()
    expect(failures.failed()).toBe('first')
  })
})
