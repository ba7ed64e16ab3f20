export type WaitForOptions = Readonly<{
  /** Give up after this long (default 10 s). */
  timeoutMs?: number
  /** Poll period (default 50 ms). */
  intervalMs?: number
  /** What is awaited, for the timeout message. */
  what?: string
}>

type Settled<T> = Exclude<T, undefined | null | false>

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/**
 * Polls `fn` until it returns something other than undefined/null/false without throwing, and
 * returns that. Status is written behind (batched), so tests poll the API instead of sleeping. On
 * timeout the last error is rethrown (an `expect` failure keeps its diff), or the last value is shown.
 */
export async function waitFor<T>(fn: () => T | Promise<T>, options: WaitForOptions = {}): Promise<Settled<T>> {
  const timeoutMs = options.timeoutMs ?? 10_000
  const deadline = Date.now() + timeoutMs
  const what = options.what ?? 'condition'
  for (;;) {
    let last: unknown
    try {
      const value = await fn()
      if (value !== undefined && value !== null && value !== false) return value as Settled<T>
      last = value
    } catch (err) {
      last = err
    }
    if (Date.now() >= deadline) {
      if (last instanceof Error) {
        last.message = `${what}: not within ${timeoutMs} ms: ${last.message}`
        throw last
      }
      throw new Error(`${what}: not within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`)
    }
    await sleep(options.intervalMs ?? 50)
  }
}
