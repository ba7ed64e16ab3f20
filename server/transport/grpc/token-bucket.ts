/**
 * A token bucket: `ratePerSecond` tokens refill continuously up to `burst`. Used to admit new xDS
 * streams during a reconnect storm (every proxy of a dead replica arriving at once) at a pace the
 * server can serve; refused streams get UNAVAILABLE and retry with backoff. `now` is injected.
 */
export type TokenBucket = Readonly<{ take: () => boolean }>

export function createTokenBucket(options: { ratePerSecond: number; burst: number; now: () => number }): TokenBucket {
  let tokens = options.burst
  let last = options.now()
  return {
    take() {
      const now = options.now()
      tokens = Math.min(options.burst, tokens + ((now - last) / 1000) * options.ratePerSecond)
      last = now
      if (tokens < 1) return false
      tokens -= 1
      return true
    },
  }
}
