import type { Principal } from '../access/principal'
import { LegationError } from '../errors'
import type { Runtime } from '../runtime'
import { readCookie, SESSION_COOKIE } from './session-cookie'

export type Credentials = Readonly<{ principal: Principal; via: 'session' | 'bearer' }>

/**
 * Who is calling: `Authorization: Bearer <token>` (automation; never accepted from a cookie) or the
 * console's session cookie. Null when the request carries neither; a credential that is given but
 * no longer valid is refused, so a client learns its token was revoked or its session ended.
 * `touch: false` checks without counting as activity (the event feed's re-check of an open stream).
 */
export async function authenticate(runtime: Runtime, req: Request, options: { touch?: boolean } = {}): Promise<Credentials | null> {
  const authorization = req.headers.get('authorization')
  if (authorization !== null) {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization)
    if (!match) throw new LegationError('AUTH.UNAUTHENTICATED', 'the Authorization header must be "Bearer <token>"')
    const principal = await runtime.services.auth.authenticateToken(match[1]!, options)
    if (!principal) throw new LegationError('AUTH.UNAUTHENTICATED', 'the bearer token is unknown, revoked or expired')
    return { principal, via: 'bearer' }
  }
  const session = readCookie(req.headers.get('cookie'), SESSION_COOKIE)
  if (session === null) return null
  const principal = await runtime.services.auth.authenticateSession(session, options)
  if (!principal) throw new LegationError('AUTH.UNAUTHENTICATED', 'your session has ended; sign in again')
  return { principal, via: 'session' }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])
const BODY_TYPES = ['application/json', 'application/yaml', 'application/x-yaml', 'text/yaml', 'text/x-yaml']

/**
 * CSRF: a state-changing request that a browser sends with its cookie must come from the console's
 * own origin (Origin, or Sec-Fetch-Site when Origin is absent) and, if it has a body, carry JSON or
 * YAML, which a cross-site HTML form cannot send without a CORS preflight (and CORS is closed).
 */
export function assertSameOrigin(req: Request): void {
  if (SAFE_METHODS.has(req.method)) return
  const origin = req.headers.get('origin')
  const host = req.headers.get('x-forwarded-host') ?? req.headers.get('host')
  const fetchSite = req.headers.get('sec-fetch-site')
  let sameOrigin: boolean
  if (origin !== null && origin !== 'null') {
    try {
      sameOrigin = host !== null && new URL(origin).host === host
    } catch {
      sameOrigin = false
    }
  } else {
    sameOrigin = fetchSite === 'same-origin' || fetchSite === null
  }
  if (!sameOrigin) throw new LegationError('REQUEST.CROSS_ORIGIN', `a request from ${origin ?? 'another site'} may not change anything with this browser's session`)
  const length = req.headers.get('content-length')
  const hasBody = (length !== null && length !== '0') || req.headers.get('transfer-encoding') !== null
  const type = req.headers.get('content-type')?.split(';')[0]?.trim().toLowerCase()
  if (hasBody && (type === undefined || !BODY_TYPES.includes(type))) {
    throw new LegationError('REQUEST.UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json or application/yaml')
  }
}
