import { getRuntime } from '@/server/runtime'
import { assertSameOrigin, authenticate } from '@/server/http/authenticate'
import { toErrorResponse } from '@/server/http/errors'
import { LegationError } from '@/server/errors'
import { EventsQuery, type LegationEvent } from '@/server/contract'

export const dynamic = 'force-dynamic'

/**
 * Server-Sent Events: one `event: <kind>` message per change (`?fleet=` narrows to one fleet).
 * Consumers are told *that* something changed and refetch (TkDodo's "notify, then refetch"), so
 * nothing is lost if a message is missed across a reconnect.
 *
 * A stream outlives the request that opened it, so at every heartbeat (LEGATION_EVENTS_HEARTBEAT_MS)
 * the caller is checked again, without counting as activity: a session signed out, idle or past its
 * end, a disabled user or a revoked token ends the stream (the browser's EventSource reconnects and
 * is refused with 401), and a changed role narrows or widens what the stream sends from then on.
 */
export async function GET(req: Request): Promise<Response> {
  let runtime
  let mayRead: (fleet: string | null) => boolean
  try {
    runtime = getRuntime()
    const credentials = await authenticate(runtime, req)
    if (!credentials) throw new LegationError('AUTH.UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <API token>')
    if (credentials.principal.kind === 'proxy-token') throw new LegationError('AUTH.FORBIDDEN', 'a proxy token only fetches xDS config; use an API token for the event feed')
    if (credentials.via === 'session') assertSameOrigin(req)
    mayRead = runtime.services.as(credentials.principal).mayRead
  } catch (err) {
    return toErrorResponse(err, () => undefined)
  }
  const query = EventsQuery.safeParse(Object.fromEntries(new URL(req.url).searchParams))
  if (!query.success) return toErrorResponse(query.error, () => undefined)
  const fleet = query.data.fleet
  const encoder = new TextEncoder()
  let cleanup = (): void => undefined
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      let id = 0
      const write = (text: string): void => {
        try {
          controller.enqueue(encoder.encode(text))
        } catch {
          cleanup()
        }
      }
      const unsubscribe = runtime.bus.subscribe((event: LegationEvent) => {
        // Only what the caller may read: events of its fleets (events of no fleet need a global role).
        if (!mayRead(event.fleet)) return
        if (fleet && event.fleet !== fleet) return
        write(`id: ${++id}\nevent: ${event.kind}\ndata: ${JSON.stringify(event)}\n\n`)
      })
      let checking = false
      const recheck = async (): Promise<void> => {
        if (checking) return // the previous check is still waiting for the database
        checking = true
        try {
          const current = await authenticate(runtime, req, { touch: false })
          if (!current || current.principal.kind === 'proxy-token') return cleanup()
          mayRead = runtime.services.as(current.principal).mayRead
        } catch {
          // Refused (AUTH.UNAUTHENTICATED), or the check could not be made: fail closed. A browser
          // reconnects after `retry` and learns which it was from the answer.
          cleanup()
        } finally {
          checking = false
        }
      }
      const heartbeat = setInterval(() => {
        write(': ping\n\n')
        void recheck()
      }, runtime.eventsHeartbeatMs)
      let closed = false
      cleanup = () => {
        if (closed) return
        closed = true
        clearInterval(heartbeat)
        unsubscribe()
        try {
          controller.close()
        } catch {
          /* already closed */
        }
      }
      req.signal.addEventListener('abort', () => cleanup())
      write(`retry: 2000\n: connected\n\n`)
    },
    cancel() {
      cleanup()
    },
  })
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  })
}
