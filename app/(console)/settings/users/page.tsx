import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { userQueries } from '@/components/admin/queries'
import { UsersView } from '@/components/admin/users-view'
import { grantsAllow } from '@/components/auth/can'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Users' }

/** Admins of every fleet only; others get a notice (and have no link here). */
export default async function UsersPage() {
  const services = await consoleServices()
  const queryClient = createQueryClient()
  if (grantsAllow(services.principal.grants, 'admin', null)) await queryClient.prefetchQuery({ ...userQueries.list(), queryFn: () => services.users.list() })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Users"
        description="Who signs in to the console and the API, and with which role on which fleets: viewer reads, editor also edits drafts, commits and rolls back, admin also manages fleets (and, on *, users and tokens)."
      />
      <UsersView />
    </HydrationBoundary>
  )
}
