/** The first retry after the feed gave up waits this long; each further failure doubles it… */
export const RECONNECT_BASE_MS = 1_000
/** …up to this. */
export const RECONNECT_MAX_MS = 30_000

/**
 * How long to wait before reconnect attempt `attempt` (0 for the first): 1 s, 2 s, 4 s, … 30 s.
 * A server that is starting or restarting is not hammered, and one that is back is found within 30 s.
 */
export function reconnectDelay(attempt: number): number {
  return Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.max(0, attempt))
}
