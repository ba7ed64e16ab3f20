import { describe, expect, it } from 'vitest'
import { createTokenBucket } from '../../../server/transport/grpc/token-bucket'

describe('createTokenBucket', () => {
  it('admits a burst, then refills at the rate', () => {
    let now = 0
    const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3, now: () => now })
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
    now += 100 // one token
    expect([bucket.take(), bucket.take()]).toEqual([true, false])
    now += 10_000 // never more than the burst
    expect([bucket.take(), bucket.take(), bucket.take(), bucket.take()]).toEqual([true, true, true, false])
  })
})
