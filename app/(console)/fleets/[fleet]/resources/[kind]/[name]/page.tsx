import { dehydrate, HydrationBoundary } from '@tanstack/react-query'
import type { Metadata } from 'next'
import { notFound } from 'next/navigation'
import { createQueryClient } from '@/components/query-client'
import { KIND_INFO } from '@/components/resources/kinds'
import { draftQueries } from '@/components/resources/queries'
import { ResourceEditorPage } from '@/components/resources/resource-editor'
import { decodeSegment, kindParam, viewParam } from '@/components/resources/route-params'
import { consoleServices } from '@/server/http/console-session'

export const dynamic = 'force-dynamic'

type Props = Readonly<{ params: Promise<{ fleet: string; kind: string; name: string }>; searchParams: Promise<Record<string, string | string[] | undefined>> }>

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { kind, name } = await params
  const k = kindParam(kind)
  return { title: `${decodeSegment(name)} · ${k ? KIND_INFO[k].label : 'Resources'}` }
}

export default async function ResourceEditRoute({ params, searchParams }: Props) {
  const raw = await params
  const kind = kindParam(raw.kind)
  if (!kind) notFound()
  const fleet = decodeSegment(raw.fleet)
  const name = decodeSegment(raw.name)
  const queryClient = createQueryClient()
  await queryClient.prefetchQuery({ ...draftQueries.resource(fleet, kind, name), queryFn: async () => (await consoleServices()).drafts.getResource({ fleet, type: KIND_INFO[kind].type, name }) })
  return (
    <HydrationBoundary state={dehydrate(queryClient)}>
      <ResourceEditorPage key={`${kind}/${name}`} fleet={fleet} kind={kind} name={name} requestedView={viewParam((await searchParams).view)} />
    </HydrationBoundary>
  )
}
