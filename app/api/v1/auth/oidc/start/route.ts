import { LegationError } from '@/server/errors'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Starts single sign-on: to the identity provider, with PKCE, state and nonce. `?next=` is where to land after. */
export const GET = withPublicApi(async (req, { runtime }) => {
  const oidc = runtime.services.oidc
  if (!oidc) throw new LegationError('SERVICE.UNAVAILABLE', 'single sign-on is not configured (LEGATION_OIDC_ISSUER)')
  return Response.redirect(await oidc.start(new URL(req.url).searchParams.get('next')), 302)
})
