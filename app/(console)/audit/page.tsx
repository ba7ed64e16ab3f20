import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { AuditView } from '@/components/audit/audit-view'
import { AUDIT_PAGE, auditQueryNow, parseAuditFilters } from '@/components/audit/filters'
import { auditQueries } from '@/components/audit/queries'
import { createQueryClient } from '@/components/query-client'
import { PageHeader } from '@/components/ui/page-header'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'
export const metadata: Metadata = { title: 'Audit' }

type Props = Readonly<{ searchParams: Promise<Record<string, string | string[] | undefined>> }>

/** Server-rendered with the first page in place; the client follows the filters in the URL. */
export default async function AuditPage({ searchParams }: Props) {
  const raw = await searchParams
  const filters = parseAuditFilters({ get: (name) => [raw[name]].flat()[0] ?? null })
  const queryClient = createQueryClient()
  // A failed prefetch (a filter the API refuses) is not dehydrated: the browser asks and shows the error.
  await queryClient.prefetchQuery({ ...auditQueries.list(filters, AUDIT_PAGE), queryFn: async () => (await consoleServices()).audit.list(auditQueryNow(filters, AUDIT_PAGE)) })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <PageHeader
        title="Audit"
        description="Every change to fleets, drafts and versions with who made it (a user, or token:name for an API token); for roles on every fleet also sign-ins, failed sign-ins, users and tokens."
      />
      <AuditView />
    </HydrationBoundary>
  )
}
