import { cache } from 'react'
import { cookies, headers } from 'next/headers'
import { redirect } from 'next/navigation'
import type { CallerServices } from '../services'
import { getRuntime } from '../runtime'
import { REQUEST_PATH_HEADER } from './client'
import { SESSION_COOKIE } from './session-cookie'
import { signInLocation } from './sign-in-location'

/**
 * The services for the signed-in user of this page request (once per request), or a redirect to
 * the sign-in page (with the page asked for as `next`) — or to the setup page while no user exists.
 * Console pages and layouts use this where API routes use withApi; the same services check the same roles.
 */
export const consoleServices = cache(async (): Promise<CallerServices> => {
  const runtime = getRuntime()
  const principal = await sessionPrincipal()
  if (!principal) redirect((await runtime.services.auth.setupRequired()) ? '/setup' : signInLocation((await headers()).get(REQUEST_PATH_HEADER)))
  return runtime.services.as(principal)
})

const sessionPrincipal = cache(async () => {
  const token = (await cookies()).get(SESSION_COOKIE)?.value
  return token ? await getRuntime().services.auth.authenticateSession(token) : null
})

/**
 * The services for the signed-in user, or null: for the 404 page of an unknown URL, which shows
 * the console's frame to a signed-in user and a plain page to anyone else, never a redirect (an
 * unknown API path answers 404 through the same page, server/http/api-path.ts).
 */
export const consoleServicesIfSignedIn = cache(async (): Promise<CallerServices | null> => {
  const principal = await sessionPrincipal()
  return principal ? getRuntime().services.as(principal) : null
})
