import { clearedSessionCookie, isHttps, readCookie, SESSION_COOKIE } from '@/server/http/session-cookie'
import { withPublicApi } from '@/server/http/with-api'

export const dynamic = 'force-dynamic'

/** Ends this browser's session (the row is deleted, not just the cookie). */
export const POST = withPublicApi(async (req, { runtime }) => {
  const token = readCookie(req.headers.get('cookie'), SESSION_COOKIE)
  if (token) await runtime.services.auth.signOut(token)
  return new Response(null, { status: 204, headers: { 'set-cookie': clearedSessionCookie(isHttps(req)) } })
})
