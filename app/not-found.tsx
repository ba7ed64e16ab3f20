import type { Metadata } from 'next'
import { headers } from 'next/headers'
import { ConsoleFrame } from './(console)/console-frame'
import { NotFoundView } from '@/components/shell/not-found-view'
import { REQUEST_PATH_HEADER } from '@/server/http/client'
import { consoleServicesIfSignedIn } from '@/server/http/console-session'

export const metadata: Metadata = { title: 'Not found' }

/**
 * A URL no route matches. Next renders this outside every route group's layout, so the console's
 * frame is drawn here for a signed-in user (the navigation is the way back); anyone else gets the
 * page alone, never a redirect. An unknown /api/ path lands here too and leaves as the API's JSON
 * 404 (server/http/api-path.ts), so it skips the session and the database.
 */
export default async function NotFound() {
  const path = (await headers()).get(REQUEST_PATH_HEADER) ?? ''
  const services = path.startsWith('/api/') ? null : await consoleServicesIfSignedIn()
  if (!services) {
    return (
      <main id="main" className="mx-auto max-w-xl px-4 py-10">
        <NotFoundView />
      </main>
    )
  }
  return (
    <ConsoleFrame services={services}>
      <NotFoundView />
    </ConsoleFrame>
  )
}
