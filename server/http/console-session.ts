import { cache } from 'react'
import { cookies } from 'next/headers'
import { redirect } from 'next/navigation'
import type { CallerServices } from '../services'
import { getRuntime } from '../runtime'
import { SESSION_COOKIE } from './session-cookie'

/**
 * The services for the signed-in user of this page request (once per request), or a redirect to
 * the sign-in page — or to the setup page while no user exists. Console pages and layouts use this
 * where API routes use withApi; the same services check the same roles.
 */
export const consoleServices = cache(async (): Promise<CallerServices> => {
  const runtime = getRuntime()
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  const principal = token ? await runtime.services.auth.authenticateSession(token) : null
  if (!principal) redirect((await runtime.services.auth.setupRequired()) ? '/setup' : '/login')
  return runtime.services.as(principal)
})
