import pg from 'pg'
import type { EventBus } from '../events/bus'
import { EVENT_CHANNEL, type LegationEvent } from '../events/types'
import type { Logger } from '../log'

/**
 * LISTENs on the event channel and republishes every committed change on the local bus, so every
 * replica's SSE feed (and, later, snapshot engine) hears about every replica's writes. Reconnects
 * with backoff when the connection drops; `onReconnect` lets consumers reconcile what they missed.
 */
export type PgEventListener = Readonly<{ stop: () => Promise<void>; connected: () => boolean }>

export async function startPgEventListener(options: { databaseUrl: string; bus: EventBus; log: Logger; onReconnect?: () => void }): Promise<PgEventListener> {
  const { databaseUrl, bus, log } = options
  let client: pg.Client | null = null
  let stopped = false
  let isConnected = false
  let retryTimer: NodeJS.Timeout | null = null
  let attempt = 0

  const connect = async (): Promise<void> => {
    const c = new pg.Client({ connectionString: databaseUrl })
    c.on('notification', (msg) => {
      if (msg.channel !== EVENT_CHANNEL || !msg.payload) return
      try {
        bus.publish(JSON.parse(msg.payload) as LegationEvent)
      } catch (err) {
        log.warn({ err }, 'ignored a malformed event notification')
      }
    })
    c.on('error', (err) => {
      log.warn({ err: err.message }, 'event listener connection failed')
      isConnected = false
      void c.end().catch(() => undefined)
      scheduleReconnect()
    })
    await c.connect()
    await c.query(`LISTEN ${EVENT_CHANNEL}`)
    client = c
    isConnected = true
    if (attempt > 0) options.onReconnect?.()
    attempt = 0
  }

  const scheduleReconnect = (): void => {
    if (stopped || retryTimer) return
    const delay = Math.min(30_000, 250 * 2 ** attempt++)
    retryTimer = setTimeout(() => {
      retryTimer = null
      connect().catch((err: Error) => {
        log.warn({ err: err.message, attempt }, 'event listener reconnect failed')
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
      await client?.end().catch(() => undefined)
    },
  }
}
