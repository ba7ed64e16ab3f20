import { LegationError } from '@/server/errors'
import { clientOf } from '@/server/http/client'
import { isHttps, sessionCookie } from '@/server/http/session-cookie'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** The identity provider sends the browser back here: finish the sign-in, set the session cookie, go on. */
export const GET = withPublicApi(async (req, { runtime }) => {
  const oidc = runtime.services.oidc
  if (!oidc) throw new LegationError('SERVICE.UNAVAILABLE', 'single sign-on is not configured (LEGATION_OIDC_ISSUER)')
  const url = new URL(req.url)
  const error = url.searchParams.get('error')
  if (error) throw new LegationError('AUTH.UNAUTHENTICATED', `the identity provider refused the sign-in: ${error} ${url.searchParams.get('error_description') ?? ''}`.trim())
  const done = await oidc.finish(url, clientOf(req))
  return new Response(null, { status: 302, headers: { location: done.returnTo, 'set-cookie': sessionCookie(done.sessionToken, { expires: done.expiresAt, secure: isHttps(req) }) } })
})
