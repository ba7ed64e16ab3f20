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
