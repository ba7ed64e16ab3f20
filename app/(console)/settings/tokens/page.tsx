import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { tokenQueries } from '@/components/admin/queries'
import { TokensView } from '@/components/admin/tokens-view'
import { grantsAllow } from '@/components/auth/can'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Tokens' }

/** Admins of every fleet only; others get a notice (and have no link here). */
export default async function TokensPage() {
  const services = await consoleServices()
  const queryClient = createQueryClient()
  if (grantsAllow(services.principal.grants, 'admin', null)) await queryClient.prefetchQuery({ ...tokenQueries.list(), queryFn: () => services.tokens.list() })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Tokens"
        description="API tokens are for CI and GitOps (Authorization: Bearer); proxy tokens let proxies fetch the xDS config of the fleets they name. Each is shown once, stored as a hash, and can be revoked at once."
      />
      <TokensView />
    </HydrationBoundary>
  )
}
