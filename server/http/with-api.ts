import { getRuntime, type Runtime } from '../runtime'
import { toErrorResponse } from './errors'

export type ApiContext<P> = Readonly<{ params: P; actor: string; runtime: Runtime }>
type RouteContext<P> = { params: Promise<P> }

const ACTOR_HEADER = 'x-legation-actor'

/** Who is making the change, for versions and the audit log. Authentication is not built yet. */
function actorOf(req: Request): string {
  const given = req.headers.get(ACTOR_HEADER)?.trim()
  return given ? given.slice(0, 100) : 'anonymous'
}

/**
 * Wraps a route handler with the one catch of the HTTP edge: every error becomes the same JSON
 * shape `{ error: { code, message, issues } }`; nothing unexpected leaks as a raw 500 text.
 */
export function withApi<P = Record<string, never>>(handler: (req: Request, ctx: ApiContext<P>) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    let runtime: Runtime | undefined
    try {
      runtime = getRuntime()
      const params = await ctx.params
      return await handler(req, { params, actor: actorOf(req), runtime })
    } catch (err) {
      return toErrorResponse(err, (e) => runtime?.log.error({ err: e }, 'unhandled API error'))
    }
  }
}
