import { SignInInput } from '@/server/contract'
import { readBody } from '@/server/http/body'
import { clientOf } from '@/server/http/client'
import { isHttps, sessionCookie } from '@/server/http/session-cookie'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** A local user's sign-in: sets the session cookie. Repeated failures lock the name and address for a while (429). */
export const POST = withPublicApi(async (req, { runtime }) => {
  const input = SignInInput.parse(await readBody(req, runtime.maxBodyBytes))
  const signedIn = await runtime.services.auth.signIn({ ...input, ...clientOf(req) })
  return Response.json({ user: signedIn.user }, { headers: { 'set-cookie': sessionCookie(signedIn.sessionToken, { expires: signedIn.expiresAt, secure: isHttps(req) }) } })
})
