import pino, { type Logger } from 'pino'

export type { Logger }

/** Structured JSON logs on stdout. Secrets never reach a log line: redact the usual suspects. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'legation' },
    redact: { paths: ['*.password', '*.private_key', '*.privateKey', 'databaseUrl'], censor: '[redacted]' },
  })
}

/**
 * Turns a stream of failed and successful attempts into state changes worth a log line: the first
 * failure, a reminder every `reportEveryMs` while it lasts, and the recovery. A task retried every
 * second during a database outage is then a few lines, not one a second (#16 item 14).
 */
export type FailureLog = Readonly<{
  /** 'first' or 'still' when this failure should be logged, null when it should stay quiet. */
  failed: () => 'first' | 'still' | null
  /** The outage that just ended, when the previous attempt had failed; null otherwise. */
  succeeded: () => Readonly<{ failures: number; downMs: number }> | null
}>

export function createFailureLog(options: { reportEveryMs?: number; now?: () => number } = {}): FailureLog {
  const reportEveryMs = options.reportEveryMs ?? 60_000
  const now = options.now ?? Date.now
  let failures = 0
  let since = 0
  let lastReportAt = 0
  return {
    failed: () => {
      const at = now()
      failures += 1
      if (failures === 1) {
        since = lastReportAt = at
        return 'first'
      }
      if (at - lastReportAt < reportEveryMs) return null
      lastReportAt = at
      return 'still'
    },
    succeeded: () => {
      if (failures === 0) return null
      const ended = { failures, downMs: now() - since }
      failures = 0
      return ended
    },
  }
}
