import type { Principal } from '../access/principal'
import type { CallerServices } from '../services'

export type { CallerServices }
import { LegationError } from '../errors'
import { getRuntime, type Runtime } from '../runtime'
import { assertSameOrigin, authenticate } from './authenticate'
import { toErrorResponse } from './errors'

export type ApiContext<P> = Readonly<{ params: P; runtime: Runtime; principal: Principal; services: CallerServices }>
export type PublicApiContext<P> = Readonly<{ params: P; runtime: Runtime }>
type RouteContext<P> = { params: Promise<P> }

/**
 * Wraps a route handler with the HTTP edge: the caller is authenticated (session cookie or bearer
 * token; none is a 401), cookie-borne writes must come from the console's own origin, and the
 * handler gets the services bound to that caller, which check its role. The one catch turns every
 * error into the API's shape `{ error: { code, message, issues } }`.
 */
export function withApi<P = Record<string, never>>(handler: (req: Request, ctx: ApiContext<P>) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    let runtime: Runtime | undefined
    try {
      runtime = getRuntime()
      const credentials = await authenticate(runtime, req)
      if (!credentials) throw new LegationError('AUTH.UNAUTHENTICATED', 'sign in, or send Authorization: Bearer <API token>')
      if (credentials.via === 'session') assertSameOrigin(req)
      if (credentials.principal.kind === 'proxy-token') throw new LegationError('AUTH.FORBIDDEN', 'a proxy token only fetches xDS config; use an API token for the API')
      const params = await ctx.params
      return await handler(req, { params, runtime, principal: credentials.principal, services: runtime.services.as(credentials.principal) })
    } catch (err) {
      return toErrorResponse(err, (e) => runtime?.log.error({ err: e }, 'unhandled API error'))
    }
  }
}

/** For the few routes a caller reaches before signing in (setup, sign-in, who am I). */
export function withPublicApi<P = Record<string, never>>(handler: (req: Request, ctx: PublicApiContext<P>) => Promise<Response>) {
  return async (req: Request, ctx: RouteContext<P>): Promise<Response> => {
    let runtime: Runtime | undefined
    try {
      runtime = getRuntime()
      assertSameOrigin(req)
      return await handler(req, { params: await ctx.params, runtime })
    } catch (err) {
      return toErrorResponse(err, (e) => runtime?.log.error({ err: e }, 'unhandled API error'))
    }
  }
}
