import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { createQueryClient } from '@/components/query-client'
import { KIND_INFO, RESOURCE_KINDS } from '@/components/resources/kinds'
import { draftQueries } from '@/components/resources/queries'
import { ResourcesPage } from '@/components/resources/resources-page'
import { decodeSegment, kindParam } from '@/components/resources/route-params'
import { consoleServices } from '@/server/http/console-session'

// Always rendered per request: the page is a view of the live draft.
export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string; kind: string }> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { fleet, kind } = await params
  const k = kindParam(kind)
  return { title: `${k ? KIND_INFO[k].label : 'Resources'} · ${decodeSegment(fleet)}` }
}

/**
 * Server-rendered with every kind's list in place (the tabs show counts, the forms' pickers and the
 * clusters' endpoint counts need the others), filled from the services like the API would answer.
 */
export default async function ResourcesKindPage({ params }: Props) {
  const raw = await params
  const kind = kindParam(raw.kind)
  if (!kind) notFound()
  const fleet = decodeSegment(raw.fleet)
  const queryClient = createQueryClient()
  const services = await consoleServices()
  await Promise.all(RESOURCE_KINDS.map((k) => queryClient.prefetchQuery({ ...draftQueries.list(fleet, k), queryFn: () => services.drafts.get(fleet, KIND_INFO[k].type) })))
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ResourcesPage fleet={fleet} kind={kind} />
    </HydrationBoundary>
  )
}
