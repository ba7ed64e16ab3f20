import { getRuntime } from '@/server/runtime'
import { assertSameOrigin, authenticate } from '@/server/http/authenticate'
import { toErrorResponse } from '@/server/http/errors'
import { LegationError } from '@/server/errors'
import { EventsQuery, type LegationEvent } from '@/server/contract'

export const dynamic = 'force-dynamic'

const HEARTBEAT_MS = 15_000

/**
 * Server-Sent Events: one `event: <kind>` message per change (`?fleet=` narrows to one fleet).
 * Consumers are told *that* something changed and refetch (TkDodo's "notify, then refetch"), so
 * nothing is lost if a message is missed across a reconnect.
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
      const heartbeat = setInterval(() => write(': ping\n\n'), HEARTBEAT_MS)
      cleanup = () => {
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
