import { SetupInput } from '@/server/contract'
import { readBody } from '@/server/http/body'
import { clientOf } from '@/server/http/client'
import { isHttps, sessionCookie } from '@/server/http/session-cookie'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** First start: creates the first admin with the one-time token from the server log, and signs in. */
export const POST = withPublicApi(async (req, { runtime }) => {
  const input = SetupInput.parse(await readBody(req, runtime.maxBodyBytes))
  const signedIn = await runtime.services.auth.setup({ ...input, ...clientOf(req) })
  return Response.json({ user: signedIn.user }, { status: 201, headers: { 'set-cookie': sessionCookie(signedIn.sessionToken, { expires: signedIn.expiresAt, secure: isHttps(req) }) } })
})
