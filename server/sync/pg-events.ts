import pg from 'pg'
import type { EventBus } from '../events/bus'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'
import type { Logger } from '../log'
import { getMetrics } from '../metrics'

/**
 * LISTENs on the event channel and republishes every committed change on the local bus, so every
 * replica's SSE feed (and, later, snapshot engine) hears about every replica's writes. Reconnects
 * with backoff when the connection drops; `onReconnect` lets consumers reconcile what they missed.
 *
 * A database outage is logged as state changes (lost, still down every `reportEveryMs`, back),
 * not once per attempt (#16 item 14).
 */
export type PgEventListener = Readonly<{ stop: () => Promise<void>; connected: () => boolean }>

const MAX_RETRY_MS = 5000

export async function startPgEventListener(options: { databaseUrl: string; bus: EventBus; log: Logger; onReconnect?: () => void; reportEveryMs?: number }): Promise<PgEventListener> {
  const { databaseUrl, bus, log } = options
  const reportEveryMs = options.reportEveryMs ?? 60_000
  let client: pg.Client | null = null
  let stopped = false
  let isConnected = false
  let retryTimer: NodeJS.Timeout | null = null
  let attempt = 0
  let lostAt = 0
  let lastReportAt = 0

  const lost = (c: pg.Client, err: Error | null): void => {
    if (client !== c) return
    client = null
    isConnected = false
    void c.end().catch(() => undefined)
    if (stopped) return
    lostAt = lastReportAt = Date.now()
    log.warn({ err: err?.message ?? 'connection ended' }, 'event listener lost its database connection; reconnecting with backoff')
    scheduleReconnect()
  }

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl, connectionTimeoutMillis: 10_000 })
    c.on('notification', (msg) => {
      if (msg.channel !== EVENT_CHANNEL || !msg.payload) return
      try {
        bus.publish(JSON.parse(msg.payload) as LegationEvent)
      } catch (err) {
        log.warn({ err }, 'ignored a malformed event notification')
      }
    })
    c.on('error', (err) => lost(c, err))
    c.on('end', () => lost(c, null))
    try {
      await c.connect()
      await c.query(`LISTEN ${EVENT_CHANNEL}`)
    } catch (err) {
      void c.end().catch(() => undefined)
      throw err
    }
    if (stopped) {
      await c.end().catch(() => undefined)
      return
    }
    client = c
    isConnected = true
    if (attempt > 0) {
      log.info({ attempts: attempt, downMs: Date.now() - lostAt }, 'event listener reconnected')
      getMetrics().listenReconnects.inc()
      options.onReconnect?.()
    }
    attempt = 0
  }

  const scheduleReconnect = (): void => {
    if (stopped || retryTimer) return
    const delay = Math.min(MAX_RETRY_MS, 250 * 2 ** attempt++)
    retryTimer = setTimeout(() => {
      retryTimer = null
      connect().catch((err: Error) => {
        if (Date.now() - lastReportAt >= reportEveryMs) {
          lastReportAt = Date.now()
          log.warn({ err: err.message, attempts: attempt, downMs: Date.now() - lostAt }, 'event listener still cannot reach the database; retrying')
        } else {
          log.debug({ err: err.message, attempt }, 'event listener reconnect failed')
        }
        scheduleReconnect()
      })
    }, delay)
  }

  await connect()
  return {
    connected: () => isConnected,
    stop: async () => {
      stopped = true
      if (retryTimer) clearTimeout(retryTimer)
      isConnected = false
      const c = client
      client = null
      await c?.end().catch(() => undefined)
    },
  }
}
